"""What the challenges app holds about a person, for their data download and for erasure
(ADR 0011): the challenges they follow. Following is private, so erasure deletes it."""

from __future__ import annotations

from typing import Any

from civicflow.challenges.models import Follow
from civicflow.core.personal_data import register_personal_data


def _follows(user: Any) -> list[dict[str, Any]]:
    return [
        {"challenge": title, "organisation": organisation, "followed_at": created_at.isoformat()}
        for title, organisation, created_at in Follow.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("challenge__title", "challenge__organisation__name", "created_at")
    ]


def _erase_follows(user: Any) -> None:
    Follow.objects.filter(user=user).delete()


def register() -> None:
    """Tell accounts what the challenges app holds about a person."""
    register_personal_data("challenge_follows", export=_follows, erase=_erase_follows)
