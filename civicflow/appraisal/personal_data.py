"""What the appraisal app holds about a person, for their data download and for erasure.

An assessor's scores and declarations, an applicant's applications, hack-day registrations.
Erasure keeps scores and decisions in the record (they are the panel's, and the audit log
already names people only through their account, which erasure anonymises); it removes
hack-day registrations and the skills given with them.
"""

from __future__ import annotations

from typing import Any

from civicflow.appraisal.models import Application, Assignment, ConflictDeclaration, Registration
from civicflow.core.personal_data import register_personal_data


def _reviews(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "challenge": challenge,
            "idea": idea,
            "comment": comment,
            "submitted_at": submitted.isoformat() if submitted else None,
        }
        for challenge, idea, comment, submitted in Assignment.objects.filter(assessor=user)
        .order_by("id")
        .values_list("panel__challenge__title", "idea__title", "comment", "submitted_at")
    ]


def _declarations(user: Any) -> list[dict[str, Any]]:
    return [
        {"challenge": c, "idea": i, "has_conflict": h, "details": d}
        for c, i, h, d in ConflictDeclaration.objects.filter(assessor=user)
        .order_by("id")
        .values_list("panel__challenge__title", "idea__title", "has_conflict", "details")
    ]


def _applications(user: Any) -> list[dict[str, Any]]:
    return [
        {"round": r, "idea": i, "amount_requested": a, "organisation": o}
        for r, i, a, o in Application.objects.filter(applicant=user)
        .order_by("id")
        .values_list(
            "fund_round__challenge__title", "idea__title", "amount_requested", "organisation_name"
        )
    ]


def _registrations(user: Any) -> list[dict[str, Any]]:
    return [
        {"hack_day": h, "skills": s}
        for h, s in Registration.objects.filter(user=user)
        .order_by("id")
        .values_list("hack_day__challenge__title", "skills")
    ]


def _erase_registrations(user: Any) -> None:
    Registration.objects.filter(user=user).delete()
    for team in user.hack_teams.all():
        team.members.remove(user)


def register() -> None:
    """Tell accounts what the appraisal app holds about a person."""
    register_personal_data("appraisal_reviews", export=_reviews)
    register_personal_data("appraisal_declarations", export=_declarations)
    register_personal_data("fund_applications", export=_applications)
    register_personal_data(
        "hack_day_registrations", export=_registrations, erase=_erase_registrations
    )
