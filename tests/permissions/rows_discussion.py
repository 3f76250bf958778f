"""Permission matrix rows for discussion: every page and endpoint, for every actor."""

from __future__ import annotations

from typing import Any

from tests.permissions.matrix import Route

ROUTES: list[Route] = []


def build(world: Any) -> None:
    """Add the objects these rows need to ``world.extra``."""
