"""Which kinds of object people can comment on and flag, and the rules for each.

An app registers its model once (in its ``AppConfig.ready``); the discussion app then offers
threaded comments, flags and moderation on it without knowing what it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class Commentable:
    """The rules for one kind of object that takes comments and can be moderated."""

    model: type[models.Model]
    # The organisation that owns an object: its innovation leads and administrators moderate.
    organisation: Callable[[Any], Any]
    # Whether a person may see the object (and so its comments).
    can_view: Callable[[Any, Any], bool]
    # Whether a person may comment on it now (phase, audience, status...).
    can_comment: Callable[[Any, Any], bool]
    # The page that shows it.
    url: Callable[[Any], str]
    # Whom to tell about a new top-level comment (user ids), e.g. the idea's authors.
    participants: Callable[[Any], Iterable[int]]
    # Hide or restore the object itself when a moderator decides (comments hide themselves):
    # set_hidden(obj, hidden, reason). If it also takes an ``actor`` keyword, it is given the
    # moderator. Kinds without it cannot be reported themselves, only their comments.
    set_hidden: Callable[[Any, bool, str], None] | None = None
    # The object's author(s), told when it is hidden and why (notification kind
    # "<model>.hidden", e.g. "idea.hidden", and "<model>.restored").
    authors: Callable[[Any], Iterable[int]] = lambda obj: ()
    # Whether the names of the people who comment on it are hidden from a person:
    # names_hidden(user, obj). Ideas judged by a blind appraisal panel hide them from the
    # panel, since a comment by an author, or a reply to one, names who wrote the idea.
    names_hidden: Callable[[Any, Any], bool] = lambda user, obj: False


_REGISTRY: dict[str, Commentable] = {}


def register_commentable(rules: Commentable) -> None:
    """Let people comment on and flag objects of ``rules.model``."""
    _REGISTRY[rules.model._meta.label_lower] = rules


def rules_for(model_or_label: type[models.Model] | models.Model | str) -> Commentable:
    """Return the rules for a model (or an instance, or its ``app.model`` label)."""
    label = model_or_label if isinstance(model_or_label, str) else model_or_label._meta.label_lower
    try:
        return _REGISTRY[label]
    except KeyError:
        raise LookupError(f"{label} does not take comments") from None


def registered() -> dict[str, Commentable]:
    """Return every registered kind, by label."""
    return dict(_REGISTRY)


def label_of(model_or_obj: type[models.Model] | models.Model) -> str:
    """Return the ``app.model`` label that names a kind of target in URLs and the API."""
    return model_or_obj._meta.label_lower


def unregister_commentable(model_or_label: type[models.Model] | str) -> None:
    """Stop offering comments on a model (for tests that register one of their own)."""
    label = model_or_label if isinstance(model_or_label, str) else label_of(model_or_label)
    _REGISTRY.pop(label, None)
