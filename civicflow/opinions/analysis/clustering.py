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


def pairwise_distances(points: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the Euclidean distance between every pair of points."""
    squared = np.einsum("ij,ij->i", points, points)
    distances = squared[:, np.newaxis] + squared[np.newaxis, :] - 2 * (points @ points.T)
    np.maximum(distances, 0, out=distances)
    np.fill_diagonal(distances, 0)
    return np.sqrt(distances, out=distances)


def silhouette_sample(
    n_points: int, *, seed: int = 0, sample: int = SILHOUETTE_SAMPLE
) -> NDArray[np.int64]:
    """Return the indices of the points the silhouette is measured on: all of them, or a
    seeded sample of ``sample`` when there are more."""
    if n_points <= sample:
        return np.arange(n_points)
    return np.sort(np.random.default_rng(seed).choice(n_points, size=sample, replace=False))


def silhouette(distances: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Return the mean silhouette of a grouping, NaN when there are fewer than two groups.

    ``distances`` holds the distance between every pair of the grouped points. A point alone
    in its group scores 0, as in scikit-learn.
    """
    groups, labels = np.unique(labels, return_inverse=True)
    if len(groups) < 2:
        return math.nan
    members = np.zeros((len(labels), len(groups)))
    members[np.arange(len(labels)), labels] = 1.0
    sizes = members.sum(axis=0)
    totals = distances @ members
    rows = np.arange(len(labels))
    own_size = sizes[labels]
    with np.errstate(divide="ignore", invalid="ignore"):
        within = totals[rows, labels] / (own_size - 1)
        means = totals / sizes
        means[rows, labels] = np.inf
        nearest = means.min(axis=1)
        scores = (nearest - within) / np.maximum(within, nearest)
    scores = np.where(own_size > 1, np.nan_to_num(scores), 0.0)
    return float(scores.mean())


def max_groups_for(points: NDArray[np.float64], max_groups: int = MAX_GROUPS) -> int:
    """Return the largest k worth trying: a silhouette needs fewer groups than positions."""
    return min(max_groups, len(np.unique(points, axis=0)) - 1)


def choose_groups(
    points: NDArray[np.float64],
    *,
    max_groups: int = MAX_GROUPS,
    seed: int = 0,
    silhouette_sample_size: int = SILHOUETTE_SAMPLE,
) -> Grouping | None:
    """Try k = 2..``max_groups`` and keep the best silhouette (the smaller k on a tie).

    Return ``None`` when there are too few distinct positions for two groups.
    """
    if max_groups < MIN_GROUPS:
        raise ValueError(f"The most groups must be at least {MIN_GROUPS}.")
    distinct = np.unique(points, axis=0)
    sample = silhouette_sample(len(points), seed=seed, sample=silhouette_sample_size)
    distances = pairwise_distances(points[sample])
    best: tuple[int, NDArray[np.int64], NDArray[np.float64]] | None = None
    best_score = -math.inf
    silhouettes: dict[int, float] = {}
    for k in range(MIN_GROUPS, min(max_groups, len(distinct) - 1) + 1):
        labels, centres = kmeans(points, k, start=distinct[:k])
        score = silhouette(distances, labels[sample])
        silhouettes[k] = score
        if not math.isnan(score) and score > best_score:
            best_score = score
            best = (k, labels, centres)
    if best is None:
        return None
    k, labels, centres = best
    return Grouping(k=k, labels=labels, centres=centres, silhouettes=silhouettes)
