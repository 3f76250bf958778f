"""Representative statements for each group, and the statements that unite and divide."""

from __future__ import annotations

import numpy as np

from civicflow.opinions.analysis.selection import (
    consensus_statements,
    divisive_statements,
    representative_statements,
)
from civicflow.opinions.analysis.statistics import group_statistics

STATEMENTS = np.array([10, 11, 12, 13])
# Statement 10 splits the groups, everyone agrees with 11 and disagrees with 12; 13 splits
# them like 10 but has been moderated out.
GROUP_0 = [1, 1, -1, 1]
GROUP_1 = [-1, 1, -1, -1]
INCLUDED = np.array([True, True, True, False])


def two_groups(per_group: int = 6):
    values = np.array([GROUP_0] * per_group + [GROUP_1] * per_group, dtype=float)
    labels = np.repeat([0, 1], per_group)
    return group_statistics(values, labels, 2)


def ids(statements):
    return [s.statement_id for s in statements]


def test_each_group_is_represented_by_what_sets_it_apart():
    repness = representative_statements(two_groups(), STATEMENTS, INCLUDED)

    assert ids(repness[0]) == [10]
    first = repness[0][0]
    assert (first.direction, first.successes, first.trials, first.best_agree) == (
        "agree",
        6,
        6,
        True,
    )
    assert first.probability == 7 / 8
    # Group 1 agrees most with 11 (with everyone) and stands out by disagreeing with 10.
    assert [(s.statement_id, s.direction) for s in repness[1]] == [(11, "agree"), (10, "disagree")]
    assert repness[1][0].best_agree
    assert repness[1][0].successes == 6


def test_moderated_out_statements_are_never_picked():
    stats = two_groups()
    picked = [
        *representative_statements(stats, STATEMENTS, INCLUDED)[0],
        *representative_statements(stats, STATEMENTS, INCLUDED)[1],
        *consensus_statements(stats, STATEMENTS, INCLUDED).agree,
        *divisive_statements(stats, STATEMENTS, INCLUDED),
    ]

    assert 13 not in ids(picked)


def test_at_most_pick_max_statements_agrees_first():
    rng = np.random.default_rng(0)
    group_0 = rng.choice([-1.0, 1.0], size=30)
    values = np.vstack([np.tile(group_0, (20, 1)), np.tile(-group_0, (20, 1))])
    stats = group_statistics(values, np.repeat([0, 1], 20), 2)

    repness = representative_statements(stats, np.arange(30), np.ones(30, dtype=bool), pick_max=3)

    for picked in repness.values():
        assert len(picked) == 3
        directions = [s.direction for s in picked]
        assert directions == sorted(directions)


def test_without_significant_statements_the_strongest_stands_in():
    values = np.array([[1, np.nan], [np.nan, -1], [-1, np.nan], [np.nan, 1]])
    stats = group_statistics(values, np.array([0, 0, 1, 1]), 2)

    repness = representative_statements(stats, np.array([1, 2]), np.array([True, True]))

    assert all(len(picked) == 1 for picked in repness.values())


def test_consensus_needs_a_majority_in_every_group():
    consensus = consensus_statements(two_groups(), STATEMENTS, INCLUDED)

    assert ids(consensus.agree) == [11]
    assert ids(consensus.disagree) == [12]
    assert consensus.agree[0].consensus == (7 / 8) ** 2
    assert consensus.agree[0].group_probabilities == (7 / 8, 7 / 8)


def test_a_group_split_evenly_blocks_consensus():
    values = np.array([[1.0, -1.0]] * 6 + [[1.0, -1.0]] * 3 + [[-1.0, 1.0]] * 3)
    stats = group_statistics(values, np.repeat([0, 1], 6), 2)

    consensus = consensus_statements(stats, np.array([1, 2]), np.array([True, True]))

    assert consensus.agree == ()
    assert consensus.disagree == ()


def test_divisive_statements_split_the_groups():
    divisive = divisive_statements(two_groups(), STATEMENTS, INCLUDED)

    assert ids(divisive) == [10]
    assert divisive[0].spread == 1.5
    assert divisive[0].agreeing_groups == (0,)
    assert divisive[0].disagreeing_groups == (1,)
