"""Every operation, called with generated input by an organisation administrator, holds up.

Schemathesis reads the OpenAPI document the API publishes and generates requests that fit it
(positive) and requests that break it (negative). Whatever it sends, the answer is never a
server error, and its status, content type and body are ones the document declares (problem
details included). Path parameters are generated too; about half the valid cases aim them at
real records, so the requests get past the 404 and reach the services.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from civicflow.api.api import api
from tests.factories import TeamFactory, member

SCHEMA = schemathesis.openapi.from_dict(api.get_openapi_schema())


def _can_be_invalid(operation: Any) -> bool:
    """Return whether any input of ``operation`` can break its schema.

    A path parameter that takes any text cannot, so an operation with nothing else has no
    negative cases to generate.
    """
    definition = operation.definition.raw
    if "requestBody" in definition:
        return True
    return any(
        parameter.get("in") != "path" or parameter.get("schema", {}).get("type") != "string"
        for parameter in definition.get("parameters", [])
    )


CASES = [
    pytest.param(
        operation.path,
        operation.method.upper(),
        mode,
        id=f"{operation.method.upper()} {operation.path} {mode.value}",
    )
    for result in SCHEMA.get_all_operations()
    for operation in [result.ok()]
    for mode in GenerationMode
    if mode is GenerationMode.POSITIVE or _can_be_invalid(operation)
]


class _InTestTransaction:
    """Django as a WSGI application that leaves the test's database connection open.

    Django closes stale connections when a request starts and finishes; inside a test that
    would end the transaction the test runs in, so (as Django's own test client does) the
    request runs with that handler disconnected, and the body is read before it returns.
    """

    def __init__(self) -> None:
        self.handler = WSGIHandler()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            response = self.handler(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)


# Where each path parameter finds a real record in the world below.
POOLS = {"slug": "slugs", "user_id": "user_ids", "token_id": "token_ids"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(organisation, other_organisation, admin_user, token_for) -> dict[str, Any]:
    """Return an organisation with members, teams and tokens, and its administrator's token."""
    colleague = member(organisation, "assessor")
    member(organisation)
    outsider = member(other_organisation, "admin")
    TeamFactory(organisation=organisation, name="Adult social care", slug="adult-social-care")
    TeamFactory(organisation=other_organisation, name="Wards", slug="wards")
    token_for(admin_user, name="Spare")
    secret = token_for(admin_user)
    return {
        "secret": secret,
        # Mostly the caller's own organisation, sometimes one they do not belong to.
        "slugs": [organisation.slug] * 3 + [other_organisation.slug],
        "user_ids": [colleague.pk, admin_user.pk, outsider.pk],
        "token_ids": list(admin_user.api_tokens.filter(name="Spare").values_list("pk", flat=True)),
    }


def _cases(operation: Any, mode: GenerationMode, world: dict[str, Any]) -> st.SearchStrategy:
    """Return generated cases for ``operation``; valid ones aim at real records half the time.

    Invalid input is refused before the path is looked at, so invalid cases do not aim.
    """
    free = operation.as_strategy(generation_mode=mode)
    names = [parameter.name for parameter in operation.path_parameters]
    if mode is not GenerationMode.POSITIVE or not names or not set(names) <= set(POOLS):
        return free
    real = st.fixed_dictionaries({name: st.sampled_from(world[POOLS[name]]) for name in names})
    aimed = real.flatmap(
        lambda fixed: operation.as_strategy(generation_mode=mode, path_parameters=fixed)
    )
    return st.one_of(aimed, free)


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_operation_never_answers_a_server_error(world, path, method, mode):
    operation = SCHEMA[path][method]
    app = _InTestTransaction()
    headers = {"Authorization": f"Bearer {world['secret']}"}

    @settings(
        max_examples=25,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=_cases(operation, mode, world))
    def run(case: schemathesis.Case) -> None:
        response = case.call(app=app, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        assert response.status_code < 500, response.text

    run()
