"""Permission matrix rows for outcomes: every page and endpoint, for every actor.

The rows use the private initiative of the initiatives rows (owned by a member who is none of
the actors), with a KPI, both appraisals, an open survey with one question and an anonymous
link, and a published challenge with a KPI. Members see the private initiative's outcomes and
answer its survey; innovation leads and administrators record outcomes; a challenge's KPIs
are public and recorded by its leads; survey results are for members.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from civicflow.outcomes import services
from tests.initiatives.helpers import selected_idea
from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS
from tests.permissions.matrix import Route, members_with, org, public

LEADS = ("innovation_lead", "admin")
RUNNERS = members_with(*LEADS)
API_RUNNERS = members_with(*LEADS, api=True)


def challenge_leads(api: bool = False):
    """Anyone sees a published challenge; only its organisation's leads record on it."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "instance_admin" or actor in {f"in:{role}" for role in LEADS}:
            return "ok"
        return "403"

    return rule


def build(world: Any) -> None:
    lead = world.people["in:innovation_lead"]
    initiative = world.extra["initiatives"]["private"]
    kpi = services.kpi_create(
        actor=lead,
        owner=initiative,
        name="Missed bins a month",
        direction="lower",
        baseline_value="40",
        baseline_on=date(2025, 1, 1),
        target_value="20",
        target_on=date(2025, 12, 31),
    )
    cba = services.appraisal_save(
        actor=lead, initiative=initiative, kind="cba", title="CBA", inputs=CBA_INPUTS
    )
    sroi = services.appraisal_save(
        actor=lead, initiative=initiative, kind="sroi", title="SROI", inputs=SROI_INPUTS
    )
    survey = services.survey_create(actor=lead, owner=initiative, title="Did it help?")
    question = services.question_add(actor=lead, survey=survey, kind="yes_no", text="Better?")
    spare = services.question_add(
        actor=lead, survey=survey, kind="text", text="Why?", required=False
    )
    services.survey_set_status(actor=lead, survey=survey, status="open")
    link = services.survey_links_make(actor=lead, survey=survey, count=1)[0]
    challenge = selected_idea(lead, world.organisation, title="Outcome rows idea").challenge
    challenge_kpi = services.kpi_create(
        actor=lead,
        owner=challenge,
        name="Missed bins a week",
        direction="lower",
        baseline_value="120",
        baseline_on=date(2025, 1, 1),
        target_value="60",
        target_on=date(2025, 12, 31),
    )
    reading = services.reading_add(actor=lead, kpi=kpi, value="38", taken_on=date(2025, 2, 1))
    world.extra["outcomes"] = {
        "reading": reading,
        "spare_question": spare,
        "initiative": initiative,
        "kpi": kpi,
        "cba": cba,
        "sroi": sroi,
        "survey": survey,
        "question": question,
        "link": link,
        "challenge": challenge,
        "challenge_kpi": challenge_kpi,
    }


def _o(world: Any) -> dict[str, Any]:
    return world.extra["outcomes"]


def initiative(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _o(world)["initiative"].pk}


def cba_new(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _o(world)["initiative"].pk, "kind": "cba"}


def kpi(world: Any, user: Any) -> dict[str, Any]:
    return {"kpi_id": _o(world)["kpi"].pk}


def challenge(world: Any, user: Any) -> dict[str, Any]:
    return {"challenge_id": _o(world)["challenge"].pk}


def appraisal(world: Any, user: Any) -> dict[str, Any]:
    return {"appraisal_id": _o(world)["cba"].pk}


def survey(world: Any, user: Any) -> dict[str, Any]:
    return {"survey_id": _o(world)["survey"].pk}


def link(world: Any, user: Any) -> dict[str, Any]:
    return {"key": vars(_o(world)["link"])["secret"]}


def reading(world: Any, user: Any) -> dict[str, Any]:
    return {"reading_id": _o(world)["reading"].pk}


def question(world: Any, user: Any) -> dict[str, Any]:
    return {"question_id": _o(world)["question"].pk}


def link_id(world: Any, user: Any) -> dict[str, Any]:
    return {"link_id": _o(world)["link"].pk}


def spare_question(world: Any, user: Any) -> dict[str, Any]:
    return {"question_id": _o(world)["spare_question"].pk}


def answer(world: Any, user: Any) -> dict[str, Any]:
    return {f"q{_o(world)['question'].pk}": "yes"}


def new_kpi(world: Any, user: Any) -> dict[str, Any]:
    return {
        "name": "Complaints a month",
        "direction": "lower",
        "baseline_value": "12",
        "baseline_on": "2025-01-01",
        "target_value": "6",
        "target_on": "2025-12-31",
    }


