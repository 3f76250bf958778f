"""The allocation of assessors to submissions: rules, balance, and a clear error."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from civicflow.appraisal.scoring import AllocationError, allocate
from civicflow.appraisal.scoring.allocation import eligible_pairs


def _people(n: int, offset: int = 0) -> dict[int, frozenset[str]]:
    return {i: frozenset({f"user:{offset + i}"}) for i in range(n)}


def _loads(allocation: dict[int, set[int]], assessors) -> dict[int, int]:
    loads = dict.fromkeys(assessors, 0)
    for members in allocation.values():
        for assessor in members:
            loads[assessor] += 1
    return loads


def test_seven_submissions_two_reviews_three_assessors_by_hand():
    allocation = allocate(submissions=_people(7, 100), assessors=_people(3), k=2)
    assert all(len(members) == 2 for members in allocation.values())
    assert sorted(_loads(allocation, range(3)).values()) == [4, 5, 5]


def test_nobody_reviews_their_own_team_their_own_or_co_authored_work_or_a_conflict():
    submissions = {
        1: frozenset({"user:10", "team:1"}),  # by 10, from team 1
        2: frozenset({"user:11", "user:12"}),  # 11 and co-author 12
        3: frozenset({"user:13"}),
    }
    assessors = {
        10: frozenset({"user:10"}),
        12: frozenset({"user:12"}),
        20: frozenset({"user:20", "team:1"}),
        21: frozenset({"user:21"}),
    }
    allocation = allocate(submissions=submissions, assessors=assessors, k=2, conflicts=[(21, 3)])
    assert allocation[1] == {12, 21}
    assert 12 not in allocation[2]
    assert 21 not in allocation[3]
    assert all(len(m) == 2 for m in allocation.values())


def test_too_few_eligible_assessors_is_a_clear_error_naming_the_submissions():
    submissions = {1: frozenset({"user:1"}), 2: frozenset({"user:9"})}
    assessors = {1: frozenset({"user:1"}), 2: frozenset({"user:2"})}
    with pytest.raises(AllocationError, match="fewer than 2 assessors") as error:
        allocate(submissions=submissions, assessors=assessors, k=2)
    assert error.value.submissions == (1,)


def test_existing_reviews_are_kept_and_count_towards_k():
    allocation = allocate(
        submissions=_people(2, 100), assessors=_people(3), k=2, existing=[(2, 0), (2, 1)]
    )
    assert all(2 in members for members in allocation.values())
    assert all(len(members) == 2 for members in allocation.values())


@st.composite
def instances(draw: st.DrawFn, max_submissions: int = 6, max_assessors: int = 5):
    n = draw(st.integers(1, max_submissions))
    m = draw(st.integers(1, max_assessors))
    k = draw(st.integers(1, m))
    teams = st.sets(st.sampled_from(["team:1", "team:2", "team:3"]), max_size=1)
    assessors = {a: frozenset({f"user:{a}"}) | draw(teams) for a in range(m)}
    submissions = {}
    for s in range(100, 100 + n):
        authors = draw(st.sets(st.integers(0, m + 2), min_size=1, max_size=2))
        submissions[s] = frozenset(f"user:{a}" for a in authors) | draw(teams)
    conflicts = draw(
        st.sets(st.tuples(st.integers(0, m - 1), st.sampled_from(sorted(submissions))), max_size=3)
    )
    return submissions, assessors, k, conflicts


def _feasible(submissions, assessors, k, conflicts) -> bool:
    eligible = eligible_pairs(submissions=submissions, assessors=assessors, conflicts=conflicts)
    return all(len(eligible[s]) >= k for s in submissions)


@settings(max_examples=200)
@given(instances())
def test_every_allocation_keeps_the_rules(instance):
    submissions, assessors, k, conflicts = instance
    if not _feasible(submissions, assessors, k, conflicts):
        with pytest.raises(AllocationError):
            allocate(submissions=submissions, assessors=assessors, k=k, conflicts=conflicts)
        return
    allocation = allocate(submissions=submissions, assessors=assessors, k=k, conflicts=conflicts)
    assert set(allocation) == set(submissions)
    for submission, members in allocation.items():
        assert len(members) == k
        for assessor in members:
            assert not assessors[assessor] & submissions[submission]
            assert (assessor, submission) not in conflicts


@settings(max_examples=200)
@given(st.integers(1, 12), st.integers(1, 6), st.data())
def test_without_conflicts_loads_differ_by_at_most_one(n, m, data):
    k = data.draw(st.integers(1, m))
    allocation = allocate(submissions=_people(n, 100), assessors=_people(m), k=k)
    loads = _loads(allocation, range(m)).values()
    assert max(loads) - min(loads) <= 1


def _best_spread(submissions, assessors, k, conflicts) -> int:
    """The smallest max − min load of any allocation, by trying them all."""
    eligible = eligible_pairs(submissions=submissions, assessors=assessors, conflicts=conflicts)
    options = [list(itertools.combinations(eligible[s], k)) for s in sorted(submissions)]
    best = None
    for choice in itertools.product(*options):
        loads = dict.fromkeys(assessors, 0)
        for members in choice:
            for assessor in members:
                loads[assessor] += 1
        spread = max(loads.values()) - min(loads.values())
        best = spread if best is None else min(best, spread)
    assert best is not None
    return best


@settings(max_examples=150)
@given(instances(max_submissions=4, max_assessors=4))
def test_loads_are_balanced_whenever_a_balanced_allocation_exists(instance):
    submissions, assessors, k, conflicts = instance
    if not _feasible(submissions, assessors, k, conflicts):
        return
    allocation = allocate(submissions=submissions, assessors=assessors, k=k, conflicts=conflicts)
    loads = _loads(allocation, assessors).values()
    if _best_spread(submissions, assessors, k, conflicts) <= 1:
        assert max(loads) - min(loads) <= 1


@given(instances())
def test_the_same_input_gives_the_same_allocation(instance):
    submissions, assessors, k, conflicts = instance
    if not _feasible(submissions, assessors, k, conflicts):
        return
    first = allocate(submissions=submissions, assessors=assessors, k=k, conflicts=conflicts)
    again = allocate(
        submissions=dict(reversed(list(submissions.items()))),
        assessors=dict(reversed(list(assessors.items()))),
        k=k,
        conflicts=list(conflicts),
    )
    assert first == again
