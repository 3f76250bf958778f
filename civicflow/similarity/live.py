"""Each process's in-memory vector index, kept in step with the stored embeddings.

Nothing here assumes one process: every app server and worker keeps its own index per kind
and embedder version, and brings it up to date from the database before a search when the
kind's version counter (in the shared cache, :mod:`civicflow.core.versions`) has moved on, or
at least every ``REFRESH_SECONDS``. A refresh reads only the rows changed since the newest it
has seen (with an overlap, for transactions that committed late), and compares counts to
notice removed rows. A large index is built by a task and stored (:class:`StoredIndex`), so a
new process loads it and reads only what changed since, instead of building it again.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import numpy
from django.db.models import Max

from civicflow.core import versions
from civicflow.similarity.index import EXACT_LIMIT, ApproximateIndex, make_index
from civicflow.similarity.models import Embedding, StoredIndex

# Rows whose updated_at is this close below the newest seen are read again at each refresh:
# a write that took its timestamp before another but committed after it is not missed.
OVERLAP = timedelta(seconds=30)
REFRESH_SECONDS = 60.0
CHUNK = 5_000


def _make_index(dimensions: int, expected_size: int) -> Any:
    return make_index(dimensions, expected_size)


def _is_approximate(index: Any) -> bool:
    return isinstance(index, ApproximateIndex)


class LiveIndex:
    """The vectors of one kind under one embedder version, in this process."""

    def __init__(self, *, label: str, embedder: str, version: str, dimensions: int) -> None:
        self.label = label
        self.embedder = embedder
        self.version = version
        self.dimensions = dimensions
        self.index: Any = None
        self.ids: set[int] = set()
        # Ids embedded on demand that had nothing to embed; forgotten when anything changes.
        self.tried: set[int] = set()
        self.watermark: datetime | None = None
        self.seen: int | None = None
        self.checked_at = 0.0
        self._lock = threading.Lock()

    # Reading the database -----------------------------------------------------------------

    def _rows(self) -> Any:
        return Embedding.objects.filter(
            label=self.label, embedder=self.embedder, embedder_version=self.version
        )

    def _load_rows(self, rows: Any) -> None:
        """Add ``rows`` (newest last or not) to the index in chunks; move the watermark on."""
        ids: list[int] = []
        vectors: list[bytes] = []
        newest = self.watermark
        for object_id, vector, updated_at in rows.values_list(
            "object_id", "vector", "updated_at"
        ).iterator(chunk_size=CHUNK):
            ids.append(int(object_id))
            vectors.append(bytes(vector))
            if newest is None or updated_at > newest:
                newest = updated_at
            if len(ids) >= CHUNK:
                self._upsert(ids, vectors)
                ids, vectors = [], []
        if ids:
            self._upsert(ids, vectors)
        self.watermark = newest

    def _upsert(self, ids: list[int], vectors: list[bytes]) -> None:
        matrix = numpy.frombuffer(b"".join(vectors), dtype=numpy.float32).reshape(
            len(ids), self.dimensions
        )
        self.index.upsert(numpy.asarray(ids, dtype=numpy.int64), matrix)
        self.ids.update(ids)

    def _build(self) -> None:
        """Start this process's index: load the stored one if any, then read what changed."""
        expected = self._rows().count()
        self.index = None
        self.ids = set()
        self.watermark = None
        if expected >= EXACT_LIMIT:
            self._load_stored()
        if self.index is None:
            self.index = _make_index(self.dimensions, expected)
        rows = self._rows()
        if self.watermark is not None:
            rows = rows.filter(updated_at__gte=self.watermark - OVERLAP)
        self._load_rows(rows)

    def _load_stored(self) -> None:
        stored = StoredIndex.objects.filter(
            label=self.label, embedder=self.embedder, embedder_version=self.version
        ).first()
        if stored is None or stored.dimensions != self.dimensions:
            return
        try:
            index, ids = unpack(bytes(stored.data))
        except Exception:  # a damaged or outdated blob is rebuilt from the rows instead
            return
        self.index = index
        self.ids = {int(i) for i in ids}
        self.watermark = stored.covers_until

    def _drop_removed(self) -> None:
        """Remove from the index the objects whose rows are gone, when the counts differ."""
        if self._rows().count() == len(self.ids):
            return
        present = set(self._rows().values_list("object_id", flat=True))
        removed = self.ids - present
        if removed:
            self.index.remove(sorted(removed))
            self.ids -= removed

    def refresh(self, *, force: bool = False) -> None:
        """Bring the index up to date if anything may have changed."""
        with self._lock:
            version = versions.current(_changes_key(self.label))
            stale = time.monotonic() - self.checked_at > REFRESH_SECONDS
            if self.index is not None and version == self.seen and not stale and not force:
                return
            if version != self.seen:
                self.tried = set()
            if self.index is None:
                self._build()
            else:
                rows = self._rows()
                if self.watermark is not None:
                    rows = rows.filter(updated_at__gte=self.watermark - OVERLAP)
                self._load_rows(rows)
                self._drop_removed()
                if not _is_approximate(self.index) and len(self.ids) >= EXACT_LIMIT * 2:
                    self._build()  # grown well past exact search: start an approximate one
            self.seen = version
            self.checked_at = time.monotonic()

    # Searching --------------------------------------------------------------------------

    def search(
        self, query: numpy.ndarray, k: int, allowed: numpy.ndarray | None = None
    ) -> list[tuple[int, float]]:
        """Return (object id, cosine similarity) of the ``k`` nearest, best first."""
        self.refresh()
        if not self.ids or k <= 0:
            return []
        with self._lock:
            found = self.index.search(query, k, allowed=allowed)
        return [(int(object_id), float(score)) for object_id, score in found]

    def __len__(self) -> int:
        return len(self.ids)


