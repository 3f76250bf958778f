"""Permission matrix rows for participatory budgets: every page and endpoint, for every actor.

The rows use three budgets of the home organisation, which are public as residents vote in
them: one open for voting, one with published results and one empty, in its proposals phase,
for imports. Anyone signed in votes; innovation leads and administrators (and instance
administrators) run budgets; other people who can see a budget but not run it get 403.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from civicflow.budgets import services
from civicflow.budgets.models import Phase
from tests.budgets.helpers import city_budget, ids
from tests.permissions.matrix import Route, members_with, public, signed_in

LEADS = ("innovation_lead", "admin")


def build(world: Any) -> None:
    """Add the voting, published and empty budgets to ``world.extra``."""
    lead = world.people["in:innovation_lead"]
    voting = city_budget(lead, world.organisation, title="Greener streets")
    published = city_budget(lead, world.organisation, title="Safer crossings")
    services.ballot_cast(actor=world.target, budget=published, choices={ids(published)["Bins"]: 1})
    services.results_publish(actor=lead, budget=published, completion="none")
    empty = city_budget(lead, world.organisation, phase=Phase.PROPOSALS, title="Next year")
    empty.projects.all().delete()
    draft = city_budget(lead, world.organisation, phase=Phase.PROPOSALS, title="Play areas")
    world.extra["budgets"] = {
        "voting": voting,
        "published": published,
        "empty": empty,
        "draft": draft,
        "draft_project": draft.projects.first(),
    }


def _b(world: Any) -> dict[str, Any]:
    return world.extra["budgets"]


def org(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug}


def voting(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _b(world)["voting"].pk}


def published(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _b(world)["published"].pk}


def empty(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _b(world)["empty"].pk}


def draft_project(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _b(world)["draft"].pk, "project_id": _b(world)["draft_project"].pk}


def api_voting(world: Any, user: Any) -> dict[str, Any]:
    return {"budget_id": _b(world)["voting"].pk}


def api_published(world: Any, user: Any) -> dict[str, Any]:
    return {"budget_id": _b(world)["published"].pk}


def api_draft(world: Any, user: Any) -> dict[str, Any]:
    return {"budget_id": _b(world)["draft"].pk}


def api_empty(world: Any, user: Any) -> dict[str, Any]:
    return {"budget_id": _b(world)["empty"].pk}


def choice(world: Any, user: Any) -> dict[str, Any]:
    return {f"p-{ids(_b(world)['voting'])['Bins']}": "1", "action": "cast"}


def api_choice(world: Any, user: Any) -> dict[str, Any]:
    return {"choices": {ids(_b(world)["voting"])["Bins"]: 1}}


PB = (
    "META\nkey;value\nnum_projects;1\nnum_votes;1\nbudget;100\nvote_type;approval\n"
    "PROJECTS\nproject_id;cost;name\n1;60;Park\nVOTES\nvoter_id;vote\nv1;1\n"
)


def pb_file(world: Any, user: Any) -> dict[str, Any]:
    return {"file": SimpleUploadedFile("budget.pb", PB.encode(), "text/plain")}


def runners(*, api: bool = False) -> Any:
    """Leads run a public budget; others who see it are refused with 403."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "instance_admin" or actor in {f"in:{r}" for r in LEADS}:
            return "ok"
        return "403"

    return rule


ROUTES: list[Route] = [
    Route("budgets:list", "GET", public, org),
    Route("budgets:create", "GET", members_with(*LEADS), org),
    Route(
        "budgets:create",
        "POST",
        members_with(*LEADS),
        org,
        lambda w, u: {
            "title": "Play areas",
            "total": "5000",
            "ballot_kind": "approval_budget",
            "eligibility": "residents",
        },
    ),
    Route("budgets:budget", "GET", public, voting),
    Route("budgets:ballot", "GET", signed_in(api=False), voting),
    Route("budgets:ballot", "POST", signed_in(api=False), voting, choice),
    Route("budgets:results", "GET", public, published),
    Route("budgets:export", "GET", public, published),
    Route("budgets:manage", "GET", runners(), voting),
    Route(
        "budgets:manage",
        "POST",
        runners(),
        voting,
        lambda w, u: {"action": "phase", "phase": "review"},
    ),
    Route("budgets:edit", "GET", runners(), voting),
    Route(
        "budgets:edit",
        "POST",
        runners(),
        voting,
        lambda w, u: {"title": "Greener streets 2027", "reason": "New year"},
    ),
    Route("budgets:project_edit", "GET", runners(), draft_project),
    Route(
        "budgets:project_edit",
        "POST",
        runners(),
        draft_project,
        lambda w, u: {"title": "Tall trees", "cost": "650"},
    ),
    Route("budgets:paper", "GET", runners(), voting),
    Route("budgets:paper", "POST", runners(), voting, choice),
    Route("budgets:import", "GET", runners(), empty),
    Route("budgets:import", "POST", runners(), empty, pb_file),
    # API
    Route("api-1.0.0:budget_list", "GET", public, org, api=True),
    Route("api-1.0.0:budget_detail", "GET", public, api_voting, api=True),
    Route("api-1.0.0:my_ballot_get", "GET", signed_in(api=True), api_voting, api=True),
    Route(
        "api-1.0.0:my_ballot_put",
        "PUT",
        signed_in(api=True),
        api_voting,
        api_choice,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:budget_results", "GET", public, api_published, api=True),
    Route("api-1.0.0:budget_export", "GET", public, api_published, api=True),
    Route("api-1.0.0:budget_export", "GET", runners(api=True), api_voting, api=True),
    Route(
        "api-1.0.0:budget_create",
        "POST",
        members_with(*LEADS, api=True),
        org,
        lambda w, u: {"title": "Play areas", "total": 5000},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:budget_project_add",
        "POST",
        runners(api=True),
        api_draft,
        lambda w, u: {"title": "Sandpit", "cost": 150},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:budget_phase_move",
        "POST",
        runners(api=True),
        api_voting,
        lambda w, u: {"phase": "review"},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:budget_import", "POST", runners(api=True), api_empty, pb_file, api=True),
    Route(
        "api-1.0.0:budget_results_publish",
        "POST",
        runners(api=True),
        api_voting,
        lambda w, u: {"completion": "none"},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:budget_voters_get", "GET", runners(api=True), api_voting, api=True),
    Route(
        "api-1.0.0:budget_voters_put",
        "PUT",
        runners(api=True),
        api_draft,
        lambda w, u: {"emails": ["voter@example.org"]},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:budget_codes_get", "GET", runners(api=True), api_voting, api=True),
    Route(
        "api-1.0.0:budget_codes_issue",
        "POST",
        runners(api=True),
        api_draft,
        lambda w, u: {"how_many": 2},
        api=True,
        json=True,
    ),
    Route("api-1.0.0:budget_paper_ballots", "GET", runners(api=True), api_voting, api=True),
    Route(
        "api-1.0.0:budget_paper_ballot_enter",
        "POST",
        runners(api=True),
        api_voting,
        api_choice,
        api=True,
        json=True,
    ),
]
