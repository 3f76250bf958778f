"""Which statement to show a participant next, so that each vote teaches the map the most.

Polis shows statements in an order chosen to learn quickly: statements few people have
voted on come first (the map knows least about them); after that, statements that
separate the groups are more likely than ones everyone agrees on; and a statement added
since the last analysis, which the map has not measured yet, is treated as separating as much
as the most separating one, so that new statements get a fair chance to be seen.

Pure Python: no Django, no numpy.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

#: Statements with fewer votes than this are shown first, fewest first.
FEW_VOTES = 5
#: How much more likely a statement that fully separates the groups is than one that does not
#: separate them at all is, less one.
SEPARATION_WEIGHT = 4.0


@dataclass(frozen=True)
class Candidate:
    """A statement the participant has not voted on yet.

    ``votes`` is how many votes it has from everyone; ``separation`` how much it separated
    the groups in the last analysis (0 to 1), or None when it was not in it.
    """

    statement_id: int
    votes: int
    separation: float | None = None


def statement_weight(candidate: Candidate, *, newcomer_separation: float) -> float:
    """Return how likely ``candidate`` is to be chosen, relative to the others."""
    separation = candidate.separation
    if separation is None:
        separation = newcomer_separation
    return 1.0 + SEPARATION_WEIGHT * min(max(separation, 0.0), 1.0)


def choose_next(
    candidates: Sequence[Candidate], *, seed: int, few_votes: int = FEW_VOTES
) -> int | None:
    """Return the id of the statement to show next, or None when there are no candidates.

    Statements with fewer than ``few_votes`` votes come first, the fewest first, a tie
    broken at random. Otherwise each statement is drawn with a probability that grows with
    how much it separates the groups (``statement_weight``). The same candidates and ``seed``
    always give the same choice, so a page shows the same statement until the vote is cast.
    """
    if not candidates:
        return None
    rng = random.Random(seed)  # noqa: S311 - an order of statements, not a secret
    fewest = min(candidate.votes for candidate in candidates)
    if fewest < few_votes:
        tied = sorted(c.statement_id for c in candidates if c.votes == fewest)
        return rng.choice(tied)
    known = [c.separation for c in candidates if c.separation is not None]
    newcomer = max(known) if known else 1.0
    ordered = sorted(candidates, key=lambda c: c.statement_id)
    # Weighted sampling by keys u ** (1 / weight) (Efraimidis and Spirakis): the largest wins.
    keys = [
        rng.random() ** (1.0 / statement_weight(c, newcomer_separation=newcomer)) for c in ordered
    ]
    best = max(range(len(ordered)), key=keys.__getitem__)
    return ordered[best].statement_id
