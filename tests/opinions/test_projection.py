"""The map's axes: mean imputation, two principal components, the Polis sparsity scaling."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA

from civicflow.opinions.analysis.projection import (
    impute_statement_means,
    principal_components,
    project,
    sparsity_scaling,
)


def test_unseen_votes_take_the_statements_mean():
    values = np.array([[1, np.nan], [-1, 1], [0, 0]])

    filled = impute_statement_means(values)

    np.testing.assert_allclose(filled, [[1, 0.5], [-1, 1], [0, 0]])


def test_components_match_scikit_learn_including_their_signs():
    rng = np.random.default_rng(3)
    for shape in [(40, 6), (5, 12)]:
        filled = rng.choice([-1.0, 0.0, 1.0], size=shape)
        means, components, variances = principal_components(filled)
        reference = PCA(n_components=2).fit(filled)

        np.testing.assert_allclose(means, reference.mean_)
        np.testing.assert_allclose(components, reference.components_, atol=1e-10)
        np.testing.assert_allclose(variances, reference.explained_variance_)


def test_a_single_statement_gives_one_axis_and_a_flat_second():
    _, components, variances = principal_components(np.array([[1.0], [-1.0], [1.0]]))

    np.testing.assert_allclose(components, [[1.0], [0.0]])
    assert variances[1] == 0


def test_sparsity_scaling_is_the_root_of_statements_over_votes():
    values = np.array([[1, 1, 1, 1], [1, np.nan, np.nan, np.nan], [np.nan] * 4])

    np.testing.assert_allclose(sparsity_scaling(values), [1.0, 2.0, 2.0])


def test_opposed_blocs_end_up_on_opposite_sides_of_the_first_axis():
    agree = [1, 1, -1, -1]
    values = np.array([agree] * 3 + [[-v for v in agree]] * 3, dtype=float)

    projection = project(values)

    x = projection.coordinates[:, 0]
    assert np.all(np.sign(x[:3]) == -np.sign(x[3:]))
    np.testing.assert_allclose(projection.coordinates[:, 1], 0, atol=1e-12)


def test_a_participant_with_few_votes_is_pushed_out_from_the_centre():
    full = [1.0, 1.0, -1.0, -1.0]
    values = np.array(
        [full, full, [-v for v in full], [-v for v in full], [1.0, np.nan, np.nan, np.nan]]
    )

    projection = project(values)

    filled = impute_statement_means(values)
    unscaled = (filled - projection.means) @ projection.components.T
    np.testing.assert_allclose(projection.coordinates[4], unscaled[4] * 2.0)
