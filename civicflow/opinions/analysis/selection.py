"""Which statements to show: each group's representative statements, the statements that
unite every group, and the statements that divide them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from civicflow.opinions.analysis.statistics import (
    CONFIDENCE,
    GroupStatistics,
    critical_z,
    group_aware_consensus,
)

#: How many statements to pick for each group, and for each side of the consensus.
PICK_MAX = 5

Direction = Literal["agree", "disagree"]


@dataclass(frozen=True)
class RepresentativeStatement:
    """A statement on which a group votes differently from everyone else.

    ``successes`` of the group's ``trials`` votes went the ``direction`` way; ``probability``
    is that share smoothed, ``repness`` the ratio of it to the same share among everyone else,
    with their z-statistics. ``best_agree`` marks the statement the group agrees on most.
    """

    statement_id: int
    direction: Direction
    successes: int
    trials: int
    probability: float
    probability_z: float
    repness: float
    repness_z: float
    best_agree: bool = False


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement that most of every group agrees with (or disagrees with).

    ``consensus`` is the product over groups of the smoothed share voting ``direction``;
    ``group_probabilities`` holds each group's share.
    """

    statement_id: int
    direction: Direction
    consensus: float
    group_probabilities: tuple[float, ...]


@dataclass(frozen=True)
class Consensus:
    """The statements that unite the groups, in agreement and in disagreement."""

    agree: tuple[ConsensusStatement, ...] = ()
    disagree: tuple[ConsensusStatement, ...] = ()


@dataclass(frozen=True)
class DivisiveStatement:
    """A statement that some groups agree with and others disagree with.

    ``spread`` is the largest difference between two groups' (agree − disagree) shares, from
    0 to 2.
    """

    statement_id: int
    spread: float
    agreeing_groups: tuple[int, ...]
    disagreeing_groups: tuple[int, ...]


def _representative(
    statistics: GroupStatistics,
    statement_ids: NDArray[np.int64],
    group: int,
    column: int,
    *,
    best_agree: bool = False,
) -> RepresentativeStatement:
    """Return the statement's figures on the side where the group stands out more.

    The group's best-agreed statement is always given on the agree side (Polis picks the
    side by the repness tests alone, which can report it as "0 of 6 disagree").
    """
    agree = best_agree or bool(
        statistics.r_agree_z[group, column] > statistics.r_disagree_z[group, column]
    )
    if agree:
        successes, probability = statistics.agrees, statistics.p_agree
        probability_z, repness, repness_z = (
            statistics.p_agree_z,
            statistics.r_agree,
            statistics.r_agree_z,
        )
    else:
        successes, probability = statistics.disagrees, statistics.p_disagree
        probability_z, repness, repness_z = (
            statistics.p_disagree_z,
            statistics.r_disagree,
            statistics.r_disagree_z,
        )
    return RepresentativeStatement(
        statement_id=int(statement_ids[column]),
        direction="agree" if agree else "disagree",
        successes=int(successes[group, column]),
        trials=int(statistics.seen[group, column]),
        probability=float(probability[group, column]),
        probability_z=float(probability_z[group, column]),
        repness=float(repness[group, column]),
        repness_z=float(repness_z[group, column]),
        best_agree=best_agree,
    )


def _best_agree(
    statistics: GroupStatistics, group: int, columns: NDArray[np.int64], z: float
) -> int | None:
    """Return the column the group agrees with most, by Polis's running comparison.

    A candidate must have votes and be significant, or agreed by most of the group and more
    than by the rest. While the best so far is more agreed in the group than outside it,
    candidates compete on ra·rat·pa·pat, otherwise on pa·pat.
    """
    ra = statistics.r_agree[group].tolist()
    rat = statistics.r_agree_z[group].tolist()
    pa = statistics.p_agree[group].tolist()
    pat = statistics.p_agree_z[group].tolist()
    voted = ((statistics.agrees[group] + statistics.disagrees[group]) > 0).tolist()
    best: int | None = None
    for column in columns.tolist():
        if not voted[column]:
            continue
        if best is None:
            if pat[column] > z or (ra[column] > 1.0 and pa[column] > 0.5):
                best = column
        elif ra[best] > 1.0:
            if ra[column] * rat[column] * pa[column] * pat[column] > (
                ra[best] * rat[best] * pa[best] * pat[best]
            ):
                best = column
        elif pa[column] * pat[column] > pa[best] * pat[best]:
            best = column
    return best


