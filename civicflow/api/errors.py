"""One error shape for the whole API: RFC 9457 problem details."""

from __future__ import annotations

import json
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

PROBLEM_CONTENT_TYPE = "application/problem+json"

# Headers that describe a body; a converted answer has a new body, so it keeps none of these.
_BODY_HEADERS = {"content-type", "content-length", "content-encoding", "content-disposition"}

TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    422: "Invalid input",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}


# The JSON Schema of a problem document, for the OpenAPI description.
PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "What went wrong (RFC 9457 problem details).",
    "type": "object",
    "properties": {
        "type": {"type": "string", "description": "Always about:blank: see the status."},
        "title": {"type": "string", "description": "The status in words."},
        "status": {"type": "integer", "description": "The HTTP status code."},
        "detail": {"type": "string", "description": "What went wrong, and how to put it right."},
        "instance": {"type": "string", "description": "The path that was asked for."},
        "errors": {
            "type": "array",
            "description": "For invalid input: each field that is wrong, and why.",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "description": "The field's dotted name."},
                    "message": {"type": "string"},
                },
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status", "detail"],
}


class ApiProblem(Exception):
    """Raise to answer an API request with a problem; the message is for people."""

    def __init__(
        self, status: int, detail: str, *, errors: list[dict[str, Any]] | None = None
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []


def title_for(status: int) -> str:
    """Return the short, fixed title of problems with ``status``."""
    if status in TITLES:
        return TITLES[status]
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(
    status: int, detail: str, *, instance: str = "", errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """Return the problem-details document for ``status``."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title_for(status),
        "status": status,
        "detail": detail,
    }
    if instance:
        body["instance"] = instance
    if errors:
        body["errors"] = errors
    return body


def problem_response(
    request: HttpRequest | None,
    status: int,
    detail: str,
    *,
    errors: list[dict[str, Any]] | None = None,
) -> HttpResponse:
    """Return a problem-details response."""
    instance = request.path if request is not None else ""
    response = JsonResponse(
        problem_body(status, detail, instance=instance, errors=errors),
        status=status,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="civicflow"'
    return response


def default_detail(status: int) -> str:
    """Return a plain message for a status that came with none."""
    return {
        400: _("The request could not be understood. Check its syntax and try again."),
        401: _("Sign in, or send a personal API token as 'Authorization: Bearer <token>'."),
        403: _("You do not have permission to do this."),
        404: _("There is nothing at this address, or you cannot see it."),
        405: _("This address does not accept that method."),
        500: _("Something went wrong on our side. Try again later."),
    }.get(status, _("The request failed."))


class ApiProblemMiddleware:
    """Turn any non-problem 4xx/5xx answer under /api/ into problem details.

    Django itself answers some requests before the API sees them (an unknown address, a
    CSRF failure, a method the route does not accept); this keeps their shape the same.
    """

    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith(PROBLEM_CONTENT_TYPE):
            return response
        detail = default_detail(response.status_code)
        if response.get("Content-Type", "").startswith("application/json"):
            try:
                payload = json.loads(response.content)
                detail = str(payload.get("detail") or detail)
            except (ValueError, AttributeError):
                pass
        converted = problem_response(request, response.status_code, detail)
        # Keep what the original answer said beside its body: Allow on a 405, Retry-After,
        # Vary, security headers, and any cookies it set.
        for header, value in response.items():
            if header.lower() not in _BODY_HEADERS:
                converted[header] = value
        converted.cookies = response.cookies
        return converted
