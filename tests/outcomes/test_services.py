"""The outcomes services: KPIs and readings (and their CSV import), appraisals, evidence,
savings and benefits realisation, and surveys with answers once each and follow-ups."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicflow.core.models import AuditEvent
from civicflow.core.personal_data import personal_data_erase, personal_data_export
from civicflow.initiatives import services as initiatives
from civicflow.notifications.models import Notification
from civicflow.outcomes import selectors, services
from civicflow.outcomes.models import Appraisal, Kpi, KpiReading, SurveyResponse
from tests.factories import UserFactory, member
from tests.initiatives.helpers import selected_idea
from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS, falls_kpi

pytestmark = pytest.mark.django_db


def errors_of(call, *args, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.message_dict


# KPIs ---------------------------------------------------------------------------------------


def test_a_lead_adds_a_kpi_and_the_audit_log_says_so(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    assert kpi.organisation == initiative.organisation
    assert kpi.baseline_value == 10 and kpi.target_value == 2
    event = AuditEvent.objects.for_target(initiative).get(action="outcomes.kpi_created")
    assert event.data["kpi"] == "Falls on the ward a month"


def test_the_owner_may_add_kpis_but_other_staff_and_outsiders_may_not(
    owner, staff_user, outsider, initiative
):
    falls_kpi(owner, initiative)
    for person in (staff_user, outsider):
        with pytest.raises(PermissionDenied):
            falls_kpi(person, initiative, name="Other")
    assert Kpi.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"name": " "}, "name", "Enter the KPI's name"),
        ({"direction": "sideways"}, "direction", "higher or lower"),
        ({"baseline_value": "ten"}, "baseline_value", "Enter a number"),
        ({"target_value": "2.00001"}, "target_value", "4 decimal places"),
        ({"target_value": "20"}, "target_value", "must be below the baseline"),
        ({"target_value": "10"}, "target_value", "must differ"),
        ({"target_on": date(2024, 12, 1)}, "target_on", "after the baseline date"),
        ({"baseline_on": None}, "baseline_on", "Enter the date"),
    ],
)
def test_kpi_input_is_checked(lead, initiative, changes, field, words):
    errors = errors_of(falls_kpi, lead, initiative, **changes)
    assert words in " ".join(errors[field])
    assert not Kpi.objects.exists()


def test_two_kpis_of_an_initiative_need_different_names(lead, initiative):
    falls_kpi(lead, initiative)
    assert "already" in errors_of(falls_kpi, lead, initiative)["name"][0]


def test_a_challenge_gets_its_problems_baseline_from_its_leads(lead, staff_user, organisation):
    challenge = selected_idea(lead, organisation).challenge
    kpi = falls_kpi(
        lead, challenge, name="Missed bins a week", baseline_value="120", target_value="60"
    )
    assert kpi.challenge == challenge and kpi.initiative is None
    with pytest.raises(PermissionDenied):
        falls_kpi(staff_user, challenge, name="Other")


def test_readings_one_a_day_and_not_in_the_future(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    services.reading_add(
        actor=lead, kpi=kpi, value="7", taken_on=date(2025, 3, 1), source="Datix", note="Winter"
    )
    again = errors_of(
        services.reading_add, actor=lead, kpi=kpi, value="6", taken_on=date(2025, 3, 1)
    )
    assert "already" in again["taken_on"][0]
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert (
        "past"
        in errors_of(services.reading_add, actor=lead, kpi=kpi, value="6", taken_on=tomorrow)[
            "taken_on"
        ][0]
    )
    assert kpi.readings.count() == 1


def test_status_from_the_readings(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    services.reading_add(actor=lead, kpi=kpi, value="2", taken_on=date(2025, 6, 30))
    row = selectors.kpi_rows(Kpi.objects.filter(pk=kpi.pk), today=date(2025, 7, 1))[0]
    # Falls went from 10 to 2: change −8 (−80 %), the whole way to the target.
    assert row.status.change == -8
    assert row.status.change_percent == -80
    assert row.status.progress == 1
    assert row.status.on_track is True


# CSV import -------------------------------------------------------------------------------

GOOD_AND_BAD = (
    "date,value,source,note\n"
    "2025-02-01,9,Datix,\n"
    "01/03/2025,8.5,Datix,Half-way through the pilot\n"
    "2025-13-01,7,Datix,\n"
    "2025-04-01,seven,Datix,\n"
    "2025-03-01,8,Datix,Same day as line 3\n"
    "\n"
    "2025-05-01,6,,\n"
)


def test_csv_import_adds_good_rows_and_reports_each_refused_one(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    report = services.kpi_readings_import(actor=lead, kpi=kpi, content=GOOD_AND_BAD.encode())
    assert report.rows == 6
    assert report.added == 3
    assert [line for line, _reason in report.refused] == [4, 5, 6]
    reasons = dict(report.refused)
    assert "2025-13-01" in reasons[4] and "not a date" in reasons[4]
    assert "Enter a number" in reasons[5]
    assert "already" in reasons[6]
    assert list(kpi.readings.values_list("value", flat=True)) == [
        Decimal("9"),
        Decimal("8.5"),
        Decimal("6"),
    ]
    event = AuditEvent.objects.for_target(kpi).get(action="outcomes.readings_imported")
    assert event.data == {"rows": 6, "added": 3, "refused": 3}


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (b"when,how many\n2025-01-01,3\n", "name the columns"),
        ("date,value\n2025-01-01,3\n".encode("utf-16"), "not UTF-8"),
        (b"date,value\n2025-01-01,3,extra,cells\n", "more cells"),
        (b'date,value\n2025-01-01,"3\n', "not valid CSV"),
    ],
)
def test_a_malformed_file_is_refused_whole(lead, initiative, content, words):
    kpi = falls_kpi(lead, initiative)
    errors = errors_of(services.kpi_readings_import, actor=lead, kpi=kpi, content=content)
    assert words in errors["file"][0]
    assert not KpiReading.objects.exists()


# Appraisals -------------------------------------------------------------------------------


def test_appraisals_are_stored_as_exact_text_and_computed_when_read(lead, initiative):
    cba = services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="Five years", inputs=CBA_INPUTS
    )
    sroi = services.appraisal_save(
        actor=lead, initiative=initiative, kind="sroi", title="Social value", inputs=SROI_INPUTS
    )
    assert cba.inputs["costs"][0] == {
        "year": 0,
        "amount": "1000",
        "cashable": True,
        "label": "Build",
    }
    views = {view.appraisal.kind: view.result for view in selectors.appraisals_of(initiative)}
    assert round(views["cba"].npv, 2) == Decimal("290.91")
    assert views["cba"].payback_year == 2
    assert round(views["sroi"].sroi_ratio, 4) == Decimal("1.5222")
    assert sroi.kind == "sroi"


def test_bad_appraisal_input_names_the_field_and_changes_nothing(lead, initiative):
    cba = services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="Five years", inputs=CBA_INPUTS
    )
    bad = {**CBA_INPUTS, "costs": [{"year": 2, "amount": "5"}, {"year": 1, "amount": "-5"}]}
    errors = errors_of(
        services.appraisal_save,
        actor=lead,
        initiative=initiative,
        kind="cba",
        title="Changed",
        inputs=bad,
        appraisal=cba,
    )
    assert "costs[1].amount" in errors and "costs[1].year" in errors
    cba.refresh_from_db()
    assert cba.title == "Five years" and cba.inputs["costs"][0]["amount"] == "1000"
    zero = {**SROI_INPUTS, "inputs": [{"label": "Nothing", "value": "0"}]}
    errors = errors_of(
        services.appraisal_save,
        actor=lead,
        initiative=initiative,
        kind="sroi",
        title="S",
        inputs=zero,
    )
    assert "add up to zero" in errors["inputs"][0]
    assert Appraisal.objects.count() == 1


def test_appraisals_are_for_those_who_run_the_initiative(staff_user, initiative, lead):
    with pytest.raises(PermissionDenied):
        services.appraisal_save(
            actor=staff_user, initiative=initiative, kind="cba", title="X", inputs=CBA_INPUTS
        )
    cba = services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="X", inputs=CBA_INPUTS
    )
    services.appraisal_delete(actor=lead, appraisal=cba)
    assert not Appraisal.objects.exists()
    event = AuditEvent.objects.for_target(initiative).get(action="outcomes.appraisal_deleted")
    assert event.data["inputs"]["optimism_bias"] == "0.2"


# Evidence and savings ----------------------------------------------------------------------


def test_evidence_level_with_justification_and_history(lead, initiative):
    assert (
        "Say why"
        in errors_of(
            services.evidence_assess, actor=lead, initiative=initiative, level=2, justification=""
        )["justification"][0]
    )
    assert (
        "1 to 5"
        in errors_of(
            services.evidence_assess, actor=lead, initiative=initiative, level=6, justification="x"
        )["level"][0]
    )
    services.evidence_assess(
        actor=lead, initiative=initiative, level=2, justification="Falls fell after the change."
    )
    services.evidence_assess(
        actor=lead, initiative=initiative, level=3, justification="Compared with two wards."
    )
    assert selectors.current_evidence(initiative).level == 3
    assert initiative.evidence_assessments.count() == 2


def test_quotes_and_stories(lead, initiative):
    services.qualitative_evidence_add(
        actor=lead,
        initiative=initiative,
        kind="quote",
        text="I can see my patients while I write.",
        attributed_to="A staff nurse on Ward 7",
    )
    errors = errors_of(
        services.qualitative_evidence_add,
        actor=lead,
        initiative=initiative,
        kind="poem",
        text="",
        attributed_to="",
    )
    assert set(errors) == {"kind", "text", "attributed_to"}
    assert selectors.stories_of(initiative).count() == 1


def test_savings_and_the_share_kept_by_the_service(lead, initiative, make_initiative):
    services.savings_set(
        actor=lead,
        initiative=initiative,
        financial_year=2025,
        planned="100000",
        realised="80000",
        kept_by_service="20000",
    )
    other = make_initiative(title="Shared night cover")
    services.savings_set(
        actor=lead, initiative=other, financial_year=2025, planned="8000000", realised="8000000"
    )
    errors = errors_of(
        services.savings_set,
        actor=lead,
        initiative=other,
        financial_year=2026,
        planned="10",
        realised="5",
        kept_by_service="6",
    )
    assert "cannot keep more than was realised" in errors["kept_by_service"][0]
    rows, totals = selectors.organisation_benefits(initiative.organisation)
    assert [row.initiative.title for row in rows] == [
        "Nurses' desks in the bays",
        "Shared night cover",
    ]
    assert totals.planned == Decimal("8100000")
    assert totals.realised == Decimal("8080000")
    # 20,000 kept of 8,080,000 realised.
    assert totals.kept_share == Decimal(20000) / Decimal(8080000)
    # Setting a year again replaces it.
    services.savings_set(
        actor=lead, initiative=initiative, financial_year=2025, planned="90000", realised=""
    )
    assert initiative.savings.get().realised is None


# Surveys ----------------------------------------------------------------------------------


def open_survey(lead, owner, **fields):
    survey = services.survey_create(actor=lead, owner=owner, title="Did it help?", **fields)
    services.question_add(actor=lead, survey=survey, kind="satisfaction", text="How satisfied?")
    services.question_add(actor=lead, survey=survey, kind="yes_no", text="Would you recommend it?")
    services.question_add(
        actor=lead,
        survey=survey,
        kind="choice",
        text="How did you hear?",
        choices=["Text", "Letter", "Friend"],
        required=False,
    )
    services.question_add(
        actor=lead, survey=survey, kind="text", text="Anything else?", required=False
    )
    services.survey_set_status(actor=lead, survey=survey, status="open")
    return survey


def answers(survey, rating="5", yes="yes", choice="Text", text=""):
    questions = list(survey.questions.all())
    return {
        questions[0].pk: rating,
        questions[1].pk: yes,
        questions[2].pk: choice,
        questions[3].pk: text,
    }


def test_a_participant_answers_once(lead, initiative, organisation):
    initiatives.initiative_edit(
        actor=lead,
        initiative=initiative,
        title=initiative.title,
        summary="",
        public=True,
        business_owner=initiative.business_owner,
        delivery_lead=None,
    )
    survey = open_survey(lead, initiative)
    resident = UserFactory()
    services.survey_answer(survey=survey, user=resident, answers=answers(survey, text="Great"))
    again = errors_of(services.survey_answer, survey=survey, user=resident, answers=answers(survey))
    assert "answered already" in again["__all__"][0]
    assert SurveyResponse.objects.count() == 1


def test_the_database_refuses_a_second_response(lead, initiative, staff_user):
    survey = open_survey(lead, initiative)
    SurveyResponse.objects.create(survey=survey, respondent=staff_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, respondent=staff_user)
    link = services.survey_links_make(actor=lead, survey=survey, count=1)[0]
    SurveyResponse.objects.create(survey=survey, link=link)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=survey, link=link)


def test_anonymous_links_are_single_use(lead, initiative):
    survey = open_survey(lead, initiative)
    first, second = services.survey_links_make(actor=lead, survey=survey, count=2)
    services.survey_answer(survey=survey, link=first, answers=answers(survey))
    assert (
        "answered already"
        in errors_of(services.survey_answer, survey=survey, link=first, answers=answers(survey))[
            "__all__"
        ][0]
    )
    services.survey_answer(survey=survey, link=second, answers=answers(survey, rating="2"))
    assert survey.responses.count() == 2


def test_answers_are_checked(lead, initiative, staff_user):
    survey = open_survey(lead, initiative)
    bad = answers(survey, rating="6", yes="maybe", choice="Radio")
    errors = errors_of(services.survey_answer, survey=survey, user=staff_user, answers=bad)
    assert len(errors) == 3
    missing = answers(survey, rating="")
    assert "Answer this question" in " ".join(
        errors_of(
            services.survey_answer, survey=survey, user=staff_user, answers=missing
        ).popitem()[1]
    )


def test_closed_and_hidden_surveys_take_no_answers(lead, initiative, outsider, staff_user):
    survey = open_survey(lead, initiative)
    with pytest.raises(PermissionDenied):  # a private initiative of another organisation
        services.survey_answer(survey=survey, user=outsider, answers=answers(survey))
    services.survey_set_status(actor=lead, survey=survey, status="closed")
    with pytest.raises(PermissionDenied):
        services.survey_answer(survey=survey, user=staff_user, answers=answers(survey))


def test_questions_only_while_draft_and_opening_needs_one(lead, initiative):
    survey = services.survey_create(actor=lead, owner=initiative, title="Empty")
    assert (
        "Add a question"
        in errors_of(services.survey_set_status, actor=lead, survey=survey, status="open")[
            "status"
        ][0]
    )
    assert (
        "2 to 12"
        in errors_of(
            services.question_add, actor=lead, survey=survey, kind="choice", text="Q", choices=["A"]
        )["choices"][0]
    )
    opened = open_survey(lead, initiative)
    assert (
        "draft"
        in errors_of(services.question_add, actor=lead, survey=opened, kind="text", text="Late?")[
            "text"
        ][0]
    )


def test_results_count_answers_and_score_satisfaction(lead, initiative, organisation):
    survey = open_survey(lead, initiative)
    for rating, yes, text in (("5", "yes", "Lovely"), ("4", "yes", ""), ("1", "no", "Too late")):
        services.survey_answer(
            survey=survey,
            user=member(organisation),
            answers=answers(survey, rating, yes, "Text", text),
        )
    responses, results = selectors.survey_results(survey)
    assert responses == 3
    satisfaction, recommend, heard, anything = results
    # Mean (5 + 4 + 1) / 3 = 3.33…; two of three gave 4 or 5.
    assert round(satisfaction.score, 2) == Decimal("3.33")
    assert satisfaction.satisfied_share == Decimal(2) / Decimal(3)
    assert satisfaction.counts == [("1", 1), ("2", 0), ("3", 0), ("4", 1), ("5", 1)]
    assert recommend.counts == [("yes", 2), ("no", 1)]
    assert heard.counts == [("Text", 3), ("Letter", 0), ("Friend", 0)]
    assert anything.texts == ["Lovely", "Too late"]


def test_a_follow_up_goes_to_the_people_affected_once_the_weeks_have_passed(
    lead, decider, organisation, owner
):
    from tests.initiatives.helpers import selected_idea

    idea = selected_idea(lead, organisation)
    supporter = UserFactory()
    from civicflow.ideas.models import Support

    Support.objects.create(idea=idea, user=supporter)
    initiative = initiatives.initiative_start(
        actor=lead, organisation=organisation, title="Texts", idea=idea, business_owner=owner
    )
    survey = open_survey(lead, initiative, follow_up_weeks=6)
    today = timezone.localdate()
    assert (
        services.follow_up_surveys_send(today=today + timedelta(weeks=10)) == 0
    )  # not implemented
    for _step in range(2):  # test → implement → evaluate
        initiatives.gate_decide(
            actor=decider, initiative=initiative, decision="go", reason="Going well."
        )
    assert services.follow_up_surveys_send(today=today + timedelta(weeks=5)) == 0
    assert services.follow_up_surveys_send(today=today + timedelta(weeks=6)) == 1
    assert services.follow_up_surveys_send(today=today + timedelta(weeks=7)) == 0
    told = set(
        Notification.objects.filter(kind="outcomes.follow_up").values_list(
            "recipient_id", flat=True
        )
    )
    assert {idea.author_id, supporter.pk} <= told
    survey.refresh_from_db()
    assert survey.follow_up_sent_at is not None


def test_a_follow_up_needs_an_initiative(lead, organisation):
    challenge = selected_idea(lead, organisation).challenge
    errors = errors_of(
        services.survey_create, actor=lead, owner=challenge, title="Q", follow_up_weeks=4
    )
    assert "initiative" in errors["follow_up_weeks"][0]


# Personal data ------------------------------------------------------------------------------


def test_a_persons_answers_are_downloaded_and_erased(lead, initiative, staff_user):
    survey = open_survey(lead, initiative)
    services.survey_answer(survey=survey, user=staff_user, answers=answers(survey, text="Good"))
    link = services.survey_links_make(actor=lead, survey=survey, count=1)[0]
    services.survey_answer(survey=survey, link=link, answers=answers(survey))
    exported = personal_data_export(staff_user)["survey_answers"]
    assert exported[0]["survey"] == "Did it help?"
    assert {"question": "How satisfied?", "answer": 5} in exported[0]["answers"]
    with transaction.atomic():
        personal_data_erase(staff_user)
    assert not SurveyResponse.objects.filter(respondent=staff_user).exists()
    assert SurveyResponse.objects.filter(link=link).exists()
