"""Assessors hear about the reviews waiting for them: when submissions are given to them,
when the review window opens, and shortly before it closes; never with an author's name."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from civicflow.appraisal import services
from civicflow.appraisal.models import Assignment
from civicflow.appraisal.services.notices import (
    ASSIGNED,
    WINDOW_CLOSING,
    WINDOW_OPEN,
    review_window_notices_send,
)
from civicflow.core.models import AuditEvent
from civicflow.notifications.kinds import kind_name
from civicflow.notifications.models import Notification
from tests.appraisal.helpers import make_round, move_phase, submit_idea

pytestmark = pytest.mark.django_db


def _panel(lead, challenge, assessors, **fields):
    services.criteria_publish(
        actor=lead, criteria_set=services.criteria_set_create(actor=lead, challenge=challenge)
    )
    panel = services.panel_create(actor=lead, challenge=challenge, **fields)
    for assessor in assessors:
        services.panel_member_add(actor=lead, panel=panel, user=assessor)
    return panel


def _told(kind, user=None):
    found = Notification.objects.filter(kind=kind)
    return found.filter(recipient=user) if user is not None else found


def test_each_assessor_is_told_once_how_many_submissions_they_were_given(
    lead, prize_round, assessors, entries
):
    panel = _panel(lead, prize_round, assessors, reviews_per_submission=2)
    assert services.panel_allocate(actor=lead, panel=panel) == 8
    notes = _told(ASSIGNED)
    assert sorted(n.recipient_id for n in notes) == sorted(a.pk for a in assessors)
    for note in notes:
        given = Assignment.objects.filter(panel=panel, assessor_id=note.recipient_id).count()
        assert note.title == (
            f"You have {given} new submissions to review for ‘{prize_round.title}’"
        )
        assert note.url == f"/challenges/{prize_round.pk}/panel/reviews/"
        assert note.actor_id == lead.pk
        assert "Declare your interests" in note.body
        # The review window (the judging phase) has not opened yet.
        assert "Reviewing runs from" in note.body or "Reviewing opens on" in note.body
    assert not _told(ASSIGNED, lead).exists()
    assert str(kind_name(ASSIGNED)) == "Submissions were given to you to review"

    # Allocating again adds nothing, so nobody is told again.
    assert services.panel_allocate(actor=lead, panel=panel) == 0
    assert _told(ASSIGNED).count() == 3


def test_a_review_given_by_hand_is_told_and_a_refused_one_tells_nobody(
    lead, prize_round, assessors, entries
):
    panel = _panel(lead, prize_round, assessors)
    services.assignment_add(actor=lead, panel=panel, idea=entries[0], assessor=assessors[1])
    note = _told(ASSIGNED, assessors[1]).get()
    assert note.title == f"You have 1 new submission to review for ‘{prize_round.title}’"
    with pytest.raises(ValidationError):
        services.assignment_add(actor=lead, panel=panel, idea=entries[0], assessor=assessors[1])
    services.panel_close(actor=lead, panel=panel)
    with pytest.raises(ValidationError):
        services.panel_allocate(actor=lead, panel=panel)
    assert Notification.objects.count() == 1


def test_the_notices_of_a_blind_panel_name_no_author(
    lead, prize_round, assessors, entries, authors, django_capture_on_commit_callbacks
):
    panel = _panel(lead, prize_round, assessors, blind=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.panel_allocate(actor=lead, panel=panel)
    challenge = move_phase(prize_round, "deliver")
    with django_capture_on_commit_callbacks(execute=True):
        Assignment.objects.update(created_at=timezone.now() - timedelta(days=60))
        assert review_window_notices_send() == 3
    secrets = [str(a) for a in authors] + [a.email for a in authors]
    secrets += [e.title for e in entries]
    texts = [f"{n.title} {n.body}" for n in Notification.objects.all()]
    texts += [f"{m.subject} {m.body}" for m in mail.outbox]
    assert mail.outbox and len(texts) > 6
    for text in texts:
        assert challenge.title in text or "review" in text
        assert not any(secret in text for secret in secrets), text


def test_the_window_opening_tells_those_with_reviews_waiting_once(
    lead, prize_round, assessors, entries
):
    panel = _panel(lead, prize_round, assessors)
    services.panel_allocate(actor=lead, panel=panel)
    # Before the judging phase starts nobody is told.
    assert review_window_notices_send() == 0
    challenge = move_phase(prize_round, "deliver")
    window = challenge.phases.get(key="deliver")
    Assignment.objects.update(created_at=window.starts_at - timedelta(days=1))
    # One assessor has finished (scored) their reviews; one declared a conflict with theirs.
    done, blocked, waiting = assessors
    Assignment.objects.filter(assessor=done).update(submitted_at=timezone.now())
    Assignment.objects.filter(assessor=blocked).update(conflict_at=timezone.now())

    assert review_window_notices_send() == 1
    note = _told(WINDOW_OPEN).get()
    count = Assignment.objects.filter(assessor=waiting).count()
    assert note.recipient_id == waiting.pk
    assert note.title == f"{count} reviews wait for you on ‘{challenge.title}’"
    assert "The panel is open for reviews. Reviewing is open now." in note.body
    assert AuditEvent.objects.filter(action="appraisal.assessors_reminded").count() == 1

    # The daily run tells nobody twice about the same window.
    assert review_window_notices_send() == 0
    # Moving the window's start makes a fresh notice due.
    challenge.phases.filter(key="deliver").update(starts_at=window.starts_at + timedelta(hours=1))
    assert review_window_notices_send() == 1
    assert _told(WINDOW_OPEN).count() == 2


def test_reviews_given_after_the_window_opened_were_already_told(
    lead, prize_round, assessors, entries
):
    challenge = move_phase(prize_round, "deliver")
    panel = _panel(lead, challenge, assessors)
    services.panel_allocate(actor=lead, panel=panel)
    assert all("Reviewing is open now." in n.body for n in _told(ASSIGNED))
    assert review_window_notices_send() == 0
    assert not _told(WINDOW_OPEN).exists()


def test_assessors_with_reviews_left_are_reminded_before_the_window_closes(
    lead, prize_round, assessors, entries
):
    round_ = move_phase(prize_round, "deliver")
    ends_at = timezone.now() + timedelta(days=10)
    round_.phases.filter(key="deliver").update(ends_at=ends_at)
    panel = _panel(lead, round_, assessors)
    services.panel_allocate(actor=lead, panel=panel)
    Assignment.objects.filter(assessor=assessors[0]).update(submitted_at=timezone.now())
    Assignment.objects.update(created_at=timezone.now() - timedelta(days=30))

    # Ten days before the end: the opening notice only.
    assert review_window_notices_send() == 2
    assert _told(WINDOW_OPEN).count() == 2 and not _told(WINDOW_CLOSING).exists()
    # Two days before the end: those with reviews left are reminded, once.
    later = ends_at - timedelta(days=2)
    assert review_window_notices_send(now=later) == 2
    assert review_window_notices_send(now=later + timedelta(hours=1)) == 0
    note = _told(WINDOW_CLOSING, assessors[1]).get()
    assert note.title.endswith(f"reviewing closes on {timezone.localtime(ends_at):%-d %B %Y}")
    assert "reviews left on" in note.title
    assert not _told(WINDOW_CLOSING, assessors[0]).exists()
    # After the window ends, or once the panel is closed, nobody is told.
    assert review_window_notices_send(now=ends_at + timedelta(minutes=1)) == 0
    round_.phases.filter(key="deliver").update(ends_at=ends_at + timedelta(days=1))
    services.panel_close(actor=lead, panel=panel)
    assert review_window_notices_send(now=later) == 0


def test_a_window_that_is_nearly_over_when_first_seen_sends_one_notice(
    lead, organisation, assessors, authors
):
    round_ = make_round(lead, organisation, kind="prize")
    submit_idea(authors[0], round_, "Entry")
    round_ = move_phase(round_, "deliver")
    round_.phases.filter(key="deliver").update(ends_at=timezone.now() + timedelta(days=1))
    panel = _panel(lead, round_, assessors, reviews_per_submission=1)
    services.panel_allocate(actor=lead, panel=panel)
    Assignment.objects.update(created_at=timezone.now() - timedelta(days=30))
    assert review_window_notices_send() == 1
    assert _told(WINDOW_CLOSING).count() == 1 and not _told(WINDOW_OPEN).exists()
    assert review_window_notices_send() == 0


def test_the_daily_command_queues_the_notices(lead, prize_round, assessors, entries):
    panel = _panel(lead, prize_round, assessors)
    services.panel_allocate(actor=lead, panel=panel)
    move_phase(prize_round, "deliver")
    Assignment.objects.update(created_at=timezone.now() - timedelta(days=60))
    out = StringIO()
    call_command("send_review_window_notices", stdout=out)  # tasks run at once in test mode
    assert "Queued the review window notices" in out.getvalue()
    assert _told(WINDOW_OPEN).count() == 3
