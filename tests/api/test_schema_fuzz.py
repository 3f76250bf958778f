"""Every operation, called with generated input by an organisation administrator, holds up.

Schemathesis reads the OpenAPI document the API publishes and generates requests that fit it
(positive) and requests that break it (negative). Whatever it sends, the answer is never a
server error, and its status, content type and body are ones the document declares (problem
details included). Path parameters are generated too; about half the valid cases aim them at
real records from a pool kept for each path parameter, so the requests get past the 404 and
reach the services. A path parameter without a pool fails the module.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicflow.accounts import services as accounts
from civicflow.api.api import api
from civicflow.appraisal import services as appraisal
from civicflow.boards import services as boards
from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.discussion import services as discussion
from civicflow.ideas import services as ideas
from civicflow.initiatives import services as initiatives
from civicflow.opinions import services as opinions
from tests.appraisal.helpers import make_round, submit_idea
from tests.budgets.helpers import city_budget
from tests.factories import TeamFactory, member

OPENAPI = api.get_openapi_schema()
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)


def _can_be_invalid(operation: Any) -> bool:
    """Return whether any input of ``operation`` can break its schema.

    A path parameter that takes any text cannot, so an operation with nothing else has no
    negative cases to generate.
    """
    definition = operation.definition.raw
    if "requestBody" in definition:
        return True
    return any(
        parameter.get("in") != "path" or parameter.get("schema", {}).get("type") != "string"
        for parameter in definition.get("parameters", [])
    )


CASES = [
    pytest.param(
        operation.path,
        operation.method.upper(),
        mode,
        id=f"{operation.method.upper()} {operation.path} {mode.value}",
    )
    for result in SCHEMA.get_all_operations()
    for operation in [result.ok()]
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or _can_be_invalid(operation)
]


class _InTestTransaction:
    """Django as a WSGI application that leaves the test's database connection open.

    Django closes stale connections when a request starts and finishes; inside a test that
    would end the transaction the test runs in, so (as Django's own test client does) the
    request runs with that handler disconnected, and the body is read before it returns.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


# Where each path parameter finds a real record in the world below.
POOLS = {
    "slug": "slugs",
    "user_id": "user_ids",
    "token_id": "token_ids",
    "challenge_slug": "challenge_slugs",
    "idea_id": "idea_ids",
    "comment_id": "comment_ids",
    "flag_id": "flag_ids",
    "team_slug": "team_slugs",
    "card_id": "card_ids",
    "conversation_id": "conversation_ids",
    "statement_id": "statement_ids",
    "budget_id": "budget_ids",
    "initiative_id": "initiative_ids",
    "stage": "stages",
    "criterion_id": "criterion_ids",
    "milestone_id": "milestone_ids",
    "challenge_id": "challenge_ids",
    "criterion_key": "criterion_keys",
    "assignment_id": "assignment_ids",
    "application_id": "application_ids",
    "hack_team_id": "hack_team_ids",
    "case_id": "case_ids",
    "kpi_id": "kpi_ids",
    "appraisal_id": "appraisal_ids",
    "survey_id": "survey_ids",
    "reading_id": "reading_ids",
    "question_id": "question_ids",
    "link_id": "link_ids",
}
PATH_PARAMETERS = {
    parameter.name
    for result in SCHEMA.get_all_operations()
    for parameter in result.ok().path_parameters
}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def test_every_path_parameter_has_a_pool():
    """A new endpoint's path parameters get real records, or its requests only reach a 404."""
    assert PATH_PARAMETERS - POOLS.keys() == set(), "add a pool to POOLS and to world()"


def _challenge(actor: Any, organisation: Any, title: str) -> Any:
    """Return an open call in its develop phase, where ideas, comments and support are open."""
    now = timezone.now()
    start = now - timedelta(days=25)
    keys = ["discover", "define", "develop", "deliver"]
    phases = [
        PhaseDates(
            key,
            start + timedelta(days=10 * index),
            start + timedelta(days=10 * (index + 1)) if key != "deliver" else None,
        )
        for index, key in enumerate(keys)
    ]
    return challenges.challenge_create(
        actor=actor,
        organisation=organisation,
        kind="open_call",
        phases=phases,
        title=title,
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed each week.",
        driver="cost_pressure",
        audience="both",
    )


def _idea(author: Any, challenge: Any, title: str) -> Any:
    return ideas.idea_submit(
        author=author,
        challenge=challenge,
        title=title,
        summary="A text message the evening before collection.",
        description="Residents who sign up get a reminder the evening before.",
        innovation_type="service",
        scale="continuous",
        benefits=["saves_money"],
        affected="Residents",
    )


def _library_cases(admin_user: Any, organisation: Any, outsider: Any) -> list[int]:
    """A draft of the caller's organisation, and another organisation's published public
    case (to adopt) and private case (never seen)."""
    from civicflow.library import services as library
    from tests.library.helpers import case_fields, published_case

    draft = library.case_create(
        actor=admin_user, organisation=organisation, **case_fields(title="Our draft")
    )
    other = outsider.memberships.first().organisation
    shown = published_case(author=outsider, editor=outsider, organisation=other)
    hidden = published_case(
        author=outsider, editor=outsider, organisation=other, title="Theirs", sharing="private"
    )
    return [draft.pk, shown.pk, shown.pk, hidden.pk]


def _outcomes(lead: Any, initiative: Any) -> dict[str, list[int]]:
    """A KPI with a reading, a cost-benefit analysis and an SROI, and an open survey with a
    question of each kind, on an initiative the caller runs."""
    from civicflow.outcomes import services as outcomes
    from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS, falls_kpi

    kpi = falls_kpi(lead, initiative)
    reading = outcomes.reading_add(actor=lead, kpi=kpi, value="8", taken_on=timezone.localdate())
    appraisals = [
        outcomes.appraisal_save(
            actor=lead, initiative=initiative, kind=kind, title=kind, inputs=inputs
        ).pk
        for kind, inputs in (("cba", CBA_INPUTS), ("sroi", SROI_INPUTS))
    ]
    survey = outcomes.survey_create(actor=lead, owner=initiative, title="Did it help?")
    questions = [
        outcomes.question_add(actor=lead, survey=survey, kind=kind, text=f"A {kind} question").pk
        for kind in ("satisfaction", "yes_no", "text")
    ]
    outcomes.survey_set_status(actor=lead, survey=survey, status="open")
    links = outcomes.survey_links_make(actor=lead, survey=survey, count=3)
    return {
        "link_ids": [link.pk for link in links],
        "kpi_ids": [kpi.pk],
        "reading_ids": [reading.pk],
        "appraisal_ids": appraisals,
        "survey_ids": [survey.pk],
        "question_ids": questions,
    }


@pytest.fixture
def secret(admin_user, token_for) -> str:
    """Return the token of the organisation administrator who makes every request."""
    return token_for(admin_user)


@pytest.fixture
def world(organisation, other_organisation, admin_user, token_for) -> dict[str, Any]:
    """Return the pools of real records: an organisation with members, teams, tokens, a
    challenge with ideas, comments, a flag and an opinion conversation, and a team board with
    cards.

    The slugs are mostly the caller's own organisation's, sometimes one they do not belong to;
    unknown ids come from free generation.
    """
    colleague = member(organisation, "assessor")
    writer = member(organisation)
    outsider = member(other_organisation, "admin")
    TeamFactory(organisation=organisation, name="Adult social care", slug="adult-social-care")
    TeamFactory(organisation=other_organisation, name="Wards", slug="wards")
    token_for(admin_user, name="Spare")

    challenge = _challenge(admin_user, organisation, "Fewer missed bin collections")
    challenges.challenge_move(actor=admin_user, challenge=challenge, to="published")
    draft = _challenge(admin_user, organisation, "A draft call")
    own = _idea(admin_user, challenge, "Text people before their bin day")
    theirs = _idea(writer, challenge, "Collect on the same day every week")
    invited = _idea(colleague, challenge, "Stickers on bins")
    ideas.coauthor_invite(actor=colleague, idea=invited, email=admin_user.email)
    ideas.coauthor_invite(actor=admin_user, idea=own, email=writer.email)
    mine = discussion.comment_create(author=admin_user, target=theirs, body="Could this be a text?")
    reply = discussion.comment_create(author=writer, target=theirs, body="Yes.", parent=mine)
    spam = discussion.comment_create(author=colleague, target=own, body="Buy my bins!")
    flag = discussion.flag_raise(reporter=writer, target=own, comment=spam, reason="spam")

    conversation = opinions.conversation_create(
        actor=admin_user, challenge=challenge, question="How should bin day reminders work?"
    )
    statements = [
        opinions.statement_add(actor=admin_user, conversation=conversation, text=text)
        for text in ("A text the evening before is enough.", "Reminders should be by email.")
    ]

    ward = accounts.team_create(actor=admin_user, organisation=organisation, name="Ward 7")
    accounts.team_add_member(actor=admin_user, team=ward, user=writer)
    boards.board_lead_add(actor=admin_user, team=ward, user=writer)
    cards = [
        boards.card_raise(
            actor=person,
            team=ward,
            title=title,
            problem="After bed baths the call bell is left on the locker.",
            change="Add the call bell to the bed-bath checklist.",
        )
        for person, title in [(writer, "Call bells out of reach"), (admin_user, "Desks on ward")]
    ]
    pilot = initiatives.initiative_start(
        actor=admin_user, organisation=organisation, title="Bin day texts", business_owner=writer
    )
    initiatives.team_member_add(actor=admin_user, initiative=pilot, user=writer, role="Analyst")
    criterion = initiatives.criterion_add(
        actor=admin_user, initiative=pilot, stage="implement", text="Pilot results reviewed"
    )
    milestone = initiatives.milestone_add(
        actor=admin_user, initiative=pilot, title="Pilot starts", due_on=timezone.localdate()
    )
    unowned = initiatives.initiative_start(
        actor=admin_user, organisation=organisation, title="Shared bin stores", public=True
    )
    return {
        **_appraisal(admin_user, organisation, writer, colleague),
        "initiative_ids": [pilot.pk, pilot.pk, unowned.pk],
        "case_ids": _library_cases(admin_user, organisation, outsider),
        **_outcomes(admin_user, pilot),
        "stages": ["test", "implement", "evaluate", "scale"],
        "criterion_ids": [criterion.pk],
        "milestone_ids": [milestone.pk],
        "slugs": [organisation.slug] * 3 + [other_organisation.slug],
        # The writer first: a member, an invited co-author of the caller's idea and a board lead.
        "user_ids": [writer.pk, colleague.pk, admin_user.pk, outsider.pk],
        "token_ids": list(admin_user.api_tokens.filter(name="Spare").values_list("pk", flat=True)),
        "challenge_slugs": [challenge.slug] * 3 + [draft.slug],
        "idea_ids": [own.pk, theirs.pk, invited.pk],
        "comment_ids": [mine.pk, reply.pk, spam.pk],
        "flag_ids": [flag.pk],
        "team_slugs": [ward.slug] * 3 + ["adult-social-care"],
        "card_ids": [card.pk for card in cards],
        "conversation_ids": [conversation.pk],
        "statement_ids": [statement.pk for statement in statements],
        "budget_ids": [city_budget(admin_user, organisation).pk],
        # What a discussion is about, for the ``target`` of comments and flags.
        "targets": [f"ideas.idea:{idea.pk}" for idea in (own, theirs)]
        + [f"boards.card:{cards[0].pk}"],
    }


def _appraisal(lead: Any, organisation: Any, writer: Any, assessor: Any) -> dict[str, Any]:
    """A prize with draft criteria and an open panel, a fund round with an application, and
    a hack day with a team, all run by the caller."""
    prize = make_round(lead, organisation, kind="prize", title="Cleaner air prize")
    entry = submit_idea(writer, prize, "Green walls")
    appraisal.criteria_set_create(actor=lead, challenge=prize)
    panel = appraisal.panel_create(actor=lead, challenge=prize, reviews_per_submission=1)
    appraisal.panel_member_add(actor=lead, panel=panel, user=assessor)
    appraisal.panel_allocate(actor=lead, panel=panel)
    fund = make_round(lead, organisation, kind="fund_round", title="Innovation fund")
    fund_round = appraisal.fund_round_create(actor=lead, challenge=fund, budget=10_000)
    application = appraisal.application_submit(
        actor=writer,
        fund_round=fund_round,
        idea=submit_idea(writer, fund, "Lunch club"),
        amount_requested=4_000,
        plan="Start in spring.",
        milestones=[{"title": "Pilot", "payment": 2_000}],
    )
    hack = make_round(lead, organisation, kind="hack_day", open_now="discover")
    hack_day = appraisal.hack_day_create(
        actor=lead,
        challenge=hack,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
        capacity=50,
        place="Town hall",
    )
    appraisal.hack_day_register(actor=writer, hack_day=hack_day, skills=["Design"])
    team = appraisal.hack_team_form(
        actor=writer, hack_day=hack_day, idea=submit_idea(writer, hack, "Bed finder"), name="Beds"
    )
    return {
        "challenge_ids": [prize.pk, prize.pk, fund.pk, hack.pk],
        "criterion_keys": ["feasibility", "risk", "strategic_fit"],
        "assignment_ids": list(panel.assignments.values_list("pk", flat=True)) or [entry.pk],
        "application_ids": [application.pk],
        "hack_team_ids": [team.pk],
    }


def _takes_target(operation: Any) -> bool:
    """Return whether ``operation``'s JSON body names the object a discussion is about."""
    body = operation.definition.raw.get("requestBody", {})
    schema = body.get("content", {}).get("application/json", {}).get("schema", {})
    if "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return "target" in schema.get("properties", {})


def _aim_body(case: schemathesis.Case, target: str) -> schemathesis.Case:
    if isinstance(case.body, dict) and "target" in case.body:
        case.body = {**case.body, "target": target}
    return case


def _cases(operation: Any, mode: GenerationMode, world: dict[str, Any]) -> st.SearchStrategy:
    """Return generated cases for ``operation``; valid ones aim at real records half the time.

    Aimed cases take their path parameters from the pools, and a discussion's ``target``
    (in the query or the body) from real ideas and cards. Invalid input is refused before the
    path is looked at, so invalid cases do not aim.
    """
    free = operation.as_strategy(generation_mode=mode)
    names = [parameter.name for parameter in operation.path_parameters]
    queries = [parameter.name for parameter in operation.query if parameter.name == "target"]
    takes_target = _takes_target(operation)
    if mode is not GenerationMode.POSITIVE or not (names or queries or takes_target):
        return free
    targets = st.sampled_from(world["targets"])
    real = st.fixed_dictionaries(
        {
            "path": st.fixed_dictionaries(
                {name: st.sampled_from(world[POOLS[name]]) for name in names}
            ),
            "query": st.fixed_dictionaries(dict.fromkeys(queries, targets)),
        }
    )
    aimed = real.flatmap(
        lambda fixed: operation.as_strategy(
            generation_mode=mode,
            path_parameters=fixed["path"] or None,
            query=fixed["query"] or None,
        )
    )
    if takes_target:
        aimed = st.tuples(aimed, targets).map(lambda pair: _aim_body(*pair))
    return st.one_of(aimed, free)


# Twenty-five derandomised cases an operation on SQLite; ten on PostgreSQL, enough for what only
# that database refuses (integers out of range, text with NUL bytes) without generating every
# case twice. CIVICFLOW_TEST_EVERYTHING=1 runs
# all twenty-five there too.
EXAMPLES = (
    10
    if os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    and not os.environ.get("CIVICFLOW_TEST_EVERYTHING")
    else 25
)


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_operation_never_answers_a_server_error(request, secret, path, method, mode):
    operation = SCHEMA[path][method]
    # Only valid cases aim at real records, so only they need the world built.
    world = request.getfixturevalue("world") if mode is GenerationMode.POSITIVE else {}
    app = _InTestTransaction()
    headers = {"Authorization": f"Bearer {secret}"}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(operation, mode, world))
    def run(case: schemathesis.Case) -> None:
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code < 500, response.text

    run()
