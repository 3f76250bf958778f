"""What the library holds about a person, for their data download and for erasure.

The case studies a person drafted, the cases naming them as the contact (by email address),
their editorial reviews and their adoptions are theirs to download. Erasure takes their name
and email address off the cases that name them as contact and leaves the cases, reviews and
adoptions on the record as the organisations' work; the accounts app then shows the author,
reviewer or adopter as a former participant.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from civicflow.core.personal_data import register_personal_data
from civicflow.library.models import Adoption, CaseReview, CaseStudy


def _cases(user: Any) -> list[dict[str, Any]]:
    rows = CaseStudy.objects.filter(Q(created_by=user) | Q(contact_email__iexact=user.email))
    return [
        {
            "case": case.title,
            "author": case.created_by_id == user.pk,
            "contact_name": case.contact_name,
            "contact_email": case.contact_email,
            "status": case.status,
        }
        for case in rows.order_by("id")
    ]


def _reviews(user: Any) -> list[dict[str, Any]]:
    return [
        {"case": title, "decision": decision, "reasons": reasons, "at": at.isoformat()}
        for title, decision, reasons, at in CaseReview.objects.filter(reviewer=user)
        .order_by("id")
        .values_list("case__title", "decision", "reasons", "reviewed_at")
    ]


def _adoptions(user: Any) -> list[dict[str, Any]]:
    return [
        {"case": title, "organisation": name, "adaptations": note, "at": at.isoformat()}
        for title, name, note, at in Adoption.objects.filter(adopted_by=user)
        .order_by("id")
        .values_list("case__title", "organisation__name", "adaptations", "created_at")
    ]


def _erase_contact(user: Any) -> None:
    CaseStudy.objects.filter(contact_email__iexact=user.email).update(
        contact_name="", contact_email=""
    )


def register() -> None:
    """Tell accounts what the library holds about a person."""
    register_personal_data("case_studies", export=_cases, erase=_erase_contact)
    register_personal_data("case_reviews", export=_reviews)
    register_personal_data("case_adoptions", export=_adoptions)
