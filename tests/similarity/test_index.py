"""The vector indexes: exact and approximate agree, updates and removals, filters, persistence."""

from __future__ import annotations

import numpy as np
import pytest

from civicflow.similarity.index import (
    EXACT_LIMIT,
    ApproximateIndex,
    ExactIndex,
    VectorIndex,
    make_index,
)

DIMENSIONS = 32
KINDS = [ExactIndex, ApproximateIndex]


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    vectors = unit(rng.normal(size=(500, DIMENSIONS)).astype(np.float32))
    ids = np.arange(1000, 1500, dtype=np.int64)
    return ids, vectors


def same(found, expected):
    assert [key for key, _ in found] == [key for key, _ in expected]
    assert np.allclose([s for _, s in found], [s for _, s in expected], atol=1e-4)


def brute_force(ids, vectors, query, k, keep=None):
    scores = vectors @ unit(query)
    order = np.argsort(-scores)
    found = [(int(ids[i]), float(scores[i])) for i in order if scores[i] > 0]
    if keep is not None:
        found = [pair for pair in found if keep(pair[0])]
    return found[:k]


@pytest.fixture(params=KINDS, ids=lambda kind: kind.__name__)
def index(request, data) -> VectorIndex:
    ids, vectors = data
    built = request.param(DIMENSIONS)
    built.upsert(ids, vectors)
    return built


def test_search_finds_the_nearest_with_cosine_scores(index, data):
    ids, vectors = data
    assert isinstance(index, VectorIndex)
    assert len(index) == 500
    rng = np.random.default_rng(3)
    for _ in range(20):
        query = rng.normal(size=DIMENSIONS).astype(np.float32)
        expected = brute_force(ids, vectors, query, 10)
        found = index.search(query * 5, 10)  # the query need not be unit length
        assert [key for key, _ in found] == [key for key, _ in expected]
        assert np.allclose([s for _, s in found], [s for _, s in expected], atol=1e-4)


def test_a_stored_vector_finds_itself_first(index, data):
    ids, vectors = data
    key, score = index.search(vectors[42], 1)[0]
    assert key == ids[42] and score == pytest.approx(1.0, abs=1e-4)


def test_upsert_replaces_and_remove_forgets(index, data):
    ids, vectors = data
    new_vector = -vectors[0]
    index.upsert(np.array([ids[0]]), new_vector[None, :])
    assert len(index) == 500
    assert index.search(new_vector, 1)[0][0] == ids[0]
    assert ids[0] not in [key for key, _ in index.search(vectors[0], 5)]
    index.remove([int(ids[1]), int(ids[2]), 999_999])  # an unknown id is ignored
    assert len(index) == 498
    assert int(ids[1]) not in index and int(ids[3]) in index
    assert ids[1] not in [key for key, _ in index.search(vectors[1], 10)]
    assert set(index.ids().tolist()) == set(ids.tolist()) - {int(ids[1]), int(ids[2])}


def test_upsert_with_a_repeated_id_keeps_the_last_vector(index, data):
    _, vectors = data
    index.upsert(np.array([7, 7]), np.stack([vectors[5], vectors[6]]))
    assert index.search(vectors[6], 1)[0][0] == 7


def test_allowed_ids_and_predicates_filter_before_taking_k(index, data):
    ids, vectors = data
    query = vectors[10]
    allowed = ids[ids % 7 == 0]
    found = index.search(query, 5, allowed=allowed)
    same(found, brute_force(ids, vectors, query, 5, keep=lambda key: key % 7 == 0))
    by_predicate = index.search(query, 5, allowed=lambda key: key % 7 == 0)
    assert [key for key, _ in by_predicate] == [key for key, _ in found]
    # Only a few allowed, far from the query: still found.
    far = ids[np.argsort(vectors @ query)[:3]]
    assert {key for key, _ in index.search(query, 5, allowed=lambda k: k in set(far))} <= set(
        far.tolist()
    )
    assert index.search(query, 5, allowed=np.array([], dtype=np.int64)) == []
    assert index.search(query, 5, allowed=lambda key: False) == []


