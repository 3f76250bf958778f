"""What the ideas app holds about a person, for their data download and for erasure (ADR 0011).

Ideas a person wrote stay when they close their account, shown as by a former participant.
Their supports go (a support is their opinion, and each idea's count drops by one), and so do
invitations to co-write that they never accepted.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from civicflow.core.personal_data import register_personal_data
from civicflow.ideas import listing
from civicflow.ideas.models import CoAuthor, CoAuthorStatus, Idea, Support
from civicflow.ideas.services import supports_withdraw_all


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _written(user: Any) -> Any:
    """Return the ideas ``user`` wrote or co-wrote."""
    co_written = CoAuthor.objects.filter(user=user, status=CoAuthorStatus.ACCEPTED).values(
        "idea_id"
    )
    return Idea.objects.filter(Q(author=user) | Q(pk__in=co_written))


def _ideas(user: Any) -> list[dict[str, Any]]:
    ideas = _written(user).order_by("created_at", "id")
    return [
        {
            "id": idea.pk,
            "title": idea.title,
            "role": "author" if idea.author_id == user.pk else "co-author",
            "status": idea.status,
            "created_at": _date(idea.created_at),
            "updated_at": _date(idea.updated_at),
            "withdrawn_at": _date(idea.withdrawn_at),
        }
        for idea in ideas
    ]


def _forget_author_names(user: Any) -> None:
    """The ideas stay; make their challenges' cached lists show the author's new name."""
    listing.changed(*_written(user).values_list("challenge_id", flat=True).distinct())


def _invitations(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "idea_id": idea_id,
            "idea": title,
            "status": status,
            "invited_at": _date(invited_at),
            "responded_at": _date(responded_at),
        }
        for idea_id, title, status, invited_at, responded_at in CoAuthor.objects.filter(user=user)
        .exclude(status=CoAuthorStatus.ACCEPTED)
        .order_by("created_at", "id")
        .values_list("idea_id", "idea__title", "status", "created_at", "responded_at")
    ]


def _erase_invitations(user: Any) -> None:
    CoAuthor.objects.filter(user=user).exclude(status=CoAuthorStatus.ACCEPTED).delete()


def _supports(user: Any) -> list[dict[str, Any]]:
    return [
        {"idea_id": idea_id, "idea": title, "supported_at": _date(created_at)}
        for idea_id, title, created_at in Support.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("idea_id", "idea__title", "created_at")
    ]


def _erase_supports(user: Any) -> None:
    supports_withdraw_all(user=user, reason="The supporter closed their account.")


def register() -> None:
    """Tell accounts what the ideas app holds about a person."""
    register_personal_data("ideas", export=_ideas, erase=_forget_author_names)
    register_personal_data(
        "idea_coauthor_invitations", export=_invitations, erase=_erase_invitations
    )
    register_personal_data("idea_supports", export=_supports, erase=_erase_supports)
