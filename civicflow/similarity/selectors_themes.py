"""Reads for moderators' duplicates and everyone's themes, limited to what each person may see."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from django.core.cache import cache
from django.db.models import QuerySet

from civicflow.challenges.models import Challenge
from civicflow.ideas import listing
from civicflow.ideas import selectors as idea_selectors
from civicflow.ideas.models import CLOSED_STATUSES, Idea
from civicflow.similarity import duplicates
from civicflow.similarity.models_themes import DismissedPair, Theme, ThemeMembership, ThemeSet

# Cosine similarity from which two ideas are shown as possible duplicates, per embedder name:
# hashed TF-IDF scores paraphrases lower than a sentence model does.
DUPLICATE_THRESHOLDS: dict[str, float] = {"tfidf-hash": 0.45}
DEFAULT_DUPLICATE_THRESHOLD = 0.75
MAX_PAIRS = 200
# How long computed duplicates are kept for a challenge whose ideas have not changed.
DUPLICATES_TTL = 3600
# Fields the theme and duplicate computations read; the long texts only in part.
TEXT_FIELDS = ("id", "title", "summary", "description", "version", "status", "hidden_at")
DESCRIPTION_FOR_KEYWORDS = 1_000


def open_ideas(challenge: Challenge) -> QuerySet[Idea]:
    """Return the ideas of ``challenge`` that themes and duplicates are made of.

    Open (not merged or withdrawn) and not hidden: everyone may see them, so a theme's
    keywords never give away a hidden idea's words. In order of id.
    """
    return (
        Idea.objects.filter(challenge=challenge, hidden_at__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .only(*TEXT_FIELDS)
        .order_by("pk")
    )


def idea_text(idea: Idea) -> str:
    """Return the text a theme's keywords are drawn from: title, summary, start of description."""
    return "\n".join(
        [idea.title, idea.summary, (idea.description or "")[:DESCRIPTION_FOR_KEYWORDS]]
    )


def idea_vectors(ideas: list[Idea]) -> np.ndarray:
    """Return the stored vectors of ``ideas`` (computing missing ones), one row each."""
    from civicflow.similarity.selectors import vectors_for

    return vectors_for(ideas)


def embedder_identity() -> tuple[str, str]:
    """Return the active embedder's name and version."""
    from civicflow.similarity.embedders import active_embedder

    active = active_embedder()
    return str(active.name), str(active.version)


def duplicate_threshold() -> float:
    """Return the similarity from which ideas are shown as duplicates, for the active embedder."""
    return DUPLICATE_THRESHOLDS.get(embedder_identity()[0], DEFAULT_DUPLICATE_THRESHOLD)


# Duplicates --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PairRow:
    first: Idea
    second: Idea
    similarity: float

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.similarity * 100)))


@dataclass(frozen=True)
class ClusterRow:
    ideas: list[Idea]
    closeness: float

    @property
    def percent(self) -> int:
        return max(0, min(100, round(self.closeness * 100)))


@dataclass(frozen=True)
class DuplicateReport:
    pairs: list[PairRow]
    clusters: list[ClusterRow]
    threshold: float
    ideas_count: int
    embedder: str
    dismissed: list[DismissedPair] = field(default_factory=list)


def duplicate_report(*, challenge: Challenge, limit: int = MAX_PAIRS) -> DuplicateReport:
    """Return the possible duplicates among ``challenge``'s open ideas, most similar first.

    Pairs a moderator dismissed are left out (and listed apart, so they can be restored).
    Groups of three or more ideas joined by such pairs come as clusters. For moderators only:
    the caller checks :func:`can_review_duplicates`.
    """
    ideas = list(open_ideas(challenge).select_related(None).defer("description"))
    by_id = {idea.pk: idea for idea in ideas}
    dismissed = list(
        DismissedPair.objects.filter(challenge=challenge).select_related(
            "first", "second", "dismissed_by"
        )
    )
    threshold = duplicate_threshold()
    name, version = embedder_identity()
    if len(ideas) < 2:
        return DuplicateReport([], [], threshold, len(ideas), name, dismissed)
    dismissed_keys = sorted((row.first_id, row.second_id) for row in dismissed)
    # Kept while the challenge's idea list version stands: any change to its ideas moves it.
    digest = hashlib.blake2b(repr(dismissed_keys).encode(), digest_size=8).hexdigest()
    key = (
        f"similarity:duplicates:{challenge.pk}:{listing.version(challenge.pk)}:{name}:{version}"
        f":{threshold}:{limit}:{digest}"
    )
    found = cache.get(key)
    if found is None:
        ids = [idea.pk for idea in ideas]
        vectors = idea_vectors(ideas)
        pairs = duplicates.candidate_pairs(
            ids, vectors, threshold=threshold, dismissed=dismissed_keys, limit=limit
        )
        groups = duplicates.clusters(ids, vectors, pairs=pairs, min_size=3)
        found = (
            [(p.first, p.second, p.similarity) for p in pairs],
            [(group.members, group.closeness) for group in groups],
        )
        cache.set(key, found, DUPLICATES_TTL)
    found_pairs, found_groups = found
    return DuplicateReport(
        pairs=[
            PairRow(by_id[first], by_id[second], similarity)
            for first, second, similarity in found_pairs
            if first in by_id and second in by_id
        ],
        clusters=[
            ClusterRow([by_id[member] for member in members if member in by_id], closeness)
            for members, closeness in found_groups
        ],
        threshold=threshold,
        ideas_count=len(ideas),
        embedder=name,
        dismissed=dismissed,
    )


