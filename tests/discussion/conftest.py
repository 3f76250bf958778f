"""People and challenges to discuss: challenges take comments while these tests run."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from civicflow.challenges.models import Challenge
from civicflow.discussion.registry import register_commentable, unregister_commentable
from tests.discussion.support import make_challenge, register_challenges
from tests.factories import UserFactory, member


@pytest.fixture(autouse=True)
def challenges_take_comments():
    """Register challenges as commentable for the test, and put things back after it."""
    before = register_challenges()
    yield
    if before is not None:
        register_commentable(before)
    else:
        unregister_commentable(Challenge)


@pytest.fixture
def people(organisation, other_organisation, admin_user, staff_user, resident):
    """Return everyone the discussion tests need, by what they are."""
    return SimpleNamespace(
        admin=admin_user,
        staff=staff_user,
        lead=member(organisation, "innovation_lead", email="lead@testshire.example"),
        assessor=member(organisation, "assessor", email="assessor@testshire.example"),
        resident=resident,
        neighbour=UserFactory(email="neighbour@example.com"),
        outsider=member(other_organisation, "admin", email="admin@elsewhere.example"),
        instance_admin=UserFactory(email="root@example.com", is_superuser=True, is_staff=True),
    )


@pytest.fixture
def challenge(organisation, people):
    """Return a public challenge open for comments, drafted by the administrator."""
    return make_challenge(organisation, created_by=people.admin)


@pytest.fixture
def staff_challenge(organisation, people):
    """Return a challenge only the organisation's staff can see."""
    return make_challenge(
        organisation, created_by=people.admin, title="Quicker rota swaps", audience="staff"
    )


@pytest.fixture
def closed_challenge(organisation, people):
    """Return a public challenge that has closed: it can be read, not commented on."""
    return make_challenge(
        organisation, created_by=people.admin, title="Old parking permits", status="closed"
    )