def representative_statements(
    statistics: GroupStatistics,
    statement_ids: NDArray[np.int64],
    included: NDArray[np.bool_],
    *,
    pick_max: int = PICK_MAX,
    confidence: float = CONFIDENCE,
) -> dict[int, tuple[RepresentativeStatement, ...]]:
    """Return up to ``pick_max`` representative statements for each group, agrees first.

    A statement is representative when the group both mostly votes one way on it and votes
    that way more than everyone else, each significant at ``confidence``; they are ordered by
    repness × its z × probability × its z. The group's best-agreed statement comes first.
    When nothing is significant, the statement with the strongest repness test stands in.
    ``included`` leaves out moderated-out statements.
    """
    z = critical_z(confidence)
    columns = np.flatnonzero(included)
    selections: dict[int, tuple[RepresentativeStatement, ...]] = {}
    for group in range(statistics.k):
        significant = (
            (statistics.p_agree_z[group] > z) & (statistics.r_agree_z[group] > z)
            | (statistics.p_disagree_z[group] > z) & (statistics.r_disagree_z[group] > z)
        ) & included
        sufficient = [
            _representative(statistics, statement_ids, group, column)
            for column in np.flatnonzero(significant).tolist()
        ]
        sufficient.sort(
            key=lambda s: s.repness * s.repness_z * s.probability * s.probability_z,
            reverse=True,
        )
        best_agree = _best_agree(statistics, group, columns, z)
        head: list[RepresentativeStatement] = []
        if best_agree is not None:
            head = [_representative(statistics, statement_ids, group, best_agree, best_agree=True)]
        elif not sufficient and len(columns):
            strongest = np.maximum(statistics.r_agree_z[group], statistics.r_disagree_z[group])
            head = [
                _representative(
                    statistics, statement_ids, group, int(columns[np.argmax(strongest[columns])])
                )
            ]
        head_ids = {statement.statement_id for statement in head}
        chosen = head + [s for s in sufficient if s.statement_id not in head_ids]
        chosen = chosen[:pick_max]
        chosen.sort(key=lambda s: s.direction != "agree")
        selections[group] = tuple(chosen)
    return selections


def consensus_statements(
    statistics: GroupStatistics,
    statement_ids: NDArray[np.int64],
    included: NDArray[np.bool_],
    *,
    pick_max: int = PICK_MAX,
    confidence: float = CONFIDENCE,
) -> Consensus:
    """Return the statements that unite the groups, ranked by group-aware consensus.

    A statement unites in agreement when, in every group, more than half agree (smoothed)
    and that majority is significant at ``confidence``; the same for disagreement.
    """
    z = critical_z(confidence)
    agree_score, disagree_score = group_aware_consensus(statistics)

    def pick(
        probability: NDArray[np.float64],
        probability_z: NDArray[np.float64],
        score: NDArray[np.float64],
        direction: Direction,
    ) -> tuple[ConsensusStatement, ...]:
        united = included & ((probability > 0.5) & (probability_z > z)).all(axis=0)
        columns = np.flatnonzero(united)
        columns = columns[np.argsort(-score[columns], kind="stable")][:pick_max]
        return tuple(
            ConsensusStatement(
                statement_id=int(statement_ids[column]),
                direction=direction,
                consensus=float(score[column]),
                group_probabilities=tuple(float(p) for p in probability[:, column]),
            )
            for column in columns
        )

    return Consensus(
        agree=pick(statistics.p_agree, statistics.p_agree_z, agree_score, "agree"),
        disagree=pick(statistics.p_disagree, statistics.p_disagree_z, disagree_score, "disagree"),
    )


def divisive_statements(
    statistics: GroupStatistics,
    statement_ids: NDArray[np.int64],
    included: NDArray[np.bool_],
    *,
    pick_max: int = PICK_MAX,
    confidence: float = CONFIDENCE,
) -> tuple[DivisiveStatement, ...]:
    """Return the statements that divide the groups, the widest spread first.

    A statement divides when a significant majority of one group agrees with it and a
    significant majority of another group disagrees.
    """
    z = critical_z(confidence)
    agreeing = (statistics.p_agree > 0.5) & (statistics.p_agree_z > z)
    disagreeing = (statistics.p_disagree > 0.5) & (statistics.p_disagree_z > z)
    lean = statistics.p_agree - statistics.p_disagree
    spread = lean.max(axis=0) - lean.min(axis=0)
    divided = included & agreeing.any(axis=0) & disagreeing.any(axis=0)
    columns = np.flatnonzero(divided)
    columns = columns[np.argsort(-spread[columns], kind="stable")][:pick_max]
    return tuple(
        DivisiveStatement(
            statement_id=int(statement_ids[column]),
            spread=float(spread[column]),
            agreeing_groups=tuple(int(g) for g in np.flatnonzero(agreeing[:, column])),
            disagreeing_groups=tuple(int(g) for g in np.flatnonzero(disagreeing[:, column])),
        )
        for column in columns
    )
