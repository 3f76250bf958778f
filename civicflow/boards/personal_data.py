"""What the boards app holds about a person, for their data download and for erasure
(ADR 0011).

The cards a person raised stay on their team's board, shown as raised by a former
participant: the team's record of what it changed depends on them. Leading a board is a role,
so it ends with the account, as memberships do.
"""

from __future__ import annotations

from typing import Any

from civicflow.boards.models import BoardLead, Card
from civicflow.core.personal_data import register_personal_data


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _cards(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": card.pk,
            "organisation": card.organisation.name,
            "team": card.board.team.name,
            "title": card.title,
            "problem": card.problem,
            "change": card.change,
            "status": card.status,
            "created_at": _date(card.created_at),
            "adopted_at": _date(card.adopted_at),
        }
        for card in Card.objects.filter(raised_by=user)
        .select_related("organisation", "board__team")
        .order_by("created_at", "id")
    ]


def _leads(user: Any) -> list[dict[str, Any]]:
    return [
        {"organisation": organisation, "team": team, "since": _date(created_at)}
        for organisation, team, created_at in BoardLead.objects.filter(user=user)
        .order_by("created_at", "id")
        .values_list("board__organisation__name", "board__team__name", "created_at")
    ]


def _erase_leads(user: Any) -> None:
    BoardLead.objects.filter(user=user).delete()


def register() -> None:
    """Tell accounts what the boards app holds about a person."""
    register_personal_data("board_cards", export=_cards)
    register_personal_data("board_leads", export=_leads, erase=_erase_leads)
