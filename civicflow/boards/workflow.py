"""How a card moves across the board: New → Trying → Adopted or Dropped.

Plain data in, plain data out: no Django and no database. Statuses are the values of
``civicflow.boards.models.Status``.
"""

from __future__ import annotations

NEW = "new"
TRYING = "trying"
ADOPTED = "adopted"
DROPPED = "dropped"
STATUSES = (NEW, TRYING, ADOPTED, DROPPED)

# Where a card may go from each column. A new idea can be dropped without being tried; an
# adopted or dropped change can be taken back into Trying (a lead's decision, recorded).
MOVES: dict[str, tuple[str, ...]] = {
    NEW: (TRYING, DROPPED),
    TRYING: (ADOPTED, DROPPED),
    ADOPTED: (TRYING,),
    DROPPED: (TRYING,),
}


def is_move(current: str, wanted: str) -> bool:
    """Return whether a card may go from ``current`` to ``wanted`` at all."""
    return wanted in MOVES.get(current, ())


def is_reopening(current: str, wanted: str) -> bool:
    """Return whether the move takes an adopted or dropped change back into Trying."""
    return current in (ADOPTED, DROPPED) and wanted == TRYING


def can_be_approved(status: str, *, approved: bool) -> bool:
    """Return whether a card is waiting for a lead's approval: new or being tried, unapproved."""
    return status in (NEW, TRYING) and not approved


def can_take_effect(status: str) -> bool:
    """Return whether the effect of a card's change may be recorded: once it has been tried."""
    return status in (TRYING, ADOPTED, DROPPED)


def moves_open_to(status: str, *, lead: bool, approved: bool, has_effect: bool) -> tuple[str, ...]:
    """Return where a person may move a card in ``status`` now.

    A lead may make every move: adopting a change whose effect is not yet recorded takes them
    to the effect form first. Whoever raised a card (and is in the team) may try it once a
    lead has approved it as a quick win, adopt it once its effect is recorded, and drop it;
    only a lead reopens.
    """
    moves = MOVES.get(status, ())
    if lead:
        return moves
    return tuple(
        wanted
        for wanted in moves
        if not is_reopening(status, wanted)
        and not (status == NEW and wanted == TRYING and not approved)
        and not (wanted == ADOPTED and not has_effect)
    )
