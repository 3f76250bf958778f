"""The one way to tell people about something: ``notify``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from civicflow.notifications.models import Notification


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    actor: Any = None,
) -> int:
    """Tell each of ``recipients`` (users or user ids) about something; return how many.

    The actor is never told about their own action. Call it inside the transaction of the
    change; notifications are stored with it, and emails go out after it commits.
    ``kind`` names the event, e.g. "idea.status_changed", so people can choose what to hear.
    """
    actor_id = getattr(actor, "pk", None)
    ids = {getattr(recipient, "pk", recipient) for recipient in recipients}
    ids.discard(None)
    ids.discard(actor_id)
    if not ids:
        return 0
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=recipient_id,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                actor_id=actor_id,
            )
            for recipient_id in sorted(ids)
        ]
    )
    notification_ids = [notification.pk for notification in created if notification.pk]

    def schedule() -> None:
        from civicflow.notifications.tasks import send_notification_emails

        send_notification_emails.enqueue(notification_ids)

    if notification_ids:
        transaction.on_commit(schedule)
    return len(ids)
