"""The vote matrix: who voted what, unseen as missing, moderated-out statements as pass."""

from __future__ import annotations

import numpy as np
import pytest

from civicflow.opinions.analysis.matrix import (
    VoteTable,
    clusterable,
    moderated_out_mask,
    pass_moderated_out,
    vote_matrix,
    votes_per_participant,
)


def test_matrix_orders_participants_and_statements_by_id_and_leaves_unseen_missing():
    table = VoteTable.from_votes([(7, 20, 1), (3, 10, -1), (7, 10, 0)])

    matrix = vote_matrix(table)

    assert matrix.participant_ids.tolist() == [3, 7]
    assert matrix.statement_ids.tolist() == [10, 20]
    np.testing.assert_array_equal(matrix.values, [[-1, np.nan], [0, 1]])
    assert matrix.shape == (2, 2)


def test_a_second_vote_on_the_same_statement_is_refused():
    table = VoteTable.from_votes([(1, 5, 1), (2, 5, 1), (1, 5, -1)])

    with pytest.raises(ValueError, match="Participant 1 has more than one vote on statement 5"):
        vote_matrix(table)


@pytest.mark.parametrize("vote", [2, -2, 5])
def test_votes_other_than_agree_disagree_or_pass_are_refused(vote):
    with pytest.raises(ValueError, match="1 \\(agree\\), -1 \\(disagree\\) or 0 \\(pass\\)"):
        VoteTable.from_votes([(1, 1, vote)])


def test_arrays_of_different_lengths_are_refused():
    with pytest.raises(ValueError, match="same number"):
        VoteTable(
            participant_ids=np.array([1, 2]),
            statement_ids=np.array([1]),
            votes=np.array([1], dtype=np.int8),
        )


def test_moderated_out_statements_become_pass_for_everyone():
    matrix = vote_matrix(VoteTable.from_votes([(1, 1, 1), (1, 2, -1), (2, 1, -1)]))
    moderated = moderated_out_mask(matrix, {2, 99})

    values = pass_moderated_out(matrix, moderated)

    assert moderated.tolist() == [False, True]
    np.testing.assert_array_equal(values, [[1, 0], [-1, 0]])
    # The matrix itself is unchanged.
    assert np.isnan(matrix.values[1, 1])


def test_participants_are_grouped_from_seven_votes_or_every_statement_when_fewer():
    many = np.full((3, 10), np.nan)
    many[0, :7] = 1
    many[1, :6] = 1
    many[2, :] = 0
    few = np.array([[1, 1, 1], [1, np.nan, -1]])

    assert votes_per_participant(many).tolist() == [7, 6, 10]
    assert clusterable(many).tolist() == [True, False, True]
    assert clusterable(few).tolist() == [True, False]
    assert clusterable(many, min_votes=6).tolist() == [True, True, True]
