"""A challenge with an opinion map on it, and people around it in every role."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.utils import timezone

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.opinions import services
from tests.api.conftest import api_client, token_for  # noqa: F401 - fixtures
from tests.factories import UserFactory, member


def open_call(lead: Any, organisation: Any, *, audience: str = "both", title: str = "") -> Any:
    """Return a published open call in its develop phase (comments and ideas open)."""
    now = timezone.now()
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind="open_call",
        phases=[
            PhaseDates("define", now - timedelta(days=20), now - timedelta(days=10)),
            PhaseDates("develop", now - timedelta(days=10), now + timedelta(days=20)),
            PhaseDates("deliver", now + timedelta(days=20), now + timedelta(days=40)),
        ],
        title=title or "Fewer missed bins",
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed.",
        driver="cost_pressure",
        audience=audience,
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    challenge.refresh_from_db()
    return challenge


SEEDS = (
    "Crews should be told about new estates before they open",
    "Parked cars are the main reason bins are missed",
    "Bins should be collected every week, not every fortnight",
    "Residents who put bins out late should pay for a return visit",
    "The council should text people the evening before collection",
    "Narrow streets need smaller lorries",
    "Missed bins should be reported through an app",
    "Crews should photograph bins that were not put out",
)


@pytest.fixture
def bins(organisation, other_organisation) -> SimpleNamespace:
    """Return a public open call with a post-moderated conversation of eight seed statements.

    ``lead`` runs it; ``resident`` and ``staff`` may take part; ``outsider`` is an
    administrator of another organisation.
    """
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    challenge = open_call(lead, organisation)
    conversation = services.conversation_create(
        actor=lead, challenge=challenge, question="How should we cut missed bin collections?"
    )
    seeds = [
        services.statement_add(actor=lead, conversation=conversation, text=text) for text in SEEDS
    ]
    return SimpleNamespace(
        organisation=organisation,
        challenge=challenge,
        conversation=conversation,
        seeds=seeds,
        lead=lead,
        admin=member(organisation, "admin", email="admin@testshire.example"),
        staff=member(organisation, email="staff@testshire.example"),
        resident=UserFactory(email="resident@example.com", name="Rosa Resident"),
        outsider=member(other_organisation, "admin", email="admin@elsewhere.example"),
    )


def voters(count: int) -> list[Any]:
    """Return ``count`` new members of the public."""
    return [UserFactory() for _ in range(count)]


def vote_in_two_camps(conversation: Any, seeds: list[Any], people: int = 12) -> list[Any]:
    """Have ``people`` residents vote on every seed: half agree with the first half of the
    statements and disagree with the rest, the other half the opposite way round."""
    crowd = voters(people)
    half = len(seeds) // 2
    for index, person in enumerate(crowd):
        camp = 1 if index % 2 == 0 else -1
        for position, statement in enumerate(seeds):
            value = camp if position < half else -camp
            if position == len(seeds) - 1:
                value = 1  # everyone agrees with the last statement
            services.vote_cast(user=person, statement=statement, value=value)
    return crowd
