"""Background tasks that email notifications: each one straight away, or a weekly digest."""

from __future__ import annotations

from django.tasks import task
from django.utils import timezone

from civicflow.notifications import selectors, services


@task()
def send_notification_emails(notification_ids: list[int]) -> int:
    """Email each notification whose recipient wants it straight away; return how many."""
    return services.notification_emails_send(notification_ids=notification_ids)


@task()
def send_digests() -> int:
    """Queue one digest for each person who has notifications due in one; return how many."""
    user_ids = selectors.digest_recipients(now=timezone.now())
    for user_id in user_ids:
        send_digest.enqueue(user_id)
    return len(user_ids)


@task()
def send_digest(user_id: int) -> int:
    """Email one person their digest; return how many notifications it held."""
    return services.digest_send(user_id=user_id)
