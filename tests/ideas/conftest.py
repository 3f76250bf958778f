"""Fixtures for ideas: a challenge open for ideas, people in each role, and idea makers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services
from civicflow.ideas.models import Idea
from tests.factories import UserFactory, member

# Which phase of an open call is open now, for each setting of ``make_challenge``.
OPEN_NOW = {"discover": 0, "define": 1, "develop": 2, "deliver": 3}


def open_call_phases(open_now: str) -> list[PhaseDates]:
    """Return an open call's four phases, 10 days each, with ``open_now`` open now."""
    now = timezone.now()
    start = now - timedelta(days=5) - timedelta(days=10 * OPEN_NOW[open_now])
    return [
        PhaseDates(
            key,
            start + timedelta(days=10 * index),
            start + timedelta(days=10 * (index + 1)) if key != "deliver" else None,
        )
        for index, key in enumerate(OPEN_NOW)
    ]


IDEA_FIELDS: dict[str, Any] = {
    "title": "Text people before their bin day",
    "summary": "A text message the evening before collection.",
    "description": "Residents who sign up get a reminder the evening before.",
    "innovation_type": "service",
    "scale": "continuous",
    "benefits": ["saves_money", "improves_communication"],
    "affected": "Residents of every ward",
}


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def author(organisation):
    return member(organisation, email="author@testshire.example", name="Ada Author")


@pytest.fixture
def colleague(organisation):
    return member(organisation, email="colleague@testshire.example", name="Colin Colleague")


@pytest.fixture
def outsider(other_organisation):
    return member(other_organisation, "innovation_lead", email="lead@elsewhere.example")


@pytest.fixture
def make_challenge(organisation, lead) -> Callable[..., Challenge]:
    """Return a function that makes a published open call, with ``phase`` open now."""

    def make(*, phase: str = "develop", status: str = "published", **fields: Any) -> Challenge:
        values = {
            "title": "Fewer missed bin collections",
            "summary": "Help us miss fewer bins.",
            "problem": "Too many bins are missed each week.",
            "driver": "cost_pressure",
            "audience": "both",
            **fields,
        }
        challenge = challenges.challenge_create(
            actor=lead,
            organisation=organisation,
            kind="open_call",
            phases=open_call_phases(phase),
            **values,
        )
        steps = {"draft": [], "published": ["published"], "closed": ["published", "closed"]}
        for step in steps[status]:
            challenges.challenge_move(actor=lead, challenge=challenge, to=step)
        challenge.refresh_from_db()
        return Challenge.objects.prefetch_related("phases").get(pk=challenge.pk)

    return make


@pytest.fixture
def challenge(make_challenge) -> Challenge:
    """A published open call for staff and the public, in its develop phase (ideas open)."""
    return make_challenge()


@pytest.fixture
def make_idea(challenge, author) -> Callable[..., Idea]:
    """Return a function that puts forward an idea through the service."""

    def make(*, by: Any = None, on: Challenge | None = None, **fields: Any) -> Idea:
        return services.idea_submit(
            author=by or author, challenge=on or challenge, **{**IDEA_FIELDS, **fields}
        )

    return make


@pytest.fixture
def idea(make_idea) -> Idea:
    return make_idea()


@pytest.fixture
def people(organisation) -> Callable[[int], list[Any]]:
    """Return a function that makes ``n`` members of the public."""

    def make(n: int) -> list[Any]:
        return [UserFactory() for _ in range(n)]

    return make
