"""Reads about notifications and how people choose to hear about them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from civicflow.notifications import kinds
from civicflow.notifications.models import Delivery, Notification, Preference
from civicflow.notifications.tokens import BadToken, Unsubscribe

# A digest holds the unread notifications of this long before it is sent, none older.
DIGEST_WINDOW = timedelta(days=30)


def unread_count(user: Any) -> int:
    """Return how many of ``user``'s notifications are unread: one query, none if anonymous."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def notification_list(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """Return ``user``'s notifications, newest first, with who caused each."""
    notifications = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        notifications = notifications.filter(read_at__isnull=True)
    return notifications.select_related("actor").order_by("-created_at", "-id")


def notification_get(*, user: Any, notification_id: int) -> Notification | None:
    """Return ``user``'s notification ``notification_id``, or None (also for anyone else's)."""
    return Notification.objects.filter(recipient_id=user.pk, pk=notification_id).first()


def deliveries_for(user_ids: Iterable[int]) -> dict[int, dict[str, str]]:
    """Return how each of ``user_ids`` hears about each group, defaults included (one query)."""
    ids = set(user_ids)
    chosen: dict[int, dict[str, str]] = defaultdict(dict)
    for user_id, group, delivery in Preference.objects.filter(user_id__in=ids).values_list(
        "user_id", "group", "delivery"
    ):
        chosen[user_id][group] = delivery
    return {
        user_id: {
            group.key: chosen[user_id].get(group.key, group.default) for group in kinds.GROUPS
        }
        for user_id in ids
    }


def preferences_for(user: Any) -> dict[str, str]:
    """Return how ``user`` hears about each group, by group key."""
    return deliveries_for([user.pk])[user.pk]


def preference_rows(user: Any) -> list[dict[str, Any]]:
    """Return each group with its name, hint, default and how ``user`` hears about it."""
    chosen = preferences_for(user)
    return [
        {
            "group": group.key,
            "name": str(group.label),
            "hint": str(group.hint),
            "delivery": chosen[group.key],
            "default": group.default,
        }
        for group in kinds.GROUPS
    ]


def delivery_of(deliveries: dict[str, str], kind: str) -> str:
    """Return how a person whose choices are ``deliveries`` hears about ``kind``."""
    group = kinds.group_of(kind)
    return deliveries.get(group.key, group.default)


def digest_recipients(*, now: datetime) -> list[int]:
    """Return the ids of the active people who have notifications due in a digest ``now``."""
    pending = (
        Notification.objects.filter(
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
            recipient__is_active=True,
        )
        .values_list("recipient_id", "kind")
        .distinct()
    )
    kinds_by_person: dict[int, set[str]] = defaultdict(set)
    for recipient_id, kind in pending:
        kinds_by_person[recipient_id].add(kind)
    deliveries = deliveries_for(kinds_by_person)
    return sorted(
        recipient_id
        for recipient_id, found in kinds_by_person.items()
        if any(delivery_of(deliveries[recipient_id], kind) == Delivery.DIGEST for kind in found)
    )


def digest_candidates(*, user_id: int, now: datetime, limit: int) -> list[int]:
    """Return the ids of ``user_id``'s unread, unsent notifications due in their digest ``now``,
    newest first."""
    deliveries = deliveries_for([user_id])[user_id]
    pending = (
        Notification.objects.filter(
            recipient_id=user_id,
            emailed_at__isnull=True,
            read_at__isnull=True,
            created_at__gte=now - DIGEST_WINDOW,
        )
        .order_by("-created_at", "-id")
        .values_list("pk", "kind")
    )
    return [pk for pk, kind in pending if delivery_of(deliveries, kind) == Delivery.DIGEST][:limit]


def person_to_unsubscribe(wanted: Unsubscribe) -> Any:
    """Return the person an unsubscribe token names; raise ``BadToken`` if they are gone."""
    user = get_user_model().objects.filter(pk=wanted.user_id).first()
    if user is None:
        raise BadToken("This unsubscribe link is not valid.")
    return user
