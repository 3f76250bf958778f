"""Fixtures for appraisal: an organisation's lead, assessors, authors, and rounds."""

from __future__ import annotations

import pytest

from tests.appraisal.helpers import make_round, submit_idea
from tests.factories import member


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def assessors(organisation):
    return [
        member(organisation, "assessor", email=f"assessor{i}@testshire.example", name=f"Judge {i}")
        for i in range(3)
    ]


@pytest.fixture
def authors(organisation):
    return [
        member(organisation, email=f"author{i}@testshire.example", name=f"Author {i}")
        for i in range(4)
    ]


@pytest.fixture
def prize_round(lead, organisation):
    return make_round(lead, organisation, kind="prize", title="Cleaner air prize")


@pytest.fixture
def entries(prize_round, authors):
    return [submit_idea(a, prize_round, f"Entry {i}") for i, a in enumerate(authors)]
