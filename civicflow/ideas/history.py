"""What an edit changed, for an idea's history. Pure Python: no Django, no database."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


def field_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Iterable[str]
) -> list[dict[str, Any]]:
    """Return ``{"field", "before", "after"}`` for each of ``fields`` whose value differs.

    Values are compared as given; lists are compared as sets, so ticking the same boxes in a
    different order is no change.
    """
    changes: list[dict[str, Any]] = []
    for name in fields:
        old, new = before.get(name), after.get(name)
        if isinstance(old, list | tuple) and isinstance(new, list | tuple):
            if set(old) == set(new):
                continue
            old, new = sorted(old), sorted(new)
        elif old == new:
            continue
        changes.append({"field": name, "before": old, "after": new})
    return changes
