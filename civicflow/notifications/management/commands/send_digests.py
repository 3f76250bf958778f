"""``civicflow manage send_digests``: queue this week's digest emails (run it weekly from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicflow.notifications.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the weekly digest emails: one to each person who chose a weekly digest and has "
        "unread notifications. A worker ('civicflow worker') sends them. Run it once a week, "
        "for example from cron: 0 8 * * MON civicflow manage send_digests"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_digests.enqueue()
        self.stdout.write(f"Queued the weekly digests (task {result.id}).")
