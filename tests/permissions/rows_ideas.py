"""Permission matrix rows for ideas: every page and endpoint, for every actor.

The rows use a staff-only open call of the home organisation, in its develop phase (ideas,
comments and support open), so that outsiders must learn nothing. In it:

- ``idea``: by ``in:staff``, who is its author; ``world.target`` is invited to co-write it,
  and so is ``in:assessor`` (whose invitation the accept and decline rows answer);
- ``backed``: by ``world.target``, supported by every member actor (the unsupport rows);
- ``merged``: merged into ``backed`` (the undo rows);
- ``fresh``: by ``world.target``, supported by nobody (the support rows).

A public open call of the same organisation shows that anyone may read public ideas.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services
from tests.permissions.matrix import Route, members_with, public

MODERATORS = ("innovation_lead", "admin")
AUTHOR = "in:staff"
INVITEE = "in:assessor"

IDEA = {
    "title": "Text people before their bin day",
    "summary": "A reminder the evening before.",
    "description": "Residents who sign up get a text the evening before collection.",
    "innovation_type": "service",
    "scale": "continuous",
    "benefits": ["saves_money"],
    "affected": "Residents",
}


def author_only(*, api: bool = False) -> Any:
    """The idea's author (``in:staff``) and instance administrators; other members 403."""

    def rule(actor: str) -> str:
        if actor == AUTHOR:
            return "ok"
        return members_with("author", api=api)(actor)

    return rule


def invitee_only(*, api: bool = False) -> Any:
    """Only the person invited; everyone else finds no invitation (404)."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        return "ok" if actor == INVITEE else "404"

    return rule


def members_taking_part(*, api: bool = False) -> Any:
    """Members of the home organisation; instance administrators are not in the staff-only
    challenge's audience, so the service refuses them (422)."""

    def rule(actor: str) -> str:
        if actor == "instance_admin":
            return "422"
        return members_with(api=api)(actor)

    return rule


def _challenge(world: Any, audience: str, title: str) -> Any:
    lead = world.people["in:innovation_lead"]
    now = timezone.now()
    phases = [
        PhaseDates("define", now - timedelta(days=20), now - timedelta(days=10)),
        PhaseDates("develop", now - timedelta(days=10), now + timedelta(days=20)),
    ]
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=world.organisation,
        kind="open_call",
        phases=phases,
        title=title,
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed.",
        driver="cost_pressure",
        audience=audience,
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    challenge.refresh_from_db()
    return challenge


def build(world: Any) -> None:
    """Add the objects these rows need to ``world.extra``."""
    people = world.people
    challenge = _challenge(world, "staff", "Fewer missed bins")
    idea = services.idea_submit(author=people[AUTHOR], challenge=challenge, **IDEA)
    services.coauthor_invite(actor=people[AUTHOR], idea=idea, email=world.target.email)
    services.coauthor_invite(actor=people[AUTHOR], idea=idea, email=people[INVITEE].email)
    backed = services.idea_submit(
        author=world.target, challenge=challenge, **{**IDEA, "title": "Backed"}
    )
    for actor, person in people.items():
        if actor.startswith("in:"):
            services.idea_support(user=person, idea=backed)
    merged = services.idea_submit(
        author=world.spare, challenge=challenge, **{**IDEA, "title": "Duplicate"}
    )
    services.idea_merge(
        actor=people["in:innovation_lead"], source=merged, target=backed, reason="Same idea"
    )
    fresh = services.idea_submit(
        author=world.target, challenge=challenge, **{**IDEA, "title": "Nobody backs it yet"}
    )
    open_to_all = _challenge(world, "public", "Greener parks")
    public_idea = services.idea_submit(author=world.target, challenge=open_to_all, **IDEA)
    world.extra["ideas"] = {
        "challenge": challenge,
        "idea": idea,
        "backed": backed,
        "merged": merged,
        "fresh": fresh,
        "public_challenge": open_to_all,
        "public_idea": public_idea,
    }


def _ideas(world: Any) -> dict[str, Any]:
    return world.extra["ideas"]


def list_kwargs(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug, "challenge_slug": _ideas(world)["challenge"].slug}


def public_list_kwargs(world: Any, user: Any) -> dict[str, Any]:
    return {
        "slug": world.organisation.slug,
        "challenge_slug": _ideas(world)["public_challenge"].slug,
    }


def idea(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _ideas(world)["idea"].pk}


def backed(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _ideas(world)["backed"].pk}


def merged(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _ideas(world)["merged"].pk}


def public_idea(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _ideas(world)["public_idea"].pk}


def invited(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _ideas(world)["idea"].pk, "user_id": world.target.pk}


def api_idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["idea"].pk}


def api_backed(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["backed"].pk}


def api_fresh(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["fresh"].pk}


def api_merged(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["merged"].pk}


def api_public_idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["public_idea"].pk}


