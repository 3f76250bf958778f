"""Reads of ideas, limited to what the requesting person may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role, user_roles
from civicflow.challenges.models import Challenge, Phase
from civicflow.challenges.permissions import MANAGERS
from civicflow.challenges.selectors import visible_challenges
from civicflow.ideas import theme_filter
from civicflow.ideas.models import (
    BENEFIT_FIELDS,
    Benefit,
    CoAuthor,
    CoAuthorStatus,
    Idea,
    IdeaStatus,
    IdeaVersion,
    InnovationType,
    Merge,
    Scale,
    Support,
)

_ACCEPTED_CACHE = "_accepted_coauthor_ids"

SORTS = {
    "newest": ("-created_at", "-pk"),
    "supported": ("-supporters_count", "-created_at", "-pk"),
}


@dataclass(frozen=True)
class IdeaFilters:
    """The filters and order of an idea list; empty values mean 'any'."""

    innovation_type: str = ""
    scale: str = ""
    benefit: str = ""
    status: str = ""
    sort: str = "newest"
    theme: str = ""  # a theme's id, checked against the challenge (see ideas/theme_filter.py)


def accepted_coauthor_ids(idea: Idea) -> frozenset[int]:
    """Return the ids of the co-authors who accepted (one query, then cached on ``idea``)."""
    cached = getattr(idea, _ACCEPTED_CACHE, None)
    if cached is None:
        cached = frozenset(
            CoAuthor.objects.filter(idea=idea, status=CoAuthorStatus.ACCEPTED).values_list(
                "user_id", flat=True
            )
        )
        setattr(idea, _ACCEPTED_CACHE, cached)
    return cached


def forget_coauthors(idea: Idea) -> None:
    """Drop the co-authors cached on ``idea`` after they change."""
    if hasattr(idea, _ACCEPTED_CACHE):
        delattr(idea, _ACCEPTED_CACHE)


def author_ids(idea: Idea) -> set[int]:
    """Return the ids of everyone who writes ``idea``: its author and accepted co-authors."""
    return {idea.author_id, *accepted_coauthor_ids(idea)}


def supporter_ids(idea: Idea) -> list[int]:
    """Return the ids of the people who support ``idea``."""
    return list(Support.objects.filter(idea=idea).values_list("user_id", flat=True))


def _hidden_visible_to(user: Any, organisation: Any) -> Q:
    """Return the condition for the ideas ``user`` sees, given hidden ones are for a few."""
    if is_instance_admin(user) or has_role(user, organisation, *MANAGERS):
        return Q()
    if not getattr(user, "is_authenticated", False):
        return Q(hidden_at__isnull=True)
    writes = CoAuthor.objects.filter(idea=OuterRef("pk"), user=user, status=CoAuthorStatus.ACCEPTED)
    return Q(hidden_at__isnull=True) | Q(author=user) | Q(Exists(writes))


def idea_list(
    *, user: Any, challenge: Challenge, filters: IdeaFilters | None = None
) -> QuerySet[Idea]:
    """Return the ideas of ``challenge`` that ``user`` may see and that match ``filters``.

    Merged ideas are left out unless asked for by status: their supports live on elsewhere.
    The caller has already checked that ``user`` may see the challenge.
    """
    filters = filters or IdeaFilters()
    queryset = (
        Idea.objects.filter(challenge=challenge)
        .filter(_hidden_visible_to(user, challenge.organisation))
        .select_related("author", "merged_into")
        # A list shows summaries: the long texts stay in the database.
        .defer("description", "affected", "feedback", "hidden_reason")
    )
    if filters.innovation_type:
        queryset = queryset.filter(innovation_type=filters.innovation_type)
    if filters.scale:
        queryset = queryset.filter(scale=filters.scale)
    if filters.benefit in BENEFIT_FIELDS:
        queryset = queryset.filter(**{BENEFIT_FIELDS[filters.benefit]: True})
    if filters.theme:
        queryset = theme_filter.restrict(queryset, filters.theme)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    else:
        queryset = queryset.exclude(status=IdeaStatus.MERGED)
    return queryset.order_by(*SORTS.get(filters.sort, SORTS["newest"]))


def visible_ideas(user: Any) -> QuerySet[Idea]:
    """Return every idea ``user`` may see, in any challenge, leaving merged ones out."""
    queryset = Idea.objects.filter(challenge__in=visible_challenges(user).values("pk")).exclude(
        status=IdeaStatus.MERGED
    )
    if is_instance_admin(user):
        return queryset
    moderates = [org for org, roles in user_roles(user).items() if roles & set(MANAGERS)]
    shown = Q(organisation_id__in=moderates) | Q(hidden_at__isnull=True)
    if getattr(user, "is_authenticated", False):
        writes = CoAuthor.objects.filter(
            idea=OuterRef("pk"), user=user, status=CoAuthorStatus.ACCEPTED
        )
        shown |= Q(author=user) | Q(Exists(writes))
    return queryset.filter(shown)


def idea_get(*, user: Any, pk: int) -> Idea | None:
    """Return idea ``pk`` with its challenge, or None if it does not exist or is not visible."""
    # The predicate reads co-authors through this module, so it is imported when needed.
    from civicflow.ideas.permissions import can_view_idea

    idea = (
        Idea.objects.select_related(
            "organisation",
            "challenge__organisation",
            "author",
            "merged_into",
            "feedback_by",
        )
        .prefetch_related(
            Prefetch("challenge__phases", queryset=Phase.objects.order_by("starts_at"))
        )
        .filter(pk=pk)
        .first()
    )
    if idea is None or not can_view_idea(user, idea):
        return None
    return idea


def idea_coauthors(*, idea: Idea, include_open: bool = False) -> list[CoAuthor]:
    """Return the idea's accepted co-authors; with ``include_open``, pending invitations too."""
    statuses = [CoAuthorStatus.ACCEPTED]
    if include_open:
        statuses.append(CoAuthorStatus.INVITED)
    rows = list(
        CoAuthor.objects.filter(idea=idea, status__in=statuses)
        .select_related("user")
        .order_by("created_at", "pk")
    )
    if not include_open:  # the permission checks that follow need not ask again
        setattr(idea, _ACCEPTED_CACHE, frozenset(row.user_id for row in rows))
    return rows


