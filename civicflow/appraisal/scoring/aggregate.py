"""Put each submission's raw and standardised scores side by side, flag disagreement, rank.

* **Raw mean**: the mean of the assessors' weighted scores, exact.
* **Standardised**: the mean of the assessors' z-scores (see ``leniency``).
* **Disagreement**: flagged when the *range* of the assessors' weighted scores (highest −
  lowest) is more than ``threshold`` × the width of the scale (``scale_max − scale_min``).
  The default threshold is a quarter: on a 0 to 4 scale, assessors more than a whole point
  apart. It needs two reviews or more; the comparison is exact.
* **Rank**: competition ranking (1, 2, 2, 4) by the standardised score (rounded to nine
  decimal places, so that rounding noise in floating point never splits a tie) or by the
  raw mean (exact). A submission nobody has scored yet is listed last, without a rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from civicflow.appraisal.scoring.leniency import standardise
from civicflow.appraisal.scoring.ranking import competition_rank
from civicflow.appraisal.scoring.sheets import Criterion, ScoreSheet, ScoringError, weighted_score

DEFAULT_DISAGREEMENT = Fraction(1, 4)
RANK_DECIMALS = 9


class RankBy(StrEnum):
    STANDARDISED = "standardised"
    RAW = "raw"


@dataclass(frozen=True)
class SubmissionResult:
    """One submission's aggregate: what the lead's ranking page and the exports show."""

    submission: int
    reviews: int
    raw_mean: Fraction | None
    standardised: float | None
    weighted: tuple[Fraction, ...]
    spread: Fraction | None
    disagreement: bool
    rank: int | None
    tied: bool


def disagrees(
    weighted: Sequence[Fraction], *, scale_width: int, threshold: Fraction = DEFAULT_DISAGREEMENT
) -> bool:
    """Whether the assessors' weighted scores span more than ``threshold`` of the scale."""
    if len(weighted) < 2:
        return False
    return max(weighted) - min(weighted) > threshold * scale_width


def aggregate(
    *,
    criteria: Sequence[Criterion],
    sheets: Iterable[ScoreSheet],
    submissions: Iterable[int] = (),
    rank_by: RankBy = RankBy.STANDARDISED,
    threshold: Fraction = DEFAULT_DISAGREEMENT,
) -> list[SubmissionResult]:
    """Return every submission's aggregate, best first, then those nobody has scored.

    ``submissions`` lists submissions to include even if no sheet scores them yet. Raise
    ``ScoringError`` for a sheet off the scale, or two sheets by one assessor for one
    submission.
    """
    if not criteria:
        raise ScoringError("There are no criteria to score against.")
    width = criteria[0].scale_max - criteria[0].scale_min
    by_assessor: dict[int, dict[int, Fraction]] = {}
    by_submission: dict[int, dict[int, Fraction]] = {s: {} for s in submissions}
    for sheet in sheets:
        given = by_assessor.setdefault(sheet.assessor, {})
        if sheet.submission in given:
            raise ScoringError(
                f"Assessor {sheet.assessor} scored submission {sheet.submission} twice."
            )
        score = weighted_score(sheet.scores, criteria)
        given[sheet.submission] = score
        by_submission.setdefault(sheet.submission, {})[sheet.assessor] = score
    z = standardise(by_assessor)
    raw: dict[int, Fraction] = {}
    standard: dict[int, float] = {}
    for submission, scores in by_submission.items():
        if scores:
            raw[submission] = sum(scores.values(), Fraction(0)) / len(scores)
            standard[submission] = sum(z[a][submission] for a in sorted(scores)) / len(scores)
    keys: dict[int, Fraction | float] = (
        dict(raw)
        if rank_by == RankBy.RAW
        else {s: round(v, RANK_DECIMALS) + 0.0 for s, v in standard.items()}
    )
    results: list[SubmissionResult] = []
    for ranked in competition_rank(keys):
        scores = by_submission[ranked.submission]
        weighted = tuple(scores[a] for a in sorted(scores))
        results.append(
            SubmissionResult(
                submission=ranked.submission,
                reviews=len(weighted),
                raw_mean=raw[ranked.submission],
                standardised=standard[ranked.submission],
                weighted=weighted,
                spread=max(weighted) - min(weighted),
                disagreement=disagrees(weighted, scale_width=width, threshold=threshold),
                rank=ranked.rank,
                tied=ranked.tied,
            )
        )
    for submission in sorted(s for s, scores in by_submission.items() if not scores):
        results.append(
            SubmissionResult(
                submission=submission,
                reviews=0,
                raw_mean=None,
                standardised=None,
                weighted=(),
                spread=None,
                disagreement=False,
                rank=None,
                tied=False,
            )
        )
    return results
