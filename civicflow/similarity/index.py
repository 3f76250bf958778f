"""Vector indexes: the nearest stored vectors to a query, by cosine similarity (ADR 0023).

Pure numpy and usearch, no Django. Two implementations of one protocol:

* :class:`ExactIndex` — every stored vector compared with the query (one matrix product). Exact,
  cheap to update, and fast enough up to tens of thousands of vectors.
* :class:`ApproximateIndex` — an HNSW graph (usearch): a few milliseconds at a million vectors,
  at the price of a build time and a recall slightly below 1.

:func:`make_index` picks one by the expected size. Ids are int64 (database primary keys);
vectors are normalised on the way in, so a score is the cosine similarity. A zero vector (a blank
text) is stored but never matches anything, and a zero query finds nothing.

``allowed`` narrows a search to what a user may see: a callable ``id -> bool``, or an array of the
allowed ids. The best ``k`` allowed matches are returned, however few of the stored vectors are
allowed.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np

Allowed = Callable[[int], bool] | np.ndarray | None

# Below this many vectors, make_index gives an exact index: at 256 dimensions a query over
# 50,000 vectors takes a few milliseconds, and an exact index has no build time.
EXACT_LIMIT = 50_000


@runtime_checkable
class VectorIndex(Protocol):
    dimensions: int

    def __len__(self) -> int: ...

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None: ...

    def remove(self, ids: Iterable[int]) -> None: ...

    def search(
        self, query: np.ndarray, k: int, allowed: Allowed = None
    ) -> list[tuple[int, float]]: ...


def _as_ids(ids: Iterable[int] | np.ndarray) -> np.ndarray:
    return np.asarray(list(ids) if not isinstance(ids, np.ndarray) else ids, dtype=np.int64).ravel()


def _as_unit_rows(vectors: np.ndarray, dimensions: int) -> np.ndarray:
    matrix = np.asarray(vectors, dtype=np.float32)
    if matrix.ndim == 1:
        matrix = matrix.reshape(1, -1)
    if matrix.ndim != 2 or matrix.shape[1] != dimensions:
        raise ValueError(f"Expected vectors of {dimensions} dimensions, got shape {matrix.shape}.")
    matrix = np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _as_unit_query(query: np.ndarray, dimensions: int) -> np.ndarray | None:
    vector = np.asarray(query, dtype=np.float32).ravel()
    if vector.shape[0] != dimensions:
        raise ValueError(f"Expected a query of {dimensions} dimensions, got {vector.shape[0]}.")
    vector = np.nan_to_num(vector, nan=0.0, posinf=0.0, neginf=0.0)
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def _unique_last(ids: np.ndarray, vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keep the last vector given for an id that appears more than once."""
    if len(np.unique(ids)) == len(ids):
        return ids, vectors
    reversed_ids = ids[::-1]
    _, first = np.unique(reversed_ids, return_index=True)
    keep = np.sort(len(ids) - 1 - first)
    return ids[keep], vectors[keep]


def _allowed_mask(ids: np.ndarray, allowed: Allowed) -> np.ndarray | None:
    """Return a boolean mask over ``ids`` for an array ``allowed`` (None for a callable or None)."""
    if allowed is None or callable(allowed):
        return None
    return np.isin(ids, np.asarray(allowed, dtype=np.int64))


