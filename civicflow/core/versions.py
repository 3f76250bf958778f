"""Version counters in the shared cache, for cached things that must not outlive a change.

A cached entry is stored with the version of what it was made from, read *before* the
database was; it is used only while that is still the current version. Writers move the
version on once their transaction commits (:func:`move_on`), so a reader who read the old state
just before the commit stores it under the old version, which nobody uses again.

A version the cache has evicted restarts from the clock (microseconds since the epoch), so it
never repeats a number under which entries may still be stored. With several app servers the
cache must be one they share (Redis, or the database cache).
"""

from __future__ import annotations

import contextlib
import time

from django.core.cache import cache
from django.db import transaction


def current(key: str) -> int:
    """Return the version under ``key``, starting one from the clock if there is none."""
    found = cache.get(key)
    if found is None:
        cache.add(key, time.time_ns() // 1_000, timeout=None)
        found = cache.get(key)
    return int(found or 0)


def move_now(keys: tuple[str, ...]) -> None:
    """Move the versions under ``keys`` on at once."""
    for key in keys:
        # No version yet (ValueError) means nothing is stored under one.
        with contextlib.suppress(ValueError):
            cache.incr(key)


def move_on(*keys: str) -> None:
    """Move the versions under ``keys`` on once the current transaction commits."""
    wanted = tuple(sorted(set(keys)))
    transaction.on_commit(lambda: move_now(wanted))
