"""The outcomes API: the same services, rules and arithmetic as the pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.outcomes import services
from civicflow.outcomes.models import Appraisal, Kpi, KpiReading, Survey, SurveyResponse
from tests.api.conftest import ApiClient
from tests.factories import UserFactory
from tests.initiatives.helpers import selected_idea
from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS, falls_kpi

pytestmark = pytest.mark.django_db


def _api(user=None) -> ApiClient:
    if user is None:
        return ApiClient()
    _token, secret = accounts_services.api_token_create(user=user, name="Outcomes script")
    return ApiClient(secret)


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def fields(body: dict) -> dict[str, str]:
    return {error["field"]: error["message"] for error in body.get("errors", [])}


KPI = {
    "name": "Falls on the ward a month",
    "unit": "falls",
    "direction": "lower",
    "baseline_value": "10",
    "baseline_on": "2025-01-01",
    "target_value": "2",
    "target_on": "2025-12-31",
}


# KPIs --------------------------------------------------------------------------------------


def test_a_lead_adds_a_kpi_records_readings_and_reads_its_status(lead, initiative):
    api = _api(lead)
    response = api.send("POST", f"/api/v1/initiatives/{initiative.pk}/kpis", KPI)
    assert response.status_code == 201, response.content
    kpi = response.json()
    assert kpi["baseline_value"] == "10.0000"
    assert kpi["latest"] is None and kpi["on_track"] is None

    reading = api.send(
        "POST",
        f"/api/v1/kpis/{kpi['id']}/readings",
        {"value": "4", "taken_on": "2025-07-02", "source": "Datix"},
    )
    assert reading.status_code == 201, reading.content
    assert reading.json()["source"] == "Datix"

    body = api.send("GET", f"/api/v1/kpis/{kpi['id']}").json()
    # Working: change 4 − 10 = −6, −60 % of the baseline; progress −6 / (2 − 10) = 0.75.
    assert body["latest"] == {"value": "4.0000", "taken_on": "2025-07-02"}
    assert Decimal(body["change"]) == Decimal(-6)
    assert body["change_percent"] == "-60.0000"
    assert body["progress"] == "0.7500"
    assert body["readings"] == 1
    # Today is past the target date, so the straight line says 2: 4 falls is not on track.
    if timezone.localdate() > date(2025, 12, 31):
        assert body["expected"] == "2.0000"
        assert body["on_track"] is False
    assert body["improved"] is True

    listed = api.send("GET", f"/api/v1/initiatives/{initiative.pk}/kpis").json()
    assert [k["name"] for k in listed] == ["Falls on the ward a month"]
    page = api.send("GET", f"/api/v1/kpis/{kpi['id']}/readings").json()
    assert page["count"] == 1 and page["items"][0]["value"] == "4.0000"


def test_kpi_and_reading_input_is_checked_and_nothing_is_stored(lead, initiative):
    api = _api(lead)
    body = problem(
        api.send(
            "POST",
            f"/api/v1/initiatives/{initiative.pk}/kpis",
            {**KPI, "target_value": "12", "target_on": "2024-12-31"},
        ),
        422,
    )
    assert "below the baseline" in fields(body)["target_value"]
    assert "after the baseline" in fields(body)["target_on"]
    assert not Kpi.objects.exists()

    kpi = falls_kpi(lead, initiative)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    body = problem(
        api.send(
            "POST",
            f"/api/v1/kpis/{kpi.pk}/readings",
            {"value": "1.23456", "taken_on": tomorrow},
        ),
        422,
    )
    assert "4 decimal places" in fields(body)["value"]
    assert "today or in the past" in fields(body)["taken_on"]
    body = problem(
        api.send("POST", f"/api/v1/kpis/{kpi.pk}/readings", {"value": "NaN", "taken_on": tomorrow}),
        422,
    )
    assert not KpiReading.objects.exists()


def test_a_csv_import_reports_the_refused_rows(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    api = _api(lead)
    content = (
        b"date,value,source\n"
        b"2025-02-01,9,Datix\n"
        b"31/03/2025,7,Datix\n"
        b"2025-04-31,6,Datix\n"
        b"2025-05-01,lots,Datix\n"
    )
    response = api.post(
        f"/api/v1/kpis/{kpi.pk}/readings/import",
        {"file": SimpleUploadedFile("falls.csv", content, "text/csv")},
    )
    assert response.status_code == 200, response.content
    report = response.json()
    assert report["rows"] == 4 and report["added"] == 2
    assert [row["line"] for row in report["refused"]] == [4, 5]
    assert "2025-04-31" in report["refused"][0]["reason"]
    assert "number" in report["refused"][1]["reason"]
    assert kpi.readings.count() == 2


def test_a_malformed_csv_file_is_refused_whole(lead, initiative):
    kpi = falls_kpi(lead, initiative)
    response = _api(lead).post(
        f"/api/v1/kpis/{kpi.pk}/readings/import",
        {"file": SimpleUploadedFile("falls.csv", b"when,how many\n2025-02-01,9\n", "text/csv")},
    )
    body = problem(response, 422)
    assert "date and value" in fields(body)["file"]
    assert not kpi.readings.exists()


def test_a_challenge_gets_kpis_from_its_leads_and_anyone_reads_them(lead, staff_user, organisation):
    challenge = selected_idea(lead, organisation).challenge
    body = KPI | {"name": "Missed bins a week", "baseline_value": "120", "target_value": "60"}
    problem(_api(staff_user).send("POST", f"/api/v1/challenges/{challenge.pk}/kpis", body), 403)
    created = _api(lead).send("POST", f"/api/v1/challenges/{challenge.pk}/kpis", body)
    assert created.status_code == 201, created.content
    assert created.json()["challenge_id"] == challenge.pk
    listed = _api().send("GET", f"/api/v1/challenges/{challenge.pk}/kpis").json()
    assert [k["name"] for k in listed] == ["Missed bins a week"]


def test_those_who_do_not_run_the_initiative_record_nothing(lead, staff_user, outsider, initiative):
    kpi = falls_kpi(lead, initiative)
    reading = {"value": "3", "taken_on": "2025-03-01"}
    problem(_api(staff_user).send("POST", f"/api/v1/kpis/{kpi.pk}/readings", reading), 403)
    problem(_api(outsider).send("POST", f"/api/v1/kpis/{kpi.pk}/readings", reading), 404)
    problem(_api(outsider).send("GET", f"/api/v1/kpis/{kpi.pk}"), 404)
    problem(_api().send("GET", f"/api/v1/kpis/{kpi.pk}"), 401)
    problem(_api(lead).send("GET", f"/api/v1/kpis/{2**64}"), 404)
    assert _api(staff_user).send("GET", f"/api/v1/kpis/{kpi.pk}").status_code == 200
    assert not kpi.readings.exists()


# Appraisals --------------------------------------------------------------------------------


def test_a_cost_benefit_analysis_comes_back_with_the_issues_keys(lead, initiative):
    api = _api(lead)
    response = api.send(
        "POST",
        f"/api/v1/initiatives/{initiative.pk}/appraisals",
        {"kind": "cba", "title": "Three-year CBA", "inputs": CBA_INPUTS},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    results = body["results"]
    # Working, at 10 % with a 20 % uplift on costs:
    #   costs:    1200 in year 0, 120 / 1.1 = 109.0909… in year 1  → PV 1309.09
    #   benefits: 660 / 1.1 = 600 in year 1, 1210 / 1.21 = 1000 in year 2 → PV 1600
    #   NPV 290.91, BCR 1600 / 1309.0909… = 1.2222, switching value 290.909… / 1600 = 0.1818
    #   cumulative: −1200, −709.09, +290.91 → payback in year 2
    assert results["pv_costs"] == "1309.09"
    assert results["pv_benefits"] == "1600.00"
    assert results["npv"] == "290.91"
    assert results["bcr"] == "1.2222"
    assert results["switching_value"] == "0.1818"
    assert results["payback_year"] == 2
    assert results["discount"] == "0.1"
    assert results["discount_factors"][:2] == ["1.0000000000", "0.9090909091"]
    assert results["pv_costs_cashable"] == "1200.00"
    assert results["pv_benefits_non_cashable"] == "1000.00"
    assert [row["year"] for row in results["years"]] == [0, 1, 2]
    assert body["inputs"]["costs"][0]["amount"] == "1000"

    changed = api.send(
        "PUT",
        f"/api/v1/appraisals/{body['id']}",
        {"title": "Green Book CBA", "inputs": {**CBA_INPUTS, "discount": "green-book"}},
    )
    assert changed.status_code == 200, changed.content
    # Green Book: DF(1) = 1 / 1.035 = 0.9661835749.
    assert changed.json()["results"]["discount"] == "green-book"
    assert changed.json()["results"]["discount_factors"][1] == "0.9661835749"
    assert api.send("GET", f"/api/v1/appraisals/{body['id']}").json()["title"] == "Green Book CBA"


def test_an_sroi_comes_back_with_the_issues_keys(lead, initiative, staff_user):
    response = _api(lead).send(
        "POST",
        f"/api/v1/initiatives/{initiative.pk}/appraisals",
        {"kind": "sroi", "title": "SROI", "inputs": SROI_INPUTS},
    )
    assert response.status_code == 201, response.content
    results = response.json()["results"]
    # Working: year 1 impact 10 × 100 × 0.8 × 1 × 0.75 = 600, then 540 and 486 (10 % drop-off);
    # present values 600 / 1.035, 540 / 1.035², 486 / 1.035³.
    pv = [Decimal(600) / Decimal("1.035"), Decimal(540) / Decimal("1.035") ** 2]
    pv.append(Decimal(486) / Decimal("1.035") ** 3)
    total = sum(pv, Decimal(0))
    assert results["total_pv"] == str(total.quantize(Decimal("0.01")))
    assert results["net_pv"] == str((total - 1000).quantize(Decimal("0.01")))
    assert results["sroi_ratio"] == str((total / 1000).quantize(Decimal("0.0001")))
    outcome = results["by_outcome"][0]
    assert [y["impact"] for y in outcome["years"]] == ["600.00", "540.00", "486.00"]
    listed = _api(staff_user).send("GET", f"/api/v1/initiatives/{initiative.pk}/appraisals")
    assert [a["kind"] for a in listed.json()] == ["sroi"]


@pytest.mark.parametrize(
    ("kind", "inputs", "field", "words"),
    [
        ("cba", {"costs": [{"year": 0, "amount": -5}]}, "costs[0].amount", "0 or more"),
        (
            "cba",
            {"costs": [{"year": 3, "amount": 5}, {"year": 1, "amount": 5}]},
            "costs[1].year",
            "year order",
        ),
        ("cba", {"costs": [{"year": 0, "amount": 0}]}, "costs", "add up to zero"),
        ("cba", {"costs": "lots"}, "costs", "list"),
        ("cba", {"costs": [{"year": 0, "amount": 5}], "discount": "soon"}, "discount", "rate"),
        (
            "sroi",
            {**SROI_INPUTS, "outcomes": [{**SROI_INPUTS["outcomes"][0], "deadweight": 1.5}]},
            "outcomes[0].deadweight",
            "fraction",
        ),
        (
            "sroi",
            {**SROI_INPUTS, "outcomes": [{**SROI_INPUTS["outcomes"][0], "duration": 0}]},
            "outcomes[0].duration",
            "",
        ),
        (
            "sroi",
            {**SROI_INPUTS, "outcomes": [{**SROI_INPUTS["outcomes"][0], "quantity": -1}]},
            "outcomes[0].quantity",
            "0 or more",
        ),
    ],
)
def test_bad_appraisal_input_names_the_field_and_stores_nothing(
    lead, initiative, kind, inputs, field, words
):
    response = _api(lead).send(
        "POST",
        f"/api/v1/initiatives/{initiative.pk}/appraisals",
        {"kind": kind, "title": "Bad", "inputs": inputs},
    )
    found = fields(problem(response, 422))
    assert field in found, found
    assert words in found[field]
    assert not Appraisal.objects.exists()


def test_an_update_that_will_not_do_leaves_the_appraisal_as_it_was(lead, initiative):
    appraisal = services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="CBA", inputs=CBA_INPUTS
    )
    response = _api(lead).send(
        "PUT",
        f"/api/v1/appraisals/{appraisal.pk}",
        {"title": "Changed", "inputs": {"costs": [{"year": 0, "amount": "x"}]}},
    )
    problem(response, 422)
    appraisal.refresh_from_db()
    assert appraisal.title == "CBA"
    assert appraisal.inputs["costs"][0]["amount"] == "1000"


def test_ratios_over_tiny_costs_are_shown_not_a_server_error(lead, initiative):
    inputs = {
        "costs": [{"year": 0, "amount": "1E-30"}],
        "benefits": [{"year": 0, "amount": "1000000000000000"}],
    }
    response = _api(lead).send(
        "POST",
        f"/api/v1/initiatives/{initiative.pk}/appraisals",
        {"kind": "cba", "title": "Odd", "inputs": inputs},
    )
    assert response.status_code == 201, response.content
    assert Decimal(response.json()["results"]["bcr"]) == Decimal("1E45")


def test_an_appraisal_is_deleted_by_those_who_run_the_initiative(lead, staff_user, initiative):
    appraisal = services.appraisal_save(
        actor=lead, initiative=initiative, kind="sroi", title="SROI", inputs=SROI_INPUTS
    )
    problem(_api(staff_user).send("DELETE", f"/api/v1/appraisals/{appraisal.pk}"), 403)
    assert _api(lead).send("DELETE", f"/api/v1/appraisals/{appraisal.pk}").status_code == 204
    assert not Appraisal.objects.exists()


# Evidence and savings ----------------------------------------------------------------------


def test_evidence_level_and_stories(lead, staff_user, initiative):
    api = _api(lead)
    base = f"/api/v1/initiatives/{initiative.pk}/evidence"
    assert api.send("GET", base).json() == {"level": None, "history": [], "stories": []}
    body = fields(problem(api.send("PUT", f"{base}/level", {"level": 6, "justification": ""}), 422))
    assert set(body) == {"level", "justification"}
    for level in (1, 2):
        response = api.send(
            "PUT", f"{base}/level", {"level": level, "justification": f"Shown at {level}."}
        )
        assert response.status_code == 200, response.content
    story = api.send(
        "POST",
        f"{base}/stories",
        {"kind": "quote", "text": "I feel safer at night.", "attributed_to": "A patient"},
    )
    assert story.status_code == 201, story.content
    evidence = _api(staff_user).send("GET", base).json()
    assert evidence["level"]["level"] == 2
    assert evidence["level"]["label"].startswith("Level 2")
    assert [h["level"] for h in evidence["history"]] == [2, 1]
    assert evidence["stories"][0]["attributed_to"] == "A patient"
    problem(
        _api(staff_user).send("PUT", f"{base}/level", {"level": 3, "justification": "Mine."}), 403
    )


def test_savings_per_initiative_and_for_the_organisation(
    lead, staff_user, outsider, organisation, initiative, make_initiative
):
    api = _api(lead)
    url = f"/api/v1/initiatives/{initiative.pk}/savings"
    body = api.send(
        "POST",
        url,
        {"financial_year": 2025, "planned": "1000", "realised": "800", "kept_by_service": "200"},
    ).json()
    assert body["lines"][0]["realised"] == "800.00"
    assert body["kept_share"] == "0.2500"
    found = fields(
        problem(
            api.send(
                "POST",
                url,
                {"financial_year": 2026, "planned": "10", "realised": "5", "kept_by_service": "9"},
            ),
            422,
        )
    )
    assert "cannot keep more" in found["kept_by_service"]
    other = make_initiative(title="Discharge lounge")
    services.savings_set(actor=lead, initiative=other, financial_year=2025, planned="500")

    benefits = _api(staff_user).send("GET", f"/api/v1/organisations/{organisation.slug}/benefits")
    assert benefits.status_code == 200, benefits.content
    totals = benefits.json()
    assert totals["planned"] == "1500.00"
    assert totals["realised"] == "800.00"
    assert totals["kept_by_service"] == "200.00"
    assert [row["title"] for row in totals["initiatives"]] == [
        "Discharge lounge",
        "Nurses' desks in the bays",
    ]
    problem(_api(outsider).send("GET", f"/api/v1/organisations/{organisation.slug}/benefits"), 404)
    problem(_api().send("GET", f"/api/v1/organisations/{organisation.slug}/benefits"), 401)


# Surveys -----------------------------------------------------------------------------------

SURVEY = {
    "title": "Did the desks help?",
    "questions": [
        {"kind": "satisfaction", "text": "How satisfied are you with the new desks?"},
        {"kind": "yes_no", "text": "Do you see patients more often?"},
        {"kind": "choice", "text": "Which bay?", "choices": ["A", "B"]},
        {"kind": "text", "text": "Anything else?", "required": False},
    ],
    "open": True,
}


def test_a_survey_is_created_answered_once_and_its_results_read(
    lead, staff_user, outsider, initiative
):
    response = _api(lead).send("POST", f"/api/v1/initiatives/{initiative.pk}/surveys", SURVEY)
    assert response.status_code == 201, response.content
    survey = response.json()
    assert survey["status"] == "open"
    ids = [q["id"] for q in survey["questions"]]
    assert [q["kind"] for q in survey["questions"]] == ["satisfaction", "yes_no", "choice", "text"]

    url = f"/api/v1/surveys/{survey['id']}/responses"
    answers = {
        "answers": {str(ids[0]): 5, str(ids[1]): "yes", str(ids[2]): "B", str(ids[3]): "Good"}
    }
    staff = _api(staff_user)
    assert staff.send("POST", url, answers).status_code == 201
    again = fields(problem(staff.send("POST", url, answers), 422))
    assert "already" in again["answers"]
    assert (
        _api(lead)
        .send("POST", url, {"answers": {str(ids[0]): 4, str(ids[1]): "no", str(ids[2]): "A"}})
        .status_code
        == 201
    )
    assert SurveyResponse.objects.count() == 2
    assert staff.send("GET", f"/api/v1/surveys/{survey['id']}").json()["answered"] is True

    results = staff.send("GET", f"/api/v1/surveys/{survey['id']}/results").json()
    assert results["responses"] == 2
    satisfaction, yes_no, choice, text = results["questions"]
    assert satisfaction["score"] == "4.5000"
    assert satisfaction["satisfied_share"] == "1.0000"
    assert {c["answer"]: c["count"] for c in yes_no["counts"]} == {"yes": 1, "no": 1}
    assert {c["answer"]: c["count"] for c in choice["counts"]} == {"A": 1, "B": 1}
    assert text["texts"] == ["Good"]
    problem(_api(outsider).send("GET", f"/api/v1/surveys/{survey['id']}/results"), 404)
    problem(_api(outsider).send("POST", url, answers), 404)


def test_answers_are_checked_and_a_closed_survey_takes_none(lead, staff_user, initiative):
    survey = _api(lead).send("POST", f"/api/v1/initiatives/{initiative.pk}/surveys", SURVEY).json()
    first = survey["questions"][0]["id"]
    url = f"/api/v1/surveys/{survey['id']}/responses"
    found = fields(problem(_api(staff_user).send("POST", url, {"answers": {str(first): 9}}), 422))
    assert f"q{first}" in found
    closed = _api(lead).send("PUT", f"/api/v1/surveys/{survey['id']}/status", {"status": "closed"})
    assert closed.json()["status"] == "closed"
    problem(_api(staff_user).send("POST", url, {"answers": {str(first): 3}}), 403)
    assert not SurveyResponse.objects.exists()


def test_a_survey_with_a_bad_question_is_not_stored_at_all(lead, initiative):
    bad = {
        **SURVEY,
        "questions": [SURVEY["questions"][0], {"kind": "choice", "text": "Which?", "choices": []}],
    }
    found = fields(
        problem(_api(lead).send("POST", f"/api/v1/initiatives/{initiative.pk}/surveys", bad), 422)
    )
    assert "questions[1].choices" in found
    assert not Survey.objects.exists()
    empty = {"title": "Nothing to ask", "open": True}
    found = fields(
        problem(_api(lead).send("POST", f"/api/v1/initiatives/{initiative.pk}/surveys", empty), 422)
    )
    assert "status" in found
    assert not Survey.objects.exists()


def test_a_follow_up_survey_and_a_challenge_survey(lead, organisation, initiative):
    api = _api(lead)
    follow_up = api.send(
        "POST",
        f"/api/v1/initiatives/{initiative.pk}/surveys",
        {**SURVEY, "follow_up_weeks": 12},
    ).json()
    assert follow_up["follow_up_weeks"] == 12
    challenge = selected_idea(lead, organisation).challenge
    url = f"/api/v1/challenges/{challenge.pk}/surveys"
    found = fields(problem(api.send("POST", url, {**SURVEY, "follow_up_weeks": 4}), 422))
    assert "follow_up_weeks" in found
    assert api.send("POST", url, SURVEY).status_code == 201
    assert [s["title"] for s in ApiClient().send("GET", url).json()] == ["Did the desks help?"]
    listed = api.send("GET", f"/api/v1/initiatives/{initiative.pk}/surveys").json()
    assert [s["follow_up_weeks"] for s in listed] == [12]


def test_a_signed_in_participant_answers_a_public_initiatives_survey(lead, initiative):
    from civicflow.initiatives import services as initiatives

    initiatives.initiative_edit(
        actor=lead,
        initiative=initiative,
        title=initiative.title,
        summary="",
        public=True,
        business_owner=initiative.business_owner,
        delivery_lead=None,
    )
    survey = _api(lead).send("POST", f"/api/v1/initiatives/{initiative.pk}/surveys", SURVEY).json()
    ids = [q["id"] for q in survey["questions"]]
    resident = UserFactory()
    url = f"/api/v1/surveys/{survey['id']}/responses"
    answers = {"answers": {str(ids[0]): "3", str(ids[1]): "no", str(ids[2]): "A"}}
    problem(ApiClient().send("POST", url, answers), 401)
    assert _api(resident).send("POST", url, answers).status_code == 201
    problem(_api(resident).send("GET", f"/api/v1/surveys/{survey['id']}/results"), 404)
