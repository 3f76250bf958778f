"""Gate decisions: the only way an initiative changes stage or status.

A decision is go (on to the next stage), hold (pause in this stage), stop (end) or pivot
(stay in this stage and change the approach). It needs a decision maker, a business owner
named beforehand, and a reason. A go needs every entry criterion of the next stage met.
Decisions are never changed: a correction is a new decision that names the latest one and
takes effect from the state before the decision it corrects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.initiatives import permissions
from civicflow.initiatives.models import (
    REASON_MAX,
    Decision,
    GateDecision,
    Initiative,
    Stage,
    Status,
    next_stage,
)
from civicflow.notifications.services import notify

MAX_EVIDENCE_LINKS = 20
URL_MAX = 500
_is_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class GateState:
    """Where an initiative stands: its stage and status."""

    stage: str
    status: str


def decision_effect(state: GateState, decision: str) -> GateState:
    """Return where ``decision`` takes an initiative that stands at ``state``.

    Raise ``ValidationError`` for a go from the last stage.
    """
    if decision == Decision.GO:
        following = next_stage(state.stage)
        if following is None:
            raise ValidationError(
                {
                    "decision": _(
                        "Scale is the last stage, so there is no gate to go through. Record "
                        "hold, stop or pivot instead."
                    )
                }
            )
        return GateState(following, Status.ACTIVE)
    if decision == Decision.HOLD:
        return GateState(state.stage, Status.ON_HOLD)
    if decision == Decision.STOP:
        return GateState(state.stage, Status.STOPPED)
    return GateState(state.stage, Status.ACTIVE)


def _clean_links(links: Iterable[str]) -> tuple[list[str], str]:
    """Return the evidence links without blanks, and a message if any is not a web address."""
    cleaned = [link.strip() for link in links if link and link.strip()]
    if len(cleaned) > MAX_EVIDENCE_LINKS:
        return cleaned, _("Give at most 20 links to evidence.")
    for link in cleaned:
        try:
            if len(link) > URL_MAX:
                raise ValidationError("too long")
            _is_url(link)
        except ValidationError:
            return cleaned, _(
                "‘%(link)s’ is not a web address. Give each link in full, starting https://"
            ) % {"link": link[:80]}
    return cleaned, ""


def _base_state(corrected: GateDecision) -> GateState:
    """Return the state before ``corrected`` and every decision it corrected in turn."""
    original = corrected
    while original.corrects_id is not None:
        original = GateDecision.objects.get(pk=original.corrects_id)
    return GateState(original.from_stage, original.from_status)


def _check_correction(initiative: Initiative, corrects: GateDecision) -> None:
    if corrects.initiative_id != initiative.pk:
        raise ValidationError({"corrects": _("Choose a decision on this initiative to correct.")})
    if GateDecision.objects.filter(corrects=corrects).exists():
        raise ValidationError(
            {"corrects": _("That decision was corrected already. Correct the correction instead.")}
        )
    latest = initiative.decisions.order_by("-decided_at", "-id").first()
    if latest is None or latest.pk != corrects.pk:
        raise ValidationError(
            {
                "corrects": _(
                    "Only the latest decision can be corrected: later decisions were taken "
                    "on the strength of this one."
                )
            }
        )


def _unmet_criteria(initiative: Initiative, stage: str) -> list[str]:
    return list(
        initiative.criteria.filter(stage=stage, met_at__isnull=True)
        .order_by("id")
        .values_list("text", flat=True)
    )


def gate_decide(
    *,
    actor: Any,
    initiative: Initiative,
    decision: str,
    reason: str,
    conditions: str = "",
    evidence_links: Iterable[str] = (),
    corrects: GateDecision | None = None,
) -> GateDecision:
    """Record a gate decision on ``initiative`` and move it as the decision says.

    ``corrects`` names the initiative's latest decision when this one corrects it.
    """
    if not permissions.can_decide(actor, initiative.organisation):
        raise PermissionDenied(
            _(
                "Only the organisation's decision makers and administrators take gate "
                "decisions. Ask a decision maker to record this one."
            )
        )
    reason = (reason or "").strip()
    conditions = (conditions or "").strip()
    links, link_problem = _clean_links(evidence_links)
    errors: dict[str, str] = {}
    if decision not in Decision.values:
        errors["decision"] = _("Choose go, hold, stop or pivot.")
    if not reason:
        errors["reason"] = _(
            "Enter the reason for the decision. It is kept on the record with your name, so "
            "that the decision survives changes of leadership."
        )
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason must be 5,000 characters or fewer.")
    if len(conditions) > REASON_MAX:
        errors["conditions"] = _("The conditions must be 5,000 characters or fewer.")
    if link_problem:
        errors["evidence_links"] = link_problem
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        locked = (
            Initiative.objects.select_for_update()
            .select_related("organisation")
            .get(pk=initiative.pk)
        )
        if locked.business_owner_id is None:
            raise ValidationError(
                {
                    "decision": _(
                        "Name the initiative's business owner before any gate decision: the "
                        "service that changes owns the change, not IT."
                    )
                }
            )
        current = GateState(locked.stage, locked.status)
        if corrects is not None:
            _check_correction(locked, corrects)
            start = _base_state(corrects)
        else:
            if locked.status == Status.STOPPED:
                raise ValidationError(
                    {
                        "decision": _(
                            "This initiative was stopped. To restart it, correct the decision "
                            "that stopped it."
                        )
                    }
                )
            start = current
        after = decision_effect(start, decision)
        if after.stage != start.stage:
            unmet = _unmet_criteria(locked, after.stage)
            if unmet:
                raise ValidationError(
                    {
                        "decision": _(
                            "Before a go into %(stage)s, meet its entry criteria: %(criteria)s."
                        )
                        % {
                            "stage": Stage(after.stage).label,
                            "criteria": "; ".join(unmet),
                        }
                    }
                )
        recorded = GateDecision.objects.create(
            initiative=locked,
            decision=decision,
            decided_by=actor,
            reason=reason,
            conditions=conditions,
            evidence_links=links,
            from_stage=current.stage,
            to_stage=after.stage,
            from_status=current.status,
            to_status=after.status,
            corrects=corrects,
        )
        now = timezone.now()
        if after.stage != current.stage:
            locked.stage_entered_at = now
        locked.stage = after.stage
        locked.status = after.status
        locked.last_update_at = now
        locked.save(
            update_fields=["stage", "status", "stage_entered_at", "last_update_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="initiative.gate_corrected" if corrects else "initiative.gate_decided",
            target=locked,
            organisation=locked.organisation,
            reason=reason,
            data={
                "decision": decision,
                "from": [current.stage, current.status],
                "to": [after.stage, after.status],
                "corrects": getattr(corrects, "pk", None),
            },
        )
        notify(
            recipients=[locked.business_owner_id, locked.delivery_lead_id],
            kind="initiative.gate_decided",
            title=_("%(decision)s: ‘%(title)s’")
            % {"decision": Decision(decision).label, "title": locked.title},
            body=reason,
            url=locked.get_absolute_url(),
            actor=actor,
        )
    for field in ("stage", "status", "stage_entered_at", "last_update_at"):
        setattr(initiative, field, getattr(locked, field))
    return recorded
