"""Each group's smoothed proportions, z-tests and the group-aware consensus."""

from __future__ import annotations

import numpy as np
import pytest

from civicflow.opinions.analysis.statistics import (
    critical_z,
    group_aware_consensus,
    group_statistics,
    one_proportion_z,
    smoothed_proportion,
    two_proportion_z,
)


def test_proportions_are_smoothed_by_one_and_two():
    assert smoothed_proportion(np.array(3), np.array(4)) == pytest.approx(4 / 6)
    assert smoothed_proportion(np.array(0), np.array(0)) == pytest.approx(0.5)


def test_one_proportion_z_by_hand():
    # 2 √(4 + 1) ((3 + 1) / (4 + 1) − ½)
    assert one_proportion_z(np.array(3), np.array(4)) == pytest.approx(1.3416408)


def test_two_proportion_z_by_hand():
    # (4/5 − 2/5) / √(0.6 · 0.4 · (1/5 + 1/5))
    assert two_proportion_z(np.array(3), np.array(1), np.array(4), np.array(4)) == pytest.approx(
        1.2909944
    )


def test_two_proportion_z_is_zero_when_everyone_agrees():
    assert two_proportion_z(np.array(4), np.array(4), np.array(4), np.array(4)) == 0


def test_ninety_percent_one_sided():
    assert critical_z() == pytest.approx(1.2815516)
    with pytest.raises(ValueError, match="confidence"):
        critical_z(1.0)


def test_counts_and_tests_per_group():
    values = np.array(
        [
            [1, 1, np.nan],
            [1, -1, 0],
            [-1, 1, np.nan],
            [-1, np.nan, 1],
        ]
    )
    labels = np.array([0, 0, 1, 1])

    stats = group_statistics(values, labels, 2)

    assert stats.k == 2
    assert stats.agrees.tolist() == [[2, 1, 0], [0, 1, 1]]
    assert stats.disagrees.tolist() == [[0, 1, 0], [2, 0, 0]]
    assert stats.seen.tolist() == [[2, 2, 1], [2, 1, 1]]
    np.testing.assert_allclose(stats.p_agree[0], [3 / 4, 2 / 4, 1 / 3])
    np.testing.assert_allclose(stats.r_agree[0, 0], (3 / 4) / (1 / 4))
    expected_rat = two_proportion_z(
        np.array([2, 1, 0]), np.array([0, 1, 1]), np.array([2, 2, 1]), np.array([2, 1, 1])
    )
    np.testing.assert_allclose(stats.r_agree_z[0], expected_rat)
    expected_pdt = one_proportion_z(np.array([2, 0, 0]), np.array([2, 1, 1]))
    np.testing.assert_allclose(stats.p_disagree_z[1], expected_pdt)


def test_group_aware_consensus_is_the_product_over_groups():
    values = np.array([[1, -1], [1, -1], [1, 1], [np.nan, 1]])
    stats = group_statistics(values, np.array([0, 0, 1, 1]), 2)

    agree, disagree = group_aware_consensus(stats)

    np.testing.assert_allclose(agree, [(3 / 4) * (2 / 3), (1 / 4) * (3 / 4)])
    np.testing.assert_allclose(disagree, [(1 / 4) * (1 / 3), (3 / 4) * (1 / 4)])
