"""How case studies appear in full-text search: published ones only, to those they are
shared with."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from civicflow.library.models import CaseStatus, CaseStudy
from civicflow.library.selectors import CaseFilters, filter_cases, published_cases
from civicflow.search.registry import Document, Searchable, register_searchable


def _document(case: CaseStudy) -> Document | None:
    if case.status != CaseStatus.PUBLISHED:
        return None
    outcomes = [f"{o.figure} {o.statement}" for o in case.outcomes.all()]
    return Document(
        title=case.title,
        body="\n".join([case.summary, *outcomes, case.problem, case.approach, case.lessons]),
        organisation_id=case.organisation_id,
    )


def _filters(queryset: QuerySet[Any], filters: dict[str, str]) -> QuerySet[Any]:
    return filter_cases(
        queryset,
        CaseFilters(
            organisation=filters.get("organisation", ""),
            sector=filters.get("sector", ""),
        ),
    )


def register() -> None:
    """Make case studies searchable."""
    register_searchable(
        Searchable(
            model=CaseStudy,
            name="Case study",
            key="cases",
            document=_document,
            visible=published_cases,
            url=lambda case: case.get_absolute_url(),
            apply_filters=_filters,
        )
    )
