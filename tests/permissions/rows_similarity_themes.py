"""Permission matrix rows for themes and possible duplicates, on the ideas rows' staff-only
challenge (built by rows_ideas): moderators review duplicates and recompute themes; every
member sees the themes; outsiders learn nothing."""

from __future__ import annotations

from typing import Any

from tests.permissions.matrix import Route, members_with
from tests.permissions.rows_ideas import MODERATORS


def _ideas(world: Any) -> dict[str, Any]:
    return world.extra["ideas"]


def challenge(world: Any, user: Any) -> dict[str, Any]:
    return {"slug": world.organisation.slug, "challenge_slug": _ideas(world)["challenge"].slug}


def pair(world: Any, user: Any) -> dict[str, Any]:
    return {"first": _ideas(world)["idea"].pk, "second": _ideas(world)["fresh"].pk}


def nothing(world: Any, user: Any) -> dict[str, Any]:
    return {}


ROUTES = [
    Route("themes:duplicates", "GET", members_with(*MODERATORS), challenge),
    Route("themes:dismiss", "POST", members_with(*MODERATORS), challenge, pair),
    Route("themes:restore", "POST", members_with(*MODERATORS), challenge, pair),
    Route("themes:themes", "GET", members_with(), challenge),
    Route("themes:recompute", "POST", members_with(*MODERATORS), challenge, nothing),
    Route("api-1.0.0:challenge_themes_api", "GET", members_with(api=True), challenge, api=True),
    Route(
        "api-1.0.0:duplicate_candidates_api",
        "GET",
        members_with(*MODERATORS, api=True),
        challenge,
        api=True,
    ),
    Route(
        "api-1.0.0:duplicate_dismiss_api",
        "POST",
        members_with(*MODERATORS, api=True),
        challenge,
        lambda w, u: {**pair(w, u), "reason": "Different streets"},
        api=True,
        json=True,
    ),
]
