"""API endpoints for a challenge's themes (whoever may see it) and its possible duplicates
(its moderators): read them, and say two ideas are not duplicates.

A challenge the caller may not see answers 404, or 401 to an anonymous caller.
"""

# No ``from __future__ import annotations``: ninja reads the schemas from the signatures.
import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status

from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.ideas.models import Idea
from civicflow.similarity import selectors_themes as selectors
from civicflow.similarity import services_themes as services
from civicflow.similarity.models_themes import REASON_MAX
from civicflow.similarity.permissions_themes import can_review_duplicates

router = Router(tags=["Themes and duplicates"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
CHALLENGE = "/organisations/{slug}/challenges/{challenge_slug}"


class IdeaRefOut(Schema):
    id: int
    title: str
    url: str = Field(description="The idea's page.")


class ThemeOut(Schema):
    id: int = Field(description="Filter the idea list with ?theme=<id>.")
    label: str
    keywords: list[str] = Field(description="Words and phrases that set its ideas apart.")
    size: int = Field(description="How many of its ideas the caller may see.")
    examples: list[IdeaRefOut] = Field(description="Ideas closest to the theme's centre.")


class ThemesOut(Schema):
    computed_at: datetime | None = Field(description="null if never computed.")
    stale: bool = Field(description="Ideas changed since; a new computation is queued.")
    embedder: str = Field(description="The embedder's name and version.")
    ideas_count: int = Field(description="Open ideas the themes were computed from.")
    ungrouped_count: int = Field(description="Of those, ideas that fit no theme.")
    themes: list[ThemeOut]


class PairOut(Schema):
    first: IdeaRefOut
    second: IdeaRefOut
    similarity: float = Field(description="Cosine similarity of their meaning, up to 1.")


class ClusterOut(Schema):
    ideas: list[IdeaRefOut] = Field(description="The most typical first.")
    closeness: float = Field(description="Mean similarity between its ideas.")


class DuplicatesOut(Schema):
    threshold: float = Field(description="Pairs at least this similar are listed.")
    embedder: str
    ideas_count: int
    pairs: list[PairOut]
    clusters: list[ClusterOut] = Field(description="Three or more ideas joined by pairs.")


class DismissIn(Schema):
    first: int = Field(ge=1, le=2**63 - 1)
    second: int = Field(ge=1, le=2**63 - 1)
    reason: str = Field("", max_length=REASON_MAX)


class DismissedOut(Schema):
    first: int
    second: int
    reason: str
    created_at: datetime


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = None
    if SLUG.fullmatch(slug) and SLUG.fullmatch(challenge_slug):
        challenge = challenge_selectors.challenge_get(
            user=_caller(request), organisation_slug=slug, slug=challenge_slug
        )
    if challenge is None:
        if not _caller(request).is_authenticated:
            raise ApiProblem(401, "Sign in, or send a personal API token, to see this.")
        raise Http404
    return challenge


def _moderated(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    user = signed_in_user(request)
    challenge = _challenge(request, slug, challenge_slug)
    if not can_review_duplicates(user, challenge):
        raise PermissionDenied("Only the challenge's moderators can review duplicates.")
    return challenge


def _ref(idea: Idea) -> dict[str, Any]:
    return {"id": idea.pk, "title": idea.title, "url": idea.get_absolute_url()}


@router.get(
    f"{CHALLENGE}/themes",
    response=ThemesOut,
    summary="A challenge's ideas grouped into themes",
    **PUBLIC,
)
def challenge_themes_api(request: HttpRequest, slug: str, challenge_slug: str) -> Any:
    challenge = _challenge(request, slug, challenge_slug)
    view = selectors.challenge_themes(user=_caller(request), challenge=challenge)
    return {
        "computed_at": view.computed_at,
        "stale": view.stale,
        "embedder": view.embedder,
        "ideas_count": view.ideas_count,
        "ungrouped_count": view.ungrouped_count,
        "themes": [
            {
                "id": row.theme.pk,
                "label": row.label,
                "keywords": row.keywords,
                "size": row.size,
                "examples": [_ref(idea) for idea in row.examples],
            }
            for row in view.themes
        ],
    }


@router.get(
    f"{CHALLENGE}/duplicates",
    response=DuplicatesOut,
    summary="Possible duplicates among a challenge's ideas (its moderators)",
    **PUBLIC,
)
def duplicate_candidates_api(request: HttpRequest, slug: str, challenge_slug: str) -> Any:
    challenge = _moderated(request, slug, challenge_slug)
    report = selectors.duplicate_report(challenge=challenge)
    return {
        "threshold": report.threshold,
        "embedder": report.embedder,
        "ideas_count": report.ideas_count,
        "pairs": [
            {"first": _ref(p.first), "second": _ref(p.second), "similarity": p.similarity}
            for p in report.pairs
        ],
        "clusters": [
            {"ideas": [_ref(idea) for idea in c.ideas], "closeness": c.closeness}
            for c in report.clusters
        ],
    }


@router.post(
    f"{CHALLENGE}/duplicates/dismissed",
    response={201: DismissedOut},
    summary="Say two ideas are not duplicates, so they are not suggested again (moderators)",
)
def duplicate_dismiss_api(
    request: HttpRequest, slug: str, challenge_slug: str, payload: DismissIn
) -> Status[Any]:
    challenge = _moderated(request, slug, challenge_slug)
    first, second = services.ideas_for_pair(
        challenge=challenge, first_id=payload.first, second_id=payload.second
    )
    row = services.pair_dismiss(
        actor=_caller(request),
        challenge=challenge,
        first=first,
        second=second,
        reason=payload.reason,
    )
    return Status(
        201,
        {
            "first": row.first_id,
            "second": row.second_id,
            "reason": row.reason,
            "created_at": row.created_at,
        },
    )