def cba_form(world: Any, user: Any) -> dict[str, Any]:
    return {"title": "CBA 2", "line0_kind": "cost", "line0_year": "0", "line0_amount": "100"}


def csv_file(world: Any, user: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("r.csv", b"date,value\n2025-02-01,30\n", "text/csv")}


ROUTES: list[Route] = [
    Route("outcomes:initiative", "GET", members_with(), initiative),
    Route("outcomes:initiative", "POST", RUNNERS, initiative, new_kpi),
    Route("outcomes:kpi", "GET", members_with(), kpi),
    Route(
        "outcomes:kpi", "POST", RUNNERS, kpi, lambda w, u: {"value": "30", "taken_on": "2025-03-01"}
    ),
    Route("outcomes:reading_edit", "GET", RUNNERS, reading),
    Route(
        "outcomes:reading_edit",
        "POST",
        RUNNERS,
        reading,
        lambda w, u: {"value": "37", "taken_on": "2025-02-01", "reason": "Typo"},
    ),
    Route("outcomes:reading_delete", "GET", RUNNERS, reading),
    Route("outcomes:reading_delete", "POST", RUNNERS, reading, lambda w, u: {"reason": ""}),
    Route("outcomes:kpi_import", "GET", RUNNERS, kpi),
    Route("outcomes:kpi_import", "POST", RUNNERS, kpi, csv_file),
    Route("outcomes:challenge_kpis", "GET", public, challenge),
    Route("outcomes:challenge_kpis", "POST", challenge_leads(), challenge, new_kpi),
    Route("outcomes:challenge_survey_new", "GET", challenge_leads(), challenge),
    Route(
        "outcomes:challenge_survey_new",
        "POST",
        challenge_leads(),
        challenge,
        lambda w, u: {"title": "Is the problem still there?"},
    ),
    Route("outcomes:appraisal_new", "GET", RUNNERS, cba_new),
    Route("outcomes:appraisal_new", "POST", RUNNERS, cba_new, cba_form),
    Route("outcomes:appraisal", "GET", members_with(), appraisal),
    Route("outcomes:appraisal_edit", "GET", RUNNERS, appraisal),
    Route("outcomes:appraisal_edit", "POST", RUNNERS, appraisal, cba_form),
    Route("outcomes:evidence", "GET", RUNNERS, initiative),
    Route(
        "outcomes:evidence",
        "POST",
        RUNNERS,
        initiative,
        lambda w, u: {"action": "level", "level-level": "2", "level-justification": "Data."},
    ),
    Route("outcomes:savings", "GET", RUNNERS, initiative),
    Route(
        "outcomes:savings",
        "POST",
        RUNNERS,
        initiative,
        lambda w, u: {"financial_year": "2025", "planned": "1000"},
    ),
    Route("outcomes:benefits", "GET", members_with(), org),
    Route("outcomes:survey_new", "GET", RUNNERS, initiative),
    Route("outcomes:survey_new", "POST", RUNNERS, initiative, lambda w, u: {"title": "Q"}),
    Route("outcomes:survey", "GET", RUNNERS, survey),
    Route("outcomes:survey", "POST", RUNNERS, survey, lambda w, u: {"action": "closed"}),
    Route("outcomes:survey_withdraw", "GET", RUNNERS, survey),
    Route("outcomes:survey_withdraw", "POST", RUNNERS, survey, lambda w, u: {"reason": ""}),
    Route("outcomes:question_edit", "GET", RUNNERS, question),
    Route(
        "outcomes:question_edit",
        "POST",
        RUNNERS,
        question,
        lambda w, u: {"text": "Any better?", "kind": "yes_no", "required": "on"},
    ),
    Route("outcomes:question_delete", "GET", RUNNERS, question),
    Route("outcomes:question_delete", "POST", RUNNERS, spare_question),
    Route("outcomes:survey_answer", "GET", members_with(), survey),
    Route("outcomes:survey_answer", "POST", members_with(), survey, answer),
    Route("outcomes:survey_results", "GET", members_with(), survey),
    Route("outcomes:survey_link", "GET", public, link),
    Route("outcomes:survey_link", "POST", public, link, answer),
]


# The API ------------------------------------------------------------------------------------


def api_initiative(world: Any, user: Any) -> dict[str, Any]:
    return {"initiative_id": _o(world)["initiative"].pk}


def api_appraisal(world: Any, user: Any) -> dict[str, Any]:
    return {"appraisal_id": _o(world)["sroi"].pk}


