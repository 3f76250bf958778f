"""The demo challenges: every kind, open, upcoming and closed ones, and idempotent loading."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civicflow.challenges import selectors
from civicflow.challenges.demo import load_demo
from civicflow.challenges.models import Challenge, Follow, Kind, Phase, Status
from civicflow.core.models import AuditEvent
from civicflow.demo.network import demo_load


def test_demo_challenges_cover_every_kind_and_state(db):
    demo_load()
    load_demo()
    assert set(Challenge.objects.values_list("kind", flat=True)) == set(Kind.values)
    assert Challenge.objects.values("organisation").distinct().count() == 4
    now = timezone.now()
    states = {}
    for challenge in Challenge.objects.prefetch_related("phases"):
        state = selectors.phase_state(challenge, now)
        key = "open" if state.current else "upcoming" if state.upcoming else "other"
        states.setdefault((challenge.status, key), []).append(challenge.title)
    assert len(states[(Status.PUBLISHED, "open")]) >= 4
    # The hack day starts out upcoming; the appraisal demo holds it this week, so it is
    # open (judging), and no published demo challenge is still to start.
    assert "Adult social care front door hack day" in states[(Status.PUBLISHED, "open")]
    assert (Status.PUBLISHED, "upcoming") not in states
    assert (Status.CLOSED, "other") in states
    board = Challenge.objects.get(kind=Kind.IMPROVEMENT_BOARD)
    assert board.team.name == "Ward 7 (older people)"
    assert board.audience == "staff"
    assert Challenge.objects.filter(status=Status.DRAFT).exists()
    assert Follow.objects.count() >= 8
    public = selectors.challenge_list(user=AnonymousUser())
    assert not public.filter(audience="staff").exists()


def test_loading_twice_changes_nothing(db):
    demo_load()
    load_demo()

    def counts():
        return (
            Challenge.objects.count(),
            Phase.objects.count(),
            Follow.objects.count(),
            AuditEvent.objects.count(),
        )

    before = counts()
    load_demo()
    assert counts() == before
