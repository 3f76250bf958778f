"""Blind appraisal: whether a person may see who wrote a challenge's ideas.

A challenge judged blind (the appraisal app's panels) hides its ideas' authors and co-authors
from the people judging them, on every page and in every answer of the API. The ideas app
does not know about panels: apps that judge ideas register a check here, and the idea pages,
lists and API ask :func:`authors_hidden` before they name anyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Check = Callable[[Any, Any], bool]

_CHECKS: list[Check] = []


def register(check: Check) -> None:
    """Add a check ``check(user, challenge) -> bool``: True hides the authors from ``user``."""
    if check not in _CHECKS:
        _CHECKS.append(check)


def authors_hidden(user: Any, challenge: Any) -> bool:
    """Whether ``user`` must not see who wrote ``challenge``'s ideas (remembered per request,
    on the user object, which lives as long as the request)."""
    if not getattr(user, "is_authenticated", False) or not _CHECKS:
        return False
    known: dict[int, bool] = user.__dict__.setdefault("_civicflow_authors_hidden", {})
    if challenge.pk not in known:
        known[challenge.pk] = any(check(user, challenge) for check in _CHECKS)
    return known[challenge.pk]
