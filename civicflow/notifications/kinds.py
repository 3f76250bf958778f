"""What notifications are about: kinds, their plain-English names, and the groups people choose
how to hear about.

A *kind* is an open string an app passes to ``notify`` ("idea.status_changed"). Each app names
its kinds with ``register_kinds``, and may put a new kind in one of the groups below; a kind
nobody registered is still shown, with a name made from its code, in the group "Anything
else". People choose how to hear about each *group*, not each kind, so the settings page stays
short however many kinds the apps add.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# How a person hears about a group; the values match ``models.Delivery``.
IMMEDIATE = "immediate"
DIGEST = "digest"
IN_APP = "in_app"


@dataclass(frozen=True)
class KindGroup:
    """A group of kinds a person hears about in one way."""

    key: str
    label: StrOrPromise
    hint: StrOrPromise
    default: str  # IMMEDIATE, DIGEST or IN_APP


IDEAS = "ideas"
COMMENTS = "comments"
FOLLOWED = "followed_challenges"
OTHER = "other"

GROUPS: tuple[KindGroup, ...] = (
    KindGroup(
        key=IDEAS,
        label=_("Your ideas and ideas you support"),
        hint=_(
            "When their status changes, when you are invited to be a co-author, "
            "or when a moderator hides one."
        ),
        default=IMMEDIATE,
    ),
    KindGroup(
        key=COMMENTS,
        label=_("Replies and comments"),
        hint=_(
            "Replies to your comments, new comments on your ideas, "
            "and comments of yours that a moderator hides."
        ),
        default=IMMEDIATE,
    ),
    KindGroup(
        key=FOLLOWED,
        label=_("Challenges you follow"),
        hint=_("New ideas shared in them, and changes to their dates or status."),
        default=DIGEST,
    ),
    KindGroup(
        key=OTHER,
        label=_("Anything else"),
        hint=_("Everything not in the groups above, such as moderation and improvement boards."),
        default=IMMEDIATE,
    ),
)
_GROUPS = {group.key: group for group in GROUPS}


@dataclass(frozen=True)
class _Kind:
    name: StrOrPromise
    group: str


# The group of a kind nobody put in one, by the first part of its code.
_GROUP_BY_PREFIX = {"idea": IDEAS, "comment": COMMENTS, "challenge": FOLLOWED}

_KINDS: dict[str, _Kind] = {
    "idea.status_changed": _Kind(_("The status of an idea changed"), IDEAS),
    "idea.coauthor_invited": _Kind(_("You were invited to be a co-author"), IDEAS),
    "idea.hidden": _Kind(_("An idea was hidden by a moderator"), IDEAS),
    "idea.new": _Kind(_("A new idea in a challenge you follow"), FOLLOWED),
    "comment.reply": _Kind(_("A reply to your comment"), COMMENTS),
    "comment.new": _Kind(_("A new comment"), COMMENTS),
    "comment.hidden": _Kind(_("A comment was hidden by a moderator"), COMMENTS),
}


def register_kinds(names: dict[str, StrOrPromise], *, group: str = "") -> None:
    """Name, in plain English, kinds an app passes to ``notify``.

    ``group`` puts the kinds in one of ``GROUPS``; without it a kind keeps the group it had,
    or goes by the first part of its code ("idea." with ideas, "comment." with comments,
    "challenge." with challenges you follow), or in "Anything else".
    """
    if group and group not in _GROUPS:
        raise ValueError(f"Unknown notification group {group!r}; use one of {sorted(_GROUPS)}.")
    for kind, name in names.items():
        known = _KINDS.get(kind)
        _KINDS[kind] = _Kind(name, group or (known.group if known else _prefix_group(kind)))


def _prefix_group(kind: str) -> str:
    return _GROUP_BY_PREFIX.get(kind.split(".", 1)[0], OTHER)


def kind_name(kind: str) -> str:
    """Return the plain-English name of ``kind``, or one made from its code."""
    known = _KINDS.get(kind)
    if known is not None:
        return str(known.name)
    words = kind.replace(".", " ").replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else str(_("Notification"))


def group_of(kind: str) -> KindGroup:
    """Return the group ``kind`` belongs to."""
    known = _KINDS.get(kind)
    return _GROUPS[known.group if known else _prefix_group(kind)]


def group_get(key: str) -> KindGroup | None:
    """Return the group named ``key``, or None."""
    return _GROUPS.get(key)
