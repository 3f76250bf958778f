"""Background work for outcomes: follow-up surveys."""

from __future__ import annotations

from django.tasks import task

from civicflow.outcomes import services


@task()
def send_follow_up_surveys() -> int:
    """Send the follow-up surveys whose weeks since implementation have passed; return how many."""
    return services.follow_up_surveys_send()
