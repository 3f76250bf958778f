"""Permission matrix rows for discussion: every page and endpoint, for every actor.

The discussion app knows no other app, so these rows discuss challenges, which the tests
register as commentable (``tests.discussion.support``): a public one that anyone may read and
anyone signed in may join, and a staff-only one that only members of ``home`` may see. The
moderators of ``home`` are its administrators and innovation leads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from civicflow.discussion import services
from civicflow.discussion.registry import registered
from tests.discussion.support import LABEL, make_challenge, register_challenges
from tests.permissions.matrix import Route, members_with, public, signed_in

MODERATORS = ("admin", "innovation_lead")


def build(world: Any) -> None:
    """Add two challenges with comments, an open report and an upheld one."""
    if LABEL not in registered():
        register_challenges()
    open_to_all = make_challenge(world.organisation, created_by=world.spare, title="Public")
    staff_only = make_challenge(
        world.organisation, created_by=world.spare, title="Staff only", audience="staff"
    )
    others = services.comment_create(author=world.target, target=open_to_all, body="Theirs")
    reported = services.comment_create(author=world.target, target=open_to_all, body="Rude")
    private = services.comment_create(author=world.target, target=staff_only, body="Private")
    open_flag = services.flag_raise(
        reporter=world.spare, target=open_to_all, comment=others, reason="spam"
    )
    upheld = services.flag_raise(
        reporter=world.spare, target=open_to_all, comment=reported, reason="offensive"
    )
    services.flag_hide(actor=world.people["instance_admin"], flag=upheld, reason="Abusive")
    world.extra["discussion"] = {
        "public": open_to_all,
        "staff_only": staff_only,
        "others": others,
        "hidden": reported,
        "private": private,
        "open_flag": open_flag,
        "upheld_flag": upheld,
    }


def _d(world: Any) -> dict[str, Any]:
    return world.extra["discussion"]


def moderates_visible(api: bool) -> Callable[[str], str]:
    """Moderators of home; anyone else who can see the discussion is refused (403)."""

    def rule(actor: str) -> str:
        if actor == "anonymous":
            return "401" if api else "login"
        if actor == "instance_admin" or actor in {f"in:{role}" for role in MODERATORS}:
            return "ok"
        return "403"

    return rule


def comments_on_staff_only(actor: str) -> str:
    """Members of home comment; an instance administrator sees it but is not staff there."""
    if actor == "anonymous":
        return "login"
    if actor == "instance_admin":
        return "403"
    if actor == "participant" or actor.startswith("out:"):
        return "404"
    return "ok"


def thread(key: str) -> Callable[[Any, Any], dict[str, Any]]:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        return {"label": LABEL, "object_id": _d(world)[key].pk}

    return kwargs


def comment(key: str) -> Callable[[Any, Any], dict[str, Any]]:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        return {"comment_id": _d(world)[key].pk}

    return kwargs


def flag(key: str) -> Callable[[Any, Any], dict[str, Any]]:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        return {"flag_id": _d(world)[key].pk}

    return kwargs


def own_comment(world: Any, user: Any) -> dict[str, Any]:
    """The person's own comment on the public challenge (someone else's, if not signed in)."""
    if user is None:
        return {"comment_id": _d(world)["others"].pk}
    own = world.per_test.setdefault("own_comments", {})
    if user.pk not in own:
        own[user.pk] = services.comment_create(author=user, target=_d(world)["public"], body="Mine")
    return {"comment_id": own[user.pk].pk}


def org(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug}


def body(world: Any, user: Any) -> dict[str, Any]:
    return {"body": "Could the rounds start earlier?"}


def reason(world: Any, user: Any) -> dict[str, Any]:
    return {"reason": "Checked by the matrix"}


def report(world: Any, user: Any) -> dict[str, Any]:
    return {"reason": "spam"}


def target_ref(key: str) -> Callable[[Any, Any], dict[str, Any]]:
    def data(world: Any, user: Any) -> dict[str, Any]:
        return {"target": f"{LABEL}:{_d(world)[key].pk}"}

    return data


def api_comment(world: Any, user: Any) -> dict[str, Any]:
    return {**target_ref("public")(world, user), **body(world, user)}


def api_report(world: Any, user: Any) -> dict[str, Any]:
    return {**target_ref("public")(world, user), **report(world, user)}


PAGES = [
    Route("discussion:thread", "GET", public, thread("public")),
    Route("discussion:thread", "GET", members_with(), thread("staff_only")),
    Route("discussion:thread", "POST", signed_in(api=False), thread("public"), body),
    Route("discussion:thread", "POST", comments_on_staff_only, thread("staff_only"), body),
    Route("discussion:reply", "GET", signed_in(api=False), comment("others")),
    Route("discussion:reply", "POST", signed_in(api=False), comment("others"), body),
    Route("discussion:reply", "GET", comments_on_staff_only, comment("private")),
    Route("discussion:edit", "GET", signed_in(api=False), own_comment),
    Route("discussion:edit", "POST", signed_in(api=False), own_comment, body),
    Route("discussion:delete", "GET", signed_in(api=False), own_comment),
    Route("discussion:delete", "POST", signed_in(api=False), own_comment, lambda w, u: {}),
    Route("discussion:flag_comment", "GET", signed_in(api=False), comment("others")),
    Route("discussion:flag_comment", "POST", signed_in(api=False), comment("others"), report),
    Route("discussion:flag_comment", "GET", members_with(), comment("private")),
    Route("discussion:flag_target", "GET", signed_in(api=False), thread("public")),
    Route("discussion:flag_target", "POST", signed_in(api=False), thread("public"), report),
    Route("discussion:comment_hide", "GET", moderates_visible(api=False), comment("others")),
    Route(
        "discussion:comment_hide",
        "POST",
        moderates_visible(api=False),
        comment("others"),
        reason,
    ),
    Route("discussion:comment_hide", "GET", members_with(*MODERATORS), comment("private")),
    Route("discussion:comment_restore", "GET", moderates_visible(api=False), comment("hidden")),
    Route(
        "discussion:comment_restore",
        "POST",
        moderates_visible(api=False),
        comment("hidden"),
        reason,
    ),
    Route("discussion:queue", "GET", members_with(*MODERATORS), org),
    Route("discussion:flag", "GET", members_with(*MODERATORS), flag("open_flag")),
    Route("discussion:flag_hide", "POST", members_with(*MODERATORS), flag("open_flag"), reason),
    Route("discussion:flag_dismiss", "POST", members_with(*MODERATORS), flag("open_flag"), reason),
    Route(
        "discussion:flag_restore",
        "POST",
        members_with(*MODERATORS),
        flag("upheld_flag"),
        reason,
    ),
]

API = [
    Route("api-1.0.0:comment_list", "GET", public, data=target_ref("public"), api=True),
    Route(
        "api-1.0.0:comment_list",
        "GET",
        members_with(api=True),
        data=target_ref("staff_only"),
        api=True,
    ),
    Route(
        "api-1.0.0:comment_create",
        "POST",
        signed_in(api=True),
        data=api_comment,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:comment_edit",
        "PATCH",
        signed_in(api=True),
        own_comment,
        body,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:comment_delete", "DELETE", signed_in(api=True), own_comment, api=True),
    Route(
        "api-1.0.0:comment_flag",
        "POST",
        signed_in(api=True),
        comment("others"),
        report,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:comment_hide",
        "POST",
        moderates_visible(api=True),
        comment("others"),
        reason,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:comment_restore",
        "POST",
        moderates_visible(api=True),
        comment("hidden"),
        reason,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:target_flag",
        "POST",
        signed_in(api=True),
        data=api_report,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:moderation_queue",
        "GET",
        members_with(*MODERATORS, api=True),
        org,
        api=True,
    ),
    Route(
        "api-1.0.0:flag_hide",
        "POST",
        members_with(*MODERATORS, api=True),
        flag("open_flag"),
        reason,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:flag_dismiss",
        "POST",
        members_with(*MODERATORS, api=True),
        flag("open_flag"),
        reason,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:flag_restore",
        "POST",
        members_with(*MODERATORS, api=True),
        flag("upheld_flag"),
        reason,
        api=True,
        json=True,
    ),
]

ROUTES: list[Route] = PAGES + API
