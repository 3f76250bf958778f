"""The arithmetic of appraisal: pure Python, no Django, exact where it can be.

``sheets`` turns one assessor's per-criterion scores into a weighted score; ``leniency``
standardises each assessor's scores so a generous and a harsh judge count alike;
``aggregate`` puts the two side by side per submission with a disagreement flag and a
ranking (``ranking``: ties shown as ties); ``allocation`` shares submissions between
assessors fairly. The pages, the API, the exports and the demo all share this package.
"""

from civicflow.appraisal.scoring.aggregate import (
    DEFAULT_DISAGREEMENT,
    RankBy,
    SubmissionResult,
    aggregate,
    disagrees,
)
from civicflow.appraisal.scoring.allocation import AllocationError, allocate
from civicflow.appraisal.scoring.leniency import standardise
from civicflow.appraisal.scoring.ranking import Ranked, competition_rank
from civicflow.appraisal.scoring.sheets import Criterion, ScoreSheet, ScoringError, weighted_score

__all__ = [
    "DEFAULT_DISAGREEMENT",
    "AllocationError",
    "Criterion",
    "RankBy",
    "Ranked",
    "ScoreSheet",
    "ScoringError",
    "SubmissionResult",
    "aggregate",
    "allocate",
    "competition_rank",
    "disagrees",
    "standardise",
    "weighted_score",
]
