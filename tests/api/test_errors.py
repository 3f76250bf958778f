"""Every error under /api/ is an RFC 9457 problem, whoever produced it."""

from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.accounts import selectors
from civicflow.accounts.models import ApiToken
from civicflow.api.errors import problem_body

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/no-such-thing", "/api/v1/", "/api/v2/me", "/api/"])
def test_an_unknown_address_is_a_404_problem(admin_user, api_client, assert_problem, path):
    body = assert_problem(api_client(admin_user).get(path), 404)

    assert body["instance"] == path


def test_an_unknown_organisation_is_a_404_problem(organisation, api_client, assert_problem):
    assert_problem(api_client().get("/api/v1/organisations/nowhere"), 404)


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("PATCH", "/api/v1/me", {"GET"}),
        ("POST", "/api/v1/organisations/testshire", {"GET"}),
        ("GET", "/api/v1/tokens/1", {"DELETE"}),
        ("PATCH", "/api/v1/organisations/testshire/members/1", {"PUT", "DELETE"}),
    ],
)
def test_a_method_the_address_does_not_take_is_a_405_problem_saying_what_it_takes(
    admin_user, api_client, assert_problem, method, path, allowed
):
    response = api_client(admin_user).send(method, path, {})

    assert_problem(response, 405)
    assert {method.strip() for method in response["Allow"].split(",")} == allowed


@pytest.mark.parametrize("body", ["{not json", "name=x", '{"name": "x"'])
def test_a_body_that_is_not_json_is_a_400_problem(admin_user, api_client, assert_problem, body):
    response = api_client(admin_user).generic(
        "POST", "/api/v1/tokens", body, content_type="application/json"
    )

    assert_problem(response, 400)


def test_invalid_input_is_a_422_problem_naming_each_field(admin_user, api_client, assert_problem):
    response = api_client(admin_user).send(
        "POST", "/api/v1/tokens", {"name": ["a", "list"], "expires_in_days": "soon"}
    )

    body = assert_problem(response, 422)
    fields = {error["field"] for error in body["errors"]}
    assert fields == {"name", "expires_in_days"}
    assert all(error["message"] for error in body["errors"])


def test_a_missing_field_is_named(admin_user, api_client, assert_problem):
    response = api_client(admin_user).send("POST", "/api/v1/organisations/testshire/members", {})

    body = assert_problem(response, 422)
    assert body["errors"] == [{"field": "email", "message": "Field required"}]


def test_a_field_inside_a_list_is_named_with_its_position(admin_user, api_client, assert_problem):
    response = api_client(admin_user).send(
        "POST",
        "/api/v1/organisations/testshire/members",
        {"email": "someone@example.com", "roles": ["assessor", "wizard"]},
    )

    body = assert_problem(response, 422)
    assert [error["field"] for error in body["errors"]] == ["roles.1"]


def test_invalid_query_and_path_parameters_are_named(admin_user, api_client, assert_problem):
    client = api_client(admin_user)

    query = assert_problem(client.get("/api/v1/tokens?page_size=lots"), 422)
    path = assert_problem(client.send("DELETE", "/api/v1/tokens/first"), 422)

    assert [error["field"] for error in query["errors"]] == ["page_size"]
    assert [error["field"] for error in path["errors"]] == ["token_id"]


def test_a_broken_rule_is_a_422_problem_with_the_services_message(
    admin_user, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "POST", "/api/v1/tokens", {"name": "Too long", "expires_in_days": 400}
    )

    body = assert_problem(response, 422)
    assert body["detail"] == "Expiry must be between 1 and 366 days."
    assert body["errors"] == [{"field": "expires_in_days", "message": body["detail"]}]


def test_a_rule_broken_without_a_field_is_a_422_problem(
    admin_user, api_client, assert_problem, monkeypatch
):
    def refuse(**kwargs):
        raise ValidationError("Tokens cannot be made today.")

    monkeypatch.setattr(selectors, "api_token_list", refuse)

    body = assert_problem(api_client(admin_user).get("/api/v1/tokens"), 422)
    assert body["detail"] == "Tokens cannot be made today."