class ExactIndex:
    """Brute force over a float32 matrix: exact, and updated in place."""

    def __init__(self, dimensions: int) -> None:
        self.dimensions = int(dimensions)
        self._vectors = np.zeros((0, self.dimensions), dtype=np.float32)
        self._ids = np.zeros(0, dtype=np.int64)
        self._size = 0
        self._rows: dict[int, int] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._size

    def __contains__(self, item: object) -> bool:
        return isinstance(item, int | np.integer) and int(item) in self._rows

    def ids(self) -> np.ndarray:
        """Return the stored ids (in storage order)."""
        return self._ids[: self._size].copy()

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        """Return the stored (unit) vectors of ``ids``, zeros for an id not stored."""
        wanted = _as_ids(ids)
        out = np.zeros((len(wanted), self.dimensions), dtype=np.float32)
        for position, key in enumerate(wanted.tolist()):
            row = self._rows.get(key)
            if row is not None:
                out[position] = self._vectors[row]
        return out

    def _grow(self, needed: int) -> None:
        capacity = self._vectors.shape[0]
        if needed <= capacity:
            return
        new_capacity = max(needed, capacity * 2, 64)
        vectors = np.zeros((new_capacity, self.dimensions), dtype=np.float32)
        vectors[: self._size] = self._vectors[: self._size]
        ids = np.zeros(new_capacity, dtype=np.int64)
        ids[: self._size] = self._ids[: self._size]
        self._vectors, self._ids = vectors, ids

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        keys = _as_ids(ids)
        matrix = _as_unit_rows(vectors, self.dimensions)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} ids for {len(matrix)} vectors.")
        keys, matrix = _unique_last(keys, matrix)
        with self._lock:
            new = [i for i, key in enumerate(keys.tolist()) if key not in self._rows]
            self._grow(self._size + len(new))
            for i, key in enumerate(keys.tolist()):
                row = self._rows.get(key)
                if row is None:
                    row = self._size
                    self._rows[key] = row
                    self._ids[row] = key
                    self._size += 1
                self._vectors[row] = matrix[i]

    def remove(self, ids: Iterable[int]) -> None:
        with self._lock:
            for key in _as_ids(ids).tolist():
                row = self._rows.pop(key, None)
                if row is None:
                    continue
                last = self._size - 1
                if row != last:  # move the last row into the hole
                    moved = int(self._ids[last])
                    self._vectors[row] = self._vectors[last]
                    self._ids[row] = moved
                    self._rows[moved] = row
                self._vectors[last] = 0.0
                self._size = last

    def scores(self, query: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return all stored ids and their cosine similarity to ``query``."""
        unit = _as_unit_query(query, self.dimensions)
        size = self._size
        ids = self._ids[:size]
        if unit is None:
            return ids.copy(), np.zeros(size, dtype=np.float32)
        return ids.copy(), self._vectors[:size] @ unit

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        if k <= 0 or self._size == 0:
            return []
        unit = _as_unit_query(query, self.dimensions)
        if unit is None:
            return []
        size = self._size
        ids = self._ids[:size]
        mask = _allowed_mask(ids, allowed)
        if mask is not None:
            rows = np.flatnonzero(mask)
            return _best(ids[rows], self._vectors[rows] @ unit, k, None)
        return _best(ids, self._vectors[:size] @ unit, k, allowed if callable(allowed) else None)

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        np.savez(buffer, ids=self._ids[: self._size], vectors=self._vectors[: self._size])
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ExactIndex:
        with np.load(io.BytesIO(data)) as stored:
            index = cls(int(stored["vectors"].shape[1]))
            if len(stored["ids"]):
                index.upsert(stored["ids"], stored["vectors"])
        return index

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> ExactIndex:
        return cls.from_bytes(Path(path).read_bytes())


def _best(
    ids: np.ndarray, scores: np.ndarray, k: int, allowed: Callable[[int], bool] | None
) -> list[tuple[int, float]]:
    """Return the ``k`` best (id, score) with score > 0, best first, checking ``allowed`` lazily."""
    count = len(ids)
    if count == 0:
        return []
    results: list[tuple[int, float]] = []
    window = min(count, k if allowed is None else max(4 * k, 64))
    seen = 0
    while True:
        top = np.argpartition(-scores, window - 1)[:window] if window < count else np.arange(count)
        top = top[np.lexsort((ids[top], -scores[top]))]  # best first; ties by id
        for row in top[seen:]:
            score = float(scores[row])
            if score <= 0.0:
                return results
            key = int(ids[row])
            if allowed is None or allowed(key):
                results.append((key, score))
                if len(results) == k:
                    return results
        if window >= count:
            return results
        seen = window
        window = min(count, window * 4)


class ApproximateIndex:
    """An HNSW graph in usearch, cosine metric.

    ``dtype`` is how vectors are kept in the graph: ``"f32"``, ``"f16"`` (half the memory) or
    ``"i8"``. ``connectivity``, ``expansion_add`` and ``expansion_search`` are HNSW's M,
    efConstruction and ef; the defaults reach a recall@10 above 0.95 in ``bench.similarity``.
    """

    def __init__(
        self,
        dimensions: int,
        *,
        dtype: str = "f32",
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 96,
        threads: int = 0,
    ) -> None:
        from usearch.index import Index

        self.dimensions = int(dimensions)
        self.threads = threads
        self._index: Any = Index(
            ndim=self.dimensions,
            metric="cos",
            dtype=dtype,
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )
        self._lock = threading.Lock()

    @classmethod
    def _wrap(cls, index: Any) -> ApproximateIndex:
        self = cls.__new__(cls)
        self._index = index
        self.dimensions = int(index.ndim)
        self.threads = 0
        self._lock = threading.Lock()
        return self

    @property
    def expansion_search(self) -> int:
        return int(self._index.expansion_search)

    @expansion_search.setter
    def expansion_search(self, value: int) -> None:
        self._index.expansion_search = int(value)

    def __len__(self) -> int:
        return len(self._index)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, int | np.integer) and bool(
            self._index.contains(np.array([item], dtype=np.int64).view(np.uint64)[0])
        )

    def ids(self) -> np.ndarray:
        return np.asarray(self._index.keys, dtype=np.uint64).view(np.int64).copy()

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        """Return the stored vectors of ``ids`` (unit length, up to the storage precision)."""
        keys = _as_ids(ids)
        out = np.zeros((len(keys), self.dimensions), dtype=np.float32)
        if len(keys) == 0:
            return out
        found = self._index.get(keys.view(np.uint64), dtype=np.float32)
        for position, row in enumerate(found):
            if row is not None:
                out[position] = np.asarray(row, dtype=np.float32).reshape(-1)[: self.dimensions]
        return out

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        keys = _as_ids(ids)
        matrix = _as_unit_rows(vectors, self.dimensions)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} ids for {len(matrix)} vectors.")
        if len(keys) == 0:
            return
        keys, matrix = _unique_last(keys, matrix)
        unsigned = keys.view(np.uint64)
        with self._lock:
            present = np.asarray(self._index.contains(unsigned), dtype=bool).reshape(-1)
            if present.any():
                self._index.remove(unsigned[present])
            self._index.add(unsigned, np.ascontiguousarray(matrix), threads=self.threads)

    def remove(self, ids: Iterable[int]) -> None:
        keys = _as_ids(ids)
        if len(keys) == 0:
            return
        with self._lock:
            self._index.remove(keys.view(np.uint64))

    def _query(self, unit: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
        matches = self._index.search(unit, count, threads=1)
        keys = np.asarray(matches.keys, dtype=np.uint64).view(np.int64)
        similarities = 1.0 - np.asarray(matches.distances, dtype=np.float32)
        return keys, similarities

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        size = len(self._index)
        if k <= 0 or size == 0:
            return []
        unit = _as_unit_query(query, self.dimensions)
        if unit is None:
            return []
        if allowed is not None and not callable(allowed):
            allowed_ids = np.unique(np.asarray(allowed, dtype=np.int64))
            if len(allowed_ids) <= max(EXACT_LIMIT // 10, 20 * k):
                # Few allowed: compare with each of them exactly.
                present = allowed_ids[
                    np.asarray(self._index.contains(allowed_ids.view(np.uint64)), dtype=bool)
                ]
                scores = self.vectors(present) @ unit
                return _best(present, scores, k, None)
            allowed_set = set(allowed_ids.tolist())
            check: Callable[[int], bool] | None = allowed_set.__contains__
        else:
            check = allowed
        count = min(size, k if check is None else max(4 * k, 64))
        while True:
            keys, similarities = self._query(unit, count)
            results = [
                (int(key), float(score))
                for key, score in zip(keys.tolist(), similarities.tolist(), strict=True)
                if score > 0.0 and (check is None or check(int(key)))
            ]
            exhausted = len(keys) < count or (len(keys) and similarities[-1] <= 0.0)
            if len(results) >= k or count >= size or exhausted:
                return results[:k]
            count = min(size, count * 4)

    def to_bytes(self) -> bytes:
        return bytes(self._index.save())

    @classmethod
    def from_bytes(cls, data: bytes) -> ApproximateIndex:
        from usearch.index import Index

        restore: Any = Index.restore
        index = restore(bytearray(data), **_RESTORE)
        if index is None:
            raise ValueError("Not a usearch index.")
        return cls._wrap(index)

    def save(self, path: str | Path) -> None:
        self._index.save(str(path))

    @classmethod
    def load(cls, path: str | Path) -> ApproximateIndex:
        from usearch.index import Index

        restore: Any = Index.restore
        index = restore(str(path), **_RESTORE)
        if index is None:
            raise FileNotFoundError(f"No usearch index at {path}")
        return cls._wrap(index)


_RESTORE = {"expansion_add": 128, "expansion_search": 96}


def make_index(dimensions: int, expected_size: int) -> VectorIndex:
    """Return an exact index for up to EXACT_LIMIT vectors, an approximate one above."""
    if expected_size <= EXACT_LIMIT:
        return ExactIndex(dimensions)
    return ApproximateIndex(dimensions)
