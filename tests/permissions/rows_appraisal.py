"""Permission matrix rows for appraisal: every page, for every actor.

The rows use two public challenge prizes of the home organisation: one with its criteria
published and its panel open (the home assessor reviews an idea by the target member), and
one whose results are published. Leads and administrators run appraisal; only assessors on
the panel see its queue and only the assigned assessor opens a review; only an idea's
authors write its business case.
"""

from __future__ import annotations

from typing import Any

from civicflow.appraisal import services
from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea
from tests.permissions.matrix import Route, public

LEADS = ("innovation_lead", "admin")


def build(world: Any) -> None:
    lead = world.people["in:innovation_lead"]
    assessor = world.people["in:assessor"]
    running = make_round(lead, world.organisation, kind="prize", title="Running prize")
    idea = submit_idea(world.target, running, "Cleaner bus stops")
    criteria = services.criteria_set_create(actor=lead, challenge=running)
    services.criteria_publish(actor=lead, criteria_set=criteria)
    panel = services.panel_create(actor=lead, challenge=running, reviews_per_submission=1)
    services.panel_member_add(actor=lead, panel=panel, user=assessor)
    services.panel_allocate(actor=lead, panel=panel)
    done = make_round(lead, world.organisation, kind="prize", title="Finished prize")
    finished_idea = submit_idea(world.target, done, "Quieter libraries")
    finished = panel_with_scores(lead, done, [assessor], [finished_idea], k=1)
    services.panel_close(actor=lead, panel=finished)
    services.decision_record(
        actor=lead, panel=finished, idea=finished_idea, kind="shortlisted", reason="Clear plan"
    )
    services.results_publish(actor=lead, panel=finished)
    world.extra["appraisal"] = {
        "running": running,
        "idea": idea,
        "assignment": panel.assignments.get(),
        "done": done,
    }


def _a(world: Any) -> dict[str, Any]:
    return world.extra["appraisal"]


def running(world: Any, user: Any) -> dict[str, Any]:
    return {"challenge_id": _a(world)["running"].pk}


def done(world: Any, user: Any) -> dict[str, Any]:
    return {"challenge_id": _a(world)["done"].pk}


def review(world: Any, user: Any) -> dict[str, Any]:
    return {"challenge_id": _a(world)["running"].pk, "assignment_id": _a(world)["assignment"].pk}


def idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _a(world)["idea"].pk}


def runners(actor: str) -> str:
    """Leads run a public challenge's appraisal; others who see it are refused with 403."""
    if actor == "anonymous":
        return "login"
    if actor == "instance_admin" or actor in {f"in:{r}" for r in LEADS}:
        return "ok"
    return "403"


def panel_members(actor: str) -> str:
    if actor == "anonymous":
        return "login"
    return "ok" if actor == "in:assessor" else "403"


def assigned_assessor(actor: str) -> str:
    if actor == "anonymous":
        return "login"
    return "ok" if actor == "in:assessor" else "404"


def authors_only(actor: str) -> str:
    """Nobody in the matrix wrote the idea (the target member did)."""
    return "login" if actor == "anonymous" else "403"


def decision(world: Any, user: Any) -> dict[str, Any]:
    return {
        "action": "decide",
        "idea": _a(world)["idea"].pk,
        "kind": "shortlisted",
        "reason": "Strong",
    }


ROUTES: list[Route] = [
    Route("appraisal:criteria", "GET", public, running),
    Route("appraisal:criteria_edit", "GET", runners, running),
    Route(
        "appraisal:criteria_edit",
        "POST",
        runners,
        running,
        lambda w, u: {"action": "publish"},
    ),
    Route("appraisal:panel", "GET", runners, running),
    Route("appraisal:panel", "POST", runners, running, lambda w, u: {"action": "allocate"}),
    Route("appraisal:queue", "GET", panel_members, running),
    Route("appraisal:review", "GET", assigned_assessor, review),
    Route(
        "appraisal:review",
        "POST",
        assigned_assessor,
        review,
        lambda w, u: {"action": "declare", "has_conflict": "no"},
    ),
    Route("appraisal:ranking", "GET", runners, running),
    Route("appraisal:ranking", "POST", runners, running, decision),
    Route("appraisal:export", "GET", runners, running),
    Route("appraisal:results", "GET", public, done),
    Route("appraisal:business_case", "GET", authors_only, idea),
    Route(
        "appraisal:business_case",
        "POST",
        authors_only,
        idea,
        lambda w, u: {"point": "P", "justification": "J"},
    ),
]