def test_permission_denied_is_a_403_problem(staff_user, api_client, assert_problem):
    response = api_client(staff_user).get("/api/v1/organisations/testshire/audit")

    body = assert_problem(response, 403)
    assert body["title"] == "Forbidden"


def test_permission_denied_keeps_its_message(admin_user, api_client, assert_problem, monkeypatch):
    def refuse(**kwargs):
        raise PermissionDenied("Tokens are switched off on this instance.")

    monkeypatch.setattr(selectors, "api_token_list", refuse)

    body = assert_problem(api_client(admin_user).get("/api/v1/tokens"), 403)
    assert body["detail"] == "Tokens are switched off on this instance."


def test_an_unexpected_exception_is_a_500_problem_that_gives_nothing_away(
    organisation, api_client, assert_problem, monkeypatch, caplog
):
    def explode(**kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr(selectors, "organisation_get", explode)

    with caplog.at_level(logging.ERROR, logger="civicflow.api.api"):
        response = api_client().get("/api/v1/organisations/testshire")

    body = assert_problem(response, 500)
    assert "hunter2" not in response.content.decode()
    assert body["title"] == "Internal server error"
    assert "hunter2" in caplog.text  # logged for the people who run the service


def test_problems_say_what_to_do_in_plain_words(api_client, assert_problem, db):
    body = assert_problem(api_client().get("/api/v1/me"), 401)

    assert body["type"] == "about:blank"
    assert body["title"] == "Not signed in"
    assert "Authorization: Bearer" in body["detail"]


def test_a_problem_made_by_django_keeps_its_other_headers(admin_user, api_client):
    response = api_client(admin_user).send("PATCH", "/api/v1/me")

    assert response["Content-Type"] == "application/problem+json"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_a_status_without_a_title_of_its_own_takes_the_standard_phrase():
    assert problem_body(418, "Short and stout.")["title"] == "I'm a Teapot"
    assert problem_body(599, "Unknown.")["title"] == "Error"


# Input the database could not store ----------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"name": "Nightly\\u0000export"}', "name"),
        ('{"name": "\\ud800"}', "name"),
        ('{"name": "ok", "extra": {"deep": ["fine", "\\udfff"]}}', "extra.deep.1"),
    ],
)
def test_text_the_database_cannot_store_is_a_422_problem_naming_it(
    admin_user, api_client, assert_problem, body, field
):
    client = api_client(admin_user)
    before = ApiToken.objects.count()

    response = client.generic("POST", "/api/v1/tokens", body, content_type="application/json")

    problem = assert_problem(response, 422)
    assert [error["field"] for error in problem["errors"]] == [field]
    assert "cannot be stored" in problem["detail"]
    assert ApiToken.objects.count() == before


def test_a_nul_character_in_the_query_string_is_a_422_problem(
    admin_user, staff_user, api_client, assert_problem
):
    response = api_client(admin_user).send(
        "DELETE", f"/api/v1/organisations/testshire/members/{staff_user.pk}?reason=a%00b"
    )

    assert assert_problem(response, 422)["errors"][0]["field"] == "reason"


@pytest.mark.parametrize("slug", ["%00", "test%00shire", "t%C3%A9st", "x" * 81])
def test_an_address_no_organisation_could_have_is_a_404_problem(
    organisation, api_client, assert_problem, slug
):
    assert_problem(api_client().get(f"/api/v1/organisations/{slug}"), 404)


def test_invalid_json_says_where_it_went_wrong(admin_user, api_client, assert_problem):
    response = api_client(admin_user).generic(
        "POST", "/api/v1/tokens", '{"name": "x",}', content_type="application/json"
    )

    detail = assert_problem(response, 400)["detail"]
    assert detail.startswith("The request body is not valid JSON")
    assert "column 14" in detail


def test_a_body_too_large_is_a_413_problem(admin_user, api_client, assert_problem, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024

    response = api_client(admin_user).send("POST", "/api/v1/tokens", {"name": "x" * 2048})

    assert_problem(response, 413)


def test_too_many_query_parameters_is_a_400_problem(organisation, api_client, assert_problem):
    query = "&".join(f"f{number}=1" for number in range(1100))

    assert_problem(api_client().get(f"/api/v1/organisations?{query}"), 400)
