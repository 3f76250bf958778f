"""Permission matrix rows for opinion maps: every page and endpoint, for every actor.

The rows use a pre-moderated conversation on a staff-only open call of the home organisation,
in its develop phase (comments and ideas open), so outsiders must learn nothing. It has two
seed statements and one statement by ``world.target`` waiting for moderation.

Every member sees the conversation, votes and adds statements; instance administrators see
it and, as they run every conversation, add seed statements, but are not in the staff-only
audience, so the API refuses their votes (403) and the vote page sends them back with the
reason. Innovation leads and administrators run it: moderation, settings, import, export.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from civicflow.opinions import services
from tests.opinions.conftest import open_call
from tests.permissions.matrix import Route, members_with

LEADS = ("innovation_lead", "admin")


def build(world: Any) -> None:
    """Add the conversation, its seeds and a pending statement to ``world.extra``."""
    lead = world.people["in:innovation_lead"]
    challenge = open_call(lead, world.organisation, audience="staff", title="Quieter streets")
    conversation = services.conversation_create(
        actor=lead,
        challenge=challenge,
        question="How do we make our streets quieter at night?",
        moderation="pre",
    )
    seed = services.statement_add(
        actor=lead, conversation=conversation, text="Lorries should not deliver after 10pm"
    )
    services.statement_add(
        actor=lead, conversation=conversation, text="Bars should close their doors at 11pm"
    )
    pending = services.statement_add(
        actor=world.target, conversation=conversation, text="Buses should run quieter engines"
    )
    world.extra["opinions"] = {
        "challenge": challenge,
        "conversation": conversation,
        "seed": seed,
        "pending": pending,
    }


def _o(world: Any) -> dict[str, Any]:
    return world.extra["opinions"]


def challenge_kwargs(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug, "challenge_slug": _o(world)["challenge"].slug}


def conversation(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _o(world)["conversation"].pk}


def moderate(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _o(world)["conversation"].pk, "statement_id": _o(world)["pending"].pk}


def export_file(world: Any, user: Any) -> dict[str, Any]:
    return {"pk": _o(world)["conversation"].pk, "name": "votes.csv"}


def api_conversation(world: Any, user: Any) -> dict[str, Any]:
    return {"conversation_id": _o(world)["conversation"].pk}


def api_seed(world: Any, user: Any) -> dict[str, Any]:
    return {"conversation_id": _o(world)["conversation"].pk, "statement_id": _o(world)["seed"].pk}


def api_pending(world: Any, user: Any) -> dict[str, Any]:
    return {
        "conversation_id": _o(world)["conversation"].pk,
        "statement_id": _o(world)["pending"].pk,
    }


def conversation_form(world: Any, user: Any) -> dict[str, Any]:
    return {"question": "What should the new park have?", "moderation": "post"}


def import_files(world: Any, user: Any) -> dict[str, Any]:
    comments = (
        "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        "1,x,0,0,1,0,1,More trees\n"
        "2,x,1,1,0,1,1,More benches\n"
    )
    votes = "timestamp,datetime,comment-id,voter-id,vote\n3,x,0,0,1\n4,x,1,0,-1\n"
    return {
        "question": "What should the park have?",
        "comments": SimpleUploadedFile("comments.csv", comments.encode(), "text/csv"),
        "votes": SimpleUploadedFile("votes.csv", votes.encode(), "text/csv"),
    }


def vote_form(world: Any, user: Any) -> dict[str, Any]:
    return {"statement": str(_o(world)["seed"].pk), "value": "1"}


def edit_form(world: Any, user: Any) -> dict[str, Any]:
    return {
        "question": "How do we make our streets quieter?",
        "moderation": "pre",
        "state": "open",
    }


def voters(*, api: bool) -> Any:
    """Members vote; instance administrators are outside the staff-only audience."""

    def rule(actor: str) -> str:
        if actor == "instance_admin" and api:
            return "403"
        return members_with(api=api)(actor)

    return rule


ROUTES: list[Route] = [
    Route("opinions:list", "GET", members_with(), challenge_kwargs),
    Route("opinions:create", "GET", members_with(*LEADS), challenge_kwargs),
    Route("opinions:create", "POST", members_with(*LEADS), challenge_kwargs, conversation_form),
    Route("opinions:import", "GET", members_with(*LEADS), challenge_kwargs),
    Route("opinions:import", "POST", members_with(*LEADS), challenge_kwargs, import_files),
    Route("opinions:conversation", "GET", members_with(), conversation),
    Route("opinions:vote", "POST", voters(api=False), conversation, vote_form),
    Route("opinions:statements", "GET", members_with(), conversation),
    Route("opinions:statement_create", "GET", members_with(), conversation),
    Route(
        "opinions:statement_create",
        "POST",
        members_with(),
        conversation,
        lambda w, u: {"text": "Street lights should dim after midnight"},
    ),
    Route("opinions:report", "GET", members_with(), conversation),
    Route("opinions:edit", "GET", members_with(*LEADS), conversation),
    Route("opinions:edit", "POST", members_with(*LEADS), conversation, edit_form),
    Route("opinions:moderation", "GET", members_with(*LEADS), conversation),
    Route("opinions:moderate", "GET", members_with(*LEADS), moderate),
    Route(
        "opinions:moderate",
        "POST",
        members_with(*LEADS),
        moderate,
        lambda w, u: {"status": "accepted"},
    ),
    Route("opinions:export", "GET", members_with(*LEADS), conversation),
    Route("opinions:export_file", "GET", members_with(*LEADS), export_file),
    # API
    Route("api-1.0.0:conversation_list", "GET", members_with(api=True), challenge_kwargs, api=True),
    Route(
        "api-1.0.0:conversation_create",
        "POST",
        members_with(*LEADS, api=True),
        challenge_kwargs,
        conversation_form,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:conversation_import",
        "POST",
        members_with(*LEADS, api=True),
        challenge_kwargs,
        import_files,
        api=True,
    ),
    Route(
        "api-1.0.0:conversation_detail", "GET", members_with(api=True), api_conversation, api=True
    ),
    Route(
        "api-1.0.0:conversation_update",
        "PATCH",
        members_with(*LEADS, api=True),
        api_conversation,
        lambda w, u: {"state": "closed", "reason": "Enough votes"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:conversation_statement_list",
        "GET",
        members_with(api=True),
        api_conversation,
        api=True,
    ),
    Route(
        "api-1.0.0:conversation_statement_add",
        "POST",
        members_with(api=True),
        api_conversation,
        lambda w, u: {"text": "Street lights should dim after midnight"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:conversation_next_statement",
        "GET",
        members_with(api=True),
        api_conversation,
        api=True,
    ),
    Route(
        "api-1.0.0:conversation_vote",
        "PUT",
        voters(api=True),
        api_seed,
        lambda w, u: {"value": -1},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:conversation_statement_moderate",
        "POST",
        members_with(*LEADS, api=True),
        api_pending,
        lambda w, u: {"status": "rejected", "reason": "Not about the streets"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:conversation_analysis", "GET", members_with(api=True), api_conversation, api=True
    ),
    Route(
        "api-1.0.0:conversation_export",
        "GET",
        members_with(*LEADS, api=True),
        api_conversation,
        api=True,
    ),
]
