"""One assessor's scores for one submission, and their weighted score.

A criteria set shares one scale (say 0 to 4) between its criteria; each criterion has a
whole-number weight. The weighted score is the weighted mean of the per-criterion scores,
kept as an exact ``Fraction`` so that equal scores compare equal and ties stay ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction


class ScoringError(ValueError):
    """A score sheet that cannot be scored: a score off the scale or a criterion missing."""


@dataclass(frozen=True)
class Criterion:
    """A criterion's key, its weight (a whole number of 1 or more) and the scale it uses."""

    key: str
    weight: int
    scale_min: int
    scale_max: int

    def __post_init__(self) -> None:
        if self.weight < 1:
            raise ScoringError(f"Criterion {self.key!r} needs a weight of 1 or more.")
        if self.scale_max <= self.scale_min:
            raise ScoringError(f"Criterion {self.key!r} needs a scale with two points or more.")


@dataclass(frozen=True)
class ScoreSheet:
    """What one assessor gave one submission: a score for each criterion, by key."""

    assessor: int
    submission: int
    scores: Mapping[str, int]


def check_scores(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> None:
    """Raise ``ScoringError`` unless every criterion has a whole score on its scale."""
    keys = {c.key for c in criteria}
    unknown = sorted(set(scores) - keys)
    if unknown:
        raise ScoringError(f"There is no criterion called {unknown[0]!r}.")
    for criterion in criteria:
        if criterion.key not in scores:
            raise ScoringError(f"Give a score for {criterion.key!r}.")
        value = scores[criterion.key]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ScoringError(f"The score for {criterion.key!r} must be a whole number.")
        if not criterion.scale_min <= value <= criterion.scale_max:
            raise ScoringError(
                f"The score for {criterion.key!r} must be from {criterion.scale_min} "
                f"to {criterion.scale_max}."
            )


def weighted_score(scores: Mapping[str, int], criteria: Sequence[Criterion]) -> Fraction:
    """Return the weighted mean of ``scores``: Σ weight × score ÷ Σ weight, exactly."""
    if not criteria:
        raise ScoringError("There are no criteria to score against.")
    check_scores(scores, criteria)
    total_weight = sum(c.weight for c in criteria)
    return Fraction(sum(c.weight * scores[c.key] for c in criteria), total_weight)
