"""Opinion groups: k-means on the map for each k from 2 up, keeping the k with the best
silhouette."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.cluster import KMeans

MIN_GROUPS = 2
MAX_GROUPS = 5
#: Above this many participants the silhouette is measured on a seeded sample of this size:
#: the exact score needs the distance between every pair of participants.
SILHOUETTE_SAMPLE = 3000


@dataclass(frozen=True, eq=False)
class Grouping:
    """The chosen number of groups, each participant's group and each k's silhouette."""

    k: int
    labels: NDArray[np.int64]
    centres: NDArray[np.float64]
    silhouettes: dict[int, float]


def initial_centres(points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    """Return Polis's starting centres: the first ``k`` distinct points in (x, y) order."""
    distinct = np.unique(points, axis=0)
    if len(distinct) < k:
        raise ValueError(f"{k} groups need at least {k} distinct positions on the map.")
    return distinct[:k]


def kmeans(
    points: NDArray[np.float64], k: int, *, start: NDArray[np.float64] | None = None
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Return each point's group and the groups' centres, by Lloyd's k-means.

    It starts from ``start`` if given, otherwise from Polis's starting centres.
    """
    model = KMeans(
        n_clusters=k,
        init=initial_centres(points, k) if start is None else start,
        n_init=1,
        max_iter=300,
        tol=1e-4,
        algorithm="lloyd",
    ).fit(points)
    return model.labels_.astype(np.int64), model.cluster_centers_


def silhouette_sample(
    n_points: int, *, seed: int = 0, sample: int = SILHOUETTE_SAMPLE
) -> NDArray[np.int64]:
    """Return the indices of the points the silhouette is measured on: all of them, or a
    seeded sample of ``sample`` when there are more."""
    if n_points <= sample:
        return np.arange(n_points)
    return np.sort(np.random.default_rng(seed).choice(n_points, size=sample, replace=False))


def silhouettes(
    points: NDArray[np.float64], labelings: list[NDArray[np.int64]], *, chunk: int = 256
) -> list[float]:
    """Return the mean silhouette of each grouping of the same points (NaN for one group).

    A point alone in its group scores 0, as in scikit-learn. The distances between every
    pair of points are computed once, a block of rows at a time, for all the groupings.
    """
    n_points = len(points)
    columns: list[tuple[int, int, NDArray[np.int64]]] = []
    width = 0
    for labels in labelings:
        groups, positions = np.unique(labels, return_inverse=True)
        columns.append((width, len(groups), positions))
        width += len(groups)
    members = np.zeros((n_points, width))
    rows = np.arange(n_points)
    for offset, _, positions in columns:
        members[rows, offset + positions] = 1.0
    squared = np.einsum("ij,ij->i", points, points)
    totals = np.empty((n_points, width))
    for start in range(0, n_points, chunk):
        stop = min(start + chunk, n_points)
        distances = squared[start:stop, np.newaxis] + squared - 2 * (points[start:stop] @ points.T)
        np.maximum(distances, 0, out=distances)
        np.sqrt(distances, out=distances)
        distances[np.arange(stop - start), np.arange(start, stop)] = 0.0
        totals[start:stop] = distances @ members
    scores = []
    for offset, n_groups, positions in columns:
        if n_groups < 2:
            scores.append(math.nan)
            continue
        sums = totals[:, offset : offset + n_groups]
        sizes = members[:, offset : offset + n_groups].sum(axis=0)
        own_size = sizes[positions]
        with np.errstate(divide="ignore", invalid="ignore"):
            within = sums[rows, positions] / (own_size - 1)
            means = sums / sizes
            means[rows, positions] = np.inf
            nearest = means.min(axis=1)
            each = (nearest - within) / np.maximum(within, nearest)
        each = np.where(own_size > 1, np.nan_to_num(each), 0.0)
        scores.append(float(each.mean()))
    return scores


def silhouette(points: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Return the mean silhouette of one grouping, NaN when there is only one group."""
    return silhouettes(points, [labels])[0]


def choose_groups(
    points: NDArray[np.float64],
    *,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
    silhouette_sample_size: int = SILHOUETTE_SAMPLE,
) -> Grouping | None:
    """Try k = 2..``max_groups`` and keep the best silhouette (the smaller k on a tie).

    Return ``None`` when there are fewer than 3 points or 2 distinct positions.
    """
    if max_groups < MIN_GROUPS:
        raise ValueError(f"The most groups must be at least {MIN_GROUPS}.")
    distinct = np.unique(points, axis=0)
    # k-means needs k distinct starting points, and a silhouette fewer groups than points.
    candidates = range(MIN_GROUPS, min(max_groups, len(distinct), len(points) - 1) + 1)
    fits = [kmeans(points, k, start=distinct[:k]) for k in candidates]
    sample = silhouette_sample(len(points), seed=seed, sample=silhouette_sample_size)
    scores = silhouettes(points[sample], [labels[sample] for labels, _ in fits])
    best: int | None = None
    for index, score in enumerate(scores):
        if not math.isnan(score) and (best is None or score > scores[best]):
            best = index
    if best is None:
        return None
    labels, centres = fits[best]
    return Grouping(
        k=candidates[best],
        labels=labels,
        centres=centres,
        silhouettes=dict(zip(candidates, scores, strict=True)),
    )
