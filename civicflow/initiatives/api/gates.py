"""Gate decisions: go, hold, stop or pivot, with the reason, by decision makers.

No ``from __future__ import annotations`` here: Ninja reads the annotations as real objects
(the query parameters of paginated operations, typed with this app's choices, from outside the
module)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Status

from civicflow.api.auth import signed_in_user
from civicflow.initiatives import permissions, services
from civicflow.initiatives.api.common import _decision_out, _initiative, router
from civicflow.initiatives.api.schemas import InitiativeDecisionIn, InitiativeDecisionOut
from civicflow.initiatives.models import GateDecision


@router.post(
    "/initiatives/{initiative_id}/decisions",
    response={201: InitiativeDecisionOut},
    summary="Record a gate decision: go, hold, stop or pivot, with the reason (decision makers)",
    description="A go moves the initiative to the next stage once its entry criteria are met; "
    "nothing else moves it. Decisions are never changed: to correct the latest one, send its "
    "id as `corrects_id`.",
)
def initiative_decide(
    request: HttpRequest, initiative_id: int, payload: InitiativeDecisionIn
) -> Status[Any]:
    user = signed_in_user(request)
    initiative = _initiative(request, initiative_id)
    if not permissions.can_decide(user, initiative.organisation):
        raise PermissionDenied(
            "Only the organisation's decision makers and administrators take gate decisions."
        )
    corrects = None
    if payload.corrects_id is not None:
        corrects = initiative.decisions.filter(pk=payload.corrects_id).first()
        if corrects is None:
            raise ValidationError({"corrects_id": "Choose a decision on this initiative."})
    decision = services.gate_decide(
        actor=user,
        initiative=initiative,
        decision=payload.decision,
        reason=payload.reason,
        conditions=payload.conditions,
        evidence_links=payload.evidence_links,
        corrects=corrects,
    )
    decision = GateDecision.objects.select_related("initiative", "decided_by", "corrects").get(
        pk=decision.pk
    )
    return Status(201, _decision_out(decision))
