"""Simulated conversations with real structure, for tests, benchmarks and demo data."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from civicflow.opinions.analysis.matrix import VoteTable

#: Chance that a participant votes the way their opinion group leans on a statement, passes,
#: or goes against the lean.
WITH_GROUP, PASSES, AGAINST_GROUP = 0.75, 0.1, 0.15


@dataclass(frozen=True, eq=False)
class SimulatedConversation:
    """Votes from participants drawn from latent opinion groups, and who was in which."""

    votes: VoteTable
    #: The latent group of each participant, indexed by participant id.
    groups: NDArray[np.int64]
    #: Each group's lean on each statement: +1 agree, −1 disagree.
    leans: NDArray[np.int64]


def simulate_conversation(
    *,
    participants: int,
    statements: int,
    groups: int = 3,
    min_seen: float = 0.1,
    max_seen: float = 0.4,
    shared: float = 0.2,
    seed: int = 0,
) -> SimulatedConversation:
    """Return the votes of ``participants`` people split into ``groups`` opinion groups.

    Each group leans agree or disagree on each statement; a share ``shared`` of the
    statements have the same lean in every group (the consensus). Each participant sees a
    random share of the statements between ``min_seen`` and ``max_seen`` (sparse votes, as in
    a real conversation) and votes with their group's lean most of the time. Participant ids
    are 0..participants − 1 and statement ids 0..statements − 1. The same arguments always
    give the same votes.
    """
    if participants < 1 or statements < 1 or groups < 1:
        raise ValueError("Simulate at least one participant, statement and group.")
    if not 0 < min_seen <= max_seen <= 1:
        raise ValueError("The shares of statements seen must satisfy 0 < min ≤ max ≤ 1.")
    rng = np.random.default_rng(seed)
    leans = rng.choice(np.array([-1, 1]), size=(groups, statements))
    common = rng.random(statements) < shared
    leans[:, common] = leans[0, common]
    membership = rng.integers(0, groups, size=participants)
    seen_share = rng.uniform(min_seen, max_seen, size=participants)
    seen = rng.random((participants, statements)) < seen_share[:, np.newaxis]
    rows, columns = np.nonzero(seen)
    lean = leans[membership[rows], columns]
    draw = rng.random(len(rows))
    votes = np.where(
        draw < WITH_GROUP, lean, np.where(draw < WITH_GROUP + PASSES, 0, -lean)
    ).astype(np.int8)
    return SimulatedConversation(
        votes=VoteTable(
            participant_ids=rows.astype(np.int64),
            statement_ids=columns.astype(np.int64),
            votes=votes,
        ),
        groups=membership.astype(np.int64),
        leans=leans.astype(np.int64),
    )
