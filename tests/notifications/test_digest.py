"""The weekly digest: one email per person, grouped, each notification in at most one."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from civicflow.notifications import emails, selectors, services
from civicflow.notifications.models import Notification
from civicflow.notifications.services import digest_send, preferences_set
from civicflow.notifications.tokens import unsubscribe_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.CIVICFLOW_BASE_URL = "https://civicflow.example.gov.uk"


@pytest.fixture
def follower():
    """Someone who hears about everything in the weekly digest."""
    person = UserFactory(email="follower@example.com", name="Priya Shah")
    preferences_set(
        user=person,
        choices={"ideas": "digest", "comments": "digest", "followed_challenges": "digest"},
    )
    return person


def test_one_email_lists_every_notification_due_grouped(tell, follower):
    tell([follower], kind="idea.new", title="New idea: Safer crossings", url="/ideas/1/")
    tell([follower], kind="idea.new", title="New idea: Brighter lamps", url="/ideas/2/")
    tell([follower], kind="comment.reply", title="Sam replied to your comment")
    tell([follower], kind="idea.status_changed", title="Your idea is being assessed")
    assert mail.outbox == []

    held = digest_send(user_id=follower.pk)

    assert held == 4
    [email] = mail.outbox
    assert email.to == ["follower@example.com"]
    assert email.subject == "civicflow: your weekly summary"
    body = email.body
    assert body.startswith("Hello Priya,")
    assert "4 things you have not read yet" in body
    ideas = body.index("Your ideas and ideas you support (1)")
    comments = body.index("Replies and comments (1)")
    followed = body.index("Challenges you follow (2)")
    assert ideas < comments < followed
    assert body.index("Brighter lamps") < body.index("Safer crossings")  # newest first
    assert "https://civicflow.example.gov.uk/ideas/1/" in body
    assert "https://civicflow.example.gov.uk/notifications/" in body
    assert not Notification.objects.filter(recipient=follower, emailed_at__isnull=True).exists()


def test_the_digest_unsubscribe_link_is_for_the_groups_it_holds(tell, follower):
    tell([follower], kind="idea.new", title="New idea")

    digest_send(user_id=follower.pk)

    [email] = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link in email.body.split("\n--\n", 1)[1]
    wanted = unsubscribe_read(link.rstrip("/").rsplit("/", 1)[1])
    assert (wanted.user_id, wanted.groups) == (follower.pk, ("followed_challenges",))


def test_a_notification_goes_in_one_digest_only(tell, follower):
    tell([follower], kind="idea.new", title="New idea")
    digest_send(user_id=follower.pk)

    assert digest_send(user_id=follower.pk) == 0
    assert len(mail.outbox) == 1


def test_only_groups_in_digest_mode_are_in_the_digest(tell):
    person = UserFactory()  # defaults: straight away for ideas and comments, digest otherwise
    preferences_set(user=person, choices={"comments": "in_app"})
    tell([person], kind="idea.new", title="New idea in a followed challenge")
    tell([person], kind="comment.reply", title="A reply, only in civicflow")
    mail.outbox.clear()

    digest_send(user_id=person.pk)

    [email] = mail.outbox
    assert "New idea in a followed challenge" in email.body
    assert "A reply, only in civicflow" not in email.body
    reply = Notification.objects.get(kind="comment.reply")
    assert reply.emailed_at is None


def test_read_notifications_are_left_out(tell, follower):
    [read] = tell([follower], kind="idea.new", title="Already seen")
    tell([follower], kind="idea.new", title="Not seen yet")
    services.notifications_mark_read(user=follower, notification_ids=[read.pk])

    digest_send(user_id=follower.pk)

    assert "Already seen" not in mail.outbox[0].body
    assert "1 thing you have not read yet" in mail.outbox[0].body


def test_notifications_older_than_the_window_are_left_out(tell, follower):
    [old] = tell([follower], kind="idea.new", title="From long ago")
    Notification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - selectors.DIGEST_WINDOW - timedelta(days=1)
    )

    assert digest_send(user_id=follower.pk) == 0
    assert mail.outbox == []


def test_inactive_people_get_no_digest(tell, follower):
    tell([follower], kind="idea.new", title="New idea")
    follower.is_active = False
    follower.save()

    assert digest_send(user_id=follower.pk) == 0
    assert selectors.digest_recipients(now=timezone.now()) == []
    assert mail.outbox == []


def test_a_long_digest_lists_the_newest_and_says_how_many_more(tell, follower, monkeypatch):
    monkeypatch.setattr(emails, "DIGEST_SHOWN", 2)
    for number in range(5):
        tell([follower], kind="idea.new", title=f"Idea number {number}")

    assert digest_send(user_id=follower.pk) == 5

    body = mail.outbox[0].body
    assert "Idea number 4" in body and "Idea number 3" in body
    assert "Idea number 0" not in body
    assert "And 3 more." in body


def test_only_people_with_something_due_get_a_digest(tell, follower):
    straight_away = UserFactory()
    tell([straight_away], kind="comment.reply")  # emailed already
    in_app = UserFactory()
    preferences_set(user=in_app, choices={"followed_challenges": "in_app"})
    tell([in_app], kind="idea.new")
    tell([follower], kind="idea.new")

    assert selectors.digest_recipients(now=timezone.now()) == [follower.pk]


def test_the_command_queues_the_digests_and_a_worker_sends_them(tell, follower):
    other = UserFactory()
    tell([follower, other], kind="idea.new", title="New idea in Safer roads")
    out = StringIO()

    call_command("send_digests", stdout=out)  # tasks run at once in test mode

    assert "Queued the weekly digests" in out.getvalue()
    assert sorted(email.to[0] for email in mail.outbox) == sorted([follower.email, other.email])
    call_command("send_digests", stdout=StringIO())
    assert len(mail.outbox) == 2
