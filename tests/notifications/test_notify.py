"""``notify``: who is told, once each, and that emails wait for the commit."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction

from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_each_recipient_gets_one_notification(tell):
    author, supporter = UserFactory(), UserFactory()

    made = tell([author, supporter], title="Your idea is being assessed", url="/ideas/1/")

    assert sorted(n.recipient_id for n in made) == sorted([author.pk, supporter.pk])
    assert all(n.read_at is None and n.url == "/ideas/1/" for n in made)


def test_the_actor_is_never_told_about_their_own_action(tell):
    author, moderator = UserFactory(), UserFactory()

    made = tell([author, moderator], actor=moderator)

    assert [n.recipient_id for n in made] == [author.pk]
    assert made[0].actor_id == moderator.pk


def test_a_person_listed_twice_is_told_once(tell):
    author = UserFactory()

    made = tell([author, author.pk, author])

    assert len(made) == 1


def test_it_returns_how_many_people_were_told(db):
    author, supporter = UserFactory(), UserFactory()

    assert notify(recipients=[author, supporter.pk, supporter], kind="x.y", title="T") == 2


def test_nobody_to_tell_stores_and_schedules_nothing(django_capture_on_commit_callbacks):
    actor = UserFactory()

    with django_capture_on_commit_callbacks() as callbacks:
        told = notify(recipients=[actor, None], kind="comment.reply", title="T", actor=actor)
        told_nobody = notify(recipients=[], kind="comment.reply", title="T")

    assert told == told_nobody == 0
    assert not Notification.objects.exists()
    assert callbacks == []


def test_emails_go_only_after_the_change_commits(django_capture_on_commit_callbacks):
    author = UserFactory(email="author@example.com")

    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        notify(recipients=[author], kind="idea.status_changed", title="Your idea moved on")
        assert Notification.objects.filter(recipient=author).count() == 1

    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert [email.to for email in mail.outbox] == [["author@example.com"]]


def test_a_rolled_back_change_sends_nothing(django_capture_on_commit_callbacks):
    author = UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify(recipients=[author], kind="idea.status_changed", title="T")
        raise RuntimeError("the change failed")

    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_a_kind_must_be_short_enough_to_store(db):
    with pytest.raises(ValueError, match="60 characters"):
        notify(recipients=[UserFactory()], kind="x" * 61, title="T")


def test_a_link_too_long_to_store_is_left_out_rather_than_cut(tell):
    made = tell([UserFactory()], url="/" + "a" * 600)

    assert made[0].url == ""


def test_a_long_title_is_cut_to_fit(tell):
    made = tell([UserFactory()], title="T" * 400)

    assert len(made[0].title) == 300
