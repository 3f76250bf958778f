"""The arithmetic of effects: exact decimals in, change and percentage change out."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from civicflow.boards.effects import Effect, FigureError, format_figure, parse_figure


def effect(before: str, after: str) -> Effect:
    return Effect(before=Decimal(before), after=Decimal(after), unit="falls per month")


def test_ten_falls_a_month_down_to_two_is_down_eighty_per_cent():
    falls = effect("10", "2")

    assert falls.change == Decimal("-8")
    assert falls.percent_change == Decimal("-80.0")
    assert falls.direction == "down"
    assert falls.percent_text == "80%"
    assert falls.signed_percent_text == "\u221280%"
    assert falls.change_text == "\u22128"
    assert (falls.before_text, falls.after_text) == ("10", "2")


def test_decimals_are_exact_where_floats_are_not():
    # 0.1 + 0.2 is not 0.3 in floating point; an effect of 0.3 from 0.1 is up exactly 0.2.
    small = effect("0.1", "0.3")

    assert small.change == Decimal("0.2")
    assert small.percent_change == Decimal("200.0")
    assert small.change_text == "+0.2"


@pytest.mark.parametrize(
    ("before", "after", "percent"),
    [
        ("3", "2", "-33.3"),
        ("3", "1", "-66.7"),
        ("35", "18", "-48.6"),
        ("4.5", "2.5", "-44.4"),
        ("8", "10", "25.0"),
        ("7", "7", "0.0"),
        ("0.0001", "0", "-100.0"),
    ],
)
def test_the_percentage_is_rounded_half_up_to_one_place(before, after, percent):
    assert effect(before, after).percent_change == Decimal(percent)


def test_there_is_no_percentage_of_nothing():
    from_zero = effect("0", "4")

    assert from_zero.percent_change is None
    assert from_zero.percent_text == from_zero.signed_percent_text == ""
    assert from_zero.direction == "up"
    assert effect("0", "0").direction == "same"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10", Decimal("10")),
        (" 2.5 ", Decimal("2.5")),
        ("12,000", Decimal("12000")),
        ("+3", Decimal("3")),
        (".5", Decimal("0.5")),
        ("0", Decimal("0")),
        ("1.2500", Decimal("1.25")),
        ("9999999999.9999", Decimal("9999999999.9999")),
    ],
)
def test_figures_are_read_from_text(text, expected):
    assert parse_figure(text) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "^Enter the figure$"),
        ("ten", "^Enter the figure as a number, like 10 or 2.5$"),
        ("1e3", "as a number"),
        ("NaN", "as a number"),
        ("Infinity", "as a number"),
        ("-1", "^The figure must be 0 or more$"),
        ("10000000000", "^The figure must be smaller than 10,000,000,000$"),
        ("1.23456", "^The figure must have no more than 4 decimal places$"),
        (0.1, "not a floating-point number"),
        (True, "not a floating-point number"),
        (None, "as a number"),
        (Decimal("NaN"), "as a number"),
        (Decimal("-0.5"), "0 or more"),
    ],
)
def test_figures_that_cannot_be_recorded_are_refused_with_a_reason(value, message):
    with pytest.raises(FigureError, match=message):
        parse_figure(value)


def test_the_message_names_the_figure():
    with pytest.raises(FigureError, match=r"^The after figure must be 0 or more$"):
        parse_figure("-2", name="the after figure")


def test_figures_are_shown_without_trailing_zeros_and_with_thousands():
    assert format_figure(Decimal("10.0000")) == "10"
    assert format_figure(Decimal("12000.50")) == "12,000.5"
    assert format_figure(Decimal("-8")) == "\u22128"
    assert format_figure(Decimal("0E-4")) == "0"


figures = st.decimals(min_value=0, max_value=Decimal("9999999999.9999"), places=4)


@given(before=figures, after=figures)
def test_change_and_percentage_agree_with_the_figures(before, after):
    result = Effect(before=before, after=after, unit="u")

    assert before + result.change == after
    if before == 0:
        assert result.percent_change is None
    else:
        exact = (after - before) * 100 / before
        assert abs(result.percent_change - exact) <= Decimal("0.05")
        assert (result.percent_change < 0) <= (result.direction == "down")


@given(figure=figures)
def test_a_figure_shown_to_people_reads_back_as_itself(figure):
    assert parse_figure(format_figure(figure)) == figure
