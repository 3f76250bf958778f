"""Vector indexes: the nearest stored vectors to a query, by cosine similarity (ADR 0023).

Pure numpy and faiss (usearch for the HNSW comparison), no Django. Implementations of one protocol:

* :class:`ExactIndex` — every stored vector compared with the query (one matrix product). Exact,
  cheap to update, and fast enough up to tens of thousands of vectors.
* :class:`ApproximateIndex` — an inverted file (faiss IVF): a few milliseconds at a million
  vectors, at the price of seconds of training and a recall slightly below 1.
* :class:`HnswIndex` — an HNSW graph (usearch), kept for the benchmark: slower to build here.

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


def _faiss() -> Any:
    """Import faiss on first use (its types are looser than its stubs say)."""
    import faiss

    return faiss


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
        check = allowed if callable(allowed) else None
        with self._lock:  # not while rows move; ``allowed`` is called after
            size = self._size
            ids = self._ids[:size].copy()
            mask = _allowed_mask(ids, allowed)
            if mask is not None:
                rows = np.flatnonzero(mask)
                ids, scores = ids[rows], self._vectors[rows] @ unit
            else:
                scores = self._vectors[:size] @ unit
        return _best(ids, scores, k, check)

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
    """An inverted-file index (faiss ``IndexIVFFlat``, inner product on unit vectors).

    The vectors are split into ``nlist`` cells around k-means centroids; a query is compared
    with the vectors of its ``nprobe`` nearest cells only. Until ``train_at`` vectors are stored
    there is nothing to learn centroids from, so they are kept in an :class:`ExactIndex`; the
    first upsert past that trains the cells. When the index has grown to four times the size it
    was trained on, the cells are learnt again from all its vectors (a rebuild, in seconds).

    Filters run inside faiss (an id selector), so the best ``k`` allowed vectors of the probed
    cells come back; when fewer than ``k`` do, the allowed vectors are compared exactly.
    """

    def __init__(
        self, dimensions: int, *, nprobe: int | None = None, train_at: int = 20_000
    ) -> None:
        self.dimensions = int(dimensions)
        self.train_at = int(train_at)
        self._nprobe = nprobe
        self._buffer: ExactIndex | None = ExactIndex(self.dimensions)
        self._ivf: Any = None
        self._trained_on = 0
        self._ids: set[int] = set()
        self._lock = threading.RLock()

    # Properties -------------------------------------------------------------------------------

    @property
    def trained(self) -> bool:
        return self._ivf is not None

    @property
    def nlist(self) -> int:
        return int(self._ivf.nlist) if self._ivf is not None else 0

    @property
    def nprobe(self) -> int:
        if self._nprobe is not None:
            return min(self._nprobe, max(self.nlist, 1))
        return max(16, self.nlist // 16)

    @nprobe.setter
    def nprobe(self, value: int) -> None:
        self._nprobe = int(value)

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, int | np.integer) and int(item) in self._ids

    def ids(self) -> np.ndarray:
        return np.fromiter(self._ids, dtype=np.int64, count=len(self._ids))

    def vectors(self, ids: Iterable[int]) -> np.ndarray:
        keys = _as_ids(ids)
        if self._buffer is not None:
            return self._buffer.vectors(keys)
        out = np.zeros((len(keys), self.dimensions), dtype=np.float32)
        for position, key in enumerate(keys.tolist()):
            if key in self._ids:
                out[position] = self._ivf.reconstruct(key)
        return out

    # Building ---------------------------------------------------------------------------------

    @staticmethod
    def _nlist_for(size: int) -> int:
        # About 2 * sqrt(n) cells: 1,000 vectors a cell at a million; at least 39 a cell to learn.
        return int(max(1, min(2 * np.sqrt(size), size // 39, 8192)))

    def _train(self, keys: np.ndarray, matrix: np.ndarray) -> None:
        faiss = _faiss()

        nlist = self._nlist_for(len(keys))
        quantizer = faiss.IndexFlatIP(self.dimensions)
        ivf = faiss.IndexIVFFlat(quantizer, self.dimensions, nlist, faiss.METRIC_INNER_PRODUCT)
        ivf.own_fields = True
        quantizer.this.disown()  # the IVF index owns its quantizer now
        ivf.cp.seed = 1234
        ivf.cp.niter = 10
        usable = matrix[np.linalg.norm(matrix, axis=1) > 0]
        sample = usable
        if len(usable) > nlist * 64:
            rng = np.random.default_rng(1234)
            sample = usable[rng.choice(len(usable), nlist * 64, replace=False)]
        ivf.train(np.ascontiguousarray(sample))
        ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
        if len(keys):
            ivf.add_with_ids(np.ascontiguousarray(matrix), keys)
        self._ivf = ivf
        self._trained_on = len(keys)

    def rebuild(self) -> None:
        """Learn the cells again from every stored vector."""
        with self._lock:
            keys = self.ids()
            matrix = self.vectors(keys)
            self._buffer = None
            self._train(keys, matrix)

    def upsert(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        keys = _as_ids(ids)
        matrix = _as_unit_rows(vectors, self.dimensions)
        if len(keys) != len(matrix):
            raise ValueError(f"{len(keys)} ids for {len(matrix)} vectors.")
        if len(keys) == 0:
            return
        keys, matrix = _unique_last(keys, matrix)
        with self._lock:
            if self._buffer is not None:
                self._buffer.upsert(keys, matrix)
                self._ids.update(keys.tolist())
                if len(self._buffer) >= self.train_at:
                    buffered = self._buffer.ids()
                    stored = self._buffer.vectors(buffered)
                    self._buffer = None
                    self._train(buffered, stored)
                return
            present = np.fromiter(
                (key for key in keys.tolist() if key in self._ids), dtype=np.int64
            )
            if len(present):
                self._remove_trained(present)
            self._ivf.add_with_ids(np.ascontiguousarray(matrix), keys)
            self._ids.update(keys.tolist())
            if len(self._ids) > 4 * max(self._trained_on, self.train_at):
                self.rebuild()

    def _remove_trained(self, present: np.ndarray) -> None:
        faiss = _faiss()

        keys = np.ascontiguousarray(present, dtype=np.int64)
        # With a hash-table direct map, faiss removes by an array selector only.
        self._ivf.remove_ids(faiss.IDSelectorArray(len(keys), faiss.swig_ptr(keys)))

    def remove(self, ids: Iterable[int]) -> None:
        keys = _as_ids(ids)
        if len(keys) == 0:
            return
        with self._lock:
            if self._buffer is not None:
                self._buffer.remove(keys)
            else:
                present = np.fromiter(
                    (key for key in keys.tolist() if key in self._ids), dtype=np.int64
                )
                if len(present):
                    self._remove_trained(present)
            self._ids.difference_update(keys.tolist())

    # Searching --------------------------------------------------------------------------------

    def _probe(
        self, unit: np.ndarray, k: int, nprobe: int, selector: Any
    ) -> list[tuple[int, float]]:
        faiss = _faiss()

        params = faiss.SearchParametersIVF(nprobe=nprobe, sel=selector)
        with self._lock:  # faiss does not read while it writes
            scores, labels = self._ivf.search(unit.reshape(1, -1), k, params=params)
        return [
            (int(key), float(score))
            for key, score in zip(labels[0].tolist(), scores[0].tolist(), strict=True)
            if key != -1 and score > 0.0
        ]

    def search(self, query: np.ndarray, k: int, allowed: Allowed = None) -> list[tuple[int, float]]:
        if k <= 0 or not self._ids:
            return []
        buffer = self._buffer
        if buffer is not None:
            return buffer.search(query, k, allowed)
        unit = _as_unit_query(query, self.dimensions)
        if unit is None:
            return []
        faiss = _faiss()

        k = min(k, len(self._ids))
        if allowed is None:
            return self._probe(unit, k, self.nprobe, None)
        if callable(allowed):
            selector = faiss.PyCallbackIDSelector(lambda key: bool(allowed(int(key))))
            nprobe = self.nprobe
            while True:
                found = self._probe(unit, k, nprobe, selector)
                if len(found) >= k or nprobe >= self.nlist:
                    return found
                nprobe = min(self.nlist, nprobe * 4)
        allowed_ids = np.unique(np.asarray(allowed, dtype=np.int64))
        allowed_ids = allowed_ids[[key in self._ids for key in allowed_ids.tolist()]]
        if len(allowed_ids) == 0:
            return []
        if len(allowed_ids) > 20 * k:
            found = self._probe(unit, k, self.nprobe, faiss.IDSelectorBatch(allowed_ids))
            if len(found) >= min(k, len(allowed_ids)):
                return found
        # Few allowed, or too few of them in the probed cells: compare with each exactly.
        with self._lock:
            vectors = self.vectors(allowed_ids)
        return _best(allowed_ids, vectors @ unit, k, None)

    # Persistence ------------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        faiss = _faiss()

        buffer = io.BytesIO()
        with self._lock:
            if self._buffer is not None:
                np.savez(
                    buffer,
                    kind=np.array("exact"),
                    exact=np.frombuffer(self._buffer.to_bytes(), dtype=np.uint8),
                    settings=np.array([self.dimensions, self.train_at, self._nprobe or 0, 0]),
                )
            else:
                np.savez(
                    buffer,
                    kind=np.array("ivf"),
                    ivf=faiss.serialize_index(self._ivf),
                    settings=np.array(
                        [self.dimensions, self.train_at, self._nprobe or 0, self._trained_on]
                    ),
                )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> ApproximateIndex:
        faiss = _faiss()

        with np.load(io.BytesIO(data)) as stored:
            dimensions, train_at, nprobe, trained_on = (int(v) for v in stored["settings"])
            index = cls(dimensions, nprobe=nprobe or None, train_at=train_at)
            if str(stored["kind"]) == "exact":
                index._buffer = ExactIndex.from_bytes(stored["exact"].tobytes())
                index._ids = set(index._buffer.ids().tolist())
                return index
            ivf = faiss.deserialize_index(stored["ivf"])
        index._buffer = None
        index._ivf = ivf
        index._trained_on = trained_on
        invlists = ivf.invlists
        keys: set[int] = set()
        for cell in range(ivf.nlist):
            size = invlists.list_size(cell)
            if size:
                pointer = invlists.get_ids(cell)
                keys.update(faiss.rev_swig_ptr(pointer, size).tolist())
        index._ids = keys
        return index

    def save(self, path: str | Path) -> None:
        Path(path).write_bytes(self.to_bytes())

    @classmethod
    def load(cls, path: str | Path) -> ApproximateIndex:
        return cls.from_bytes(Path(path).read_bytes())


class HnswIndex:
    """An HNSW graph in usearch, cosine metric (measured in ``bench.similarity``; see ADR 0023).

    Needs the ``usearch`` package, which is not a dependency of civicflow: on this project's
    2-core machines its graph took minutes to build where the IVF index takes seconds.

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
    def _wrap(cls, index: Any) -> HnswIndex:
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
    def from_bytes(cls, data: bytes) -> HnswIndex:
        from usearch.index import Index

        restore: Any = Index.restore
        index = restore(bytearray(data), **_RESTORE)
        if index is None:
            raise ValueError("Not a usearch index.")
        return cls._wrap(index)

    def save(self, path: str | Path) -> None:
        self._index.save(str(path))

    @classmethod
    def load(cls, path: str | Path) -> HnswIndex:
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
