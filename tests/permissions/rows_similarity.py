"""Permission matrix rows for similarity: the list of similar ideas and cases shown while
writing is for anyone signed in, and the API answers about free text to anyone; what both list
is limited to what each person may see (tests/similarity). Asking what is like an object
needs sight of the object: the home organisation's staff-only idea and challenge and its
private case are hidden from everyone outside it, its public case is not."""

from __future__ import annotations

from typing import Any

from tests.permissions.matrix import Route, members_with, public, signed_in


def draft(world: Any, user: Any) -> dict[str, Any]:
    return {"title": "Text people before their bin day", "writing": "idea"}


def text(world: Any, user: Any) -> dict[str, Any]:
    return {"text": "Text people before their bin day", "type": "ideas,cases", "limit": "3"}


def idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": world.extra["ideas"]["idea"].pk}


def public_idea(world: Any, user: Any) -> dict[str, Any]:
    return {"idea_id": world.extra["ideas"]["public_idea"].pk}


def challenge(world: Any, user: Any) -> dict[str, Any]:
    return {"challenge_id": world.extra["ideas"]["challenge"].pk}


def case(name: str) -> Any:
    def kwargs(world: Any, user: Any) -> dict[str, Any]:
        return {"case_id": world.extra["library"][name].pk}

    return kwargs


ROUTES = [
    Route("similarity:while_writing", "GET", signed_in(api=False), data=draft),
    Route("api-1.0.0:similar_to_text_api", "GET", public, data=text, api=True),
    Route("api-1.0.0:idea_similar_api", "GET", members_with(api=True), idea, api=True),
    Route("api-1.0.0:idea_similar_api", "GET", public, public_idea, api=True),
    Route("api-1.0.0:challenge_similar_api", "GET", members_with(api=True), challenge, api=True),
    Route("api-1.0.0:case_similar_api", "GET", members_with(api=True), case("private"), api=True),
    Route("api-1.0.0:case_similar_api", "GET", public, case("shown"), api=True),
]
