"""The phase registry and the date rules: pure Python, no database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicflow.challenges.phases import (
    REGISTRY,
    Action,
    Kind,
    PhaseDates,
    check_dates,
    current_phase,
    date_problems,
    next_phase,
    phase_type,
    phase_types,
)

T = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def at(days: float) -> datetime:
    return T + timedelta(days=days)


def test_every_kind_declares_phases_in_double_diamond_order():
    order = ["discover", "define", "develop", "deliver"]
    for kind, phases in REGISTRY.items():
        keys = [str(phase.key) for phase in phases]
        assert keys == sorted(keys, key=order.index), kind
        assert any(Action.SUBMIT in phase.allows for phase in phases), kind


def test_phase_type_names_the_kinds_own_words():
    assert phase_type("fund_round", "develop").name == "Applications"
    assert phase_type("prize", "deliver").allows == frozenset({Action.REVIEW})
    with pytest.raises(KeyError):
        phase_type("prize", "discover")


def test_good_dates_have_no_problems():
    phases = [PhaseDates("define", at(0), at(10)), PhaseDates("develop", at(10), None)]
    assert check_dates("prize", phases) == []


def test_a_phase_can_be_left_out():
    assert check_dates("open_call", [PhaseDates("develop", at(0), at(10))]) == []


@pytest.mark.parametrize(
    ("kind", "phases", "key", "field", "words"),
    [
        ("prize", [], "", "", "at least one phase"),
        ("prize", [PhaseDates("discover", at(0), at(1))], "", "", "challenge prize has no"),
        (
            "open_call",
            [PhaseDates("develop", at(0), at(1)), PhaseDates("develop", at(2), at(3))],
            "develop",
            "",
            "only once",
        ),
        ("open_call", [PhaseDates("develop", at(1), at(1))], "develop", "ends_at", "end after"),
        ("fund_round", [PhaseDates("develop", at(1), at(0))], "develop", "ends_at", "end after"),
        (
            "fund_round",
            [PhaseDates("define", at(0), at(5)), PhaseDates("develop", at(4), at(9))],
            "develop",
            "starts_at",
            "Applications phase must start after the Prospectus phase ends",
        ),
        (
            "hack_day",
            [PhaseDates("discover", at(0), None), PhaseDates("develop", at(4), at(9))],
            "discover",
            "ends_at",
            "Give the date the Pitches phase ends",
        ),
        (
            "open_call",
            [PhaseDates("develop", datetime(1999, 12, 31, tzinfo=UTC), at(1))],
            "develop",
            "starts_at",
            "between 2000 and 2099",
        ),
        (
            "open_call",
            [PhaseDates("develop", at(0), datetime(9999, 12, 31, tzinfo=UTC))],
            "develop",
            "ends_at",
            "between 2000 and 2099",
        ),
        (
            "open_call",
            [PhaseDates("develop", datetime(2027, 1, 1), None)],
            "develop",
            "starts_at",
            "time zone",
        ),
    ],
)
def test_each_problem_is_tied_to_the_date_it_is_about(kind, phases, key, field, words):
    problems = date_problems(kind, phases)
    assert any(p.key == key and p.field == field and words in p.message for p in problems), problems
    assert all(message.endswith(".") for message in check_dates(kind, phases))


def test_overlapping_phases_are_checked_in_the_kinds_order_whatever_order_they_come_in():
    phases = [PhaseDates("develop", at(4), at(9)), PhaseDates("define", at(0), at(5))]
    assert [p.key for p in date_problems("prize", phases)] == ["develop"]


def test_current_and_next_phase():
    phases = [PhaseDates("define", at(0), at(10)), PhaseDates("develop", at(10), at(20))]
    assert current_phase(phases, at(-1)) is None
    assert next_phase(phases, at(-1)).key == "define"
    assert current_phase(phases, at(0)).key == "define"  # a phase opens at its start
    assert current_phase(phases, at(10)).key == "develop"  # and closes at its end
    assert next_phase(phases, at(10)) is None
    assert current_phase(phases, at(20)) is None


@given(
    starts=st.lists(st.integers(min_value=-100, max_value=100), min_size=1, max_size=4),
    lengths=st.lists(st.integers(min_value=-5, max_value=30), min_size=4, max_size=4),
    kind=st.sampled_from(list(Kind)),
)
def test_dates_without_problems_never_overlap(starts, lengths, kind):
    keys = [str(phase.key) for phase in phase_types(kind)]
    phases = [
        PhaseDates(key, at(start), at(start + length))
        for key, start, length in zip(keys, starts, lengths, strict=False)
    ]
    if not check_dates(kind, phases):
        for moment in range(-110, 140):
            assert sum(phase.is_open(at(moment)) for phase in phases) <= 1