def test_zero_vectors_and_queries_match_nothing(index, data):
    _, vectors = data
    index.upsert(np.array([1]), np.zeros((1, DIMENSIONS), dtype=np.float32))
    assert 1 in index
    assert index.search(np.zeros(DIMENSIONS, dtype=np.float32), 5) == []
    assert 1 not in [key for key, _ in index.search(vectors[0], 500)]


def test_edge_cases(index, data):
    _, vectors = data
    assert index.search(vectors[0], 0) == []
    assert len(index.search(vectors[0], 10_000)) <= len(index)
    with pytest.raises(ValueError, match="dimensions"):
        index.upsert(np.array([1]), np.ones((1, DIMENSIONS + 1), dtype=np.float32))
    with pytest.raises(ValueError, match="ids for"):
        index.upsert(np.array([1, 2]), np.ones((1, DIMENSIONS), dtype=np.float32))
    with pytest.raises(ValueError, match="dimensions"):
        index.search(np.ones(3, dtype=np.float32), 1)
    index.upsert(np.array([], dtype=np.int64), np.zeros((0, DIMENSIONS), dtype=np.float32))
    index.remove([])


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_empty_index(kind):
    empty = kind(DIMENSIONS)
    assert len(empty) == 0
    assert empty.search(np.ones(DIMENSIONS, dtype=np.float32), 3) == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_save_and_load_round_trip(kind, data, tmp_path):
    ids, vectors = data
    original = kind(DIMENSIONS)
    original.upsert(ids, vectors)
    query = vectors[17] + vectors[18]
    expected = original.search(query, 5)
    original.save(tmp_path / "index.bin")
    for restored in (kind.load(tmp_path / "index.bin"), kind.from_bytes(original.to_bytes())):
        assert len(restored) == len(original)
        assert restored.dimensions == DIMENSIONS
        same(restored.search(query, 5), expected)
        restored.upsert(np.array([5]), vectors[:1])  # still updatable
        assert len(restored) == len(original) + 1


def test_exact_index_grows_past_its_capacity_and_removes_from_the_middle():
    index = ExactIndex(4)
    rng = np.random.default_rng(5)
    for start in range(0, 300, 30):
        index.upsert(np.arange(start, start + 30), rng.random((30, 4), dtype=np.float32) + 0.1)
    assert len(index) == 300
    index.remove(range(0, 300, 2))
    assert len(index) == 150
    assert sorted(index.ids().tolist()) == list(range(1, 300, 2))
    assert len(index.search(np.ones(4, dtype=np.float32), 500)) == 150


def test_approximate_index_keeps_negative_ids():
    index = ApproximateIndex(4)
    index.upsert(np.array([-5, 3]), np.eye(4, dtype=np.float32)[:2])
    assert index.search(np.eye(4, dtype=np.float32)[0], 1)[0][0] == -5
    assert sorted(index.ids().tolist()) == [-5, 3]


def test_approximate_recall_against_exact_on_a_larger_set():
    rng = np.random.default_rng(11)
    vectors = unit(rng.normal(size=(5_000, 64)).astype(np.float32))
    ids = np.arange(5_000, dtype=np.int64)
    exact, approximate = ExactIndex(64), ApproximateIndex(64)
    exact.upsert(ids, vectors)
    approximate.upsert(ids, vectors)
    hits = 0
    queries = unit(rng.normal(size=(50, 64)).astype(np.float32))
    for query in queries:
        truth = {key for key, _ in exact.search(query, 10)}
        hits += len(truth & {key for key, _ in approximate.search(query, 10)})
    assert hits / 500 > 0.9


def test_make_index_is_exact_while_small():
    assert isinstance(make_index(DIMENSIONS, 100), ExactIndex)
    assert isinstance(make_index(DIMENSIONS, EXACT_LIMIT + 1), ApproximateIndex)
