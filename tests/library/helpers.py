"""Builders for the library's tests: a case study's fields, and published cases."""

from __future__ import annotations

from typing import Any

from civicflow.library import services
from civicflow.library.models import CaseStudy


def case_fields(**overrides: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "title": "Nurses' desks in the bays",
        "summary": "Ward teams moved the nurses' desks into the bays to watch older patients.",
        "problem": "Older patients fell while nurses were at the central station.",
        "approach": "Staff wrote ideas on a kaizen board; the ward tried the best ones.",
        "costs": "Staff time only.",
        "lessons": "Small changes tested by the ward team stick.",
        "sector": "health",
        "innovation_type": "process",
        "evidence_level": 2,
        "licence": "OGL-UK-3.0",
        "sharing": "public",
        "contact_name": "Nadia Patel",
        "contact_email": "nadia@hospital.example",
        "started_on": "2014-01-06",
        "finished_on": "2014-12-19",
        "outcomes": [
            {"area": "safety", "statement": "Falls on the ward came down", "figure": "80 %"}
        ],
    }
    fields.update(overrides)
    return fields


def published_case(*, author: Any, editor: Any, organisation: Any, **overrides: Any) -> CaseStudy:
    """A case drafted by ``author`` and published by ``editor``."""
    case = services.case_create(actor=author, organisation=organisation, **case_fields(**overrides))
    services.case_submit(actor=author, case=case)
    services.case_review(
        actor=editor,
        case=case,
        decision="published",
        checklist=["public_sector", "new_in_context", "implemented", "evidence"],
    )
    case.refresh_from_db()
    return case
