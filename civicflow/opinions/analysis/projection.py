"""The opinion map's two axes: principal components of the imputed vote matrix, with the Polis
sparsity scaling of each participant's position."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

N_COMPONENTS = 2


@dataclass(frozen=True, eq=False)
class Projection:
    """Where each participant sits on the map, and the axes that put them there."""

    #: One row of (x, y) for each participant of the matrix.
    coordinates: NDArray[np.float64]
    #: Each statement's mean vote, after imputation.
    means: NDArray[np.float64]
    #: One row for each axis, one loading for each statement.
    components: NDArray[np.float64]
    explained_variance: NDArray[np.float64]


def impute_statement_means(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return the values with each unseen vote replaced by the mean vote on that statement.

    Every statement must have at least one vote.
    """
    seen = ~np.isnan(values)
    means = np.where(seen, values, 0.0).sum(axis=0) / seen.sum(axis=0)
    return np.where(seen, values, means)


def principal_components(
    filled: NDArray[np.float64], n_components: int = N_COMPONENTS
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Return the column means, the leading components and their variances.

    Signs follow scikit-learn's convention, so the same data gives the same map: each component
    is turned so that its largest loading (in absolute value) is positive. Missing components
    (fewer statements or participants than axes) are rows of zeros.
    """
    n_rows, n_columns = filled.shape
    means = filled.mean(axis=0)
    centred = filled - means
    available = min(n_components, n_rows, n_columns)
    components = np.zeros((n_components, n_columns))
    variances = np.zeros(n_components)
    if available and n_rows > 1:
        if n_columns <= n_rows:
            # Few statements, many participants: the statements' covariance is small.
            eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)
            order = np.argsort(eigenvalues)[::-1][:available]
            components[:available] = eigenvectors[:, order].T
            variances[:available] = np.maximum(eigenvalues[order], 0.0) / (n_rows - 1)
        else:
            _, singular, vt = np.linalg.svd(centred, full_matrices=False)
            components[:available] = vt[:available]
            variances[:available] = singular[:available] ** 2 / (n_rows - 1)
        largest = np.argmax(np.abs(components), axis=1)
        signs = np.sign(components[np.arange(n_components), largest])
        components *= np.where(signs == 0, 1.0, signs)[:, np.newaxis]
    return means, components, variances


def sparsity_scaling(values: NDArray[np.float64]) -> NDArray[np.float64]:
    """Return each participant's Polis scaling factor, sqrt(statements / statements voted on).

    Someone who has voted on few statements has most of their row imputed with the means and
    would sit near the centre; the factor moves them out in proportion to what is missing.
    """
    voted = np.count_nonzero(~np.isnan(values), axis=1)
    return np.sqrt(values.shape[1] / np.maximum(1, voted))


def project(values: NDArray[np.float64]) -> Projection:
    """Project every participant onto the first two principal components.

    ``values`` is the vote matrix with moderated-out statements already set to pass and NaN
    where a participant has not seen a statement.
    """
    filled = impute_statement_means(values)
    means, components, variances = principal_components(filled)
    coordinates = (filled - means) @ components.T
    coordinates *= sparsity_scaling(values)[:, np.newaxis]
    return Projection(
        coordinates=coordinates,
        means=means,
        components=components,
        explained_variance=variances,
    )
