"""Background work for appraisal: telling assessors about their review windows."""

from __future__ import annotations

from django.tasks import task

from civicflow.appraisal import services


@task()
def send_review_window_notices() -> int:
    """Tell assessors whose review window opened, or is about to close, about the reviews
    waiting for them; return how many were told."""
    return services.review_window_notices_send()
