"""From votes to an opinion map: the whole Polis pipeline in one call."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from civicflow.opinions.analysis.clustering import (
    MAX_GROUPS,
    MIN_GROUPS,
    SILHOUETTE_SAMPLE,
    choose_groups,
)
from civicflow.opinions.analysis.matrix import (
    MIN_VOTES,
    VoteTable,
    clusterable,
    moderated_out_mask,
    pass_moderated_out,
    vote_matrix,
)
from civicflow.opinions.analysis.projection import Projection, project
from civicflow.opinions.analysis.selection import (
    PICK_MAX,
    Consensus,
    DivisiveStatement,
    RepresentativeStatement,
    consensus_statements,
    divisive_statements,
    representative_statements,
)
from civicflow.opinions.analysis.statistics import (
    CONFIDENCE,
    GroupStatistics,
    group_aware_consensus,
    group_statistics,
)

#: Group of a participant who has not voted enough to be placed in one.
NO_GROUP = -1


@dataclass(frozen=True)
class NotEnoughVotes:
    """There are not yet enough votes to draw a map: an expected state, not an error."""

    message: str
    participants: int
    grouped_participants: int
    statements: int
    votes: int


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The result of the analysis.

    Participants are every one who has voted, in id order, each with a place on the map.
    Those who voted on enough statements are in a group (0 to k − 1); the rest have
    ``NO_GROUP``. Statements are every one with a vote, in id order.
    """

    k: int
    participant_ids: NDArray[np.int64]
    coordinates: NDArray[np.float64]
    groups: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    moderated_out: NDArray[np.bool_]
    silhouettes: dict[int, float]
    repness: dict[int, tuple[RepresentativeStatement, ...]]
    consensus: Consensus
    divisive: tuple[DivisiveStatement, ...]
    #: Group-aware consensus of each statement, agree and disagree, aligned with statement_ids.
    consensus_agree: NDArray[np.float64]
    consensus_disagree: NDArray[np.float64]
    projection: Projection = field(repr=False)
    statistics: GroupStatistics = field(repr=False)

    @property
    def membership(self) -> dict[int, int]:
        """Return the group of every grouped participant, by participant id."""
        grouped = self.groups != NO_GROUP
        return dict(
            zip(
                self.participant_ids[grouped].tolist(),
                self.groups[grouped].tolist(),
                strict=True,
            )
        )

    @property
    def group_sizes(self) -> list[int]:
        """Return how many participants each group has."""
        return np.bincount(self.groups[self.groups != NO_GROUP], minlength=self.k).tolist()

    def as_json(self) -> dict[str, Any]:
        """Return the summary the analysts' command prints: groups, repness and consensus."""
        return {
            "k": self.k,
            "membership": {str(pid): group for pid, group in self.membership.items()},
            "repness": {
                str(group): [s.statement_id for s in statements]
                for group, statements in self.repness.items()
            },
            "consensus": {
                "agree": [s.statement_id for s in self.consensus.agree],
                "disagree": [s.statement_id for s in self.consensus.disagree],
            },
        }


def analyse(
    votes: VoteTable,
    *,
    moderated_out: Collection[int] = (),
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
    min_votes: int = MIN_VOTES,
    pick_max: int = PICK_MAX,
    confidence: float = CONFIDENCE,
    silhouette_sample: int = SILHOUETTE_SAMPLE,
) -> OpinionMap | NotEnoughVotes:
    """Return the opinion map of the votes, or ``NotEnoughVotes`` when a map cannot be drawn.

    The steps follow Polis: the participant × statement matrix with moderated-out statements
    set to pass; unseen votes imputed by each statement's mean; two principal components with
    each participant's sparsity scaling; k-means for k = 2..``max_groups`` on the participants
    who voted on at least ``min(min_votes, statements)`` statements, keeping the k with the best
    silhouette; then each group's representative statements, the group-aware consensus and
    the statements that divide. The same votes and ``seed`` always give the same map.
    """
    if max_groups < MIN_GROUPS:
        raise ValueError(f"The most groups must be at least {MIN_GROUPS}.")
    if min_votes < 1:
        raise ValueError("The fewest votes for a participant to be grouped must be at least 1.")
    if pick_max < 1:
        raise ValueError("Pick at least 1 statement.")
    if not len(votes):
        return NotEnoughVotes(
            message="Not enough votes yet: nobody has voted.",
            participants=0,
            grouped_participants=0,
            statements=0,
            votes=0,
        )
    matrix = vote_matrix(votes)
    moderated = moderated_out_mask(matrix, moderated_out)
    grouped = clusterable(matrix.values, min_votes)
    n_participants, n_statements = matrix.shape

    def not_enough(message: str) -> NotEnoughVotes:
        return NotEnoughVotes(
            message=message,
            participants=n_participants,
            grouped_participants=int(grouped.sum()),
            statements=n_statements,
            votes=len(votes),
        )

    if int((~moderated).sum()) < 2:
        return not_enough(
            "Not enough votes yet: the map needs votes on at least 2 statements that have not "
            "been moderated out."
        )
    projection = project(pass_moderated_out(matrix, moderated))
    grouping = choose_groups(
        projection.coordinates[grouped],
        max_groups=max_groups,
        seed=seed,
        silhouette_sample_size=silhouette_sample,
    )
    if grouping is None:
        threshold = min(min_votes, n_statements)
        return not_enough(
            f"Not enough votes yet: the map needs at least 3 participants who have voted on at "
            f"least {threshold} statements, and not all the same way; "
            f"{int(grouped.sum())} have voted on that many."
        )
    statistics = group_statistics(matrix.values[grouped], grouping.labels, grouping.k)
    included = ~moderated
    groups = np.full(n_participants, NO_GROUP, dtype=np.int64)
    groups[grouped] = grouping.labels
    consensus_agree, consensus_disagree = group_aware_consensus(statistics)
    return OpinionMap(
        k=grouping.k,
        participant_ids=matrix.participant_ids,
        coordinates=projection.coordinates,
        groups=groups,
        statement_ids=matrix.statement_ids,
        moderated_out=moderated,
        silhouettes=grouping.silhouettes,
        repness=representative_statements(
            statistics, matrix.statement_ids, included, pick_max=pick_max, confidence=confidence
        ),
        consensus=consensus_statements(
            statistics, matrix.statement_ids, included, pick_max=pick_max, confidence=confidence
        ),
        divisive=divisive_statements(
            statistics, matrix.statement_ids, included, pick_max=pick_max, confidence=confidence
        ),
        consensus_agree=consensus_agree,
        consensus_disagree=consensus_disagree,
        projection=projection,
        statistics=statistics,
    )
