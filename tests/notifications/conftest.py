"""Helpers for the notification tests: tell people things as another app's service would."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction

from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify


@pytest.fixture
def tell(django_capture_on_commit_callbacks) -> Callable[..., list[Notification]]:
    """Return a function that calls ``notify`` in a transaction, commits it (running what was
    scheduled for after the commit, emails included), and returns the new notifications."""

    def call(
        recipients: Any, kind: str = "idea.status_changed", **fields: Any
    ) -> list[Notification]:
        fields.setdefault("title", "Your idea is being assessed")
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notify(recipients=recipients, kind=kind, **fields)
        return list(Notification.objects.filter(pk__gt=before).order_by("pk"))

    return call
