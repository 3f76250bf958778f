"""``civicflow manage send_follow_up_surveys``: queue the follow-up surveys that are due (run it
daily from cron)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from civicflow.outcomes.tasks import send_follow_up_surveys


class Command(BaseCommand):
    help = (
        "Queue the follow-up surveys whose weeks since their initiative was implemented have "
        "passed: the people it affected are asked whether it made a difference. Run it once a "
        "day, for example from cron: 30 7 * * * civicflow manage send_follow_up_surveys"
    )

    def handle(self, *args: Any, **options: Any) -> None:
        result = send_follow_up_surveys.enqueue()
        self.stdout.write(f"Queued the follow-up surveys (task {result.id}).")
