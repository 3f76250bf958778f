"""How challenges appear in full-text search."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicflow.challenges.models import Challenge, Status
from civicflow.challenges.selectors import ChallengeFilters, filter_challenges, visible_challenges
from civicflow.search.registry import Document, Searchable, register_searchable


def _document(challenge: Challenge) -> Document:
    return Document(
        title=challenge.title,
        body="\n".join([challenge.summary, challenge.problem, challenge.evidence]),
        organisation_id=challenge.organisation_id,
    )


def _filters(queryset: QuerySet[Any], filters: dict[str, str]) -> QuerySet[Any]:
    status = filters.get("status", "")
    return filter_challenges(
        queryset,
        ChallengeFilters(
            organisation=filters.get("organisation", ""),
            kind=filters.get("kind", ""),
            phase=filters.get("phase", ""),
            audience=filters.get("audience", ""),
            status=status if status in Status.values else "",
            open_now=bool(filters.get("open_now")),
        ),
    )


def register() -> None:
    """Make challenges searchable."""
    register_searchable(
        Searchable(
            model=Challenge,
            name="Challenge",
            key="challenges",
            document=_document,
            visible=visible_challenges,
            url=lambda challenge: challenge.get_absolute_url(),
            apply_filters=_filters,
        )
    )
