"""Competition ranking ("1224"): equal values share a rank, and the next rank skips."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Ranked:
    """A submission's place: ``rank`` 1 is best; ``tied`` when another shares the rank."""

    submission: int
    rank: int
    tied: bool


def competition_rank(values: Mapping[int, Fraction | float]) -> list[Ranked]:
    """Rank submissions by ``values``, highest first, ties sharing a rank (1, 2, 2, 4).

    Submissions with equal values are listed by their id, which decides nothing: they hold
    the same rank and are marked as tied.
    """
    order = sorted(values, key=lambda s: (-values[s], s))
    counts: dict[Fraction | float, int] = {}
    for submission in order:
        counts[values[submission]] = counts.get(values[submission], 0) + 1
    ranked: list[Ranked] = []
    rank = 0
    previous: Fraction | float | None = None
    for position, submission in enumerate(order, start=1):
        value = values[submission]
        if previous is None or value != previous:
            rank = position
            previous = value
        ranked.append(Ranked(submission=submission, rank=rank, tied=counts[value] > 1))
    return ranked