def coauthor_invitation(*, user: Any, idea: Idea) -> CoAuthor | None:
    """Return the open invitation ``user`` has to write ``idea``, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CoAuthor.objects.filter(idea=idea, user=user, status=CoAuthorStatus.INVITED)
        .select_related("invited_by")
        .first()
    )


def coauthor_get(*, idea: Idea, user_id: int) -> CoAuthor | None:
    """Return the co-author row of ``user_id`` on ``idea``, or None."""
    return CoAuthor.objects.filter(idea=idea, user_id=user_id).select_related("user").first()


def supports_idea(*, user: Any, idea: Idea) -> bool:
    """Return whether ``user`` supports ``idea``."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Support.objects.filter(idea=idea, user=user).exists()


def supported_among(*, user: Any, ideas: list[Idea]) -> set[int]:
    """Return the ids of those of ``ideas`` that ``user`` supports (one query)."""
    return supported_ids(user=user, idea_ids=[idea.pk for idea in ideas])


def supported_ids(*, user: Any, idea_ids: list[int]) -> set[int]:
    """Return those of ``idea_ids`` that ``user`` supports (one query, none if not needed)."""
    if not getattr(user, "is_authenticated", False) or not idea_ids:
        return set()
    return set(
        Support.objects.filter(user=user, idea_id__in=idea_ids).values_list("idea_id", flat=True)
    )