def api_invited(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": _ideas(world)["idea"].pk, "user_id": world.target.pk}


def form_data(world: Any, user: Any) -> dict[str, Any]:
    return {**IDEA, "title": "Another reminder idea"}


def edit_data(world: Any, user: Any) -> dict[str, Any]:
    return {**IDEA, "title": "Text residents the day before", "version": "1"}


def invite_data(world: Any, user: Any) -> dict[str, Any]:
    return {"email": world.spare.email}


def merge_form(world: Any, user: Any) -> dict[str, Any]:
    return {"target": str(_ideas(world)["backed"].pk), "reason": "The same reminder idea"}


def merge_body(world: Any, user: Any) -> dict[str, Any]:
    return {"into": _ideas(world)["backed"].pk, "reason": "The same reminder idea"}


def status_data(world: Any, user: Any) -> dict[str, Any]:
    return {"status": "shortlisted", "feedback": "Cheap and quick to try."}


def nothing(world: Any, user: Any) -> dict[str, Any]:
    return {}


PAGES = [
    Route("ideas:list", "GET", members_with(), list_kwargs),
    Route("ideas:list", "GET", public, public_list_kwargs),
    Route("ideas:create", "GET", members_with(), list_kwargs),
    Route("ideas:create", "POST", members_with(), list_kwargs, form_data),
    Route("ideas:detail", "GET", members_with(), idea),
    Route("ideas:detail", "GET", public, public_idea),
    # A merged idea's page sends everyone who may see it on to the idea it was merged into.
    Route("ideas:detail", "GET", members_with(), merged),
    Route("ideas:edit", "GET", author_only(), idea),
    Route("ideas:edit", "POST", author_only(), idea, edit_data),
    Route("ideas:history", "GET", members_with(), idea),
    Route("ideas:withdraw", "GET", author_only(), idea),
    Route("ideas:withdraw", "POST", author_only(), idea, lambda w, u: {"reason": "Done"}),
    Route("ideas:support", "POST", members_with(), idea, nothing),
    Route("ideas:unsupport", "POST", members_with(), backed, nothing),
    Route("ideas:status", "GET", members_with(*MODERATORS), idea),
    Route("ideas:status", "POST", members_with(*MODERATORS), idea, status_data),
    Route("ideas:coauthors", "GET", author_only(), idea),
    Route("ideas:coauthors", "POST", author_only(), idea, invite_data),
    Route("ideas:coauthor_withdraw", "POST", author_only(), invited, nothing),
    Route("ideas:invitation_accept", "POST", invitee_only(), idea, nothing),
    Route("ideas:invitation_decline", "POST", invitee_only(), idea, nothing),
    Route("ideas:merge", "GET", members_with(*MODERATORS), idea),
    Route("ideas:merge", "POST", members_with(*MODERATORS), idea, merge_form),
    Route("ideas:merge_undo", "POST", members_with(*MODERATORS), merged, nothing),
]

API = [
    Route("api-1.0.0:idea_list", "GET", members_with(api=True), list_kwargs, api=True),
    Route("api-1.0.0:idea_list", "GET", public, public_list_kwargs, api=True),
    Route(
        "api-1.0.0:idea_create",
        "POST",
        members_taking_part(api=True),
        list_kwargs,
        form_data,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:idea_detail", "GET", members_with(api=True), api_idea, api=True),
    Route("api-1.0.0:idea_detail", "GET", public, api_public_idea, api=True),
    Route(
        "api-1.0.0:idea_update",
        "PATCH",
        author_only(api=True),
        api_idea,
        lambda w, u: {"title": "Text residents the day before", "version": 1},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:idea_withdraw",
        "POST",
        author_only(api=True),
        api_idea,
        lambda w, u: {"reason": "Done"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:idea_set_status",
        "PUT",
        members_with(*MODERATORS, api=True),
        api_idea,
        status_data,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:idea_support",
        "PUT",
        members_taking_part(api=True),
        api_fresh,
        api=True,
    ),
    Route(
        "api-1.0.0:idea_unsupport",
        "DELETE",
        members_taking_part(api=True),
        api_backed,
        api=True,
    ),
    Route("api-1.0.0:idea_versions", "GET", members_with(api=True), api_idea, api=True),
    Route("api-1.0.0:idea_coauthor_list", "GET", members_with(api=True), api_idea, api=True),
    Route(
        "api-1.0.0:idea_coauthor_invite",
        "POST",
        author_only(api=True),
        api_idea,
        invite_data,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:idea_coauthor_withdraw",
        "DELETE",
        author_only(api=True),
        api_invited,
        api=True,
    ),
    Route(
        "api-1.0.0:idea_invitation_accept",
        "POST",
        invitee_only(api=True),
        api_idea,
        api=True,
    ),
    Route(
        "api-1.0.0:idea_invitation_decline",
        "POST",
        invitee_only(api=True),
        api_idea,
        api=True,
    ),
    Route(
        "api-1.0.0:idea_merge",
        "POST",
        members_with(*MODERATORS, api=True),
        api_idea,
        merge_body,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:idea_merge_undo",
        "DELETE",
        members_with(*MODERATORS, api=True),
        api_merged,
        api=True,
    ),
]

ROUTES: list[Route] = PAGES + API
