"""Which kinds of object are searchable, what text they offer, and who may see them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import QuerySet


@dataclass(frozen=True)
class Document:
    """The text of one object for the index."""

    title: str
    body: str
    organisation_id: int | None


@dataclass(frozen=True)
class Searchable:
    """The rules for one searchable model."""

    model: type[models.Model]
    # What people call it, e.g. "Idea"; and the key used in filters and the API, e.g. "ideas".
    name: str
    key: str
    # The text to index for an object, or None to leave it out of the index.
    document: Callable[[Any], Document | None]
    # The objects a person may see: search results are always limited to these.
    visible: Callable[[Any], QuerySet[Any]]
    # The page that shows an object.
    url: Callable[[Any], str]
    # Narrow the visible objects by the page's filters (organisation, kind, status...).
    apply_filters: Callable[[QuerySet[Any], dict[str, str]], QuerySet[Any]] = (
        lambda queryset, filters: queryset
    )

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


_REGISTRY: dict[str, Searchable] = {}


def register_searchable(rules: Searchable) -> None:
    """Make objects of ``rules.model`` searchable."""
    _REGISTRY[rules.label] = rules


def searchables() -> dict[str, Searchable]:
    """Return every searchable kind, by model label."""
    return dict(_REGISTRY)


def searchable_for(label: str) -> Searchable:
    """Return the rules for a model label; raise LookupError if it is not searchable."""
    try:
        return _REGISTRY[label]
    except KeyError:
        raise LookupError(f"{label} is not searchable") from None
