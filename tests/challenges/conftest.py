"""Fixtures for challenges: managers and other roles, and a helper that makes challenges."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from civicflow.challenges import services
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from tests.api.conftest import assert_problem, token_for  # noqa: F401 - shared API fixtures
from tests.factories import TeamFactory, member

# A fixed moment for tests of what is open when.
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def days(n: float, *, base: datetime | None = None) -> datetime:
    """Return the moment ``n`` days after ``base`` (the real now if not given)."""
    return (base or timezone.now()) + timedelta(days=n)


def open_call_phases(base: datetime) -> list[PhaseDates]:
    """Return an open call's phases with develop (ideas) open at ``base``."""
    return [
        PhaseDates("discover", base - timedelta(days=30), base - timedelta(days=20)),
        PhaseDates("define", base - timedelta(days=20), base - timedelta(days=10)),
        PhaseDates("develop", base - timedelta(days=10), base + timedelta(days=10)),
        PhaseDates("deliver", base + timedelta(days=10), base + timedelta(days=40)),
    ]


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def assessor(organisation):
    return member(organisation, "assessor", email="assessor@testshire.example")


@pytest.fixture
def ward(organisation):
    return TeamFactory(organisation=organisation, name="Ward 7", slug="ward-7")


@pytest.fixture
def make_challenge(organisation, lead) -> Callable[..., Challenge]:
    """Return a function that makes a challenge through the services (published by default)."""

    def make(
        *,
        status: str = "published",
        organisation: Any = organisation,
        actor: Any = None,
        kind: str = "open_call",
        phases: list[PhaseDates] | None = None,
        base: datetime | None = None,
        **fields: Any,
    ) -> Challenge:
        values = {
            "title": "Fewer missed bin collections",
            "summary": "Help us miss fewer bins.",
            "problem": "Too many bins are missed each week.",
            "driver": "cost_pressure",
            "audience": "public",
            **fields,
        }
        challenge = services.challenge_create(
            actor=actor or lead,
            organisation=organisation,
            kind=kind,
            phases=phases or open_call_phases(base or timezone.now()),
            **values,
        )
        path = {
            "draft": [],
            "published": ["published"],
            "closed": ["published", "closed"],
            "archived": ["published", "closed", "archived"],
        }[status]
        for step in path:
            services.challenge_move(actor=actor or lead, challenge=challenge, to=step)
        return challenge

    return make
