"""Background work for initiatives: reminders of evaluation reviews."""

from __future__ import annotations

from django.tasks import task

from civicflow.initiatives import services


@task()
def send_review_reminders() -> int:
    """Remind owners and delivery leads of the evaluation reviews due today; return how many."""
    return services.review_reminders_send()
