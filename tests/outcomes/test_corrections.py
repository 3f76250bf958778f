"""Putting mistakes right: a KPI reading corrected or deleted with its old figures kept in the
audit log, survey questions changed or removed until someone answers, and surveys withdrawn
(deleted when unanswered, archived with their answers otherwise), on pages and in the API."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicflow.core.models import AuditEvent
from civicflow.outcomes import selectors, services
from civicflow.outcomes.models import KpiReading, Question, Survey, SurveyResponse
from tests.outcomes.helpers import falls_kpi
from tests.outcomes.test_api import _api, fields, problem
from tests.outcomes.test_pages import text

pytestmark = pytest.mark.django_db


def errors_of(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    return caught.value.message_dict


@pytest.fixture
def kpi(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    services.reading_add(actor=lead, kpi=kpi, value="8", taken_on=date(2025, 3, 31))
    services.reading_add(actor=lead, kpi=kpi, value="40", taken_on=date(2025, 4, 30), note="x")
    return kpi


@pytest.fixture
def survey(lead, initiative):
    survey = services.survey_create(actor=lead, owner=initiative, title="Did the desks help?")
    for kind, words in (("yes_no", "Calmer?"), ("text", "Why?"), ("satisfaction", "Happy?")):
        services.question_add(actor=lead, survey=survey, kind=kind, text=words)
    return survey


def _answer(survey, user):
    given = {"yes_no": "yes", "satisfaction": "3", "text": "Fine"}
    answers = {
        q.pk: q.choices[0] if q.kind == "choice" else given[q.kind] for q in survey.questions.all()
    }
    return services.survey_answer(survey=survey, answers=answers, user=user)


# KPI readings ------------------------------------------------------------------------------


def test_a_correction_changes_the_reading_and_the_log_keeps_the_old_figures(lead, kpi):
    wrong = kpi.readings.get(taken_on=date(2025, 4, 30))
    services.reading_correct(
        actor=lead,
        reading=wrong,
        value="4",
        taken_on=date(2025, 4, 29),
        note="Typed 40 for 4",
        reason="A slip of the finger",
    )
    wrong.refresh_from_db()
    assert (wrong.value, wrong.taken_on, wrong.note) == (
        Decimal(4),
        date(2025, 4, 29),
        "Typed 40 for 4",
    )
    event = AuditEvent.objects.for_target(kpi).get(action="outcomes.reading_corrected")
    assert event.data["before"] == {
        "value": "40.0000",
        "taken_on": "2025-04-30",
        "source": "",
        "note": "x",
    }
    assert event.data["after"]["value"] == "4.0000"
    assert event.reason == "A slip of the finger"
    assert [e.pk for e in selectors.reading_corrections(kpi, wrong.pk)] == [event.pk]
    row = selectors.kpi_row(kpi, list(kpi.readings.order_by("taken_on")))
    assert row.status.latest.value == Decimal(4)


def test_a_correction_is_checked_and_changes_nothing_when_refused(lead, staff_user, kpi):
    wrong = kpi.readings.get(taken_on=date(2025, 4, 30))
    found = errors_of(
        services.reading_correct,
        actor=lead,
        reading=wrong,
        value="4",
        taken_on=date(2025, 3, 31),
    )
    assert "already" in found["taken_on"][0]
    found = errors_of(
        services.reading_correct,
        actor=lead,
        reading=wrong,
        value="four",
        taken_on=timezone.localdate() + timedelta(days=1),
    )
    assert set(found) == {"value", "taken_on"}
    with pytest.raises(PermissionDenied):
        services.reading_correct(
            actor=staff_user, reading=wrong, value="4", taken_on=wrong.taken_on
        )
    wrong.refresh_from_db()
    assert wrong.value == 40
    assert not AuditEvent.objects.filter(action="outcomes.reading_corrected").exists()
    # The reading keeps its own date: correcting only its value is no clash with itself.
    services.reading_correct(actor=lead, reading=wrong, value="5", taken_on=wrong.taken_on)


def test_a_deleted_reading_leaves_its_figures_in_the_log(lead, outsider, kpi):
    wrong = kpi.readings.get(taken_on=date(2025, 4, 30))
    with pytest.raises(PermissionDenied):
        services.reading_delete(actor=outsider, reading=wrong)
    services.reading_delete(actor=lead, reading=wrong, reason="Entered twice")
    assert list(kpi.readings.values_list("value", flat=True)) == [Decimal(8)]
    event = AuditEvent.objects.for_target(kpi).get(action="outcomes.reading_deleted")
    assert event.data["before"]["value"] == "40.0000" and event.reason == "Entered twice"


def test_the_kpi_page_links_corrections_and_the_pages_correct_and_delete(client, lead, kpi):
    wrong = kpi.readings.get(taken_on=date(2025, 4, 30))
    client.force_login(lead)
    page = client.get(kpi.get_absolute_url())
    assert reverse("outcomes:reading_edit", args=[wrong.pk]) in page.content.decode()
    edit = reverse("outcomes:reading_edit", args=[wrong.pk])
    refused = client.post(edit, {"value": "4", "taken_on": "2025-03-31"})
    assert refused.status_code == 400
    assert "There is a reading for this date already" in text(refused)
    done = client.post(edit, {"value": "4", "taken_on": "2025-04-30", "reason": "Slip"})
    assert done.status_code == 302
    wrong.refresh_from_db()
    assert wrong.value == 4
    assert "40 of 2025-04-30 corrected to 4 of 2025-04-30" in text(
        client.get(kpi.get_absolute_url())
    )
    assert "40 (2025-04-30) → 4 (2025-04-30)" in text(client.get(edit))

    delete = reverse("outcomes:reading_delete", args=[wrong.pk])
    confirm = client.get(delete)
    assert confirm.status_code == 200 and "Delete the reading of" in text(confirm)
    assert KpiReading.objects.filter(pk=wrong.pk).exists()  # asking deletes nothing
    assert client.post(delete, {"reason": ""}).status_code == 302
    assert not KpiReading.objects.filter(pk=wrong.pk).exists()


def test_staff_who_do_not_record_see_no_correction_links_and_are_refused(client, staff_user, kpi):
    wrong = kpi.readings.first()
    client.force_login(staff_user)
    assert (
        reverse("outcomes:reading_edit", args=[wrong.pk])
        not in client.get(kpi.get_absolute_url()).content.decode()
    )
    assert client.get(reverse("outcomes:reading_edit", args=[wrong.pk])).status_code == 403
    assert client.post(reverse("outcomes:reading_delete", args=[wrong.pk])).status_code == 403
    assert KpiReading.objects.filter(pk=wrong.pk).exists()


# Survey questions --------------------------------------------------------------------------


def test_questions_change_and_go_until_someone_answers(lead, staff_user, survey):
    first, second, third = survey.questions.order_by("position")
    services.question_edit(
        actor=lead, question=first, kind="choice", text="Which bay?", choices=["A", "B", " "]
    )
    first.refresh_from_db()
    assert (first.kind, first.text, first.choices) == ("choice", "Which bay?", ["A", "B"])
    found = errors_of(services.question_edit, actor=lead, question=second, kind="choice", text="")
    assert set(found) == {"text", "choices"}
    services.question_delete(actor=lead, question=second)
    assert list(survey.questions.values_list("text", "position")) == [
        ("Which bay?", 1),
        ("Happy?", 2),
    ]
    assert AuditEvent.objects.filter(action="outcomes.question_deleted").count() == 1

    services.survey_set_status(actor=lead, survey=survey, status="open")
    # Open, but nobody has answered yet: it may still change.
    services.question_edit(actor=lead, question=third, kind="satisfaction", text="How happy?")
    _answer(survey, staff_user)
    found = errors_of(
        services.question_edit, actor=lead, question=third, kind="yes_no", text="Happy?"
    )
    assert "People have answered this survey" in found["text"][0]
    found = errors_of(services.question_delete, actor=lead, question=third)
    assert "People have answered this survey" in found["question"][0]
    assert survey.questions.count() == 2


def test_the_last_question_of_an_open_survey_stays(lead, initiative):
    survey = services.survey_create(actor=lead, owner=initiative, title="One")
    only = services.question_add(actor=lead, survey=survey, kind="yes_no", text="Better?")
    services.survey_set_status(actor=lead, survey=survey, status="open")
    found = errors_of(services.question_delete, actor=lead, question=only)
    assert "needs a question" in found["question"][0]


def test_question_pages_change_remove_and_refuse_once_answered(client, lead, staff_user, survey):
    first = survey.questions.get(position=1)
    client.force_login(lead)
    page = client.get(survey.get_absolute_url()).content.decode()
    assert reverse("outcomes:question_edit", args=[first.pk]) in page
    edit = reverse("outcomes:question_edit", args=[first.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"text": "Calmer at night?", "kind": "yes_no", "required": "on"})
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.text == "Calmer at night?"
    remove = reverse("outcomes:question_delete", args=[survey.questions.get(position=2).pk])
    assert "Remove this question?" in text(client.get(remove))
    assert client.post(remove).status_code == 302
    assert survey.questions.count() == 2

    services.survey_set_status(actor=lead, survey=survey, status="open")
    _answer(survey, staff_user)
    page = client.get(survey.get_absolute_url())
    assert edit not in page.content.decode()
    assert "its questions can no longer change" in text(page)
    assert "can no longer change" in text(client.get(edit))
    refused = client.post(edit, {"text": "Other?", "kind": "yes_no"})
    assert refused.status_code == 400 and "People have answered" in text(refused)
    client.force_login(staff_user)
    assert client.get(edit).status_code == 403


# Withdrawing surveys -----------------------------------------------------------------------


def test_an_unanswered_survey_is_deleted_and_the_log_keeps_its_questions(lead, initiative, survey):
    assert services.survey_withdraw(actor=lead, survey=survey, reason="Wrong ward") is None
    assert not Survey.objects.exists() and not Question.objects.exists()
    event = AuditEvent.objects.for_target(initiative).get(action="outcomes.survey_deleted")
    assert event.data["questions"] == ["Calmer?", "Why?", "Happy?"]
    assert event.reason == "Wrong ward"


def test_an_answered_survey_is_archived_with_its_answers(lead, staff_user, outsider, survey):
    services.survey_set_status(actor=lead, survey=survey, status="open")
    _answer(survey, staff_user)
    with pytest.raises(PermissionDenied):
        services.survey_withdraw(actor=outsider, survey=survey)
    kept = services.survey_withdraw(actor=lead, survey=survey)
    assert kept is not None and kept.status == "archived"
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    responses, _results = selectors.survey_results(survey)
    assert responses == 1
    for call, kwargs in (
        (services.survey_set_status, {"status": "open"}),
        (services.survey_links_make, {"count": 1}),
        (services.survey_withdraw, {}),
    ):
        with pytest.raises(ValidationError):
            call(actor=lead, survey=survey, **kwargs)
    with pytest.raises(PermissionDenied):
        _answer(survey, lead)


def test_the_withdraw_page_says_what_will_happen(client, lead, staff_user, initiative, survey):
    client.force_login(lead)
    withdraw = reverse("outcomes:survey_withdraw", args=[survey.pk])
    assert "it will be deleted" in text(client.get(withdraw))
    services.survey_set_status(actor=lead, survey=survey, status="open")
    _answer(survey, staff_user)
    page = text(client.get(withdraw))
    assert "closed for good and archived" in page and "1 responses stay" in page
    response = client.post(withdraw, {"reason": "Ward closed"})
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("outcomes:survey_results", args=[survey.pk])
    survey.refresh_from_db()
    assert survey.status == "archived"
    assert "has been withdrawn" in text(client.get(survey.get_absolute_url()))

    other = services.survey_create(actor=lead, owner=initiative, title="Empty")
    response = client.post(reverse("outcomes:survey_withdraw", args=[other.pk]))
    assert response.headers["Location"] == reverse("outcomes:initiative", args=[initiative.pk])
    assert not Survey.objects.filter(pk=other.pk).exists()


# The API -----------------------------------------------------------------------------------


def test_the_api_corrects_and_deletes_readings(lead, staff_user, outsider, kpi):
    wrong = kpi.readings.get(taken_on=date(2025, 4, 30))
    url = f"/api/v1/kpi-readings/{wrong.pk}"
    body = {"value": "4", "taken_on": "2025-04-30", "note": "Typed 40", "reason": "Slip"}
    response = _api(lead).send("PUT", url, body)
    assert response.status_code == 200, response.content
    assert response.json()["value"] == "4.0000" and response.json()["note"] == "Typed 40"
    clash = fields(problem(_api(lead).send("PUT", url, {**body, "taken_on": "2025-03-31"}), 422))
    assert "taken_on" in clash
    problem(_api(staff_user).send("PUT", url, body), 403)
    problem(_api(outsider).send("PUT", url, body), 404)
    problem(_api(outsider).send("DELETE", url), 404)
    assert _api(lead).send("DELETE", url).status_code == 204
    assert not KpiReading.objects.filter(pk=wrong.pk).exists()
    assert AuditEvent.objects.filter(action="outcomes.reading_deleted").count() == 1


def test_the_api_changes_questions_until_answered_and_withdraws_surveys(lead, staff_user, survey):
    first = survey.questions.get(position=1)
    url = f"/api/v1/survey-questions/{first.pk}"
    response = _api(lead).send(
        "PUT", url, {"kind": "choice", "text": "Which bay?", "choices": ["A", "B"]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["choices"] == ["A", "B"]
    second = survey.questions.get(position=2)
    assert _api(lead).send("DELETE", f"/api/v1/survey-questions/{second.pk}").status_code == 204
    services.survey_set_status(actor=lead, survey=survey, status="open")
    services.survey_answer(
        survey=survey,
        answers={first.pk: "A", survey.questions.get(position=2).pk: "4"},
        user=staff_user,
    )
    found = fields(problem(_api(lead).send("PUT", url, {"kind": "yes_no", "text": "X?"}), 422))
    assert "People have answered" in found["text"]
    problem(_api(lead).send("DELETE", url), 422)

    withdrawn = _api(lead).send("DELETE", f"/api/v1/surveys/{survey.pk}")
    assert withdrawn.status_code == 200
    assert withdrawn.json()["status"] == "archived"
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    problem(_api(lead).send("DELETE", f"/api/v1/surveys/{survey.pk}"), 422)
    empty = services.survey_create(actor=lead, owner=survey.initiative, title="Empty")
    problem(_api(staff_user).send("DELETE", f"/api/v1/surveys/{empty.pk}"), 403)
    assert _api(lead).send("DELETE", f"/api/v1/surveys/{empty.pk}").status_code == 204
    assert not Survey.objects.filter(pk=empty.pk).exists()
