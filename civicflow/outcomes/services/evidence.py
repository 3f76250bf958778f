"""The evidence level of an initiative, quotes and stories beside the numbers, and the cashable
savings it planned and realised."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.initiatives.models import Initiative
from civicflow.outcomes.models import (
    EvidenceAssessment,
    NestaLevel,
    QualitativeEvidence,
    SavingsLine,
    StoryKind,
)
from civicflow.outcomes.services.common import money_problem, require_recorder

TEXT_MAX = 10_000
ATTRIBUTION_MAX = 200
FIRST_YEAR = 2000


def evidence_assess(
    *, actor: Any, initiative: Initiative, level: Any, justification: str
) -> EvidenceAssessment:
    """Set the initiative's level on the Nesta Standards of Evidence, with the reason."""
    require_recorder(actor, initiative)
    justification = (justification or "").strip()
    errors: dict[str, str] = {}
    try:
        number = int(level)
    except (TypeError, ValueError):
        number = 0
    if number not in NestaLevel.values:
        errors["level"] = _("Choose a level from 1 to 5.")
    if not justification:
        errors["justification"] = _(
            "Say why: what evidence shows the initiative has reached this level."
        )
    elif len(justification) > TEXT_MAX:
        errors["justification"] = _("The justification must be 10,000 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        assessment = EvidenceAssessment.objects.create(
            initiative=initiative, level=number, justification=justification, assessed_by=actor
        )
        audit_record(
            actor=actor,
            action="outcomes.evidence_assessed",
            target=initiative,
            organisation=initiative.organisation,
            reason=justification,
            data={"level": number},
        )
    return assessment


def qualitative_evidence_add(
    *,
    actor: Any,
    initiative: Initiative,
    kind: str,
    text: str,
    attributed_to: str,
    collected_on: date | None = None,
) -> QualitativeEvidence:
    """Add a quote or a story to the initiative's evidence."""
    require_recorder(actor, initiative)
    text = (text or "").strip()
    attributed_to = (attributed_to or "").strip()
    errors: dict[str, str] = {}
    if kind not in StoryKind.values:
        errors["kind"] = _("Choose a quote or a story.")
    if not text:
        errors["text"] = _("Enter the quote or the story.")
    elif len(text) > TEXT_MAX:
        errors["text"] = _("The text must be 10,000 characters or fewer.")
    if not attributed_to:
        errors["attributed_to"] = _(
            "Say who it is from, without naming them unless they agreed: ‘a resident of Ward 7’."
        )
    elif len(attributed_to) > ATTRIBUTION_MAX:
        errors["attributed_to"] = _("This must be 200 characters or fewer.")
    if collected_on is not None and collected_on > timezone.localdate():
        errors["collected_on"] = _("The date must be today or in the past.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        item = QualitativeEvidence.objects.create(
            initiative=initiative,
            kind=kind,
            text=text,
            attributed_to=attributed_to,
            collected_on=collected_on,
            added_by=actor,
        )
        audit_record(
            actor=actor,
            action="outcomes.evidence_added",
            target=initiative,
            organisation=initiative.organisation,
            data={"kind": kind},
        )
    return item


def savings_set(
    *,
    actor: Any,
    initiative: Initiative,
    financial_year: Any,
    planned: Any,
    realised: Any = None,
    kept_by_service: Any = None,
    note: str = "",
) -> SavingsLine:
    """Record the cashable savings planned (and realised, and kept) in a financial year."""
    require_recorder(actor, initiative)
    note = (note or "").strip()
    errors: dict[str, str] = {}
    try:
        year = int(financial_year)
    except (TypeError, ValueError):
        year = 0
    last = timezone.localdate().year + 30
    if not FIRST_YEAR <= year <= last:
        errors["financial_year"] = _(
            "Enter the year the financial year starts in, from 2000 to %(last)d."
        ) % {"last": last}
    planned_amount, problem = money_problem(planned)
    if problem:
        errors["planned"] = problem
    realised_amount, problem = money_problem(realised, required=False)
    if problem:
        errors["realised"] = problem
    kept, problem = money_problem(kept_by_service, required=False)
    if problem:
        errors["kept_by_service"] = problem
    kept = kept or Decimal(0)
    if "kept_by_service" not in errors and kept:
        if realised_amount is None and "realised" not in errors:
            errors["kept_by_service"] = _("Enter the realised savings first.")
        elif realised_amount is not None and kept > realised_amount:
            errors["kept_by_service"] = _(
                "The service cannot keep more than was realised (£%(realised)s)."
            ) % {"realised": f"{realised_amount:,.2f}"}
    if len(note) > TEXT_MAX:
        errors["note"] = _("The note must be 10,000 characters or fewer.")
    if errors or planned_amount is None:
        raise ValidationError(errors)
    with transaction.atomic():
        line, _created = SavingsLine.objects.select_for_update().get_or_create(
            initiative=initiative,
            financial_year=year,
            defaults={"planned": planned_amount},
        )
        before = {"planned": str(line.planned), "realised": str(line.realised)}
        line.planned = planned_amount
        line.realised = realised_amount
        line.kept_by_service = kept
        line.note = note
        line.save()
        audit_record(
            actor=actor,
            action="outcomes.savings_set",
            target=initiative,
            organisation=initiative.organisation,
            data={
                "financial_year": year,
                "before": before,
                "planned": str(planned_amount),
                "realised": str(realised_amount),
                "kept_by_service": str(kept),
            },
        )
    return line
