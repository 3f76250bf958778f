"""Hand-checked examples of the appraisal arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from civicflow.appraisal.scoring import (
    Criterion,
    RankBy,
    ScoreSheet,
    ScoringError,
    aggregate,
    competition_rank,
    disagrees,
    standardise,
    weighted_score,
)

CRITERIA = [
    Criterion("fit", weight=3, scale_min=0, scale_max=4),
    Criterion("quality", weight=2, scale_min=0, scale_max=4),
    Criterion("risk", weight=1, scale_min=0, scale_max=4),
]


def test_weighted_score_is_the_exact_weighted_mean():
    # (3×4 + 2×2 + 1×1) ÷ 6 = 17/6
    assert weighted_score({"fit": 4, "quality": 2, "risk": 1}, CRITERIA) == Fraction(17, 6)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"fit": 5, "quality": 2, "risk": 1}, "from 0 to 4"),
        ({"fit": -1, "quality": 2, "risk": 1}, "from 0 to 4"),
        ({"fit": 4, "quality": 2}, "Give a score for 'risk'"),
        ({"fit": 4, "quality": 2, "risk": 1, "cost": 1}, "no criterion called 'cost'"),
        ({"fit": 2.5, "quality": 2, "risk": 1}, "whole number"),
        ({"fit": True, "quality": 2, "risk": 1}, "whole number"),
    ],
)
def test_scores_off_the_scale_or_missing_are_refused(scores, message):
    with pytest.raises(ScoringError, match=message):
        weighted_score(scores, CRITERIA)


def test_a_criterion_needs_a_weight_and_a_scale():
    with pytest.raises(ScoringError):
        Criterion("fit", weight=0, scale_min=0, scale_max=4)
    with pytest.raises(ScoringError):
        Criterion("fit", weight=1, scale_min=4, scale_max=4)


def test_competition_ranking_shows_ties_as_ties():
    ranked = competition_rank({10: Fraction(3), 11: Fraction(2), 12: Fraction(2), 13: Fraction(1)})
    assert [(r.submission, r.rank, r.tied) for r in ranked] == [
        (10, 1, False),
        (11, 2, True),
        (12, 2, True),
        (13, 4, False),
    ]


def test_standardising_by_hand():
    # Scores 1, 2, 3: mean 2, population deviation √(2/3); z = ∓√(3/2), 0.
    z = standardise({7: {1: Fraction(1), 2: Fraction(2), 3: Fraction(3)}})
    assert z[7][2] == 0.0
    assert z[7][1] == pytest.approx(-math.sqrt(1.5))
    assert z[7][3] == pytest.approx(math.sqrt(1.5))


def test_one_score_or_no_variance_standardises_to_zero():
    z = standardise({1: {5: Fraction(4)}, 2: {5: Fraction(3), 6: Fraction(3)}, 3: {}})
    assert z == {1: {5: 0.0}, 2: {5: 0.0, 6: 0.0}, 3: {}}


def test_a_generous_and_a_harsh_assessor_agree_once_standardised():
    """A gives everything 2 points more than B; standardised, they rank A1 > A2 alike."""
    # Weighted scores with one criterion of weight 1 equal the score itself.
    one = [Criterion("fit", weight=1, scale_min=0, scale_max=4)]
    sheets = [
        ScoreSheet(1, 100, {"fit": 4}),
        ScoreSheet(1, 101, {"fit": 2}),
        ScoreSheet(2, 100, {"fit": 2}),
        ScoreSheet(2, 101, {"fit": 0}),
        ScoreSheet(2, 102, {"fit": 1}),
    ]
    results = {r.submission: r for r in aggregate(criteria=one, sheets=sheets)}
    # Raw: 100 → 3, 101 → 1, 102 → 1 (only the harsh assessor saw it).
    assert results[100].raw_mean == 3
    assert results[101].raw_mean == 1
    assert results[102].raw_mean == 1
    # z for assessor 1: 100 → +1, 101 → −1. Assessor 2 (2, 0, 1; mean 1, sd √(2/3)):
    # 100 → +1.2247, 101 → −1.2247, 102 → 0.
    assert results[100].standardised == pytest.approx((1 + math.sqrt(1.5)) / 2)
    assert results[102].standardised == 0.0
    # Raw ranking ties 101 and 102; standardised ranks 102 (average for its assessor) above.
    raw = {r.submission: r.rank for r in aggregate(criteria=one, sheets=sheets, rank_by=RankBy.RAW)}
    assert raw == {100: 1, 101: 2, 102: 2}
    assert [results[s].rank for s in (100, 102, 101)] == [1, 2, 3]


def test_disagreement_is_a_range_wider_than_a_quarter_of_the_scale():
    assert not disagrees([Fraction(2), Fraction(3)], scale_width=4)  # exactly a quarter
    assert disagrees([Fraction(2), Fraction(3), Fraction(301, 100)], scale_width=4)
    assert not disagrees([Fraction(0)], scale_width=4)
    assert disagrees([Fraction(2), Fraction(3)], scale_width=4, threshold=Fraction(1, 5))


def test_unscored_submissions_come_last_without_a_rank():
    sheets = [ScoreSheet(1, 100, {"fit": 4, "quality": 4, "risk": 4})]
    results = aggregate(criteria=CRITERIA, sheets=sheets, submissions=[99, 100])
    assert [(r.submission, r.rank, r.reviews) for r in results] == [(100, 1, 1), (99, None, 0)]


def test_two_sheets_by_one_assessor_for_one_submission_are_refused():
    sheet = ScoreSheet(1, 100, {"fit": 4, "quality": 4, "risk": 4})
    with pytest.raises(ScoringError, match="twice"):
        aggregate(criteria=CRITERIA, sheets=[sheet, sheet])