def api_answers(world: Any, user: Any) -> dict[str, Any]:
    return {"answers": {str(_o(world)["question"].pk): "yes"}}


def api_appraisal_body(world: Any, user: Any) -> dict[str, Any]:
    return {"kind": "cba", "title": "CBA 3", "inputs": CBA_INPUTS}


def api_survey_body(world: Any, user: Any) -> dict[str, Any]:
    return {"title": "Any better?", "questions": [{"kind": "yes_no", "text": "Better?"}]}


def _api(name: str, method: str, rule: Any, kwargs: Any, data: Any = None) -> Route:
    return Route(f"api-1.0.0:{name}", method, rule, kwargs, data, api=True, json=data is not None)


API_VIEWERS = members_with(api=True)

ROUTES += [
    _api("initiative_kpi_list", "GET", API_VIEWERS, api_initiative),
    _api("initiative_kpi_create", "POST", API_RUNNERS, api_initiative, new_kpi),
    _api("challenge_kpi_list", "GET", public, challenge),
    _api("challenge_kpi_create", "POST", challenge_leads(api=True), challenge, new_kpi),
    _api("kpi_detail", "GET", API_VIEWERS, kpi),
    _api("kpi_reading_list", "GET", API_VIEWERS, kpi),
    _api(
        "kpi_reading_add",
        "POST",
        API_RUNNERS,
        kpi,
        lambda w, u: {"value": "30", "taken_on": "2025-03-01"},
    ),
    Route("api-1.0.0:kpi_reading_import", "POST", API_RUNNERS, kpi, csv_file, api=True),
    _api("appraisal_list", "GET", API_VIEWERS, api_initiative),
    _api("appraisal_create", "POST", API_RUNNERS, api_initiative, api_appraisal_body),
    _api("appraisal_detail", "GET", API_VIEWERS, api_appraisal),
    _api(
        "appraisal_update",
        "PUT",
        API_RUNNERS,
        api_appraisal,
        lambda w, u: {"title": "SROI 2", "inputs": SROI_INPUTS},
    ),
    _api("appraisal_remove", "DELETE", API_RUNNERS, api_appraisal),
    _api("evidence_detail", "GET", API_VIEWERS, api_initiative),
    _api(
        "evidence_level_set",
        "PUT",
        API_RUNNERS,
        api_initiative,
        lambda w, u: {"level": 2, "justification": "Falls went down."},
    ),
    _api(
        "evidence_story_add",
        "POST",
        API_RUNNERS,
        api_initiative,
        lambda w, u: {"kind": "quote", "text": "Calmer.", "attributed_to": "A nurse"},
    ),
    _api("savings_detail", "GET", API_VIEWERS, api_initiative),
    _api(
        "savings_record",
        "POST",
        API_RUNNERS,
        api_initiative,
        lambda w, u: {"financial_year": 2025, "planned": "1000"},
    ),
    _api("benefits_detail", "GET", API_VIEWERS, org),
    _api("initiative_survey_list", "GET", API_VIEWERS, api_initiative),
    _api("initiative_survey_create", "POST", API_RUNNERS, api_initiative, api_survey_body),
    _api("challenge_survey_list", "GET", public, challenge),
    _api("challenge_survey_create", "POST", challenge_leads(api=True), challenge, api_survey_body),
    _api("survey_detail", "GET", API_VIEWERS, survey),
    _api("survey_status_set", "PUT", API_RUNNERS, survey, lambda w, u: {"status": "closed"}),
    _api("survey_respond", "POST", API_VIEWERS, survey, api_answers),
    _api("survey_results", "GET", API_VIEWERS, survey),
    _api(
        "kpi_reading_correct",
        "PUT",
        API_RUNNERS,
        reading,
        lambda w, u: {"value": "37", "taken_on": "2025-02-01"},
    ),
    _api("kpi_reading_remove", "DELETE", API_RUNNERS, reading),
    _api(
        "survey_question_update",
        "PUT",
        API_RUNNERS,
        question,
        lambda w, u: {"kind": "yes_no", "text": "Any better?"},
    ),
    _api("survey_question_remove", "DELETE", API_RUNNERS, spare_question),
    _api("survey_withdraw", "DELETE", API_RUNNERS, survey),
    _api("survey_links_create", "POST", API_RUNNERS, survey, lambda w, u: {"count": 2}),
    _api("survey_link_list", "GET", API_RUNNERS, survey),
    _api("survey_link_revoke", "DELETE", API_RUNNERS, link_id),
]
