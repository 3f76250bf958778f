"""``civicflow manage send_review_window_notices``: queue the notices to assessors whose review
window has opened or closes soon (run it daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicflow.appraisal.tasks import send_review_window_notices


class Command(BaseCommand):
    help = (
        "Queue the notices to assessors with reviews waiting: when a panel's review window "
        "opens, and again three days before it closes. Run it once a day, for example from "
        "cron: 15 7 * * * civicflow manage send_review_window_notices"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_review_window_notices.enqueue()
        self.stdout.write(f"Queued the review window notices (task {result.id}).")
