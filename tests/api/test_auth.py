"""How callers prove who they are: a personal bearer token, else the session, else nobody."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from civicflow.accounts import services
from civicflow.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def _csrf_token(client: Client) -> str:
    """Return the CSRF token a browser would hold after opening a page of the site."""
    client.get("/api/v1/docs")
    return client.cookies["csrftoken"].value


# Bearer tokens -------------------------------------------------------------------------------


def test_a_bearer_token_signs_the_caller_in(bearer_client, admin_user, token_for):
    response = bearer_client(token_for(admin_user)).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == admin_user.email


def test_a_bearer_token_records_when_it_was_last_used(bearer_client, admin_user, token_for):
    bearer_client(token_for(admin_user)).get("/api/v1/me")

    assert ApiToken.objects.get(user=admin_user).last_used_at is not None


def test_a_bearer_token_wins_over_the_session(bearer_client, admin_user, staff_user, token_for):
    client = bearer_client(token_for(admin_user))
    client.force_login(staff_user)

    assert client.get("/api/v1/me").json()["email"] == admin_user.email


def test_a_revoked_token_is_refused(bearer_client, admin_user, token_for, assert_problem):
    secret = token_for(admin_user)
    services.api_token_revoke(user=admin_user, token=ApiToken.objects.get(user=admin_user))

    body = assert_problem(bearer_client(secret).get("/api/v1/me"), 401)

    assert "revoked" in body["detail"]


def test_an_expired_token_is_refused(bearer_client, admin_user, token_for, assert_problem):
    secret = token_for(admin_user, expires_in_days=1)
    ApiToken.objects.filter(user=admin_user).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    body = assert_problem(bearer_client(secret).get("/api/v1/me"), 401)

    assert "expired" in body["detail"]


def test_the_token_of_a_deactivated_account_is_refused(
    bearer_client, admin_user, token_for, assert_problem
):
    secret = token_for(admin_user)
    admin_user.is_active = False
    admin_user.save(update_fields=["is_active"])

    assert_problem(bearer_client(secret).get("/api/v1/me"), 401)


@pytest.mark.parametrize(
    "secret",
    [
        "garbage",
        "cfp_00000000_not-a-real-token",
        "cfp_",
        "🙂",
    ],
)
def test_a_garbage_token_is_refused_not_treated_as_anonymous(
    bearer_client, admin_user, token_for, assert_problem, secret
):
    token_for(admin_user)

    # Even on an operation anyone may call, a bad token is an error, so a program finds out.
    assert_problem(bearer_client(secret).get("/api/v1/organisations"), 401)


@pytest.mark.parametrize("header", ["Basic YWRtaW46cGFzc3dvcmQ=", "Bearer", "Bearer   ", "Token x"])
def test_an_authorization_header_that_is_not_a_bearer_token_is_refused(
    organisation, assert_problem, header
):
    body = assert_problem(Client(HTTP_AUTHORIZATION=header).get("/api/v1/organisations"), 401)

    assert "Bearer" in body["detail"]


def test_a_bearer_token_needs_no_csrf_token_to_change_things(bearer_client, admin_user, token_for):
    client = bearer_client(token_for(admin_user), enforce_csrf_checks=True)

    response = client.send("POST", "/api/v1/tokens", {"name": "Nightly export"})

    assert response.status_code == 201


# Token secrets -------------------------------------------------------------------------------


def _every_stored_value() -> str:
    """Return every value in every table of the database, as one string."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            # Table names come from the database itself, not from input.
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(values)


def test_a_token_secret_is_shown_once_and_stored_only_as_a_digest(admin_user, api_client):
    client = api_client(admin_user)

    created = client.send("POST", "/api/v1/tokens", {"name": "Reporting", "expires_in_days": 30})

    assert created.status_code == 201
    secret = created.json()["secret"]
    token = ApiToken.objects.get(pk=created.json()["id"])
    assert token.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(created.json()["prefix"])
    assert secret not in _every_stored_value()
    listed = client.get("/api/v1/tokens").json()["items"]
    assert {item["id"] for item in listed} >= {token.pk}
    assert all("secret" not in item for item in listed)
    assert secret not in client.get("/api/v1/tokens").content.decode()


def test_a_token_made_through_the_api_works_and_stops_working_when_revoked(
    bearer_client, admin_user, api_client, assert_problem
):
    created = api_client(admin_user).send("POST", "/api/v1/tokens", {"name": "Script"}).json()
    own = bearer_client(created["secret"])
    assert own.get("/api/v1/me").status_code == 200

    assert own.send("DELETE", f"/api/v1/tokens/{created['id']}").status_code == 204

    assert_problem(own.get("/api/v1/me"), 401)


# The session ---------------------------------------------------------------------------------


def test_the_session_signs_the_caller_in_for_reading(staff_user, session_client):
    response = session_client(staff_user).get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == staff_user.email


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/tokens"),
        ("PUT", "/api/v1/organisations/testshire/members/{staff}"),
        ("DELETE", "/api/v1/organisations/testshire/members/{staff}"),
    ],
)
def test_the_session_needs_a_csrf_token_to_change_things(
    admin_user, staff_user, session_client, assert_problem, method, path
):
    client = session_client(admin_user)
    path = path.format(staff=staff_user.pk)
    payload = '{"name": "From the browser", "roles": ["assessor"]}'

    refused = client.generic(method, path, payload, content_type="application/json")
    body = assert_problem(refused, 403)
    assert "CSRF" in body["detail"]

    token = _csrf_token(client)
    allowed = client.generic(
        method, path, payload, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code in {200, 201, 204}, allowed.content


def test_a_csrf_token_does_not_pass_without_its_cookie(admin_user, session_client, assert_problem):
    client = session_client(admin_user)
    token = _csrf_token(client)
    del client.cookies["csrftoken"]

    response = client.post(
        "/api/v1/tokens",
        '{"name": "x"}',
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )

    assert_problem(response, 403)


def test_nobody_signed_in_may_read_public_things_only(organisation, assert_problem):
    client = Client(enforce_csrf_checks=True)

    assert client.get("/api/v1/organisations").status_code == 200
    assert client.get("/api/v1/organisations/testshire").status_code == 200
    assert_problem(client.get("/api/v1/me"), 401)
    # Without a session there is nothing to forge, so the answer is 401, not a CSRF 403.
    assert_problem(client.post("/api/v1/tokens", {}, content_type="application/json"), 401)
