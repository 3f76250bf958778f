"""Dates on the initiatives and outcomes forms: GOV.UK's date input, day, month and year in
that order whatever the browser's language, checked part by part."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.urls import reverse

from civicflow.initiatives.forms import MilestoneForm, RegisterFilterForm, StagePlanForm
from tests.initiatives.test_pages import text


def test_day_month_and_year_make_a_date():
    form = MilestoneForm(
        {"title": "Go live", "due_on_day": "31", "due_on_month": "3", "due_on_year": "2026"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["due_on"] == date(2026, 3, 31)


def test_a_whole_date_is_still_read():
    for typed in ("2026-03-31", "31/03/2026"):
        form = MilestoneForm({"title": "Go live", "due_on": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["due_on"] == date(2026, 3, 31)


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "3", "2026", "The date must include a day"),
        ("31", "", "", "The date must include a month and a year"),
        ("30", "2", "2026", "Enter a real date, for example 31 3 2026"),
        ("31", "3", "26", "The year must have 4 numbers"),
        ("3l", "3", "2026", "Enter a real date, for example 31 3 2026"),
        ("", "", "", "This field is required."),
    ],
)
def test_a_date_with_a_part_missing_or_wrong_says_what_to_fix(day, month, year, message):
    form = MilestoneForm(
        {"title": "Go live", "due_on_day": day, "due_on_month": month, "due_on_year": year}
    )
    assert not form.is_valid()
    assert form.errors["due_on"] == [message]


def test_an_optional_date_left_empty_is_none():
    form = StagePlanForm(
        {"plan-stage": "test", "plan-planned_start_day": "", "plan-planned_start_month": ""},
        prefix="plan",
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["planned_start"] is None


def render(field) -> str:
    return Template("{% load govuk %}{% govuk_field field %}").render(Context({"field": field}))


def test_the_field_is_drawn_as_a_govuk_date_input():
    html = render(
        StagePlanForm(initial={"planned_start": date(2026, 3, 31)}, prefix="plan")["planned_start"]
    )
    assert '<fieldset class="govuk-fieldset" role="group"' in html
    assert "Planned start (optional)</legend>" in html
    assert 'type="date"' not in html
    for part, value, width in (("day", "31", 2), ("month", "3", 2), ("year", "2026", 4)):
        assert (
            f'govuk-input--width-{width}" id="id_plan-planned_start_{part}" '
            f'name="plan-planned_start_{part}" type="text" inputmode="numeric" value="{value}"'
        ) in html


def test_what_was_typed_comes_back_with_the_error():
    form = MilestoneForm(
        {"title": "Go live", "due_on_day": "30", "due_on_month": "2", "due_on_year": "2026"}
    )
    assert not form.is_valid()
    html = render(form["due_on"])
    assert "govuk-form-group--error" in html
    assert 'id="id_due_on_day" name="due_on_day" type="text" inputmode="numeric" value="30"' in html
    assert form["due_on"].id_for_label == "id_due_on_day"  # the error summary links here


def test_the_register_filters_by_day_month_and_year():
    form = RegisterFilterForm({"since_day": "1", "since_month": "4", "since_year": "2026"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["since"] == date(2026, 4, 1)


@pytest.mark.django_db
def test_the_plan_page_saves_a_date_typed_in_parts(client_for, lead, initiative):
    response = client_for(lead).post(
        reverse("initiatives:plan", args=[initiative.pk]),
        {
            "action": "plan",
            "plan-stage": "test",
            "plan-planned_start_day": "31",
            "plan-planned_start_month": "3",
            "plan-planned_start_year": "2026",
            "plan-spent": "0",
        },
    )
    assert response.status_code == 302, text(response)
    assert initiative.plans.get().planned_start == date(2026, 3, 31)


def test_review_dates_are_read_day_first_or_as_iso():
    from civicflow.initiatives.forms import EvaluationForm

    form = EvaluationForm(
        {
            "question": "Fewer missed bins?",
            "design": "comparison",
            "review_dates": "30 9 2026\n31/3/2027\n2027-09-30\n",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["review_dates"] == [
        date(2026, 9, 30),
        date(2027, 3, 31),
        date(2027, 9, 30),
    ]
    for wrong in ("9/30/2026", "30 9 26", "next spring"):
        form = EvaluationForm({"question": "Q?", "design": "comparison", "review_dates": wrong})
        assert not form.is_valid(), wrong
