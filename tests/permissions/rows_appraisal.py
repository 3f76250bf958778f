"""Permission matrix rows for appraisal: every page and endpoint, for every actor.

The rows use public rounds of the home organisation: a challenge prize with its criteria
published, its prize set up and its panel open (the home assessor reviews an idea by the
target member, and has declared no conflict); one whose results are published; one whose
criteria are a draft; one whose panel is closed with a decision; a fund round with a granted
application and one waiting; a hack day with a team; and a fund round and a
hack day not yet set up. Leads and administrators run appraisal; only assessors on the panel
see its queue and only the assigned assessor opens a review; only an idea's authors write its
business case, answer eligibility questions and apply; only registered people form teams.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.appraisal import services
from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea
from tests.factories import member
from tests.permissions.matrix import Route, public, signed_in

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
    services.conflict_declare(actor=assessor, panel=panel, idea=idea, has_conflict=False)
    # Nobody may put forward more than five ideas an hour: the ideas are shared out.
    writer, second = member(world.organisation), member(world.organisation)
    late = submit_idea(second, running, "Later entry")
    services.business_case_save(actor=world.target, idea=idea, point="P", justification="J")
    now = timezone.now()
    services.prize_create(
        actor=lead,
        challenge=running,
        pot=10_000,
        closes_at=now + timedelta(days=30),
        tiers=[("Winner", 10_000, 1)],
        questions=["Are you based in the borough?"],
    )
    draft = make_round(lead, world.organisation, kind="prize", title="Draft prize")
    services.criteria_set_create(actor=lead, challenge=draft)
    closed = make_round(lead, world.organisation, kind="prize", title="Closed prize")
    closed_idea = submit_idea(second, closed, "Warmer bus shelters")
    closed_panel = services.panel_create(actor=lead, challenge=closed)
    services.panel_close(actor=lead, panel=closed_panel)
    services.decision_record(
        actor=lead, panel=closed_panel, idea=closed_idea, kind="shortlisted", reason="Good"
    )
    fund = make_round(lead, world.organisation, kind="fund_round", title="Fund")
    fund_round = services.fund_round_create(actor=lead, challenge=fund, budget=50_000)
    granted = services.application_submit(
        actor=second,
        fund_round=fund_round,
        idea=submit_idea(second, fund, "Lunch club"),
        amount_requested=5_000,
        plan="Plan",
        milestones=[{"title": "Pilot", "payment": 2_000}],
    )
    services.grant_award(actor=lead, application=granted, amount=5_000, reason="Strong")
    waiting = services.application_submit(
        actor=writer,
        fund_round=fund_round,
        idea=submit_idea(writer, fund, "Repair cafe"),
        amount_requested=3_000,
        plan="Plan",
    )
    unapplied = submit_idea(second, fund, "Tool library")
    fund_empty = make_round(lead, world.organisation, kind="fund_round", title="Next fund")
    hack = make_round(lead, world.organisation, kind="hack_day", open_now="discover")
    hack_day = services.hack_day_create(
        actor=lead,
        challenge=hack,
        starts_at=now + timedelta(days=5),
        ends_at=now + timedelta(days=5, hours=8),
        capacity=100,
        place="Town hall",
    )
    services.hack_day_register(actor=writer, hack_day=hack_day, skills=["Design"])
    team = services.hack_team_form(
        actor=writer, hack_day=hack_day, idea=submit_idea(writer, hack, "Bed finder"), name="Beds"
    )
    hack_idea = submit_idea(writer, hack, "Ward map")
    hack_empty = make_round(
        lead, world.organisation, kind="hack_day", open_now="discover", title="Next hack"
    )
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
        "late": late,
        "draft": draft,
        "closed": closed,
        "fund": fund,
        "granted": granted,
        "milestone": granted.milestones.get(),
        "waiting": waiting,
        "unapplied": unapplied,
        "fund_empty": fund_empty,
        "hack": hack,
        "hack_idea": hack_idea,
        "team": team,
        "hack_empty": hack_empty,
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


# Prizes, fund rounds and hack days: pages ---------------------------------------------------


def _page(key: str) -> Any:
    return lambda world, user: {"challenge_id": _a(world)[key].pk}


def _page_application(key: str) -> Any:
    return lambda world, user: {"application_id": _a(world)[key].pk}


def form_refused(actor: str) -> str:
    """The form has nothing for them to choose: nobody here wrote an idea in the round."""
    return "login" if actor == "anonymous" else "400"


def _soon(days: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


ROUTES += [
    Route("appraisal:prize", "GET", public, _page("running")),
    Route("appraisal:prize_setup", "GET", runners, _page("closed")),
    Route(
        "appraisal:prize_setup",
        "POST",
        runners,
        _page("closed"),
        lambda w, u: {
            "pot": "5000",
            "closes_at": _soon(10),
            "tier_1_name": "Winner",
            "tier_1_amount": "5000",
            "tier_1_places": "1",
        },
    ),
    Route("appraisal:prize_tiers", "GET", runners, _page("running")),
    Route(
        "appraisal:prize_tiers",
        "POST",
        runners,
        _page("running"),
        lambda w, u: {
            f"tier_{_a(w)['running'].prize.tiers.get().pk}_name": "Winner",
            f"tier_{_a(w)['running'].prize.tiers.get().pk}_amount": "8000",
            f"tier_{_a(w)['running'].prize.tiers.get().pk}_places": "1",
        },
    ),
    Route("appraisal:eligibility", "GET", authors_only, idea),
    Route(
        "appraisal:eligibility",
        "POST",
        authors_only,
        idea,
        lambda w, u: {f"q_{_a(w)['running'].prize.questions.get().pk}": "yes"},
    ),
    Route("appraisal:fund", "GET", public, _page("fund")),
    Route("appraisal:fund_setup", "GET", runners, _page("fund_empty")),
    Route(
        "appraisal:fund_setup", "POST", runners, _page("fund_empty"), lambda w, u: {"budget": "900"}
    ),
    Route("appraisal:fund_apply", "GET", signed_in(api=False), _page("fund")),
    Route(
        "appraisal:fund_apply",
        "POST",
        form_refused,
        _page("fund"),
        lambda w, u: {"idea": _a(w)["unapplied"].pk, "amount_requested": "100", "plan": "P"},
    ),
    Route("appraisal:fund_awards", "GET", runners, _page("fund")),
    Route(
        "appraisal:fund_awards",
        "POST",
        runners,
        _page("fund"),
        lambda w, u: {"application": _a(w)["waiting"].pk, "amount": "3000", "reason": "Good"},
    ),
    Route("appraisal:application", "GET", runners, _page_application("granted")),
    Route(
        "appraisal:application",
        "POST",
        runners,
        _page_application("granted"),
        lambda w, u: {
            "action": "report",
            "milestone": _a(w)["milestone"].pk,
            "report": "Done",
            "outcome_achieved": "yes",
        },
    ),
    Route("appraisal:award_letter", "GET", runners, _page_application("granted")),
    Route("appraisal:hack_day", "GET", public, _page("hack")),
    Route(
        "appraisal:hack_day",
        "POST",
        signed_in(api=False),
        _page("hack"),
        lambda w, u: {"action": "register", "skills": "Python"},
    ),
    Route("appraisal:hack_day_setup", "GET", runners, _page("hack_empty")),
    Route(
        "appraisal:hack_day_setup",
        "POST",
        runners,
        _page("hack_empty"),
        lambda w, u: {
            "starts_at": _soon(10),
            "ends_at": _soon(11),
            "place": "Library",
            "capacity": "40",
        },
    ),
    Route(
        "appraisal:prototype", "GET", authors_only, lambda w, u: {"hack_team_id": _a(w)["team"].pk}
    ),
    Route(
        "appraisal:prototype",
        "POST",
        authors_only,
        lambda w, u: {"hack_team_id": _a(w)["team"].pk},
        lambda w, u: {"description": "It works"},
    ),
]


# API ---------------------------------------------------------------------------------------


def _id(key: str) -> Any:
    return lambda world, user: {"challenge_id": _a(world)[key].pk}


def api_runners(actor: str) -> str:
    if actor == "anonymous":
        return "401"
    return runners(actor)


def api_panel_members(actor: str) -> str:
    return "401" if actor == "anonymous" else panel_members(actor)


def api_assigned(actor: str) -> str:
    return "401" if actor == "anonymous" else assigned_assessor(actor)


def api_authors_only(actor: str) -> str:
    return "401" if actor == "anonymous" else "403"


def api_not_theirs(actor: str) -> str:
    """Nobody in the matrix is registered for the hack day or in its team: 422 says so."""
    return "401" if actor == "anonymous" else "422"


def case_readers(actor: str) -> str:
    """The idea's authors (nobody here), the round's leads and the assigned assessor."""
    if actor == "in:assessor":
        return "ok"
    return api_runners(actor)


def review_url(world: Any, user: Any) -> dict[str, Any]:
    return review(world, user)


def criterion(key: str) -> Any:
    return lambda world, user: {"challenge_id": _a(world)["draft"].pk, "criterion_key": key}


def assessor_of_running(world: Any, user: Any) -> dict[str, Any]:
    return {
        "challenge_id": _a(world)["running"].pk,
        "user_id": world.people["in:assessor"].pk,
    }


def scores(world: Any, user: Any) -> dict[str, Any]:
    keys = _a(world)["running"].criteria_set.criteria.values_list("key", flat=True)
    return {"scores": dict.fromkeys(keys, 3), "comment": "Clear"}


def application(key: str) -> Any:
    return lambda world, user: {"application_id": _a(world)[key].pk}


def team(world: Any, user: Any) -> dict[str, Any]:
    return {"hack_team_id": _a(world)["team"].pk}


def api_idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _a(world)["idea"].pk}


def _route(name: str, method: str, rule: Any, kwargs: Any, data: Any = None) -> Route:
    return Route(f"api-1.0.0:{name}", method, rule, kwargs, data, api=True, json=data is not None)


def _body(**values: Any) -> Any:
    return lambda world, user: values


def _later() -> str:
    return (timezone.now() + timedelta(days=10)).isoformat()


ROUTES += [
    _route("appraisal_criteria", "GET", public, _id("running")),
    _route("appraisal_criteria_create", "POST", api_runners, _id("closed"), _body()),
    _route(
        "appraisal_criterion_add",
        "POST",
        api_runners,
        _id("draft"),
        _body(name="Reach", weight=2),
    ),
    _route(
        "appraisal_criterion_change",
        "PUT",
        api_runners,
        criterion("feasibility"),
        _body(name="Feasibility", weight=3),
    ),
    _route("appraisal_criterion_remove", "DELETE", api_runners, criterion("risk")),
    _route("appraisal_criteria_publish", "POST", api_runners, _id("draft"), _body()),
    _route("appraisal_business_case", "GET", case_readers, api_idea),
    _route(
        "appraisal_business_case_save",
        "PUT",
        api_authors_only,
        api_idea,
        _body(point="P", justification="J"),
    ),
    _route("appraisal_panel", "GET", api_runners, _id("running")),
    _route("appraisal_panel_create", "POST", api_runners, _id("draft"), _body()),
    _route(
        "appraisal_panel_update",
        "PUT",
        api_runners,
        _id("running"),
        _body(reviews_per_submission=1, rank_by="raw"),
    ),
    _route(
        "appraisal_assessor_add",
        "POST",
        api_runners,
        _id("running"),
        lambda w, u: {"user_id": w.people["instance_admin"].pk},
    ),
    _route("appraisal_assessor_remove", "DELETE", api_runners, assessor_of_running),
    _route(
        "appraisal_assignment_add",
        "POST",
        api_runners,
        _id("running"),
        lambda w, u: {"idea_id": _a(w)["late"].pk, "assessor_id": w.people["in:assessor"].pk},
    ),
    _route("appraisal_panel_allocate", "POST", api_runners, _id("running"), _body()),
    _route("appraisal_panel_close", "POST", api_runners, _id("running"), _body()),
    _route("appraisal_panel_reopen", "POST", api_runners, _id("closed"), _body(reason="More")),
    _route("appraisal_reviews", "GET", api_panel_members, _id("running")),
    _route("appraisal_review", "GET", api_assigned, review_url),
    _route("appraisal_declare", "PUT", api_assigned, review_url, _body(has_conflict=False)),
    _route("appraisal_score", "PUT", api_assigned, review_url, scores),
    _route("appraisal_ranking", "GET", api_runners, _id("running")),
    _route("appraisal_decisions", "GET", api_runners, _id("closed")),
    _route(
        "appraisal_decide",
        "POST",
        api_runners,
        _id("running"),
        lambda w, u: {"idea_id": _a(w)["idea"].pk, "kind": "shortlisted", "reason": "Strong"},
    ),
    _route("appraisal_results_publish", "POST", api_runners, _id("closed"), _body()),
    _route("appraisal_results", "GET", public, _id("done")),
    _route("prize_detail", "GET", public, _id("running")),
    _route(
        "prize_create",
        "POST",
        api_runners,
        _id("closed"),
        lambda w, u: {
            "pot": 5_000,
            "closes_at": _later(),
            "tiers": [{"name": "Winner", "amount": 5_000}],
        },
    ),
    _route(
        "prize_tiers_change",
        "PUT",
        api_runners,
        _id("running"),
        lambda w, u: {
            "tiers": [
                {"id": _a(w)["running"].prize.tiers.get().pk, "name": "Winner", "amount": 9_000}
            ]
        },
    ),
    _route(
        "prize_eligibility",
        "PUT",
        api_authors_only,
        api_idea,
        lambda w, u: {
            "answers": [{"question_id": _a(w)["running"].prize.questions.get().pk, "answer": True}]
        },
    ),
    _route("fund_detail", "GET", public, _id("fund")),
    _route("fund_create", "POST", api_runners, _id("fund_empty"), _body(budget=20_000)),
    _route("fund_applications", "GET", api_runners, _id("fund")),
    _route(
        "fund_apply",
        "POST",
        api_authors_only,
        _id("fund"),
        lambda w, u: {"idea_id": _a(w)["unapplied"].pk, "amount_requested": 100, "plan": "P"},
    ),
    _route("fund_application", "GET", api_runners, application("granted")),
    _route(
        "fund_grant",
        "POST",
        api_runners,
        application("waiting"),
        _body(amount=3_000, reason="Good plan"),
    ),
    _route(
        "fund_report",
        "POST",
        api_runners,
        application("granted"),
        lambda w, u: {
            "milestone_id": _a(w)["milestone"].pk,
            "report": "It went well",
            "outcome_achieved": True,
        },
    ),
    _route(
        "fund_payment",
        "POST",
        api_runners,
        application("granted"),
        lambda w, u: {"amount": 2_000, "milestone_id": _a(w)["milestone"].pk},
    ),
    _route("hack_day_detail", "GET", public, _id("hack")),
    _route(
        "hack_day_create",
        "POST",
        api_runners,
        _id("hack_empty"),
        lambda w, u: {
            "starts_at": _later(),
            "ends_at": (timezone.now() + timedelta(days=11)).isoformat(),
            "capacity": 40,
            "place": "Library",
        },
    ),
    _route(
        "hack_day_register",
        "POST",
        signed_in(api=True),
        _id("hack"),
        _body(skills=["Python"]),
    ),
    _route(
        "hack_team_form",
        "POST",
        api_authors_only,
        _id("hack"),
        lambda w, u: {"idea_id": _a(w)["hack_idea"].pk, "name": "Maps"},
    ),
    _route("hack_team_join", "POST", api_authors_only, team),
    _route("hack_team_leave", "DELETE", api_not_theirs, team),
    _route("hack_day_unregister", "DELETE", api_not_theirs, _id("hack")),
    _route("hack_prototype", "PUT", api_authors_only, team, _body(description="It works")),
]
