"""Candidate duplicates and clusters from vectors (pure functions, no database)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicflow.similarity import duplicates
from civicflow.similarity.duplicates import Pair, candidate_pairs, clusters, pair_key
from tests.similarity.themes_standin import embed

TEXTS = {
    10: "Put benches at every bus stop on the high street so older people can rest",
    11: "Benches at bus stops on the high street for older people to rest",
    12: "More benches at the bus stops along the high street, for older residents",
    20: "Open the library on Sunday afternoons for families",
    21: "Sunday opening at the library so families can visit together",
    30: "Plant trees along the ring road to cut noise",
    40: "",
}


def _vectors(ids):
    return embed([TEXTS[item] for item in ids])


def test_near_duplicates_rank_first_and_unrelated_ideas_never_pair():
    ids = list(TEXTS)
    pairs = candidate_pairs(ids, _vectors(ids), threshold=0.4)
    assert pairs, "the bench ideas should pair"
    keys = [pair.key for pair in pairs]
    assert keys[0] in {(10, 11), (11, 12), (10, 12)}
    assert all(30 not in key and 40 not in key for key in keys)
    assert (20, 21) in keys
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)
    assert all(pair.first < pair.second for pair in pairs)


def test_identical_texts_are_a_perfect_pair_and_empty_texts_pair_with_nothing():
    vectors = embed(["Free school meals in the holidays"] * 2 + ["", ""])
    pairs = candidate_pairs([5, 3, 9, 8], vectors)
    assert pairs == [Pair(3, 5, pytest.approx(1.0))]


@pytest.mark.parametrize("count", [0, 1])
def test_too_few_ideas_give_no_pairs_or_clusters(count):
    vectors = embed(["Cycle lanes"] * count)
    assert candidate_pairs(list(range(count)), vectors) == []
    assert clusters(list(range(count)), vectors) == []


def test_dismissed_pairs_are_left_out_in_either_order():
    ids = [10, 11, 12]
    vectors = _vectors(ids)
    everything = candidate_pairs(ids, vectors, threshold=0.4)
    assert (10, 11) in [pair.key for pair in everything]
    kept = candidate_pairs(ids, vectors, threshold=0.4, dismissed=[(11, 10)])
    assert (10, 11) not in [pair.key for pair in kept]
    assert len(kept) == len(everything) - 1


def test_clusters_join_pairs_largest_first_with_most_typical_member_first():
    ids = list(TEXTS)
    found = clusters(ids, _vectors(ids), threshold=0.4)
    assert [set(cluster.members) for cluster in found] == [{10, 11, 12}, {20, 21}]
    assert found[0].size == 3
    assert 0.4 <= found[0].closeness <= 1.0
    assert found[1].members == (20, 21)  # equally typical: in order of id


def test_a_cluster_splits_when_the_pair_holding_it_together_is_dismissed():
    vectors = np.array([[1, 0], [0.9, 0.1], [0, 1]], dtype=np.float32)
    assert clusters([1, 2, 3], vectors, threshold=0.9) == [
        duplicates.Cluster(members=(1, 2), closeness=pytest.approx(0.9939, abs=1e-3))
    ]
    assert clusters([1, 2, 3], vectors, threshold=0.9, dismissed=[(1, 2)]) == []


def test_pairs_are_found_across_blocks(monkeypatch):
    monkeypatch.setattr(duplicates, "BLOCK", 3)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(10, 16)).astype(np.float32)
    vectors[9] = vectors[0] * 2  # same direction, another length
    vectors[5] = vectors[4]
    pairs = candidate_pairs(list(range(100, 110)), vectors, threshold=0.99)
    assert {pair.key for pair in pairs} == {(100, 109), (104, 105)}


def test_limit_keeps_the_most_similar_pairs():
    vectors = np.array([[1, 0], [1, 0], [1, 0.2], [1, 0.4]], dtype=np.float32)
    pairs = candidate_pairs([1, 2, 3, 4], vectors, threshold=0.5, limit=2)
    assert [pair.key for pair in pairs] == [(1, 2), (3, 4)]


def test_mismatched_input_is_refused():
    with pytest.raises(ValueError, match="2 ids but 3 vectors"):
        candidate_pairs([1, 2], np.zeros((3, 4)))
    with pytest.raises(ValueError, match="distinct"):
        candidate_pairs([1, 1], np.zeros((2, 4)))


def test_odd_values_do_not_crash():
    vectors = np.array([[np.nan, 1], [np.inf, 1], [0, 0], [1e30, 1e30]], dtype=np.float64)
    pairs = candidate_pairs([1, 2, 3, 4], vectors, threshold=0.5)
    assert all(-1.0 <= pair.similarity <= 1.0 for pair in pairs)


def test_pair_key_orders_ids():
    assert pair_key(7, 3) == pair_key(3, 7) == (3, 7)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.floats(-5, 5, allow_nan=False), min_size=4, max_size=4), min_size=0, max_size=12
    ),
    st.floats(0.0, 1.0),
)
def test_the_order_of_the_input_never_changes_the_answer(rows, threshold):
    vectors = np.array(rows, dtype=np.float32).reshape(len(rows), 4)
    ids = list(range(len(rows)))
    forward = candidate_pairs(ids, vectors, threshold=threshold)
    backward = candidate_pairs(ids[::-1], vectors[::-1], threshold=threshold)
    assert [pair.key for pair in forward] == [pair.key for pair in backward]
    members = {frozenset(c.members) for c in clusters(ids, vectors, threshold=threshold)}
    for pair in forward:
        assert any({pair.first, pair.second} <= group for group in members)
