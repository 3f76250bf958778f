"""The outcomes pages: an initiative's outcomes beside its other details, a KPI's chart and
table, the CSV import's report, the appraisal editors and results, evidence, savings and
benefits realisation, and surveys answered once, signed in or through an anonymous link."""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicflow.initiatives import services as initiatives
from civicflow.outcomes import services
from civicflow.outcomes.models import Appraisal, KpiReading, SurveyResponse
from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS, falls_kpi

pytestmark = pytest.mark.django_db


def text(response) -> str:
    body = response.content.decode()
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", body, flags=re.S)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip())


def url(name: str, *args) -> str:
    return reverse(f"outcomes:{name}", args=args)


def make_public(lead, initiative):
    initiatives.initiative_edit(
        actor=lead,
        initiative=initiative,
        title=initiative.title,
        summary="",
        public=True,
        business_owner=initiative.business_owner,
        delivery_lead=None,
    )


@pytest.fixture
def measured(lead, initiative):
    """An initiative with a KPI and readings, both appraisals, evidence, a story, savings and
    an open survey."""
    kpi = falls_kpi(lead, initiative)
    services.reading_add(actor=lead, kpi=kpi, value="2", taken_on=date(2025, 6, 30), source="Datix")
    services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="Five years", inputs=CBA_INPUTS
    )
    services.appraisal_save(
        actor=lead, initiative=initiative, kind="sroi", title="Social value", inputs=SROI_INPUTS
    )
    services.evidence_assess(
        actor=lead, initiative=initiative, level=2, justification="Falls fell by 80%."
    )
    services.qualitative_evidence_add(
        actor=lead,
        initiative=initiative,
        kind="quote",
        text="I can see my patients.",
        attributed_to="A nurse",
    )
    services.savings_set(
        actor=lead,
        initiative=initiative,
        financial_year=2025,
        planned="50000",
        realised="40000",
        kept_by_service="10000",
    )
    survey = services.survey_create(actor=lead, owner=initiative, title="Did the desks help?")
    services.question_add(
        actor=lead, survey=survey, kind="satisfaction", text="How satisfied are you?"
    )
    services.question_add(
        actor=lead, survey=survey, kind="text", text="Tell us more", required=False
    )
    services.survey_set_status(actor=lead, survey=survey, status="open")
    return {"kpi": kpi, "survey": survey}


def test_the_initiative_page_shows_kpis_appraisals_evidence_surveys_side_by_side(
    client_for, staff_user, initiative, measured
):
    response = client_for(staff_user).get(initiative.get_absolute_url())
    title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)
    assert "Outcomes" not in title
    page = text(response)
    assert "Outcomes and evidence" in page
    assert "Falls on the ward a month : 2 falls, 100.0 % of the way to the target On track" in page
    assert "net present value £290.91, benefit–cost ratio 1.22" in page
    assert "SROI ratio 1.52 : 1" in page
    assert "Level 2: data show a positive change" in page
    assert "I can see my patients." in page
    assert "Did the desks help?" in page
    assert "£40,000.00 realised of £50,000.00 planned; 25.0 % kept by the service" in page


def test_the_outcomes_page_for_the_public_and_for_leads(client_for, lead, initiative, measured):
    make_public(lead, initiative)
    public = client_for().get(url("initiative", initiative.pk))
    assert public.status_code == 200
    assert "Add a KPI" not in text(public)
    assert "Falls on the ward a month" in text(public)
    assert "Add a KPI" in text(client_for(lead).get(url("initiative", initiative.pk)))


def test_a_lead_adds_a_kpi_and_errors_are_shown(client_for, lead, initiative):
    client = client_for(lead)
    bad = client.post(
        url("initiative", initiative.pk),
        {
            "name": "Wait",
            "direction": "lower",
            "baseline_value": "10",
            "baseline_on": "2025-01-01",
            "target_value": "12",
            "target_on": "2025-12-31",
        },
    )
    assert bad.status_code == 400
    assert "Lower is better, so the target must be below the baseline." in text(bad)
    good = client.post(
        url("initiative", initiative.pk),
        {
            "name": "Wait",
            "unit": "days",
            "direction": "lower",
            "baseline_value": "10",
            "baseline_on": "2025-01-01",
            "target_value": "5",
            "target_on": "2025-12-31",
        },
    )
    assert good.status_code == 302


def test_the_kpi_page_has_an_accessible_chart_and_the_table(client_for, staff_user, measured):
    response = client_for(staff_user).get(url("kpi", measured["kpi"].pk))
    body = response.content.decode()
    assert 'role="img"' in body and '<title id="kpi-title">' in body
    assert "<polyline" in body
    page = text(response)
    assert "30 Jun 2025 2 Datix" in page
    assert "Record a reading" not in page  # staff who do not run it only read


def test_recording_a_reading_and_importing_a_csv(client_for, lead, measured):
    client = client_for(lead)
    kpi = measured["kpi"]
    assert (
        client.post(url("kpi", kpi.pk), {"value": "3", "taken_on": "2025-07-31"}).status_code == 302
    )
    upload = SimpleUploadedFile(
        "falls.csv",
        b"date,value,source\n2025-08-31,2,Datix\n2025-09-31,1,Datix\n",
        content_type="text/csv",
    )
    response = client.post(url("kpi_import", kpi.pk), {"file": upload})
    page = text(response)
    assert "1 reading added" in page
    assert "1 row refused" in page and "2025-09-31" in page
    malformed = SimpleUploadedFile("x.csv", b"when,what\n1,2\n", content_type="text/csv")
    response = client.post(url("kpi_import", kpi.pk), {"file": malformed})
    assert response.status_code == 400
    assert "The first row must name the columns" in text(response)
    assert KpiReading.objects.filter(kpi=kpi).count() == 3


