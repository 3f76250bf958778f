"""The demo rounds: a prize panel part-way through, a hack day and a fund round set up, and a
finished fund round with published results; loading twice changes nothing."""

from __future__ import annotations

import pytest
from django.utils import timezone

from civicflow.appraisal import selectors
from civicflow.appraisal.demo import FINISHED_TITLE, HACK_TITLE, PRIZE_TITLE, SCHOOLS_FUND_TITLE
from civicflow.appraisal.models import (
    Assignment,
    Decision,
    Grant,
    HackDay,
    Panel,
    Payment,
    Registration,
    Score,
)
from civicflow.core.models import AuditEvent
from civicflow.demo.network import demo_load

pytestmark = pytest.mark.django_db


def _panel(title: str) -> Panel:
    return Panel.objects.select_related("challenge").get(challenge__title=title)


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (AuditEvent, Panel, Assignment, Score, Decision, Grant, Payment, Registration)
    )


def test_demo_rounds_and_loading_twice_changes_nothing():
    demo_load()
    prize = _panel(PRIZE_TITLE)
    assert prize.blind and prize.is_open
    scored = prize.assignments.filter(submitted_at__isnull=False).count()
    assert 0 < scored < prize.assignments.count()
    assert prize.assignments.filter(conflict_at__isnull=False).exists()
    assert prize.challenge.prize.tiers.count() == 2
    assert prize.challenge.criteria_set.is_published

    hack = HackDay.objects.get(challenge__title=HACK_TITLE)
    assert hack.registrations.count() == 4 and hack.online_link
    # The day has been held: teams built prototypes, and the panel is judging them.
    now = timezone.now()
    assert hack.starts_at < hack.ends_at < now
    teams = list(hack.teams.prefetch_related("members"))
    assert [t.name for t in teams] == ["Finder", "First call"]
    assert [t.members.count() for t in teams] == [1, 2]
    assert all(t.prototype.link and t.skills_needed for t in teams)
    assert hack.challenge.ideas.filter(hack_team__isnull=True).count() == 1
    hack_panel = _panel(HACK_TITLE)
    assert hack_panel.members.count() == 2 and hack_panel.is_open
    assert hack_panel.assignments.count() == 4
    assert hack_panel.assignments.filter(submitted_at__isnull=False).count() == 1
    judging = hack.challenge.phases.get(key="deliver")
    assert judging.starts_at <= now < judging.ends_at
    schools = _panel(SCHOOLS_FUND_TITLE)
    assert schools.challenge.fund_round.max_award == 5_000

    finished = _panel(FINISHED_TITLE)
    assert finished.results_published
    fund_round = finished.challenge.fund_round
    assert selectors.fund_remaining(fund_round) == 10_000
    assert selectors.fund_paid(fund_round) == 4_000
    results = selectors.published_results(finished)
    assert [d.amount for _idea, d in results] == [9_000, 6_000]
    ranking = selectors.panel_ranking(finished)
    assert all(row.result.reviews == 2 for row in ranking)

    counts = _counts()
    demo_load()
    assert _counts() == counts
