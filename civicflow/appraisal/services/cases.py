"""Business cases, written by an idea's authors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicflow.appraisal.models import Barrier, BarrierKind, BusinessCase
from civicflow.appraisal.models.cases import CASE_TEXT_MAX
from civicflow.appraisal.services.base import clean, require_author
from civicflow.core.audit import audit_record


def business_case_save(
    *,
    actor: Any,
    idea: Any,
    point: str,
    justification: str,
    illustration: str = "",
    benefits: str = "",
    costs: str = "",
    cost_total: int | None = None,
    involved_frontline_staff: bool = False,
    involved_service_users: bool = False,
    involvement: str = "",
    barriers: Mapping[str, str] | None = None,
) -> BusinessCase:
    """Write or rewrite the idea's business case. ``barriers`` maps each barrier the idea
    faces (from the fixed list) to how it will be countered."""
    require_author(actor, idea)
    texts = {
        "point": clean(point),
        "justification": clean(justification),
        "illustration": clean(illustration),
        "benefits": clean(benefits),
        "costs": clean(costs),
        "involvement": clean(involvement),
    }
    errors: dict[str, str] = {}
    if not texts["point"]:
        errors["point"] = _("Enter the point: what the idea will change.")
    if not texts["justification"]:
        errors["justification"] = _("Enter the justification: why it will work.")
    for field, text in texts.items():
        if len(text) > CASE_TEXT_MAX:
            errors[field] = _("Keep this under 5,000 characters.")
    if cost_total is not None and cost_total < 0:
        errors["cost_total"] = _("Enter a cost of 0 or more.")
    chosen = {kind: clean(counter) for kind, counter in (barriers or {}).items()}
    for kind, counter in chosen.items():
        if kind not in BarrierKind.values:
            errors["barriers"] = _("Choose barriers from the list.")
        elif not counter:
            errors[f"barrier_{kind}"] = _("Say how %(barrier)s will be countered.") % {
                "barrier": str(BarrierKind(kind).label).lower()
            }
        elif len(counter) > CASE_TEXT_MAX:
            errors[f"barrier_{kind}"] = _("Keep this under 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        case, _created = BusinessCase.objects.update_or_create(
            idea=idea,
            defaults={
                **texts,
                "cost_total": cost_total,
                "involved_frontline_staff": involved_frontline_staff,
                "involved_service_users": involved_service_users,
            },
        )
        case.barriers.all().delete()
        Barrier.objects.bulk_create(
            Barrier(business_case=case, kind=kind, counter_measure=counter)
            for kind, counter in sorted(chosen.items())
        )
        audit_record(
            actor=actor,
            action="appraisal.business_case_saved",
            target=idea,
            organisation=idea.organisation,
        )
    return case
