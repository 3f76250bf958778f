"""How API callers are recognised: a personal bearer token, or the browser's session."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from civicflow.accounts.services import api_token_authenticate
from civicflow.api.errors import ApiProblem

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
SIGN_IN = "Sign in, or send a personal API token as 'Authorization: Bearer <token>'."


@dataclass(frozen=True)
class Caller:
    """Who is calling the API, and how they proved it."""

    user: Any
    via: str  # "token", "session" or "anonymous"

    def __bool__(self) -> bool:  # every request gets a caller, even an anonymous one
        return True


class CallerAuth(HttpBearer):
    """Accept a bearer token, else the session (with CSRF on unsafe methods), else anonymous
    where the operation allows it.

    A bad token is refused outright rather than treated as anonymous, so a program learns at
    once that its token was revoked or mistyped. An anonymous caller of an operation that
    needs someone signed in is refused here, before its input is read, so the answer is 401
    whatever the input.
    """

    openapi_description = "A personal API token, made on Your account → API tokens."
    # Tells the interactive documentation to send the CSRF token, so that "Try it out" works
    # for a person signed in by session. The check itself is made in __call__.
    csrf = True

    def __init__(self, *, allow_anonymous: bool = False) -> None:
        super().__init__()
        self.allow_anonymous = allow_anonymous

    def __call__(self, request: HttpRequest) -> Caller:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, secret = header.partition(" ")
            if scheme.lower() != "bearer" or not secret.strip():
                raise ApiProblem(401, "Send the token as 'Authorization: Bearer <token>'.")
            user = api_token_authenticate(secret.strip())
            if user is None:
                raise ApiProblem(401, "This API token is not valid, has expired or was revoked.")
            request.user = user
            return Caller(user=user, via="token")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiProblem(
                    403, "CSRF check failed. Send the X-CSRFToken header with the CSRF cookie."
                )
            return Caller(user=user, via="session")
        if not self.allow_anonymous:
            raise ApiProblem(401, SIGN_IN)
        return Caller(user=AnonymousUser(), via="anonymous")

    def authenticate(self, request: HttpRequest, token: str) -> Any:  # pragma: no cover
        raise NotImplementedError


# Route options for an operation anyone may call, signed in or not: ``@router.get(..., **PUBLIC)``.
# Ninja adds the extra security requirement to the token's; an empty one means "or nothing".
PUBLIC: dict[str, Any] = {
    "auth": CallerAuth(allow_anonymous=True),
    "openapi_extra": {"security": [{}]},
}


def signed_in_user(request: HttpRequest) -> Any:
    """Return the calling user, or answer 401 if the caller is anonymous."""
    caller: Caller = request.auth  # type: ignore[attr-defined]
    if not caller.user.is_authenticated:
        raise ApiProblem(401, SIGN_IN)
    return caller.user
