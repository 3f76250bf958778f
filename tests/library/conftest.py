"""Fixtures for the library: an author and an editor in the publishing organisation, a lead
in another organisation who adopts, and a published case."""

from __future__ import annotations

import pytest

from tests.factories import member
from tests.library.helpers import published_case


@pytest.fixture
def author(organisation):
    return member(organisation, email="author@testshire.example", name="Ada Author")


@pytest.fixture
def editor(organisation):
    return member(organisation, "innovation_lead", email="editor@testshire.example", name="Ed")


@pytest.fixture
def adopter(other_organisation):
    return member(other_organisation, "innovation_lead", email="lead@elsewhere.example")


@pytest.fixture
def outsider_staff(other_organisation):
    return member(other_organisation, email="staff@elsewhere.example")


@pytest.fixture
def case(author, editor, organisation):
    return published_case(author=author, editor=editor, organisation=organisation)
