"""Which statement a participant sees next: few votes first, then what separates groups."""

from __future__ import annotations

from collections import Counter

from civicflow.opinions.analysis.next_statement import (
    FEW_VOTES,
    Candidate,
    choose_next,
    statement_weight,
)


def test_no_candidates_means_nothing_to_show():
    assert choose_next([], seed=1) is None


def test_statements_with_few_votes_come_first_fewest_first():
    candidates = [
        Candidate(1, votes=40, separation=1.0),
        Candidate(2, votes=3, separation=0.0),
        Candidate(3, votes=1, separation=0.0),
    ]
    assert all(choose_next(candidates, seed=seed) == 3 for seed in range(20))


def test_ties_among_the_fewest_are_broken_at_random_but_by_the_seed():
    candidates = [Candidate(pk, votes=0) for pk in (5, 6, 7)]
    chosen = {choose_next(candidates, seed=seed) for seed in range(30)}
    assert chosen == {5, 6, 7}
    assert choose_next(candidates, seed=4) == choose_next(candidates, seed=4)


def test_statements_that_separate_the_groups_are_shown_more_often():
    candidates = [
        Candidate(1, votes=50, separation=0.0),
        Candidate(2, votes=50, separation=1.0),
    ]
    counts = Counter(choose_next(candidates, seed=seed) for seed in range(2000))
    # Weights 1 and 5: the separating statement wins about five times in six.
    assert 0.78 < counts[2] / 2000 < 0.88


def test_a_statement_added_since_the_last_map_counts_as_the_most_separating():
    assert statement_weight(Candidate(9, votes=50), newcomer_separation=0.8) == (
        statement_weight(Candidate(1, votes=50, separation=0.8), newcomer_separation=0.0)
    )
    candidates = [
        Candidate(1, votes=50, separation=0.1),
        Candidate(2, votes=50, separation=0.9),
        Candidate(3, votes=50, separation=None),
    ]
    counts = Counter(choose_next(candidates, seed=seed) for seed in range(3000))
    assert abs(counts[3] - counts[2]) < 200
    assert counts[3] > 2 * counts[1]


def test_few_votes_threshold_is_the_default():
    candidates = [Candidate(1, votes=FEW_VOTES, separation=0.0), Candidate(2, votes=100)]
    # Neither has fewer than FEW_VOTES votes, so both are drawn by weight.
    assert {choose_next(candidates, seed=seed) for seed in range(50)} == {1, 2}
