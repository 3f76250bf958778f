"""Emails straight away: what they say, whom they go to, and that each goes at most once."""

from __future__ import annotations

import email.policy
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.utils import timezone

from civicflow.notifications import services
from civicflow.notifications.models import Notification
from civicflow.notifications.services import notification_emails_send, preferences_set
from civicflow.notifications.tokens import unsubscribe_read
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.CIVICFLOW_BASE_URL = "https://civicflow.example.gov.uk"


def test_the_email_says_what_happened_and_links_to_it(tell):
    author = UserFactory(email="author@example.com")

    tell(
        [author],
        kind="idea.status_changed",
        title="Your idea ‘Safer crossings’ is being assessed",
        body="The innovation team will decide by 1 March.",
        url="/challenges/roads/ideas/7/",
    )

    [email] = mail.outbox
    assert email.to == ["author@example.com"]
    assert email.subject == "civicflow: Your idea ‘Safer crossings’ is being assessed"
    assert "The innovation team will decide by 1 March." in email.body
    assert "https://civicflow.example.gov.uk/challenges/roads/ideas/7/" in email.body
    assert "https://civicflow.example.gov.uk/notifications/settings/" in email.body
    assert "settings say to email you straight away about your ideas and ideas you" in email.body
    assert email.content_subtype == "plain"


def test_every_email_has_a_one_click_unsubscribe_link_in_its_footer_and_headers(tell):
    author = UserFactory()

    tell([author], kind="comment.reply", title="Someone replied to your comment")

    [email] = mail.outbox
    link = email.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("https://civicflow.example.gov.uk/notifications/unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    footer = email.body.split("\n--\n", 1)[1]
    assert link in footer
    token = link.rstrip("/").rsplit("/", 1)[1]
    wanted = unsubscribe_read(token)
    assert wanted.user_id == author.pk
    assert wanted.groups == ("comments",)


def test_a_title_with_line_breaks_makes_a_one_line_subject(tell):
    tell([UserFactory()], title="First line\r\nBcc: someone@example.com")

    assert mail.outbox[0].subject == "civicflow: First line Bcc: someone@example.com"


def test_a_link_that_is_not_a_web_address_is_left_out(tell):
    tell([UserFactory()], url="javascript:alert(1)")

    assert "javascript" not in mail.outbox[0].body


def test_people_who_chose_a_digest_or_no_email_are_not_emailed_straight_away(tell):
    digest, in_app, straight_away = UserFactory(), UserFactory(), UserFactory()
    preferences_set(user=digest, choices={"ideas": "digest"})
    preferences_set(user=in_app, choices={"ideas": "in_app"})

    made = tell([digest, in_app, straight_away], kind="idea.status_changed")

    assert [email.to for email in mail.outbox] == [[straight_away.email]]
    assert len(made) == 3  # everyone still sees it in civicflow
    emailed = {n.recipient_id for n in made if n.emailed_at}
    assert emailed == {straight_away.pk}


def test_new_ideas_in_followed_challenges_wait_for_the_digest_by_default(tell):
    follower = UserFactory()

    tell([follower], kind="idea.new", title="A new idea in Safer roads")

    assert mail.outbox == []


def test_a_choice_for_one_group_leaves_the_others_alone(tell):
    person = UserFactory()
    preferences_set(user=person, choices={"comments": "in_app"})

    tell([person], kind="comment.reply")
    tell([person], kind="idea.status_changed")

    assert len(mail.outbox) == 1


def test_kinds_nobody_registered_are_emailed_straight_away(tell):
    tell([UserFactory()], kind="pilot.started", title="Your pilot started")

    assert len(mail.outbox) == 1


def test_inactive_people_are_never_emailed(tell):
    closed = UserFactory(is_active=False)

    made = tell([closed])

    assert mail.outbox == []
    assert made[0].emailed_at is None


def test_a_notification_already_read_is_not_emailed(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(recipients=[person], kind="comment.reply", title="T")
    services.notifications_mark_all_read(user=person)

    callbacks[0]()

    assert mail.outbox == []


def test_a_notification_is_never_emailed_twice(tell):
    made = tell([UserFactory()])

    sent_again = notification_emails_send(notification_ids=[made[0].pk])

    assert sent_again == 0
    assert len(mail.outbox) == 1


def test_a_notification_another_worker_claimed_is_not_sent(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks():
        services.notify(recipients=[person], kind="comment.reply", title="T")
    notification = Notification.objects.get()
    real_claim = services._claim

    def beaten_to_it(ids, now):
        # Another worker claims the row between our read and our claim.
        Notification.objects.filter(pk__in=ids).update(emailed_at=timezone.now())
        return real_claim(ids, now)

    with mock.patch.object(services, "_claim", beaten_to_it):
        sent = notification_emails_send(notification_ids=[notification.pk])

    assert sent == 0
    assert mail.outbox == []


def test_the_claim_returns_only_the_rows_it_changed(db):
    person = UserFactory()
    services.notify(recipients=[person], kind="a.b", title="One")
    services.notify(recipients=[person], kind="a.b", title="Two")
    first, second = Notification.objects.order_by("pk")
    Notification.objects.filter(pk=first.pk).update(emailed_at=timezone.now())

    claimed = services._claim([first.pk, second.pk], timezone.now())

    assert claimed == [second.pk]
    assert services._claim([first.pk, second.pk], timezone.now()) == []


def test_the_claim_is_made_before_the_email_is_sent(django_capture_on_commit_callbacks):
    person = UserFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(recipients=[person], kind="comment.reply", title="T")
    seen: list[object] = []

    def send(message, *args, **kwargs):
        seen.append(Notification.objects.get().emailed_at)
        return 1

    with mock.patch.object(EmailMessage, "send", send):
        callbacks[0]()

    assert seen and seen[0] is not None


def test_a_failed_send_gives_the_claim_back(django_capture_on_commit_callbacks, caplog):
    person = UserFactory()
    with django_capture_on_commit_callbacks():
        services.notify(recipients=[person], kind="comment.reply", title="T")
    notification = Notification.objects.get()

    with mock.patch.object(EmailMessage, "send", side_effect=OSError("mail server down")):
        sent = notification_emails_send(notification_ids=[notification.pk])

    assert sent == 0
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert "Could not email notifications" in caplog.text


def test_the_unsubscribe_header_is_sent_whole_as_mail_programs_need(tell):
    tell([UserFactory()], kind="comment.reply")

    raw = mail.outbox[0].message(policy=email.policy.SMTP).as_bytes().decode()

    [line] = [line for line in raw.split("\r\n") if line.startswith("List-Unsubscribe:")]
    assert line.startswith("List-Unsubscribe: <https://civicflow.example.gov.uk/notifications/")
    assert line.endswith("/>")
    assert "=?" not in line
