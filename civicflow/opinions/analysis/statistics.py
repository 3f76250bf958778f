"""Each group's votes on each statement, with the Polis smoothed proportions and z-tests."""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
from numpy.typing import NDArray

from civicflow.opinions.analysis.matrix import AGREE, DISAGREE

#: One-sided confidence for a statement to count as significant, as in Polis.
CONFIDENCE = 0.9

Counts = NDArray[np.int64]
Floats = NDArray[np.float64]


def critical_z(confidence: float = CONFIDENCE) -> float:
    """Return the one-sided z above which a test is significant at ``confidence``."""
    if not 0.5 <= confidence < 1:
        raise ValueError("The confidence must be at least 0.5 and less than 1.")
    return NormalDist().inv_cdf(confidence)


def smoothed_proportion(successes: Counts, trials: Counts) -> Floats:
    """Return (successes + 1) / (trials + 2): a proportion that is never 0 or 1."""
    return (successes + 1) / (trials + 2)


def one_proportion_z(successes: Counts, trials: Counts) -> Floats:
    """Return Polis's z-statistic that a proportion is above one half (with +1 smoothing)."""
    return 2 * np.sqrt(trials + 1) * ((successes + 1) / (trials + 1) - 0.5)


def two_proportion_z(
    successes_in: Counts, successes_out: Counts, trials_in: Counts, trials_out: Counts
) -> Floats:
    """Return Polis's z-statistic that a group's proportion is above everyone else's.

    Every count is smoothed by +1; where the pooled proportion is 1 the statistic is 0.
    """
    s_in = successes_in + 1
    s_out = successes_out + 1
    n_in = trials_in + 1
    n_out = trials_out + 1
    pooled = (s_in + s_out) / (n_in + n_out)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n_in + 1 / n_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (s_in / n_in - s_out / n_out) / spread
    return np.where(pooled == 1, 0.0, z)


@dataclass(frozen=True, eq=False)
class GroupStatistics:
    """Counts, proportions and tests: one row for each group, one column for each statement.

    ``*_z`` are the z-statistics: ``p_*_z`` that the group's proportion is above one half,
    ``r_*_z`` that it is above the proportion among everyone outside the group. ``r_*`` is the
    representativeness, the group's smoothed proportion over the rest's.
    """

    agrees: Counts
    disagrees: Counts
    seen: Counts
    p_agree: Floats
    p_disagree: Floats
    p_agree_z: Floats
    p_disagree_z: Floats
    r_agree: Floats
    r_disagree: Floats
    r_agree_z: Floats
    r_disagree_z: Floats

    @property
    def k(self) -> int:
        """Return the number of groups."""
        return int(self.seen.shape[0])


def _count_by_group(mask: NDArray[np.bool_], labels: NDArray[np.int64], k: int) -> Counts:
    return np.stack([np.count_nonzero(mask[labels == group], axis=0) for group in range(k)])


def group_statistics(
    values: NDArray[np.float64], labels: NDArray[np.int64], k: int
) -> GroupStatistics:
    """Return the statistics of each group's raw votes (NaN where unseen) on each statement."""
    agrees = _count_by_group(values == AGREE, labels, k)
    disagrees = _count_by_group(values == DISAGREE, labels, k)
    seen = _count_by_group(~np.isnan(values), labels, k)
    agrees_out = agrees.sum(axis=0) - agrees
    disagrees_out = disagrees.sum(axis=0) - disagrees
    seen_out = seen.sum(axis=0) - seen
    p_agree = smoothed_proportion(agrees, seen)
    p_disagree = smoothed_proportion(disagrees, seen)
    return GroupStatistics(
        agrees=agrees,
        disagrees=disagrees,
        seen=seen,
        p_agree=p_agree,
        p_disagree=p_disagree,
        p_agree_z=one_proportion_z(agrees, seen),
        p_disagree_z=one_proportion_z(disagrees, seen),
        r_agree=p_agree / smoothed_proportion(agrees_out, seen_out),
        r_disagree=p_disagree / smoothed_proportion(disagrees_out, seen_out),
        r_agree_z=two_proportion_z(agrees, agrees_out, seen, seen_out),
        r_disagree_z=two_proportion_z(disagrees, disagrees_out, seen, seen_out),
    )


def group_aware_consensus(statistics: GroupStatistics) -> tuple[Floats, Floats]:
    """Return, for each statement, the product over groups of the smoothed agree proportion,
    and the same for disagree.

    A statement scores high only when every group leans the same way, however small the group.
    """
    return statistics.p_agree.prod(axis=0), statistics.p_disagree.prod(axis=0)
