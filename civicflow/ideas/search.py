"""How ideas appear in full-text search."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicflow.ideas.models import BENEFIT_FIELDS, Idea, IdeaStatus, InnovationType, Scale
from civicflow.ideas.selectors import visible_ideas
from civicflow.search.registry import Document, Searchable, register_searchable


def _document(idea: Idea) -> Document | None:
    """Index what an idea says; a merged or hidden idea is left out of the index."""
    if idea.status == IdeaStatus.MERGED or idea.is_hidden:
        return None
    return Document(
        title=idea.title,
        body="\n".join([idea.summary, idea.description, idea.affected]),
        organisation_id=idea.organisation_id,
    )


def _filters(queryset: QuerySet[Any], filters: dict[str, str]) -> QuerySet[Any]:
    if organisation := filters.get("organisation"):
        queryset = queryset.filter(organisation__slug=organisation)
    if filters.get("status") in IdeaStatus.values:
        queryset = queryset.filter(status=filters["status"])
    if filters.get("innovation_type") in InnovationType.values:
        queryset = queryset.filter(innovation_type=filters["innovation_type"])
    if filters.get("scale") in Scale.values:
        queryset = queryset.filter(scale=filters["scale"])
    if (benefit := filters.get("benefit", "")) in BENEFIT_FIELDS:
        queryset = queryset.filter(**{BENEFIT_FIELDS[benefit]: True})
    return queryset


def register() -> None:
    """Make ideas searchable."""
    register_searchable(
        Searchable(
            model=Idea,
            name="Idea",
            key="ideas",
            document=_document,
            visible=visible_ideas,
            url=lambda idea: idea.get_absolute_url(),
            apply_filters=_filters,
        )
    )
