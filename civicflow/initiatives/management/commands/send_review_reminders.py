"""``civicflow manage send_review_reminders``: queue today's evaluation review reminders (run
it daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicflow.initiatives.tasks import send_review_reminders


class Command(BaseCommand):
    help = (
        "Queue the reminders of evaluation reviews due today (and any missed): the owner and "
        "delivery lead of each initiative are told. Run it once a day, for example from cron: "
        "0 7 * * * civicflow manage send_review_reminders"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_review_reminders.enqueue()
        self.stdout.write(f"Queued the evaluation review reminders (task {result.id}).")
