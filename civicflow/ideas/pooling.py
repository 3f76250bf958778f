"""How supports are pooled when a duplicate idea is merged. Pure Python: no Django.

Merging idea B into idea A moves B's supports to A, one per person: someone who supported
both still counts once. A support that would make an author back their own idea stays behind
on B unless the challenge allows self-support. What stays behind is restored with B if the
merge is undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Pooling:
    """Which of the source's supports move to the target, and which stay."""

    move: frozenset[int]  # support ids
    stay: frozenset[int]


def pool_supports(
    *,
    source: Mapping[int, int],
    target_supporters: Iterable[int],
    target_authors: Iterable[int],
    allow_self_support: bool,
) -> Pooling:
    """Split ``source`` (support id → supporter's user id) into those that move and stay."""
    already = set(target_supporters)
    authors = set(target_authors)
    move: set[int] = set()
    stay: set[int] = set()
    for support_id, user_id in source.items():
        if user_id in already or (user_id in authors and not allow_self_support):
            stay.add(support_id)
        else:
            move.add(support_id)
            already.add(user_id)
    return Pooling(move=frozenset(move), stay=frozenset(stay))
