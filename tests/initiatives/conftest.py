"""Fixtures for initiatives: people in each role and builders of initiatives."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from civicflow.initiatives.models import Initiative
from tests.factories import member
from tests.initiatives.helpers import initiative_at, selected_idea


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example", name="Lee Lead")


@pytest.fixture
def decider(organisation):
    return member(
        organisation, "decision_maker", email="decider@testshire.example", name="Dee Decider"
    )


@pytest.fixture
def owner(organisation):
    return member(organisation, email="owner@testshire.example", name="Olu Owner")


@pytest.fixture
def outsider(other_organisation):
    return member(other_organisation, "decision_maker", "innovation_lead", name="Otto Outsider")


@pytest.fixture
def idea(lead, organisation):
    return selected_idea(lead, organisation)


@pytest.fixture
def make_initiative(lead, decider, owner, organisation) -> Callable[..., Initiative]:
    def make(**fields: Any) -> Initiative:
        return initiative_at(
            lead=lead, decider=decider, owner=owner, organisation=organisation, **fields
        )

    return make


@pytest.fixture
def initiative(make_initiative) -> Initiative:
    return make_initiative()
