"""Fixtures for calling the API as a program would: bearer tokens, JSON, problem details."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from civicflow.accounts import services

PROBLEM_KEYS = {"type", "title", "status", "detail"}


class ApiClient(Client):
    """A test client that sends and reads JSON, signed in by a bearer token or not at all."""

    def __init__(self, secret: str | None = None, **defaults: Any) -> None:
        if secret is not None:
            defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        super().__init__(**defaults)

    def send(self, method: str, path: str, payload: Any = None, **extra: Any) -> Any:
        """Make a ``method`` request to ``path`` with ``payload`` as its JSON body."""
        body = "" if payload is None else json.dumps(payload)
        return self.generic(method, path, body, content_type="application/json", **extra)


@pytest.fixture
def token_for(db) -> Callable[..., str]:
    """Return a function that makes a personal API token for a user and returns its secret."""

    def make(user, *, name: str = "Test script", expires_in_days: int | None = 90) -> str:
        _token, secret = services.api_token_create(
            user=user, name=name, expires_in_days=expires_in_days
        )
        return secret

    return make


@pytest.fixture
def bearer_client() -> Callable[..., ApiClient]:
    """Return a function that gives an API client sending ``secret`` as its bearer token."""

    def make(secret: str, **defaults: Any) -> ApiClient:
        return ApiClient(secret, **defaults)

    return make


@pytest.fixture
def api_client(token_for) -> Callable[..., ApiClient]:
    """Return a function that gives an API client signed in by token as a user (or anonymous)."""

    def make(user=None) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return make


@pytest.fixture
def session_client() -> Callable[..., Client]:
    """Return a function that gives a client signed in by session, with CSRF checks enforced."""

    def make(user) -> Client:
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client

    return make


@pytest.fixture
def assert_problem() -> Callable[..., dict[str, Any]]:
    """Return a function that checks a response is an RFC 9457 problem and returns its body."""

    def check(response, status: int) -> dict[str, Any]:
        assert response.status_code == status, response.content
        assert response["Content-Type"].startswith("application/problem+json")
        body = json.loads(response.content)
        assert body.keys() >= PROBLEM_KEYS, body
        assert body["status"] == status
        assert isinstance(body["title"], str) and body["title"]
        assert isinstance(body["detail"], str) and body["detail"]
        if status == 401:
            assert response["WWW-Authenticate"].startswith("Bearer")
        return body

    return check
