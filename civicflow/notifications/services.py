"""Writes about notifications: tell people, mark what they read, choose how they hear, email.

``notify`` is the one way other apps tell people about something. Emails go out after the
change commits, through background tasks, each notification at most once: a task claims a
notification (sets ``emailed_at`` where it is still empty, in one statement) before it sends,
so two workers never both send it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from civicflow.notifications import emails, kinds, selectors
from civicflow.notifications.models import Delivery, Notification, Preference

logger = logging.getLogger(__name__)

# A digest holds at most this many notifications; any others wait for the next one.
DIGEST_LIMIT = 500
KIND_MAX_LENGTH = 60
URL_MAX_LENGTH = 500


# Telling people ------------------------------------------------------------------------------


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

    The actor is never told about their own action, and each person is told once however
    often they are listed. Call it inside the transaction of the change; notifications are
    stored with it, and emails go out after it commits, as each person chose.
    ``kind`` names the event, e.g. "idea.status_changed" (see ``kinds.register_kinds``).
    """
    if not kind or len(kind) > KIND_MAX_LENGTH:
        raise ValueError(f"A notification kind must be 1 to {KIND_MAX_LENGTH} characters.")
    actor_id = getattr(actor, "pk", None)
    ids = {getattr(recipient, "pk", recipient) for recipient in recipients}
    ids.discard(None)
    ids.discard(actor_id)
    if not ids:
        return 0
    url = url if len(url) <= URL_MAX_LENGTH else ""  # a cut-off link would lead nowhere
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


# Reading -------------------------------------------------------------------------------------


def notifications_mark_read(*, user: Any, notification_ids: Iterable[int]) -> int:
    """Mark those of ``notification_ids`` that are ``user``'s as read; return how many changed.

    Anyone else's notifications are left alone, as if they did not exist.
    """
    ids = list(notification_ids)
    if not ids:
        return 0
    return Notification.objects.filter(
        recipient_id=user.pk, pk__in=ids, read_at__isnull=True
    ).update(read_at=timezone.now())


def notifications_mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of ``user`` as read; return how many changed."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Choosing how to hear ------------------------------------------------------------------------


def preferences_set(*, user: Any, choices: Mapping[str, str]) -> dict[str, str]:
    """Set how ``user`` hears about each group in ``choices``; return every group's setting."""
    errors: dict[str, str] = {}
    for key, delivery in choices.items():
        group = kinds.group_get(key)
        if group is None:
            errors[key] = f"There is no group of notifications called ‘{key}’."
        elif delivery not in Delivery.values:
            errors[key] = f"Select how you want to hear about {str(group.label).lower()}."
    if errors:
        raise ValidationError(errors)
    if choices:
        Preference.objects.bulk_create(
            [
                Preference(user_id=user.pk, group=key, delivery=delivery)
                for key, delivery in choices.items()
            ],
            update_conflicts=True,
            unique_fields=["user", "group"],
            update_fields=["delivery", "updated_at"],
        )
    return selectors.preferences_for(user)


def email_turn_off(*, user: Any, groups: Iterable[str] = ()) -> list[str]:
    """Stop emailing ``user`` about ``groups`` (every group if none); return the groups.

    They still see the notifications in civicflow.
    """
    keys = sorted(set(groups)) or [group.key for group in kinds.GROUPS]
    preferences_set(user=user, choices=dict.fromkeys(keys, Delivery.IN_APP.value))
    return keys


# Emailing ------------------------------------------------------------------------------------


def _claim(notification_ids: list[int], now: datetime) -> list[int]:
    """Mark those of ``notification_ids`` not yet emailed as emailed; return the ones claimed.

    One conditional UPDATE … RETURNING: when two workers race for the same notification, the
    database lets only one of them change it, and only that one gets its id back.
    """
    if not notification_ids:
        return []
    table = connection.ops.quote_name(Notification._meta.db_table)
    placeholders = ", ".join(["%s"] * len(notification_ids))
    sql = (
        f"UPDATE {table} SET emailed_at = %s "  # noqa: S608 - the table name is ours, values are parameters
        f"WHERE id IN ({placeholders}) AND emailed_at IS NULL RETURNING id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(now), *notification_ids])
        return [row[0] for row in cursor.fetchall()]


def _send(message: EmailMessage, claimed: list[int]) -> bool:
    """Send ``message``; if it fails, give back the claim on ``claimed`` and return False."""
    try:
        message.send()
    except Exception:
        logger.exception("Could not email notifications %s", claimed)
        Notification.objects.filter(pk__in=claimed).update(emailed_at=None)
        return False
    return True


def notification_emails_send(*, notification_ids: Iterable[int]) -> int:
    """Email each of ``notification_ids`` whose recipient wants it straight away.

    Skip people who are inactive, who chose a digest or no email for its kind, and
    notifications already read or emailed. Return how many emails were sent.
    """
    due = list(
        Notification.objects.filter(
            pk__in=list(notification_ids),
            emailed_at__isnull=True,
            read_at__isnull=True,
            recipient__is_active=True,
        )
        .select_related("recipient")
        .order_by("pk")
    )
    deliveries = selectors.deliveries_for({notification.recipient_id for notification in due})
    wanted = [
        notification
        for notification in due
        if selectors.delivery_of(deliveries[notification.recipient_id], notification.kind)
        == Delivery.IMMEDIATE
    ]
    claimed = set(_claim([notification.pk for notification in wanted], timezone.now()))
    sent = 0
    for notification in wanted:
        if notification.pk in claimed and _send(
            emails.notification_email(notification), [notification.pk]
        ):
            sent += 1
    return sent


def digest_send(*, user_id: int, now: datetime | None = None) -> int:
    """Email ``user_id`` one digest of their unread notifications due in one.

    Return how many notifications it held (0 when nothing was sent).
    """
    now = now or timezone.now()
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return 0
    candidates = selectors.digest_candidates(user_id=user_id, now=now, limit=DIGEST_LIMIT)
    claimed = _claim(candidates, now)
    if not claimed:
        return 0
    notifications = list(Notification.objects.filter(pk__in=claimed).order_by("-created_at", "-id"))
    if not _send(emails.digest_email(user, notifications), claimed):
        return 0
    return len(claimed)
