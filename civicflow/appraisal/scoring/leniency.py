"""Correct for lenient and harsh assessors by standardising each one's scores.

Each assessor's weighted scores are turned into z-scores over the submissions *they* scored:
(score − their mean) ÷ their standard deviation (the population deviation, dividing by the
number of their scores). A submission's standardised score is then the mean of its
assessors' z-scores, so an assessor who gives everyone 4 out of 4 and one who gives everyone
2 count alike: what matters is how each ranks the submissions they saw.

Two edge cases, by rule:

* an assessor who scored **one** submission, or gave **every** submission the same weighted
  score (zero variance), says nothing about how the submissions compare; each of their
  z-scores is 0, "average for this assessor", so they neither lift nor sink a submission;
* deviations from the mean are exact (``Fraction``); only the division by the square root
  of the variance is done in floating point. Adding the same number to all of one
  assessor's scores therefore leaves their z-scores exactly unchanged.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction


def standardise(
    scores: Mapping[int, Mapping[int, Fraction]],
) -> dict[int, dict[int, float]]:
    """Return each assessor's z-scores: ``{assessor: {submission: z}}``.

    ``scores`` maps each assessor to the weighted scores they gave, by submission.
    """
    standardised: dict[int, dict[int, float]] = {}
    for assessor, given in scores.items():
        if not given:
            standardised[assessor] = {}
            continue
        count = len(given)
        mean = sum(given.values(), Fraction(0)) / count
        variance = sum(((value - mean) ** 2 for value in given.values()), Fraction(0)) / count
        if count < 2 or variance == 0:
            standardised[assessor] = dict.fromkeys(given, 0.0)
            continue
        deviation = math.sqrt(variance)
        standardised[assessor] = {
            submission: float(value - mean) / deviation for submission, value in given.items()
        }
    return standardised
