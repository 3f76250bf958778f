"""Pages that ask an anonymous person to sign in before saying whether something exists.

A view raises :class:`SignInFirst` where it cannot tell an anonymous person whether they may
see something; the :func:`sign_in_first` decorator turns that into a redirect to the sign-in
page and back. Signed-in people who may not see it get 404, whether or not it exists.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse


class SignInFirst(Exception):
    """The person must sign in before we can say whether they may see this."""


def sign_in_first(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn ``SignInFirst`` into a redirect to the sign-in page and back."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except SignInFirst:
            return redirect_to_login(request.get_full_path())

    return wrapped


def not_visible(request: HttpRequest) -> Exception:
    """Return what to raise for something ``request.user`` may not see."""
    return SignInFirst() if not request.user.is_authenticated else Http404()
