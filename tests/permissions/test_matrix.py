"""Visit every page and API endpoint as every kind of person and check the exact outcome."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from civicflow.accounts import services
from civicflow.accounts.models import ApiToken, User
from tests.factories import OrganisationFactory, TeamFactory, UserFactory, member
from tests.permissions.matrix import (
    ACTORS,
    BUILDERS,
    NOT_IN_MATRIX,
    NOT_IN_MATRIX_NAMESPACES,
    NOT_IN_MATRIX_PREFIXES,
    ROLES,
    ROUTES,
    Route,
)


@dataclass
class World:
    organisation: Any
    other: Any
    team: Any
    target: User
    newcomer: User
    spare: User
    people: dict[str, User | None]
    tokens: dict[int, ApiToken] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    # Objects a row makes lazily while a test runs; rolled back with the test, so emptied first.
    per_test: dict[str, Any] = field(default_factory=dict)
    # A signed-in session per person, made once with the world: signing in anew for each of
    # thousands of requests cost about a fifth of the matrix's time.
    sessions: dict[str, str] = field(default_factory=dict)

    def token_for(self, user: User | None) -> Any:
        owner = user or self.target
        if owner.pk not in self.tokens:
            self.tokens[owner.pk], _secret = services.api_token_create(user=owner, name="t")
        return self.tokens[owner.pk]


def _build_world() -> World:
    organisation = OrganisationFactory(name="Home Borough Council", slug="home")
    other = OrganisationFactory(name="Other NHS Trust", slug="other", kind="nhs_trust")
    people: dict[str, User | None] = {
        "anonymous": None,
        "participant": UserFactory(),
        "instance_admin": UserFactory(is_superuser=True, is_staff=True),
    }
    for role in ROLES:
        extra = () if role == "staff" else (role,)
        people[f"in:{role}"] = member(organisation, *extra)
        people[f"out:{role}"] = member(other, *extra)
    # A second administrator, so removing or demoting the target never hits the last-admin rule.
    member(organisation, "admin")
    member(other, "admin")
    target = member(organisation)
    team = TeamFactory(organisation=organisation, name="Ward 7", slug="ward-7")
    services.team_add_member(actor=None, team=team, user=target)
    built = World(
        organisation=organisation,
        other=other,
        team=team,
        target=target,
        newcomer=UserFactory(),
        spare=member(organisation),
        people=people,
    )
    for build in BUILDERS:
        build(built)
    for actor, user in people.items():
        if user is not None:
            client = Client()
            client.force_login(user)
            built.sessions[actor] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return built


@pytest.fixture(scope="module")
def _shared_world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """Build the world once per module, inside a transaction that is rolled back at the end.

    Each test runs inside its own savepoint (pytest-django's ``db``), so what one request
    changes is undone before the next, as with ``TestCase.setUpTestData``.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def world(_shared_world: World, db) -> World:
    # Tokens made by one test are rolled back with it; counters kept in the cache (rate
    # limits, unread counts) must not leak from one request to the next either.
    _shared_world.tokens.clear()
    _shared_world.per_test.clear()
    cache.clear()
    return _shared_world


def _request(route: Route, world: World, actor: str) -> Any:
    user = world.people[actor]
    url = reverse(route.name, kwargs=route.kwargs(world, user))
    client = Client()
    if user is not None:
        # The session row was saved with the world, so a request that signs out or rotates
        # the session changes it only inside this test's savepoint.
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[actor]
    data = route.data(world, user) if route.data else None
    method = getattr(client, route.method.lower())
    if route.json:
        return method(url, data=json.dumps(data or {}), content_type="application/json")
    if data is not None:
        return method(url, data=data)
    return method(url)


def _outcome(route: Route, response: Any) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = response.headers.get("Location", "")
        return "login" if location.startswith(reverse(settings.LOGIN_URL)) else "ok"
    if 200 <= status < 300:
        return "ok"
    return str(status)


def _actors_for(position: int, route: Route) -> list[str]:
    """Everyone, or on PostgreSQL one person for each outcome the route expects.

    The SQLite pass asks every route as all thirteen kinds of person. The rules are decided in
    Python, so the PostgreSQL pass only needs to see each outcome (allowed, refused, hidden,
    sent to sign in) come out of its database the same way: it takes one person per outcome,
    turning through them route by route so that every kind of person is still asked of many
    routes. CIVICFLOW_TEST_EVERYTHING=1 asks everyone on PostgreSQL too.
    """
    on_postgres = os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgresql"))
    if not on_postgres or os.environ.get("CIVICFLOW_TEST_EVERYTHING"):
        return list(ACTORS)
    by_outcome: dict[str, list[str]] = {}
    for actor in ACTORS:
        by_outcome.setdefault(route.rule(actor), []).append(actor)
    return [group[position % len(group)] for group in by_outcome.values()]


CASES = [
    pytest.param(route, actor, id=f"{route.id} as {actor}")
    for position, route in enumerate(ROUTES)
    for actor in _actors_for(position, route)
]


@pytest.mark.parametrize(("route", "actor"), CASES)
def test_route_gives_the_expected_outcome(world, route: Route, actor: str):
    expected = route.rule(actor)
    response = _request(route, world, actor)
    got = _outcome(route, response)
    assert got == expected, (
        f"{route.id} as {actor}: expected {expected}, got {response.status_code} "
        f"{response.headers.get('Location', '')}"
    )
    if route.api and response.status_code >= 400:
        assert response["Content-Type"].startswith("application/problem+json")


def _all_route_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if namespace in NOT_IN_MATRIX_NAMESPACES:
                    continue
                if pattern.name.startswith(NOT_IN_MATRIX_PREFIXES):
                    continue
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return names - NOT_IN_MATRIX


def test_every_route_has_a_row():
    covered = {route.name for route in ROUTES}
    missing = sorted(_all_route_names() - covered)
    assert not missing, f"Add these routes to tests/permissions/matrix.py: {missing}"


def test_outsiders_cannot_tell_private_objects_from_missing_ones(world, client_for):
    """A 404 for another organisation's team looks exactly like a 404 for no team at all."""
    outsider = client_for(world.people["out:admin"])
    real = outsider.get(reverse("accounts:team", args=["home", "ward-7"]))
    missing = outsider.get(reverse("accounts:team", args=["home", "no-such-team"]))
    assert real.status_code == missing.status_code == 404

    def without_csrf(content: bytes) -> bytes:
        return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)

    assert without_csrf(real.content) == without_csrf(missing.content)
