"""Comments on improvement cards: the rules the discussion app follows for them."""

from __future__ import annotations

from typing import Any

from civicflow.boards import selectors
from civicflow.boards.models import BoardLead, Card
from civicflow.discussion.registry import Commentable, register_commentable


def _can_view(user: Any, card: Card) -> bool:
    return selectors.board_access(user=user, team=card.board.team).can_view


def _can_comment(user: Any, card: Card) -> bool:
    return bool(getattr(user, "is_active", False)) and _can_view(user, card)


def _participants(card: Card) -> list[int]:
    """Whoever raised the card and the board's named leads hear of new comments."""
    leads = list(BoardLead.objects.filter(board_id=card.board_id).values_list("user_id", flat=True))
    return [card.raised_by_id, *leads] if card.raised_by_id else leads


def register() -> None:
    """Let members of the organisation comment on its improvement cards."""
    register_commentable(
        Commentable(
            model=Card,
            organisation=lambda card: card.organisation,
            can_view=_can_view,
            can_comment=_can_comment,
            url=lambda card: card.get_absolute_url(),
            participants=_participants,
            authors=lambda card: [card.raised_by_id] if card.raised_by_id else [],
        )
    )
