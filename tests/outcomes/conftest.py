"""Fixtures for outcomes: people in each role, an initiative and a challenge to measure."""

from __future__ import annotations

import pytest

from tests.factories import member
from tests.initiatives.helpers import initiative_at


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example", name="Lee Lead")


@pytest.fixture
def decider(organisation):
    return member(organisation, "decision_maker", email="decider@testshire.example", name="Dee D")


@pytest.fixture
def owner(organisation):
    return member(organisation, email="owner@testshire.example", name="Olu Owner")


@pytest.fixture
def outsider(other_organisation):
    return member(other_organisation, "innovation_lead", "admin", name="Otto Outsider")


@pytest.fixture
def make_initiative(lead, decider, owner, organisation):
    def make(**fields):
        return initiative_at(
            lead=lead, decider=decider, owner=owner, organisation=organisation, **fields
        )

    return make


@pytest.fixture
def initiative(make_initiative):
    return make_initiative(title="Nurses' desks in the bays")
