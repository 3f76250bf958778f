"""Groups: k-means from Polis's starting centres, k chosen by the silhouette."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score, silhouette_score

from civicflow.opinions.analysis.clustering import (
    choose_groups,
    initial_centres,
    kmeans,
    silhouette,
    silhouette_sample,
    silhouettes,
)


def blobs(centres, per_blob=30, spread=0.3, seed=0):
    rng = np.random.default_rng(seed)
    points = np.vstack([rng.normal(centre, spread, size=(per_blob, 2)) for centre in centres])
    truth = np.repeat(np.arange(len(centres)), per_blob)
    return points, truth


def test_polis_starts_from_the_first_distinct_points_in_x_then_y_order():
    points = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 1.0], [0.0, -1.0], [1.0, 5.0]])

    np.testing.assert_array_equal(initial_centres(points, 3), [[0, -1], [0, 1], [1, 5]])
    with pytest.raises(ValueError, match="at least 5 distinct positions"):
        initial_centres(points, 5)


def test_kmeans_finds_separate_blobs():
    points, truth = blobs([(-3, 0), (3, 0), (0, 4)])

    labels, centres = kmeans(points, 3)

    assert adjusted_rand_score(truth, labels) == 1.0
    assert centres.shape == (3, 2)


def test_silhouette_matches_scikit_learn():
    points, _ = blobs([(-1, 0), (1, 0), (0, 1)], spread=0.8, seed=4)
    rng = np.random.default_rng(1)
    labelings = [rng.integers(0, k, size=len(points)) for k in (2, 3, 5)]
    # A group of one scores 0, as in scikit-learn.
    labelings[2][0] = 7

    scores = silhouettes(points, labelings, chunk=17)

    for labels, score in zip(labelings, scores, strict=True):
        assert score == pytest.approx(silhouette_score(points, labels), abs=1e-12)
    assert math.isnan(silhouette(points, np.zeros(len(points), dtype=np.int64)))


def test_the_best_silhouette_chooses_k():
    points, truth = blobs([(-3, 0), (3, 0), (0, 5)])

    grouping = choose_groups(points)

    assert grouping is not None
    assert grouping.k == 3
    assert sorted(grouping.silhouettes) == [2, 3, 4, 5]
    assert grouping.silhouettes[3] == max(grouping.silhouettes.values())
    assert adjusted_rand_score(truth, grouping.labels) == 1.0


def test_more_than_five_groups_when_asked():
    centres = [(8 * np.cos(a), 8 * np.sin(a)) for a in np.linspace(0, 2 * np.pi, 7)[:-1]]
    points, _ = blobs(centres, per_blob=20)

    default = choose_groups(points)
    wider = choose_groups(points, max_groups=8)

    assert default is not None and default.k <= 5
    assert wider is not None and wider.k == 6
    assert len(np.unique(wider.labels)) == 6
    assert sorted(wider.silhouettes) == [2, 3, 4, 5, 6, 7, 8]


def test_two_groups_need_three_points_in_two_distinct_positions():
    assert choose_groups(np.array([[1.0, 1.0]] * 5)) is None
    assert choose_groups(np.array([[0.0, 0.0], [1.0, 1.0]])) is None
    grouping = choose_groups(np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 1.0]]))
    assert grouping is not None
    assert grouping.k == 2
    assert grouping.labels.tolist() in ([0, 1, 1], [1, 0, 0])
    with pytest.raises(ValueError, match="at least 2"):
        choose_groups(np.zeros((5, 2)), max_groups=1)


def test_k_is_capped_by_the_distinct_positions_and_the_points():
    four = np.array([[0.0, 0.0], [0.0, 0.1], [5.0, 5.0], [5.0, 5.1]])
    three_positions = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0], [5.0, 5.0], [9.0, 0.0]] * 2)

    grouping = choose_groups(four)
    positions = choose_groups(three_positions)

    assert grouping is not None and sorted(grouping.silhouettes) == [2, 3]
    assert grouping.k == 2
    assert positions is not None and sorted(positions.silhouettes) == [2, 3]
    assert positions.k == 3


def test_large_maps_are_scored_on_a_seeded_sample():
    assert silhouette_sample(10, sample=20).tolist() == list(range(10))
    first = silhouette_sample(1000, seed=5, sample=50)
    assert len(first) == 50
    assert np.array_equal(first, silhouette_sample(1000, seed=5, sample=50))
    assert not np.array_equal(first, silhouette_sample(1000, seed=6, sample=50))

    points, _ = blobs([(-3, 0), (3, 0)], per_blob=200)
    sampled = choose_groups(points, silhouette_sample_size=100, seed=2)
    assert sampled is not None and sampled.k == 2
