"""The API describes itself: a valid OpenAPI 3.1 document, and documentation pages that keep to
the site's content security policy."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

import pytest
import schemathesis
from django.test import Client

pytestmark = pytest.mark.django_db

METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def _operations(document: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_the_document_is_valid_openapi_3_1(document):
    assert document["openapi"].startswith("3.1.")

    # Checks the document against the OpenAPI 3.1 meta-schema; raises if it does not fit.
    schemathesis.openapi.from_dict(document).validate()


def test_the_document_names_the_api_and_its_version(document):
    assert document["info"]["title"] == "civicflow API"
    assert document["info"]["version"] == "1.0.0"
    assert "Bearer" in document["info"]["description"]


def test_callers_sign_in_with_a_bearer_token(document):
    schemes = document["components"]["securitySchemes"]

    bearer = [
        name
        for name, scheme in schemes.items()
        if scheme["type"] == "http" and scheme["scheme"] == "bearer"
    ]
    assert len(bearer) == 1
    for _path, _method, operation in _operations(document):
        assert {bearer[0]: []} in operation["security"]


def test_only_public_operations_may_be_called_without_a_token(document):
    public = {
        (path, method)
        for path, method, operation in _operations(document)
        if {} in operation["security"]
    }

    # Public operations only read: nothing may be changed without signing in.
    assert {method for _path, method in public} == {"get"}
    assert {("/api/v1/organisations", "get"), ("/api/v1/organisations/{slug}", "get")} <= public
    assert ("/api/v1/me", "get") not in public


def test_every_operation_has_a_summary_a_unique_id_and_a_tag(document):
    operations = _operations(document)

    assert len(operations) >= 12
    for path, method, operation in operations:
        assert operation.get("summary", "").strip(), f"{method.upper()} {path} has no summary"
        assert operation.get("tags"), f"{method.upper()} {path} has no tag"
    ids = [operation["operationId"] for _path, _method, operation in operations]
    assert len(ids) == len(set(ids))


def test_every_operation_documents_its_problems(document):
    problem = document["components"]["schemas"]["Problem"]

    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    for _path, _method, operation in _operations(document):
        for status in ("4XX", "5XX"):
            content = operation["responses"][status]["content"]
            assert content["application/problem+json"]["schema"] == {
                "$ref": "#/components/schemas/Problem"
            }


def test_lists_document_the_pagination_parameters_and_envelope(document):
    operation = document["paths"]["/api/v1/organisations"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}

    assert parameters["page"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["maximum"] == 100
    reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    envelope = document["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert set(envelope["required"]) == {
        "count",
        "page",
        "page_size",
        "pages",
        "next",
        "previous",
        "items",
    }


def test_roles_are_documented_as_a_choice(document):
    schemas = document["components"]["schemas"]

    assert schemas["MemberIn"]["properties"]["roles"]["items"] == {
        "$ref": "#/components/schemas/Role"
    }
    assert set(schemas["Role"]["enum"]) == {
        "staff",
        "innovation_lead",
        "assessor",
        "decision_maker",
        "admin",
    }


def _schemas(cls: type) -> list[type]:
    found = []
    for subclass in cls.__subclasses__():
        if subclass.__module__.startswith("civicflow."):
            found.append(subclass)
        found.extend(_schemas(subclass))
    return found


def test_no_two_different_schemas_share_a_name():
    """The document names a component after its class (a schema or an enum), so the last of
    two namesakes wins and the other's operations are documented with the wrong shape."""
    from ninja import Schema

    from civicflow.api.api import api  # registers every app's endpoints

    assert api.urls_namespace
    shapes: dict[str, dict[str, Any]] = {}
    for schema in _schemas(Schema):
        document = schema.model_json_schema()
        named = {schema.__name__: {k: v for k, v in document.items() if k != "$defs"}}
        for name, shape in (named | document.get("$defs", {})).items():
            first = shapes.setdefault(name, shape)
            assert first == shape, f"two different schemas or enums are called {name}"


def test_each_status_change_documents_its_own_statuses(document):
    schemas = document["components"]["schemas"]
    paths = document["paths"]
    challenge = paths["/api/v1/organisations/{slug}/challenges/{challenge_slug}/status"]["post"]
    idea = paths["/api/v1/ideas/{idea_id}/status"]["put"]

    def statuses(operation: dict) -> set[str]:
        body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        status = schemas[body.rsplit("/", 1)[1]]["properties"]["status"]
        if "$ref" in status:
            status = schemas[status["$ref"].rsplit("/", 1)[1]]
        return set(status["enum"])

    assert "archived" in statuses(challenge)
    assert "shortlisted" in statuses(idea)


# The documentation page ----------------------------------------------------------------------


class _Assets(HTMLParser):
    """Collect the scripts and linked files an HTML page loads, and any inline code."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.links: list[str] = []
        self.inline_scripts: list[str] = []
        self.inline_handlers: list[str] = []
        self.inline_styles = 0
        self._script_type: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.inline_handlers.extend(name for name in attributes if name.startswith("on"))
        if "style" in attributes:
            self.inline_styles += 1
        if tag == "script":
            if attributes.get("src"):
                self.scripts.append(attributes["src"] or "")
                self._script_type = None
            else:
                self._script_type = attributes.get("type") or "text/javascript"
        elif tag == "link":
            self.links.append(attributes.get("href") or "")
        elif tag == "style":
            self.inline_styles += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script_type = None

    def handle_data(self, data: str) -> None:
        # A JSON data block is not run by the browser, so the CSP has nothing to say about it.
        if self._script_type not in (None, "application/json") and data.strip():
            self.inline_scripts.append(data)


@pytest.fixture
def docs() -> tuple:
    response = Client().get("/api/v1/docs")
    assets = _Assets()
    assets.feed(response.content.decode())
    return response, assets


def test_the_documentation_page_renders(docs):
    response, _assets = docs

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert b"civicflow API" in response.content
    assert b"/api/v1/openapi.json" in response.content


def test_the_documentation_page_runs_no_inline_code(docs):
    response, assets = docs

    assert assets.inline_scripts == []
    assert assets.inline_handlers == []
    assert assets.inline_styles == 0
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_the_documentation_page_loads_swagger_from_this_site(docs):
    _response, assets = docs

    assert any("swagger-ui-bundle" in src for src in assets.scripts)
    assert any("swagger-ui.css" in href for href in assets.links)
    for url in assets.scripts + assets.links:
        assert url.startswith("/static/"), url


def test_the_documentation_assets_are_served(docs):
    _response, assets = docs
    client = Client()

    for url in assets.scripts + assets.links:
        response = client.get(url)
        assert response.status_code == 200, url
        response.close()


def test_the_documentation_page_lets_a_signed_in_person_try_changes(admin_user):
    client = Client()
    client.force_login(admin_user)

    response = client.get("/api/v1/docs")

    # The CSRF token sits in a data attribute that swagger-ui-init.js reads; no inline script.
    assert b'data-api-csrf="true"' in response.content
    assert client.cookies["csrftoken"].value
