"""The idea list's theme filter.

Themes are computed by the similarity app, which builds on ideas; so that ideas never imports
it, the similarity app registers here how to read a challenge's themes (in its ``ready``).
Without a registered source, or for a challenge without themes, there is no theme filter.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass(frozen=True)
class ThemeSource:
    """How to read themes: a challenge's (id, label, size) in order; whether a theme id is one
    of a challenge's; and the ids of a theme's ideas, as a subquery."""

    choices: Callable[[int], list[tuple[int, str, int]]]
    exists: Callable[[int, int], bool]
    member_ids: Callable[[int], QuerySet[Any, int]]


_sources: list[ThemeSource] = []


def register(source: ThemeSource) -> None:
    """Make ``source`` the one the idea list reads themes from."""
    _sources[:] = [source]


def _source() -> ThemeSource | None:
    return _sources[0] if _sources else None


def chosen(challenge_id: int, data: Mapping[str, Any]) -> str:
    """Return the theme asked for in ``data`` if it is one of the challenge's, else "".

    Costs one query, and only when a theme is asked for.
    """
    value = str(data.get("theme") or "")
    source = _source()
    if not value.isdigit() or len(value) > 18 or source is None:
        return ""
    return value if source.exists(challenge_id, int(value)) else ""


def choices(challenge_id: int) -> list[tuple[str, str]]:
    """Return the challenge's themes as choices of a select: (id, "label (size)")."""
    source = _source()
    if source is None:
        return []
    return [(str(pk), f"{label} ({size})") for pk, label, size in source.choices(challenge_id)]


def restrict(queryset: QuerySet[Any], theme: str) -> QuerySet[Any]:
    """Return ``queryset`` limited to the ideas of ``theme`` (already checked by ``chosen``)."""
    source = _source()
    if source is None or not theme.isdigit():
        return queryset
    return queryset.filter(pk__in=source.member_ids(int(theme)))