def idea_list_scope(*, user: Any, challenge: Challenge) -> str | None:
    """Return which shared rendering of ``challenge``'s idea list ``user`` sees.

    ``"all"`` for moderators, who see hidden ideas too; ``"public"`` for everyone who sees only
    the ideas that are not hidden; ``None`` for an author or co-author of a hidden idea in the
    challenge, whose list is their own.
    """
    if is_instance_admin(user) or has_role(user, challenge.organisation, *MANAGERS):
        return "all"
    if not getattr(user, "is_authenticated", False):
        return "public"
    writes = CoAuthor.objects.filter(idea=OuterRef("pk"), user=user, status=CoAuthorStatus.ACCEPTED)
    own_hidden = (
        Idea.objects.filter(challenge=challenge, hidden_at__isnull=False)
        .filter(Q(author=user) | Q(Exists(writes)))
        .exists()
    )
    return None if own_hidden else "public"


def idea_versions(*, idea: Idea) -> QuerySet[IdeaVersion]:
    """Return the versions of ``idea``, newest first, with who made each."""
    return IdeaVersion.objects.filter(idea=idea).select_related("edited_by").order_by("-number")


FIELD_LABELS = {
    "title": _("Title"),
    "summary": _("Summary"),
    "description": _("Description"),
    "innovation_type": _("Type of innovation"),
    "scale": _("Scale"),
    "benefits": _("Expected benefits"),
    "affected": _("Who it would affect"),
}
_CHOICES: dict[str, Any] = {"innovation_type": InnovationType, "scale": Scale}


def _shown(field: str, value: Any) -> str:
    """Return a stored value of ``field`` as a person reads it."""
    if field in _CHOICES and value in _CHOICES[field].values:
        return str(_CHOICES[field](value).label)
    if field == "benefits":
        return ", ".join(
            str(Benefit(item).label) if item in Benefit.values else str(item)
            for item in value or []
        )
    return "" if value is None else str(value)


@dataclass(frozen=True)
class VersionChange:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class VersionRow:
    """One version of an idea as its history page shows it."""

    number: int
    edited_by: Any
    created_at: datetime
    changes: list[VersionChange]


def describe_versions(versions: list[IdeaVersion]) -> list[VersionRow]:
    """Return ``versions`` with each change named and its values in words."""
    return [
        VersionRow(
            number=version.number,
            edited_by=version.edited_by,
            created_at=version.created_at,
            changes=[
                VersionChange(
                    label=str(FIELD_LABELS.get(change["field"], change["field"])),
                    before=_shown(change["field"], change.get("before")),
                    after=_shown(change["field"], change.get("after")),
                )
                for change in version.changes
            ],
        )
        for version in versions
    ]


def merges_into(*, idea: Idea) -> list[Merge]:
    """Return the merges still in force that brought other ideas into ``idea``."""
    return list(
        Merge.objects.filter(target=idea, undone_at__isnull=True)
        .select_related("source", "merged_by")
        .order_by("created_at", "pk")
    )


def active_merge(*, source: Idea) -> Merge | None:
    """Return the merge in force that took ``source`` into another idea, or None."""
    return (
        Merge.objects.filter(source=source, undone_at__isnull=True).select_related("target").first()
    )


def merge_candidates(*, idea: Idea) -> QuerySet[Idea]:
    """Return the ideas ``idea`` could be merged into: open ideas of the same challenge."""
    return (
        Idea.objects.filter(challenge_id=idea.challenge_id)
        .exclude(pk=idea.pk)
        .exclude(status__in=[IdeaStatus.MERGED, IdeaStatus.WITHDRAWN])
        .order_by("title", "pk")
    )


def ideas_posted_since(*, user: Any, since: datetime) -> int:
    """Return how many ideas ``user`` has put forward since ``since``."""
    return Idea.objects.filter(author=user, created_at__gte=since).count()


def ideas_of_user(*, user: Any) -> QuerySet[Idea]:
    """Return the ideas ``user`` wrote or co-writes, newest first."""
    writes = CoAuthor.objects.filter(idea=OuterRef("pk"), user=user, status=CoAuthorStatus.ACCEPTED)
    return (
        Idea.objects.filter(Q(author=user) | Q(Exists(writes)))
        .select_related("challenge__organisation")
        .order_by("-created_at", "-pk")
    )
