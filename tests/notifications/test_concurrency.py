"""Workers racing for the same notifications send each one once: the claim holds in PostgreSQL."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.core import mail
from django.db import connection

from civicflow.notifications.models import Notification
from civicflow.notifications.services import (
    digest_send,
    notification_emails_send,
    preferences_set,
)
from tests.factories import UserFactory

WORKERS = 8


def _race(work: Callable[[], object]) -> None:
    barrier = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("runs in the PostgreSQL pass: SQLite serialises writers anyway")


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_email_each_notification_once(postgres_only):
    people = [UserFactory() for _ in range(20)]
    # Stored directly: in autocommit, notify() would email them at once.
    made = Notification.objects.bulk_create(
        [Notification(recipient=person, kind="comment.reply", title="T") for person in people]
    )
    ids = [notification.pk for notification in made]

    _race(lambda: notification_emails_send(notification_ids=ids))

    assert Counter(email.to[0] for email in mail.outbox) == Counter(p.email for p in people)
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_workers_send_one_digest(postgres_only):
    person = UserFactory()
    preferences_set(user=person, choices={"comments": "digest"})
    Notification.objects.bulk_create(
        [Notification(recipient=person, kind="comment.reply", title=f"N{n}") for n in range(30)]
    )

    _race(lambda: digest_send(user_id=person.pk))

    assert len(mail.outbox) == 1
    assert "30 things you have not read yet" in mail.outbox[0].body