def test_the_cba_editor_shows_errors_on_their_rows_and_saves(client_for, lead, initiative):
    client = client_for(lead)
    assert client.get(url("appraisal_new", initiative.pk, "cba")).status_code == 200
    form = {
        "title": "Desks",
        "discount": "",
        "optimism_bias": "0.2",
        "line0_kind": "cost",
        "line0_year": "0",
        "line0_amount": "-1000",
        "line0_cashable": "on",
        "line1_kind": "benefit",
        "line1_year": "1",
        "line1_amount": "660",
    }
    bad = client.post(url("appraisal_new", initiative.pk, "cba"), form)
    assert bad.status_code == 400
    assert 'id="id_line0_amount-error"' in bad.content.decode()
    assert not Appraisal.objects.exists()
    form["line0_amount"] = "1000"
    saved = client.post(url("appraisal_new", initiative.pk, "cba"), form)
    appraisal = Appraisal.objects.get()
    assert saved.status_code == 302 and saved["Location"] == url("appraisal", appraisal.pk)
    results = text(client.get(saved["Location"]))
    assert "HM Treasury Green Book schedule" in results
    assert "Present value of costs £1,200.00" in results
    edit = client.get(url("appraisal_edit", appraisal.pk))
    assert 'value="660"' in edit.content.decode()


def test_the_sroi_results_page(client_for, staff_user, measured, initiative):
    appraisal = Appraisal.objects.get(kind="sroi")
    page = text(client_for(staff_user).get(url("appraisal", appraisal.pk)))
    assert "SROI ratio 1.52 : 1" in page
    assert "People back in work 1 £600.00 £579.71" in page


def test_evidence_and_savings_pages(client_for, lead, initiative):
    client = client_for(lead)
    response = client.post(
        url("evidence", initiative.pk),
        {
            "action": "level",
            "level-level": "3",
            "level-justification": "Compared with a ward that did not change.",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url("savings", initiative.pk),
        {"financial_year": "2025", "planned": "100", "realised": "50", "kept_by_service": "60"},
    )
    assert response.status_code == 400
    assert "cannot keep more than was realised" in text(response)


def test_benefits_realisation_for_members_only(
    client_for, staff_user, outsider, organisation, measured
):
    page = text(client_for(staff_user).get(url("benefits", organisation.slug)))
    assert "Nurses' desks in the bays £50,000.00 £40,000.00 £10,000.00 25.0 %" in page
    assert client_for(outsider).get(url("benefits", organisation.slug)).status_code == 404


def test_a_participant_answers_once_and_staff_see_the_results(
    client_for, lead, initiative, measured, resident, staff_user
):
    make_public(lead, initiative)
    survey = measured["survey"]
    first_question, second = survey.questions.all()
    client = client_for(resident)
    missing = client.post(url("survey_answer", survey.pk), {})
    assert missing.status_code == 400 and "Answer this question" in text(missing)
    done = client.post(
        url("survey_answer", survey.pk),
        {f"q{first_question.pk}": "4", f"q{second.pk}": "Much calmer."},
    )
    assert "Thank you for your answers" in text(done)
    again = client.get(url("survey_answer", survey.pk))
    assert "You have answered this survey" in text(again)
    results = text(client_for(staff_user).get(url("survey_results", survey.pk)))
    assert "Satisfaction score 4.00 out of 5; 100.0 % satisfied" in results
    assert "Much calmer." in results
    assert client_for(resident).get(url("survey_results", survey.pk)).status_code == 404


def test_an_anonymous_link_works_once(client_for, lead, measured):
    survey = measured["survey"]
    made = client_for(lead).post(url("survey", survey.pk), {"action": "links", "links-count": "1"})
    link = re.search(r"/survey-links/([^/]+)/", made.content.decode()).group(0)
    first_question = survey.questions.first()
    anonymous = client_for()
    assert "anonymous" in text(anonymous.get(link))
    assert "Thank you" in text(anonymous.post(link, {f"q{first_question.pk}": "2"}))
    assert "You have answered this survey" in text(
        anonymous.post(link, {f"q{first_question.pk}": "5"})
    )
    assert SurveyResponse.objects.filter(link__isnull=False).count() == 1
    assert client_for().get("/survey-links/nonsense/").status_code == 404


def test_survey_set_up_by_page(client_for, lead, initiative):
    client = client_for(lead)
    response = client.post(
        url("survey_new", initiative.pk), {"title": "Six weeks on", "follow_up_weeks": "6"}
    )
    assert response.status_code == 302
    survey_url = response["Location"]
    client.post(
        survey_url,
        {"action": "question", "q-text": "Did it help?", "q-kind": "yes_no", "q-required": "on"},
    )
    client.post(survey_url, {"action": "open"})
    page = text(client.get(survey_url))
    assert "Did it help? (Yes or no)" in page
    assert "Close the survey" in page
    assert "A follow-up: sent 6 weeks after the initiative is implemented" in page


def test_a_challenges_kpis(client_for, lead, organisation, staff_user):
    from tests.initiatives.helpers import selected_idea

    challenge = selected_idea(lead, organisation).challenge
    falls_kpi(lead, challenge, name="Missed bins a week", baseline_value="120", target_value="60")
    page = text(client_for(staff_user).get(url("challenge_kpis", challenge.pk)))
    assert "Missed bins a week" in page
    assert client_for(staff_user).post(url("challenge_kpis", challenge.pk), {}).status_code == 403