def _changes_key(label: str) -> str:
    from civicflow.similarity.services import changes_key

    return changes_key(label)


# Storing built indexes -------------------------------------------------------------------------


def pack(index: Any, ids: Iterable[int]) -> bytes:
    """Return an approximate index and the ids it holds as one blob."""
    buffer = io.BytesIO()
    numpy.savez(
        buffer,
        index=numpy.frombuffer(index.to_bytes(), dtype=numpy.uint8),
        ids=numpy.fromiter(ids, dtype=numpy.int64),
    )
    return buffer.getvalue()


def unpack(data: bytes) -> tuple[Any, numpy.ndarray]:
    """Return the index and ids stored by :func:`pack`."""
    with numpy.load(io.BytesIO(data)) as parts:
        index = ApproximateIndex.from_bytes(parts["index"].tobytes())
        return index, parts["ids"]


def store_index(*, label: str, embedder: str, version: str, dimensions: int) -> int:
    """Build the approximate index of ``label`` from its stored embeddings and store it for
    new processes to load; return its size (0 when the kind is too small to need one)."""
    rows = Embedding.objects.filter(label=label, embedder=embedder, embedder_version=version)
    size = rows.count()
    if size < EXACT_LIMIT:
        StoredIndex.objects.filter(label=label, embedder=embedder).delete()
        return 0
    covers_until = rows.aggregate(newest=Max("updated_at"))["newest"]
    live = LiveIndex(label=label, embedder=embedder, version=version, dimensions=dimensions)
    live.index = ApproximateIndex(dimensions)
    live._load_rows(rows.filter(updated_at__lte=covers_until))
    StoredIndex.objects.update_or_create(
        label=label,
        embedder=embedder,
        embedder_version=version,
        defaults={
            "dimensions": dimensions,
            "size": len(live.ids),
            "covers_until": covers_until,
            "data": pack(live.index, live.ids),
        },
    )
    StoredIndex.objects.filter(label=label).exclude(
        embedder=embedder, embedder_version=version
    ).delete()
    return len(live.ids)


# This process's indexes ------------------------------------------------------------------------

_indexes: dict[tuple[str, str, str], LiveIndex] = {}
_indexes_lock = threading.Lock()


def live_index(*, label: str, embedder: str, version: str, dimensions: int) -> LiveIndex:
    """Return this process's index of ``label`` under the embedder, creating it if needed."""
    key = (label, embedder, version)
    found = _indexes.get(key)
    if found is None or found.dimensions != dimensions:
        with _indexes_lock:
            found = _indexes.get(key)
            if found is None or found.dimensions != dimensions:
                found = LiveIndex(
                    label=label, embedder=embedder, version=version, dimensions=dimensions
                )
                # Indexes of other embedder versions are of no more use in this process.
                for other in [k for k in _indexes if k[0] == label]:
                    del _indexes[other]
                _indexes[key] = found
    return found


def forget_indexes() -> None:
    """Drop this process's indexes (tests, and after the embedder changes)."""
    with _indexes_lock:
        _indexes.clear()
