"""The vector indexes: exact and approximate agree, updates and removals, filters, persistence."""

from __future__ import annotations

import numpy as np
import pytest

from civicflow.similarity.index import (
    EXACT_LIMIT,
    ApproximateIndex,
    ExactIndex,
    HnswIndex,
    VectorIndex,
    make_index,
)

DIMENSIONS = 32


def small_ivf(dimensions: int) -> ApproximateIndex:
    """An IVF index that trains after 100 vectors and probes every cell (so exact answers)."""
    return ApproximateIndex(dimensions, train_at=100, nprobe=10_000)


def hnsw(dimensions: int) -> HnswIndex:
    pytest.importorskip("usearch")
    return HnswIndex(dimensions, threads=1)  # one thread: the same graph every run


small_ivf.load = ApproximateIndex.load  # type: ignore[attr-defined]
small_ivf.from_bytes = ApproximateIndex.from_bytes  # type: ignore[attr-defined]
hnsw.load = HnswIndex.load  # type: ignore[attr-defined]
hnsw.from_bytes = HnswIndex.from_bytes  # type: ignore[attr-defined]
KINDS = [ExactIndex, ApproximateIndex, small_ivf, hnsw]


def unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=-1, keepdims=True)


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    vectors = unit(rng.normal(size=(500, DIMENSIONS)).astype(np.float32))
    ids = np.arange(1000, 1500, dtype=np.int64)
    return ids, vectors


def same(found, expected, index=None):
    """The same ids and scores; an HNSW graph, being approximate, may miss one of them."""
    if isinstance(index, HnswIndex):
        truth = dict(expected)
        assert len({key for key, _ in found} & set(truth)) >= len(expected) - 1
        assert all(abs(score - truth[key]) < 1e-3 for key, score in found if key in truth)
        return
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
        same(found, expected, index)


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
    index.upsert(np.array([7, 7]), np.stack([vectors[5], -vectors[6]]))
    assert index.search(-vectors[6], 1)[0][0] == 7


def test_allowed_ids_and_predicates_filter_before_taking_k(index, data):
    ids, vectors = data
    query = vectors[10]
    allowed = ids[ids % 7 == 0]
    found = index.search(query, 5, allowed=allowed)
    same(found, brute_force(ids, vectors, query, 5, keep=lambda key: key % 7 == 0), index)
    by_predicate = index.search(query, 5, allowed=lambda key: key % 7 == 0)
    same(by_predicate, found, index)
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


@pytest.mark.parametrize("kind", [small_ivf, hnsw], ids=["ivf", "hnsw"])
def test_approximate_indexes_keep_negative_ids(kind):
    index = kind(4)
    rng = np.random.default_rng(2)
    index.upsert(np.arange(-150, 0), rng.random((150, 4), dtype=np.float32))
    index.upsert(np.array([-500, 3]), np.eye(4, dtype=np.float32)[:2] * 10)
    assert index.search(np.eye(4, dtype=np.float32)[0], 1)[0][0] == -500
    assert {-500, 3, -1} <= set(index.ids().tolist())


def clustered(rng, count: int, dimensions: int, topics: int = 50) -> np.ndarray:
    """Vectors around a few topics, as embeddings of texts are."""
    centres = unit(rng.normal(size=(topics, dimensions)).astype(np.float32))
    rows = centres[rng.integers(0, topics, count)]
    return unit(rows + 0.08 * rng.normal(size=(count, dimensions)).astype(np.float32))


@pytest.mark.parametrize("kind", [ApproximateIndex, hnsw], ids=["ivf", "hnsw"])
def test_approximate_recall_against_exact_on_a_larger_set(kind):
    rng = np.random.default_rng(11)
    vectors = clustered(rng, 5_000, 64)
    ids = np.arange(5_000, dtype=np.int64)
    exact, approximate = ExactIndex(64), kind(64)
    if isinstance(approximate, ApproximateIndex):
        approximate.train_at = 1_000
    exact.upsert(ids, vectors)
    approximate.upsert(ids, vectors)
    if isinstance(approximate, ApproximateIndex):
        assert approximate.trained and approximate.nlist > 16
        assert approximate.nprobe < approximate.nlist
    hits = 0
    queries = clustered(rng, 50, 64)
    for query in queries:
        truth = {key for key, _ in exact.search(query, 10)}
        hits += len(truth & {key for key, _ in approximate.search(query, 10)})
    assert hits / 500 > 0.9


def test_ivf_trains_once_enough_vectors_arrive_and_relearns_when_it_has_grown():
    rng = np.random.default_rng(4)
    index = ApproximateIndex(16, train_at=200)
    index.upsert(np.arange(150), clustered(rng, 150, 16))
    assert not index.trained and len(index) == 150
    index.upsert(np.arange(150, 300), clustered(rng, 150, 16))
    assert index.trained and len(index) == 300
    first_cells = index.nlist
    index.upsert(np.arange(300, 1500), clustered(rng, 1200, 16))
    assert len(index) == 1500 and index.nlist >= first_cells
    index.remove(range(0, 1500, 3))
    assert len(index) == 1000
    query = index.vectors([1])[0]
    assert index.search(query, 1)[0][0] == 1
    assert 0 not in [key for key, _ in index.search(index.vectors([3])[0], 1000)]


def test_ivf_filter_with_few_allowed_far_away_still_finds_them():
    rng = np.random.default_rng(9)
    vectors = clustered(rng, 3_000, 32, topics=30)
    index = ApproximateIndex(32, train_at=1_000)
    index.upsert(np.arange(3_000), vectors)
    query = vectors[0]
    far = np.argsort(vectors @ query)[:3]  # in cells the query does not probe
    assert {key for key, _ in index.search(query, 5, allowed=far)} <= set(far.tolist())
    by_predicate = index.search(query, 2, allowed=lambda key: key in set(far.tolist()))
    assert len(by_predicate) <= 2


def test_make_index_is_exact_while_small():
    assert isinstance(make_index(DIMENSIONS, 100), ExactIndex)
    assert isinstance(make_index(DIMENSIONS, EXACT_LIMIT + 1), ApproximateIndex)
