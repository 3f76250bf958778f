"""Properties of the appraisal arithmetic on random panels."""

from __future__ import annotations

import random
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from civicflow.appraisal.scoring import (
    Criterion,
    RankBy,
    ScoreSheet,
    aggregate,
    competition_rank,
    standardise,
    weighted_score,
)

CRITERIA = [
    Criterion("fit", weight=3, scale_min=0, scale_max=4),
    Criterion("quality", weight=2, scale_min=0, scale_max=4),
    Criterion("risk", weight=1, scale_min=0, scale_max=4),
]
KEYS = [c.key for c in CRITERIA]


@st.composite
def panels(draw: st.DrawFn) -> list[ScoreSheet]:
    """Draw up to five assessors scoring some of up to six submissions."""
    sheets = []
    for assessor in range(draw(st.integers(1, 5))):
        scored = draw(st.lists(st.integers(100, 105), unique=True, max_size=6))
        for submission in scored:
            scores = {key: draw(st.integers(0, 4)) for key in KEYS}
            sheets.append(ScoreSheet(assessor, submission, scores))
    return sheets


def _summary(sheets: list[ScoreSheet], rank_by: RankBy) -> dict[int, tuple]:
    return {
        r.submission: (r.rank, r.tied, r.raw_mean, r.disagreement, r.reviews)
        for r in aggregate(criteria=CRITERIA, sheets=sheets, rank_by=rank_by)
    }


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 8).map(Fraction)), st.randoms())
def test_ranking_is_the_same_whatever_order_the_submissions_come_in(values, rnd):
    items = list(values.items())
    rnd.shuffle(items)
    assert competition_rank(dict(items)) == competition_rank(values)


@given(st.dictionaries(st.integers(0, 50), st.integers(0, 8).map(Fraction), min_size=1))
def test_competition_ranks_count_those_strictly_above(values):
    for ranked in competition_rank(values):
        above = sum(1 for v in values.values() if v > values[ranked.submission])
        assert ranked.rank == above + 1
        equal = sum(1 for v in values.values() if v == values[ranked.submission])
        assert ranked.tied == (equal > 1)


@given(panels(), st.sampled_from(list(RankBy)), st.randoms())
def test_aggregate_is_invariant_under_permutation_of_the_sheets(sheets, rank_by, rnd):
    shuffled = list(sheets)
    rnd.shuffle(shuffled)
    assert _summary(shuffled, rank_by) == _summary(sheets, rank_by)


@given(st.lists(st.integers(0, 40).map(Fraction), min_size=2, max_size=8))
def test_an_assessors_standardised_scores_have_mean_zero_and_unit_spread(values):
    z = standardise({1: dict(enumerate(values))})[1]
    assert abs(sum(z.values())) < 1e-9
    if len(set(values)) > 1:
        assert abs(sum(v * v for v in z.values()) / len(values) - 1) < 1e-9
    else:
        assert set(z.values()) == {0.0}


@given(panels(), st.integers(0, 4), st.integers(-3, 3))
def test_shifting_one_assessors_scores_changes_nothing_standardised(sheets, who, shift):
    """Adding a constant to all of one assessor's weighted scores leaves z-scores alone."""
    by_assessor: dict[int, dict[int, Fraction]] = {}
    for sheet in sheets:
        by_assessor.setdefault(sheet.assessor, {})[sheet.submission] = weighted_score(
            sheet.scores, CRITERIA
        )
    shifted = {
        a: {s: v + (shift if a == who else 0) for s, v in given.items()}
        for a, given in by_assessor.items()
    }
    assert standardise(shifted) == standardise(by_assessor)


@given(panels())
def test_raw_mean_lies_between_the_assessors_weighted_scores(sheets):
    for result in aggregate(criteria=CRITERIA, sheets=sheets):
        assert min(result.weighted) <= result.raw_mean <= max(result.weighted)
        assert result.spread == max(result.weighted) - min(result.weighted)
        assert 0 <= result.raw_mean <= 4


@given(panels())
def test_a_submission_everyone_scores_higher_ranks_no_lower(sheets):
    """If every assessor gives A more than B, A's standardised rank is at least B's."""
    results = {r.submission: r for r in aggregate(criteria=CRITERIA, sheets=sheets)}
    scored: dict[int, dict[int, Fraction]] = {}
    for sheet in sheets:
        scored.setdefault(sheet.submission, {})[sheet.assessor] = weighted_score(
            sheet.scores, CRITERIA
        )
    for a, a_scores in scored.items():
        for b, b_scores in scored.items():
            same = set(a_scores) == set(b_scores)
            if a != b and same and all(a_scores[x] > b_scores[x] for x in a_scores):
                assert results[a].rank <= results[b].rank


def test_random_panels_do_not_split_ties_by_rounding():
    """Two submissions with identical sheets from the same assessors always tie."""
    rnd = random.Random(4)
    for _ in range(50):
        sheets = []
        for assessor in range(4):
            same = {key: rnd.randint(0, 4) for key in KEYS}
            sheets.append(ScoreSheet(assessor, 1, same))
            sheets.append(ScoreSheet(assessor, 2, same))
            sheets.append(ScoreSheet(assessor, 3, {key: rnd.randint(0, 4) for key in KEYS}))
        results = {r.submission: r for r in aggregate(criteria=CRITERIA, sheets=sheets)}
        assert results[1].rank == results[2].rank
