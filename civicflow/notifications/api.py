"""API endpoints for your notifications and how you hear about them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from civicflow.api.auth import signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.notifications import kinds, links, selectors, services
from civicflow.notifications.models import Delivery, Notification

router = Router(tags=["Notifications"])

# The largest id a database column holds; bigger numbers cannot name a notification.
NotificationId = Annotated[int, Field(ge=1, le=2**63 - 1)]


class NotificationOut(Schema):
    id: int
    kind: str = Field(description="What happened, as a code, e.g. idea.status_changed.")
    kind_name: str = Field(description="What happened, in words.")
    group: str = Field(description="The group of notifications it belongs to.")
    title: str
    body: str
    url: str = Field(description="The page it is about, or empty.")
    actor: str | None = Field(description="Who caused it, if anyone.")
    created_at: datetime
    read_at: datetime | None
    unread: bool

    @staticmethod
    def resolve_kind_name(notification: Notification) -> str:
        return kinds.kind_name(notification.kind)

    @staticmethod
    def resolve_group(notification: Notification) -> str:
        return kinds.group_of(notification.kind).key

    @staticmethod
    def resolve_url(notification: Notification) -> str:
        return links.absolute(notification.url)

    @staticmethod
    def resolve_actor(notification: Notification) -> str | None:
        return str(notification.actor) if notification.actor else None

    @staticmethod
    def resolve_unread(notification: Notification) -> bool:
        return notification.read_at is None


class MarkReadIn(Schema):
    ids: list[NotificationId] = Field(
        max_length=100, description="The notifications to mark as read (at most 100)."
    )


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications were marked as read.")
    unread: int = Field(description="How many unread notifications you have now.")


class PreferenceOut(Schema):
    group: str
    name: str
    hint: str
    delivery: Delivery = Field(description="How you hear about this group.")
    default: Delivery = Field(description="How people hear about it unless they choose.")


class PreferencesIn(Schema):
    preferences: dict[str, Delivery] = Field(
        description="How to hear about each group you name, by group; the others stay as they are."
    )


@router.get("/notifications", response=list[NotificationOut], summary="List your notifications")
@paginate(PageNumberPagination)
def notification_list(
    request: HttpRequest,
    unread: bool = Query(False, description="Only unread notifications."),
) -> Any:
    user = signed_in_user(request)
    return selectors.notification_list(user=user, unread_only=unread)


@router.post(
    "/notifications/read", response=MarkedOut, summary="Mark some of your notifications as read"
)
def notification_mark_read(request: HttpRequest, payload: MarkReadIn) -> dict[str, int]:
    user = signed_in_user(request)
    marked = services.notifications_mark_read(user=user, notification_ids=payload.ids)
    return {"marked": marked, "unread": selectors.unread_count(user)}


@router.post(
    "/notifications/read-all", response=MarkedOut, summary="Mark all your notifications as read"
)
def notification_mark_all_read(request: HttpRequest) -> dict[str, int]:
    user = signed_in_user(request)
    marked = services.notifications_mark_all_read(user=user)
    return {"marked": marked, "unread": selectors.unread_count(user)}


@router.get(
    "/notifications/preferences",
    response=list[PreferenceOut],
    summary="How you hear about each group of notifications",
)
def notification_preferences(request: HttpRequest) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    return selectors.preference_rows(user)


@router.patch(
    "/notifications/preferences",
    response=list[PreferenceOut],
    summary="Change how you hear about groups of notifications",
)
def notification_preferences_update(
    request: HttpRequest, payload: PreferencesIn
) -> list[dict[str, Any]]:
    user = signed_in_user(request)
    services.preferences_set(
        user=user,
        choices={
            group: Delivery(delivery).value for group, delivery in payload.preferences.items()
        },
    )
    return selectors.preference_rows(user)
