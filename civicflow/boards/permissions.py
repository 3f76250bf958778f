"""Who may see a team's improvement board and do what on it.

Staff of an organisation see every board of their organisation. Members of a team raise cards
on its board and move their own. Board leads — team members made leads by the organisation's
innovation leads or administrators, and those innovation leads and administrators themselves
— approve quick wins, move any card, reopen adopted or dropped ones and record effects.

What a person may do on one board is worked out once per request (``selectors.board_access``)
and the predicates below read it, so a board of many cards costs no query per card.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from civicflow.accounts.models import Organisation, Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role, is_member
from civicflow.boards import workflow

MANAGERS = (Role.ADMIN, Role.INNOVATION_LEAD)


@dataclass(frozen=True)
class BoardAccess:
    """What one person may do on one team's board."""

    user_id: int | None
    can_view: bool
    in_team: bool
    is_lead: bool


def can_view_boards(user: Any, organisation: Organisation) -> bool:
    """Every member of an organisation sees all its boards and its roll-up of changes."""
    return is_instance_admin(user) or is_member(user, organisation)


def leads_every_board(user: Any, organisation: Organisation) -> bool:
    """Innovation leads and administrators act as the lead of every board in their organisation."""
    return is_instance_admin(user) or has_role(user, organisation, *MANAGERS)


def can_manage_board_leads(user: Any, organisation: Organisation) -> bool:
    """Innovation leads and administrators choose who leads each team's board."""
    return leads_every_board(user, organisation)


def can_view_board(access: BoardAccess) -> bool:
    """Members of the organisation see the board."""
    return access.can_view


def can_raise_card(access: BoardAccess) -> bool:
    """Members of the team and board leads raise cards."""
    return access.can_view and (access.in_team or access.is_lead)


def _raised_it(access: BoardAccess, card: Any) -> bool:
    return access.user_id is not None and card.raised_by_id == access.user_id


def can_edit_card(access: BoardAccess, card: Any) -> bool:
    """Leads edit any card; a team member edits the cards they raised."""
    return access.is_lead or (access.in_team and _raised_it(access, card))


def can_move_card(access: BoardAccess, card: Any) -> bool:
    """Leads move any card; a team member moves the cards they raised."""
    return can_edit_card(access, card)


def can_approve_card(access: BoardAccess) -> bool:
    """Board leads approve quick wins."""
    return access.is_lead


def can_record_effect(access: BoardAccess) -> bool:
    """Board leads record the effect of a change."""
    return access.is_lead


def move_choices(access: BoardAccess, card: Any) -> tuple[str, ...]:
    """Return the statuses this person may move ``card`` to now (none if they may not move it)."""
    if not can_move_card(access, card):
        return ()
    return workflow.moves_open_to(
        card.status,
        lead=access.is_lead,
        approved=card.approved_at is not None,
        has_effect=card.effect_before is not None,
    )
