"""The participant × statement vote matrix: agree +1, disagree −1, pass 0, unseen missing."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

AGREE = 1
PASS = 0
DISAGREE = -1

#: Polis leaves out of the groups anyone who has voted on fewer statements than this.
MIN_VOTES = 7


@dataclass(frozen=True, eq=False)
class VoteTable:
    """Votes as three parallel arrays, one entry for each participant's vote on a statement.

    Each (participant, statement) pair appears once: the participant's latest vote.
    """

    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    votes: NDArray[np.int8]

    def __post_init__(self) -> None:
        sizes = {len(self.participant_ids), len(self.statement_ids), len(self.votes)}
        if len(sizes) != 1:
            raise ValueError("Give the same number of participant ids, statement ids and votes.")
        if self.votes.size and not np.isin(self.votes, (DISAGREE, PASS, AGREE)).all():
            raise ValueError("A vote must be 1 (agree), -1 (disagree) or 0 (pass).")

    @classmethod
    def from_votes(cls, votes: Iterable[tuple[int, int, int]]) -> VoteTable:
        """Return a table of ``(participant id, statement id, vote)`` triples."""
        rows = np.array(list(votes), dtype=np.int64).reshape(-1, 3)
        if rows.size and not np.isin(rows[:, 2], (DISAGREE, PASS, AGREE)).all():
            raise ValueError("A vote must be 1 (agree), -1 (disagree) or 0 (pass).")
        return cls(
            participant_ids=rows[:, 0].copy(),
            statement_ids=rows[:, 1].copy(),
            votes=rows[:, 2].astype(np.int8),
        )

    def __len__(self) -> int:
        return len(self.votes)


@dataclass(frozen=True, eq=False)
class VoteMatrix:
    """Participants in rows, statements in columns, both in id order; NaN where unseen."""

    participant_ids: NDArray[np.int64]
    statement_ids: NDArray[np.int64]
    values: NDArray[np.float64]

    @property
    def shape(self) -> tuple[int, int]:
        """Return (participants, statements)."""
        return (len(self.participant_ids), len(self.statement_ids))


def _index(ids: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Return the distinct ids in order, and each id's position among them.

    Sorting is faster here than ``np.unique``, which hashes.
    """
    ordered = np.sort(ids)
    first = np.ones(len(ordered), dtype=bool)
    first[1:] = ordered[1:] != ordered[:-1]
    distinct = ordered[first]
    return distinct, np.searchsorted(distinct, ids)


def vote_matrix(table: VoteTable) -> VoteMatrix:
    """Build the matrix of everyone who voted and every statement that has a vote.

    Raise ``ValueError`` when a participant has two votes on one statement.
    """
    participant_ids, rows = _index(np.asarray(table.participant_ids, dtype=np.int64))
    statement_ids, columns = _index(np.asarray(table.statement_ids, dtype=np.int64))
    cells = rows * len(statement_ids) + columns
    order = np.argsort(cells)
    repeats = np.flatnonzero(np.diff(cells[order]) == 0)
    if len(repeats):
        repeated = order[repeats[0]]
        raise ValueError(
            f"Participant {table.participant_ids[repeated]} has more than one vote on statement "
            f"{table.statement_ids[repeated]}: keep only their latest vote."
        )
    values = np.full((len(participant_ids), len(statement_ids)), np.nan)
    values[rows, columns] = table.votes
    return VoteMatrix(participant_ids=participant_ids, statement_ids=statement_ids, values=values)


def moderated_out_mask(matrix: VoteMatrix, moderated_out: Collection[int]) -> NDArray[np.bool_]:
    """Return which of the matrix's statements have been moderated out."""
    return np.isin(matrix.statement_ids, np.fromiter(moderated_out, dtype=np.int64))


def pass_moderated_out(matrix: VoteMatrix, moderated: NDArray[np.bool_]) -> NDArray[np.float64]:
    """Return the values with every moderated-out statement's column set to pass.

    This is how Polis takes a statement out of the map: a column that is the same for everyone
    carries no weight in the principal components.
    """
    values = matrix.values.copy()
    values[:, moderated] = PASS
    return values


def votes_per_participant(values: NDArray[np.float64]) -> NDArray[np.int64]:
    """Return how many statements each participant has voted on."""
    return np.count_nonzero(~np.isnan(values), axis=1)


def clusterable(values: NDArray[np.float64], min_votes: int = MIN_VOTES) -> NDArray[np.bool_]:
    """Return who has voted on at least ``min(min_votes, number of statements)`` statements."""
    threshold = min(min_votes, values.shape[1])
    return votes_per_participant(values) >= threshold
