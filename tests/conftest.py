"""Shared fixtures: people in every role, in an organisation and outside it."""

from __future__ import annotations

import os

import pytest
from django.test import Client

from tests.factories import OrganisationFactory, UserFactory, member

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(config, items):
    """On PostgreSQL, run only the tests that use the database.

    ``scripts/test`` runs the suite on SQLite first and then again on PostgreSQL. A test that
    never touches the test database (the counting rules, the opinion-map maths, the command
    line in its own process, settings read in a subprocess) gives the same answer on both, so
    the second pass leaves it out. CIVICFLOW_TEST_EVERYTHING=1 runs everything anyway.
    """
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    if not on_postgres or os.environ.get("CIVICFLOW_TEST_EVERYTHING"):
        return
    kept, dropped = [], []
    for item in items:
        uses_database = bool(DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))) or (
            item.get_closest_marker("django_db") is not None
        )
        (kept if uses_database else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def organisation(db):
    return OrganisationFactory(name="Testshire County Council", slug="testshire")


@pytest.fixture
def other_organisation(db):
    return OrganisationFactory(name="Elsewhere NHS Trust", slug="elsewhere", kind="nhs_trust")


@pytest.fixture
def admin_user(organisation):
    return member(organisation, "admin", email="admin@testshire.example")


@pytest.fixture
def staff_user(organisation):
    return member(organisation, email="staff@testshire.example")


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.com")


@pytest.fixture
def client_for():
    """Return a function that gives a test client signed in as a user (or anonymous)."""

    def make(user=None) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start every test with an empty cache: ids repeat between tests, cached pages must not."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _versions_move_at_once(monkeypatch):
    """Move cache versions (idea lists, challenges) on at once: a test's transaction never
    commits."""
    from civicflow.core import versions

    monkeypatch.setattr(versions, "move_on", lambda *keys: versions.move_now(tuple(set(keys))))
