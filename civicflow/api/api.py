"""The civicflow REST API, version 1, under /api/v1/."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import (
    NON_FIELD_ERRORS,
    PermissionDenied,
    RequestDataTooBig,
    SuspiciousOperation,
    ValidationError,
)
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.schema import OpenAPISchema

from civicflow.api.auth import CallerAuth
from civicflow.api.errors import (
    PROBLEM_CONTENT_TYPE,
    PROBLEM_SCHEMA,
    ApiProblem,
    default_detail,
    problem_response,
)
from civicflow.api.parser import StorableJsonParser

logger = logging.getLogger(__name__)


class CivicflowAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document also describes the problems each operation answers."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {})
        components.setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
        problem = {"content": {PROBLEM_CONTENT_TYPE: {"schema": {"$ref": _PROBLEM_REF}}}}
        for path in schema["paths"].values():
            for operation in path.values():
                responses = operation.setdefault("responses", {})
                responses.setdefault(
                    "4XX", {"description": "A problem with the request", **problem}
                )
                responses.setdefault("5XX", {"description": "A problem on our side", **problem})
        return schema


_PROBLEM_REF = "#/components/schemas/Problem"

api = CivicflowAPI(
    title="civicflow API",
    version="1.0.0",
    description=(
        "Everything a person can do in civicflow's pages, a program can do here.\n\n"
        "**Authentication**: send a personal API token (made on *Your account → API tokens*) "
        "as `Authorization: Bearer <token>`; in the browser, the session cookie works too, "
        "with the `X-CSRFToken` header on requests that change things.\n\n"
        "**Errors** are RFC 9457 problem details (`application/problem+json`) with `title`, "
        "`status`, `detail` and, for invalid input, `errors`.\n\n"
        "**Lists** are paginated with `page` and `page_size` (at most 100) and answer "
        "`count`, `page`, `page_size`, `pages`, `next`, `previous` and `items`."
    ),
    auth=CallerAuth(),
    parser=StorableJsonParser(),
    urls_namespace="api-1.0.0",
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc.status, exc.detail, errors=exc.errors)


def _field_name(location: Sequence[Any]) -> str:
    """Return the dotted name of the input field at pydantic's ``location``.

    Ninja puts where the value came from first ("query", "path", "body"); a body also carries
    the name of the view's parameter that holds it ("payload"), which callers never see.
    """
    parts = list(location)
    if parts and parts[0] == "body":
        parts = parts[2:]
    elif parts:
        parts = parts[1:]
    return ".".join(str(part) for part in parts)


@api.exception_handler(NinjaValidationError)
def _invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": _field_name(error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors
    ]
    return problem_response(request, 422, "Some of the input is not valid.", errors=errors)


@api.exception_handler(ValidationError)
def _rule_broken(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    if hasattr(exc, "error_dict"):
        errors = [
            {"field": "" if field == NON_FIELD_ERRORS else field, "message": message}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"field": "", "message": message} for message in exc.messages]
    detail = errors[0]["message"] if len(errors) == 1 else "Some of the input is not valid."
    return problem_response(request, 422, detail, errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, 401, default_detail(401))


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # Ninja wraps whatever went wrong reading the body in a bare 400; say what it was.
    cause = exc.__cause__
    if isinstance(cause, ApiProblem):
        return _problem(request, cause)
    if isinstance(cause, json.JSONDecodeError):
        detail = (
            f"The request body is not valid JSON: {cause.msg} at line {cause.lineno}, "
            f"column {cause.colno}. Send a JSON object with 'Content-Type: application/json'."
        )
        return problem_response(request, 400, detail)
    if isinstance(cause, UnicodeDecodeError):
        return problem_response(request, 400, "The request body is not valid UTF-8 text.")
    return problem_response(request, exc.status_code, str(exc) or default_detail(exc.status_code))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, 413, "The request body is too large. Send less at a time.")


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    # Django answers these 400 outside the API too; they are the caller's mistake, not ours.
    return problem_response(request, 400, default_detail(400))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(request, 404, default_detail(404))


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return problem_response(request, 403, str(exc) or default_detail(403))


@api.exception_handler(Exception)
def _server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path, exc_info=exc)
    return problem_response(request, 500, default_detail(500))


def _register_routers() -> None:
    from civicflow.accounts.api import router as accounts_router
    from civicflow.appraisal.api import router as appraisal_router
    from civicflow.boards.api import router as boards_router
    from civicflow.budgets.api import router as budgets_router
    from civicflow.challenges.api import router as challenges_router
    from civicflow.discussion.api import router as discussion_router
    from civicflow.ideas.api import router as ideas_router
    from civicflow.initiatives.api import router as initiatives_router
    from civicflow.library.api import router as library_router
    from civicflow.notifications.api import router as notifications_router
    from civicflow.opinions.api import router as opinions_router
    from civicflow.outcomes.api import router as outcomes_router
    from civicflow.search.api import router as search_router
    from civicflow.similarity.api import router as similarity_router
    from civicflow.similarity.api_themes import router as similarity_themes_router

    api.add_router("", accounts_router)
    api.add_router("", challenges_router)
    api.add_router("", ideas_router)
    api.add_router("", discussion_router)
    api.add_router("", boards_router)
    api.add_router("", opinions_router)
    api.add_router("", budgets_router)
    api.add_router("", initiatives_router)
    api.add_router("", appraisal_router)
    api.add_router("", library_router)
    api.add_router("", outcomes_router)
    api.add_router("", notifications_router)
    api.add_router("", search_router)
    api.add_router("", similarity_router)
    api.add_router("", similarity_themes_router)


_register_routers()

__all__: list[Any] = ["api"]