# Themes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    """A theme as one reader sees it: only the ideas they may see are counted and shown."""

    theme: Theme
    size: int
    examples: list[Idea]

    @property
    def label(self) -> str:
        return self.theme.label

    @property
    def keywords(self) -> list[str]:
        return list(self.theme.keywords)


@dataclass(frozen=True)
class ThemesView:
    computed_at: datetime | None
    stale: bool
    embedder: str
    themes: list[ThemeRow]
    ideas_count: int
    ungrouped_count: int


def theme_set_for(challenge: Challenge) -> ThemeSet | None:
    """Return the stored themes of ``challenge``, or None if never computed."""
    return ThemeSet.objects.filter(challenge=challenge).first()


def challenge_themes(*, user: Any, challenge: Challenge, examples: int = 3) -> ThemesView:
    """Return the themes of ``challenge`` with the sizes and example ideas ``user`` may see.

    A theme whose ideas have all been hidden, merged or withdrawn since is left out. Four
    queries whatever the number of themes.
    """
    theme_set = theme_set_for(challenge)
    if theme_set is None:
        return ThemesView(None, True, "", [], 0, 0)
    themes = list(Theme.objects.filter(theme_set=theme_set).order_by("position"))
    members: dict[int, list[int]] = {theme.pk: [] for theme in themes}
    for theme_id, idea_id in (
        ThemeMembership.objects.filter(theme__theme_set=theme_set)
        .order_by("theme_id", "rank")
        .values_list("theme_id", "idea_id")
    ):
        members[theme_id].append(idea_id)
    every = {idea_id for ids in members.values() for idea_id in ids}
    visible = {
        idea.pk: idea
        for idea in idea_selectors.idea_list(user=user, challenge=challenge).filter(pk__in=every)
    }
    rows = []
    for theme in themes:
        shown = [visible[idea_id] for idea_id in members[theme.pk] if idea_id in visible]
        if not shown:
            continue
        chosen = [visible[i] for i in theme.example_ids if i in visible][:examples]
        rows.append(ThemeRow(theme=theme, size=len(shown), examples=chosen or shown[:examples]))
    return ThemesView(
        computed_at=theme_set.computed_at,
        stale=theme_set.stale_since is not None or theme_set.computed_at is None,
        embedder=f"{theme_set.embedder} {theme_set.embedder_version}".strip(),
        themes=rows,
        ideas_count=theme_set.ideas_count,
        ungrouped_count=theme_set.ungrouped_count,
    )


def theme_choices(challenge_id: int) -> list[tuple[int, str, int]]:
    """Return the themes of a challenge as (id, label, size), in their order (one query)."""
    return [
        (theme_id, label, size)
        for theme_id, label, size in Theme.objects.filter(challenge_id=challenge_id)
        .order_by("position")
        .values_list("id", "label", "size")
    ]


def theme_of_challenge(challenge_id: int, theme_id: int) -> bool:
    """Return whether ``theme_id`` is a current theme of the challenge."""
    return Theme.objects.filter(challenge_id=challenge_id, pk=theme_id).exists()


def theme_member_ids(theme_id: int) -> QuerySet[ThemeMembership, int]:
    """Return the ids of the ideas in a theme, as a subquery."""
    return ThemeMembership.objects.filter(theme_id=theme_id).values_list("idea_id", flat=True)
