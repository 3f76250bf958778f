"""What the notifications app holds about a person, for their data download and for erasure
(ADR 0011).

A person's notifications and their choices of how to hear are theirs alone, so erasure
deletes them. Notifications other people got about what the person did keep their place, but
the person's name in them becomes "Former participant", as it does on every page.
"""

from __future__ import annotations

import re
from typing import Any

from civicflow.accounts.models import FORMER_PARTICIPANT
from civicflow.core.personal_data import register_personal_data
from civicflow.notifications.models import Notification, Preference


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _preferences(user: Any) -> list[dict[str, str]]:
    return [
        {"group": group, "delivery": delivery}
        for group, delivery in Preference.objects.filter(user=user)
        .order_by("group")
        .values_list("group", "delivery")
    ]


def _erase_preferences(user: Any) -> None:
    Preference.objects.filter(user=user).delete()


def _notifications(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "kind": notification.kind,
            "title": notification.title,
            "body": notification.body,
            "url": notification.url,
            "created_at": _date(notification.created_at),
            "read_at": _date(notification.read_at),
            "emailed_at": _date(notification.emailed_at),
        }
        for notification in Notification.objects.filter(recipient=user).order_by("created_at", "id")
    ]


def _erase_notifications(user: Any) -> None:
    Notification.objects.filter(recipient=user).delete()
    names = [text for text in (user.name.strip(), user.email) if text]
    if not names:
        return
    # Whole words only, so that a short name does not change other words that contain it.
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(name)}(?!\w)" for name in names), re.IGNORECASE
    )
    label = str(FORMER_PARTICIPANT)
    changed = []
    for notification in Notification.objects.filter(actor=user).only("title", "body"):
        title = pattern.sub(label, notification.title)[:300]
        body = pattern.sub(label, notification.body)
        if (title, body) != (notification.title, notification.body):
            notification.title, notification.body = title, body
            changed.append(notification)
    Notification.objects.bulk_update(changed, ["title", "body"], batch_size=500)


def register() -> None:
    """Tell accounts what the notifications app holds about a person."""
    register_personal_data(
        "notification_preferences", export=_preferences, erase=_erase_preferences
    )
    register_personal_data("notifications", export=_notifications, erase=_erase_notifications)
