"""Permission matrix rows for initiatives: every page and endpoint, for every actor.

The rows use two initiatives of the home organisation, owned by a member who is none of the
actors: a private one with a team member, an entry criterion, a milestone and a decision, and
a public one. Members see the private one; everyone sees the public one. Innovation leads and
administrators run initiatives (so do their owners and delivery leads, who are not actors
here); decision makers and administrators take gate decisions; instance administrators may do
everything.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from civicflow.initiatives import services
from tests.factories import member
from tests.permissions.matrix import Route, members_with, org, public

LEADS = ("innovation_lead", "admin")
DECIDERS = ("decision_maker", "admin")


def build(world: Any) -> None:
    """Add a private and a public initiative, with what their rows act on, to ``world.extra``."""
    lead = world.people["in:innovation_lead"]
    decider = world.people["in:decision_maker"]
    owner = member(world.organisation, name="Olu Owner")
    private = services.initiative_start(
        actor=lead, organisation=world.organisation, title="Bin day texts", business_owner=owner
    )
    services.team_member_add(actor=lead, initiative=private, user=world.target, role="Analyst")
    criterion = services.criterion_add(
        actor=lead, initiative=private, stage="implement", text="Pilot results reviewed"
    )

    milestone = services.milestone_add(
        actor=lead, initiative=private, title="Pilot starts", due_on=date(2026, 2, 1)
    )
    services.gate_decide(
        actor=decider, initiative=private, decision="pivot", reason="Try weekday rounds."
    )
    shown = services.initiative_start(
        actor=lead,
        organisation=world.organisation,
        title="Shared bin stores",
        business_owner=owner,
        public=True,
    )
    world.extra["initiatives"] = {
        "private": private,
        "public": shown,
        "owner": owner,
        "criterion": criterion,
        "milestone": milestone,
    }


def _i(world: Any) -> dict[str, Any]:
    return world.extra["initiatives"]


def private(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _i(world)["private"].pk}


def shown(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _i(world)["public"].pk}


def api_private(world: Any, user: Any) -> dict[str, Any]:
    return {"initiative_id": _i(world)["private"].pk}


def api_shown(world: Any, user: Any) -> dict[str, Any]:
    return {"initiative_id": _i(world)["public"].pk}


def api_team_member(world: Any, user: Any) -> dict[str, Any]:
    return {**api_private(world, user), "user_id": world.target.pk}


def api_stage(world: Any, user: Any) -> dict[str, Any]:
    return {**api_private(world, user), "stage": "test"}


def api_criterion(world: Any, user: Any) -> dict[str, Any]:
    return {**api_private(world, user), "criterion_id": _i(world)["criterion"].pk}


def api_milestone(world: Any, user: Any) -> dict[str, Any]:
    return {**api_private(world, user), "milestone_id": _i(world)["milestone"].pk}


def edit_form(world: Any, user: Any) -> dict[str, Any]:
    return {"title": "Bin day texts 2", "business_owner": str(_i(world)["owner"].pk)}


def edit_json(world: Any, user: Any) -> dict[str, Any]:
    return {"title": "Bin day texts 2", "business_owner_id": _i(world)["owner"].pk}


RUNNERS = members_with(*LEADS)
API_RUNNERS = members_with(*LEADS, api=True)

ROUTES: list[Route] = [
    Route("initiatives:index", "GET", public),
    Route("initiatives:portfolio", "GET", public, org),
    Route("initiatives:accountability", "GET", public, org),
    Route("initiatives:start", "GET", members_with(*LEADS), org),
    Route(
        "initiatives:start", "POST", members_with(*LEADS), org, lambda w, u: {"title": "Night bus"}
    ),
    Route("initiatives:funnel", "GET", members_with(), org),
    Route("initiatives:register", "GET", members_with(), org),
    Route("initiatives:register_csv", "GET", members_with(), org),
    Route("initiatives:register_json", "GET", members_with(), org),
    Route("initiatives:detail", "GET", members_with(), private),
    Route("initiatives:detail", "GET", public, shown),
    Route("initiatives:edit", "GET", RUNNERS, private),
    Route("initiatives:edit", "POST", RUNNERS, private, edit_form),
    Route("initiatives:team", "GET", RUNNERS, private),
    Route(
        "initiatives:team",
        "POST",
        RUNNERS,
        private,
        lambda w, u: {"action": "add", "user": str(w.spare.pk), "role": "Champion"},
    ),
    Route("initiatives:plan", "GET", RUNNERS, private),
    Route(
        "initiatives:plan",
        "POST",
        RUNNERS,
        private,
        lambda w, u: {"action": "criterion", "stage": "scale", "text": "Evaluation published"},
    ),
    Route("initiatives:progress", "GET", RUNNERS, private),
    Route(
        "initiatives:progress",
        "POST",
        RUNNERS,
        private,
        lambda w, u: {"action": "update", "body": "On track."},
    ),
    Route("initiatives:evaluation", "GET", RUNNERS, private),
    Route(
        "initiatives:evaluation",
        "POST",
        RUNNERS,
        private,
        lambda w, u: {"question": "Fewer missed bins?", "design": "comparison"},
    ),
    Route("initiatives:decide", "GET", members_with(*DECIDERS), private),
    Route(
        "initiatives:decide",
        "POST",
        members_with(*DECIDERS),
        private,
        lambda w, u: {"decision": "hold", "reason": "Waiting for the data."},
    ),
    # API
    Route("api-1.0.0:initiative_list", "GET", public, org, api=True),
    Route("api-1.0.0:initiative_detail", "GET", members_with(api=True), api_private, api=True),
    Route("api-1.0.0:initiative_detail", "GET", public, api_shown, api=True),
    Route("api-1.0.0:initiative_decisions", "GET", members_with(api=True), api_private, api=True),
    Route("api-1.0.0:decision_register", "GET", members_with(api=True), org, api=True),
    Route("api-1.0.0:initiative_funnel", "GET", members_with(api=True), org, api=True),
    Route(
        "api-1.0.0:initiative_start",
        "POST",
        members_with(*LEADS, api=True),
        org,
        lambda w, u: {"title": "Night bus"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_edit",
        "PUT",
        API_RUNNERS,
        api_private,
        edit_json,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_team_add",
        "POST",
        API_RUNNERS,
        api_private,
        lambda w, u: {"user_id": w.spare.pk, "role": "Champion"},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:initiative_team_remove", "DELETE", API_RUNNERS, api_team_member, api=True),
    Route(
        "api-1.0.0:initiative_plan_set",
        "PUT",
        API_RUNNERS,
        api_stage,
        lambda w, u: {"budget": "1000.00"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_criterion_add",
        "POST",
        API_RUNNERS,
        api_private,
        lambda w, u: {"stage": "scale", "text": "Evaluation published"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_criterion_set",
        "PUT",
        API_RUNNERS,
        api_criterion,
        lambda w, u: {"met": True},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_update_add",
        "POST",
        API_RUNNERS,
        api_private,
        lambda w, u: {"body": "On track."},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_milestone_add",
        "POST",
        API_RUNNERS,
        api_private,
        lambda w, u: {"title": "Go live", "due_on": "2026-06-30"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_milestone_reached",
        "POST",
        API_RUNNERS,
        api_milestone,
        lambda w, u: {},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_evaluation_set",
        "PUT",
        API_RUNNERS,
        api_private,
        lambda w, u: {"question": "Fewer missed bins?", "design": "comparison"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:initiative_decide",
        "POST",
        members_with(*DECIDERS, api=True),
        api_private,
        lambda w, u: {"decision": "hold", "reason": "Waiting for the data."},
        api=True,
        json=True,
    ),
]
