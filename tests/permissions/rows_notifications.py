"""Permission matrix rows for notifications: every page and endpoint, for every actor.

Notifications belong to one person, not to an organisation: anyone signed in reaches their
own, and nobody else's (``tests/notifications`` checks that someone else's answers 404). The
unsubscribe page needs no sign-in: the signed token in its address is the key.
"""

from __future__ import annotations

from typing import Any

from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify
from civicflow.notifications.tokens import unsubscribe_token
from tests.permissions.matrix import Route, public, signed_in


def build(world: Any) -> None:
    """Give everyone one notification of their own, and the target an unsubscribe link."""
    people = [person for person in world.people.values() if person is not None]
    notify(
        recipients=[*people, world.target],
        kind="matrix.check",
        title="Your idea is being assessed",
        url="/organisations/home/",
    )
    world.extra["notification_of"] = dict(
        Notification.objects.filter(kind="matrix.check").values_list("recipient_id", "pk")
    )
    world.extra["unsubscribe_token"] = unsubscribe_token(
        user_id=world.target.pk, groups=["followed_challenges"]
    )


def own_notification(world: Any, user: Any) -> dict[str, Any]:
    """The person's own notification (the target's, for someone not signed in)."""
    owner = user or world.target
    return {"notification_id": world.extra["notification_of"][owner.pk]}


def unsubscribe(world: Any, user: Any) -> dict[str, Any]:
    return {"token": world.extra["unsubscribe_token"]}


def own_ids(world: Any, user: Any) -> dict[str, Any]:
    return {"ids": list(own_notification(world, user).values())}


SETTINGS = {
    "ideas": "immediate",
    "comments": "in_app",
    "followed_challenges": "digest",
    "other": "immediate",
}

PAGES = [
    Route("notifications:list", "GET", signed_in(api=False)),
    Route("notifications:open", "GET", signed_in(api=False), own_notification),
    Route(
        "notifications:mark_read",
        "POST",
        signed_in(api=False),
        own_notification,
        lambda w, u: {},
    ),
    Route("notifications:mark_all_read", "POST", signed_in(api=False), data=lambda w, u: {}),
    Route("notifications:settings", "GET", signed_in(api=False)),
    Route("notifications:settings", "POST", signed_in(api=False), data=lambda w, u: SETTINGS),
    Route("notifications:unsubscribe", "GET", public, unsubscribe),
    Route("notifications:unsubscribe", "POST", public, unsubscribe, lambda w, u: {}),
]

API = [
    Route("api-1.0.0:notification_list", "GET", signed_in(api=True), api=True),
    Route(
        "api-1.0.0:notification_mark_read",
        "POST",
        signed_in(api=True),
        data=own_ids,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:notification_mark_all_read",
        "POST",
        signed_in(api=True),
        api=True,
        json=True,
    ),
    Route("api-1.0.0:notification_preferences", "GET", signed_in(api=True), api=True),
    Route(
        "api-1.0.0:notification_preferences_update",
        "PATCH",
        signed_in(api=True),
        data=lambda w, u: {"preferences": {"comments": "digest"}},
        api=True,
        json=True,
    ),
]

ROUTES: list[Route] = PAGES + API
