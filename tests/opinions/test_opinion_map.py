"""The whole analysis: from votes to groups, representative and consensus statements."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from civicflow.opinions.analysis import NO_GROUP, NotEnoughVotes, OpinionMap, VoteTable, analyse
from civicflow.opinions.analysis.simulation import simulate_conversation


@pytest.fixture(scope="module")
def simulated():
    return simulate_conversation(
        participants=400, statements=40, groups=3, min_seen=0.3, max_seen=0.6, seed=7
    )


@pytest.fixture(scope="module")
def opinion_map(simulated):
    result = analyse(simulated.votes)
    assert isinstance(result, OpinionMap)
    return result


def test_finds_the_latent_opinion_groups(simulated, opinion_map):
    membership = opinion_map.membership
    grouped = sorted(membership)

    assert opinion_map.k == 3
    assert adjusted_rand_score(simulated.groups[grouped], [membership[p] for p in grouped]) > 0.7
    assert sum(opinion_map.group_sizes) == len(grouped)
    assert set(opinion_map.repness) == {0, 1, 2}
    assert all(opinion_map.repness.values())


def test_consensus_statements_are_those_every_group_leans_the_same_way_on(simulated, opinion_map):
    shared = {int(s) for s in np.flatnonzero((simulated.leans == simulated.leans[0]).all(axis=0))}
    united = [*opinion_map.consensus.agree, *opinion_map.consensus.disagree]

    assert united
    assert {s.statement_id for s in united} <= shared
    for statement in opinion_map.consensus.agree:
        assert simulated.leans[0, statement.statement_id] == 1
    assert not {s.statement_id for s in opinion_map.divisive} & shared


def test_the_same_votes_and_seed_give_the_same_map(simulated, opinion_map):
    again = analyse(simulated.votes, seed=0)
    shuffled = np.random.default_rng(1).permutation(len(simulated.votes))
    reordered = VoteTable(
        participant_ids=simulated.votes.participant_ids[shuffled],
        statement_ids=simulated.votes.statement_ids[shuffled],
        votes=simulated.votes.votes[shuffled],
    )

    for other in (again, analyse(reordered)):
        assert isinstance(other, OpinionMap)
        assert other.as_json() == opinion_map.as_json()
        np.testing.assert_array_equal(other.coordinates, opinion_map.coordinates)


def test_participants_with_few_votes_are_on_the_map_but_in_no_group():
    votes = [(p, s, 1 if (p < 5) == (s % 2 == 0) else -1) for p in range(10) for s in range(8)]
    votes += [(99, 0, 1), (99, 1, -1)]

    result = analyse(VoteTable.from_votes(votes))

    assert isinstance(result, OpinionMap)
    assert 99 in result.participant_ids.tolist()
    assert 99 not in result.membership
    assert result.groups[result.participant_ids.tolist().index(99)] == NO_GROUP
    assert result.coordinates.shape == (11, 2)


def test_moderated_out_statements_leave_the_map_and_the_lists():
    votes = [(p, s, 1 if (p < 5) == (s % 2 == 0) else -1) for p in range(10) for s in range(8)]

    result = analyse(VoteTable.from_votes(votes), moderated_out={0, 1})

    assert isinstance(result, OpinionMap)
    assert result.moderated_out.tolist() == [True, True] + [False] * 6
    np.testing.assert_allclose(result.projection.components[:, :2], 0, atol=1e-12)
    picked = [s.statement_id for group in result.repness.values() for s in group]
    picked += [s.statement_id for s in result.divisive]
    assert picked and not {0, 1} & set(picked)


def test_the_json_summary_has_the_documented_shape(opinion_map):
    summary = opinion_map.as_json()

    assert set(summary) == {"k", "membership", "repness", "consensus"}
    assert summary["k"] == 3
    assert all(isinstance(key, str) for key in summary["membership"])
    assert set(summary["membership"].values()) == {0, 1, 2}
    assert set(summary["repness"]) == {"0", "1", "2"}
    assert set(summary["consensus"]) == {"agree", "disagree"}


@pytest.mark.parametrize(
    ("votes", "moderated_out", "message"),
    [
        ([], (), "nobody has voted"),
        ([(1, 1, 1), (2, 1, -1), (3, 1, 1)], (), "at least 2 statements"),
        ([(p, s, 1) for p in range(5) for s in range(2)], (1,), "at least 2 statements"),
        ([(1, 1, 1), (1, 2, 1), (2, 1, -1), (2, 2, -1)], (), "at least 3 participants"),
        (
            [(p, s, 1 - 2 * p) for p in (0, 1) for s in range(9)] + [(2, 0, 1), (2, 1, -1)],
            (),
            "2 have voted on that many",
        ),
        ([(p, s, 1) for p in range(20) for s in range(9)], (), "not all the same way"),
        ([(p, s, 1) for p in range(20) for s in range(3)] + [(7, 9, -1)], (), "voted on at"),
    ],
)
def test_too_few_votes_is_a_result_not_an_error(votes, moderated_out, message):
    result = analyse(VoteTable.from_votes(votes), moderated_out=moderated_out)

    assert isinstance(result, NotEnoughVotes)
    assert result.message.startswith("Not enough votes yet")
    assert message in result.message
    assert result.votes == len(votes)


def test_bad_options_are_refused():
    votes = VoteTable.from_votes([(1, 1, 1)])
    with pytest.raises(ValueError, match="most groups"):
        analyse(votes, max_groups=1)
    with pytest.raises(ValueError, match="fewest votes"):
        analyse(votes, min_votes=0)
    with pytest.raises(ValueError, match="at least 1 statement"):
        analyse(votes, pick_max=0)
