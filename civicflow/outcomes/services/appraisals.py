"""Cost-benefit analyses and SROIs of an initiative: stored inputs, checked by computing them."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.initiatives.models import Initiative
from civicflow.outcomes.appraise import (
    AppraisalInputError,
    CostBenefitInput,
    SroiInput,
    appraise,
    read_appraisal,
)
from civicflow.outcomes.models import NAME_MAX, Appraisal, AppraisalKind
from civicflow.outcomes.services.common import require_recorder

NOTES_MAX = 10_000
MAX_APPRAISALS = 20


def stored_inputs(kind: str, data: CostBenefitInput | SroiInput) -> dict[str, Any]:
    """Return read input as it is stored: plain JSON, every number as exact decimal text."""
    if isinstance(data, CostBenefitInput):
        return {
            "discount": "green-book" if data.discount_rate is None else str(data.discount_rate),
            "optimism_bias": str(data.optimism_bias),
            "costs": [_flow(flow) for flow in data.costs],
            "benefits": [_flow(flow) for flow in data.benefits],
        }
    return {
        "discount_rate": str(data.discount_rate),
        "inputs": [{"label": line.label, "value": str(line.value)} for line in data.inputs],
        "outcomes": [
            {
                "label": o.label,
                "quantity": str(o.quantity),
                "proxy": str(o.proxy),
                "duration": o.duration,
                "deadweight": str(o.deadweight),
                "displacement": str(o.displacement),
                "attribution": str(o.attribution),
                "drop_off": str(o.drop_off),
            }
            for o in data.outcomes
        ],
    }


def _flow(flow: Any) -> dict[str, Any]:
    return {
        "year": flow.year,
        "amount": str(flow.amount),
        "cashable": flow.cashable,
        "label": flow.label,
    }


def appraisal_save(
    *,
    actor: Any,
    initiative: Initiative,
    kind: str,
    title: str,
    inputs: dict[str, Any],
    notes: str = "",
    appraisal: Appraisal | None = None,
) -> Appraisal:
    """Add an appraisal to the initiative, or replace the inputs of ``appraisal``.

    The inputs are read and computed before anything is stored: input the arithmetic refuses
    is refused here, with the same field names (``costs[2].year``).
    """
    require_recorder(actor, initiative)
    title = (title or "").strip()
    notes = (notes or "").strip()
    errors: dict[str, str] = {}
    if kind not in AppraisalKind.values:
        errors["kind"] = _("Choose a cost-benefit analysis or a social return on investment.")
    if appraisal is not None and (
        appraisal.initiative_id != initiative.pk or appraisal.kind != kind
    ):
        errors["kind"] = _("An appraisal keeps its initiative and its kind.")
    if not title:
        errors["title"] = _("Enter a title, for example ‘Five-year cost-benefit analysis’.")
    elif len(title) > NAME_MAX:
        errors["title"] = _("The title must be 200 characters or fewer.")
    if len(notes) > NOTES_MAX:
        errors["notes"] = _("The notes must be 10,000 characters or fewer.")
    if appraisal is None and initiative.appraisals.count() >= MAX_APPRAISALS:
        errors["title"] = _("This initiative has 20 appraisals; delete one first.")
    data = None
    if "kind" not in errors:
        try:
            _kind, data = read_appraisal({**(inputs or {}), "kind": kind})
            appraise(kind, data)
        except AppraisalInputError as error:
            errors.update(error.errors)
    if errors or data is None:
        raise ValidationError(errors)
    with transaction.atomic():
        if appraisal is None:
            appraisal = Appraisal(initiative=initiative, kind=kind, created_by=actor)
        appraisal.title = title
        appraisal.notes = notes
        appraisal.inputs = stored_inputs(kind, data)
        appraisal.save()
        audit_record(
            actor=actor,
            action="outcomes.appraisal_saved",
            target=initiative,
            organisation=initiative.organisation,
            data={"appraisal": appraisal.pk, "kind": kind, "title": title},
        )
    return appraisal


def appraisal_delete(*, actor: Any, appraisal: Appraisal) -> None:
    """Delete an appraisal; the audit log keeps its inputs."""
    initiative = appraisal.initiative
    require_recorder(actor, initiative)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="outcomes.appraisal_deleted",
            target=initiative,
            organisation=initiative.organisation,
            data={"kind": appraisal.kind, "title": appraisal.title, "inputs": appraisal.inputs},
        )
        appraisal.delete()
