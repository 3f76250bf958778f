"""Candidate duplicates among a challenge's ideas, from their vectors alone.

Pure functions: plain ids and numpy vectors in, plain data out; no Django, no database. Two
ideas are candidate duplicates when the cosine similarity of their vectors reaches a threshold;
a *cluster* is a set of ideas joined by such pairs (connected components), so a moderator can
see five copies of the same idea at once rather than ten pairs of them.

Vectors are normalised here again, so callers may pass raw ones; a zero vector (an empty text)
is like nothing and never a duplicate of anything.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

# Cosine similarity from which two ideas are shown as possible duplicates.
DEFAULT_THRESHOLD = 0.8
# Rows compared at once, so a challenge of 20,000 ideas never holds a 20,000² matrix.
BLOCK = 1024
# Never keep more pairs than this (the most similar win), whatever the threshold.
MAX_PAIRS = 5000


@dataclass(frozen=True, order=True)
class Pair:
    """Two ideas that may be duplicates; ``first`` < ``second``."""

    first: int
    second: int
    similarity: float

    @property
    def key(self) -> tuple[int, int]:
        return (self.first, self.second)


@dataclass(frozen=True)
class Cluster:
    """Ideas joined by candidate pairs, the most central first.

    ``closeness`` is the mean cosine similarity over all pairs of members (not only those
    above the threshold), so a tight group ranks above a chain of loosely similar ideas.
    """

    members: tuple[int, ...]
    closeness: float

    @property
    def size(self) -> int:
        return len(self.members)


def pair_key(a: int, b: int) -> tuple[int, int]:
    """Return the key of the pair of ``a`` and ``b``, whatever their order."""
    return (a, b) if a <= b else (b, a)


def normalised(vectors: np.ndarray) -> np.ndarray:
    """Return ``vectors`` as float32 rows of length one (zero rows stay zero)."""
    matrix = np.asarray(vectors, dtype=np.float64)
    if matrix.ndim != 2:
        matrix = matrix.reshape(len(matrix), -1)
    matrix = np.nan_to_num(matrix, nan=0.0, posinf=0.0, neginf=0.0)
    # Scaled first, so squaring huge values cannot overflow.
    scale = np.max(np.abs(matrix), axis=1, keepdims=True) if matrix.size else matrix[:, :0]
    matrix = np.divide(matrix, scale, out=np.zeros_like(matrix), where=scale > 0)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        result = np.where(norms > 1e-12, matrix / np.maximum(norms, 1e-12), 0.0)
    return result.astype(np.float32, copy=False)


def _check(ids: Sequence[int], vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    id_array = np.asarray(list(ids), dtype=np.int64)
    matrix = normalised(vectors) if len(id_array) else np.zeros((0, 1), dtype=np.float32)
    if len(id_array) != len(matrix):
        raise ValueError(f"{len(id_array)} ids but {len(matrix)} vectors")
    if len(set(id_array.tolist())) != len(id_array):
        raise ValueError("ids must be distinct")
    return id_array, matrix


def candidate_pairs(
    ids: Sequence[int],
    vectors: np.ndarray,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    dismissed: Collection[tuple[int, int]] = (),
    limit: int = MAX_PAIRS,
) -> list[Pair]:
    """Return the pairs of ``ids`` whose vectors' cosine similarity is at least ``threshold``.

    Most similar first; equal similarities in order of ids, so the answer never depends on
    the order of the input. Pairs in ``dismissed`` (keys from :func:`pair_key`) are left out.
    At most ``limit`` pairs are returned.
    """
    id_array, matrix = _check(ids, vectors)
    count = len(id_array)
    if count < 2 or limit <= 0:
        return []
    dismissed_keys = {pair_key(int(a), int(b)) for a, b in dismissed}
    found_i: list[np.ndarray] = []
    found_j: list[np.ndarray] = []
    found_s: list[np.ndarray] = []
    for start in range(0, count, BLOCK):
        stop = min(start + BLOCK, count)
        # Only columns after each row: every pair once, never an idea with itself.
        scores = matrix[start:stop] @ matrix[start:].T
        rows, cols = np.nonzero(scores >= threshold - 1e-6)
        cols_abs = cols + start
        keep = cols_abs > rows + start
        rows, cols, cols_abs = rows[keep], cols[keep], cols_abs[keep]
        found_i.append(rows + start)
        found_j.append(cols_abs)
        found_s.append(scores[rows, cols])
    first = np.concatenate(found_i)
    second = np.concatenate(found_j)
    score = np.clip(np.concatenate(found_s), -1.0, 1.0)
    pairs = []
    for i, j, s in zip(first.tolist(), second.tolist(), score.tolist(), strict=True):
        a, b = pair_key(int(id_array[i]), int(id_array[j]))
        if (a, b) in dismissed_keys:
            continue
        pairs.append(Pair(a, b, round(float(s), 6)))
    pairs.sort(key=lambda pair: (-pair.similarity, pair.first, pair.second))
    return pairs[:limit]


class _Components:
    """Union-find over ids."""

    def __init__(self, ids: Iterable[int]) -> None:
        self.parent = {item: item for item in ids}

    def find(self, item: int) -> int:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:
            self.parent[item], item = root, self.parent[item]
        return root

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def clusters(
    ids: Sequence[int],
    vectors: np.ndarray,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    dismissed: Collection[tuple[int, int]] = (),
    pairs: Sequence[Pair] | None = None,
    min_size: int = 2,
) -> list[Cluster]:
    """Return groups of ideas joined by candidate pairs, largest and closest first.

    ``pairs`` may pass the result of :func:`candidate_pairs` for the same input, to save
    computing it again. Members are ordered by their mean similarity to the other members
    (the most typical first), then by id.
    """
    id_array, matrix = _check(ids, vectors)
    if pairs is None:
        pairs = candidate_pairs(ids, vectors, threshold=threshold, dismissed=dismissed)
    components = _Components(id_array.tolist())
    for pair in pairs:
        components.join(pair.first, pair.second)
    groups: dict[int, list[int]] = {}
    for item in id_array.tolist():
        groups.setdefault(components.find(item), []).append(item)
    row_of = {item: row for row, item in enumerate(id_array.tolist())}
    result = []
    for members in groups.values():
        if len(members) < max(min_size, 2):
            continue
        rows = [row_of[item] for item in members]
        block = matrix[rows] @ matrix[rows].T
        size = len(members)
        typical = (block.sum(axis=1) - np.diag(block)) / (size - 1)
        closeness = float((block.sum() - np.trace(block)) / (size * (size - 1)))
        ordered = sorted(zip(members, typical.tolist(), strict=True), key=lambda m: (-m[1], m[0]))
        result.append(
            Cluster(
                members=tuple(item for item, _score in ordered),
                closeness=round(min(max(closeness, -1.0), 1.0), 6),
            )
        )
    result.sort(key=lambda cluster: (-cluster.size, -cluster.closeness, min(cluster.members)))
    return result
