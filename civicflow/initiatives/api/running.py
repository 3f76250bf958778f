"""Running an initiative: stage plans, entry criteria, progress updates, milestones
and the evaluation plan.

No ``from __future__ import annotations`` here: Ninja reads the annotations as real objects
(the query parameters of paginated operations, typed with this app's choices, from outside the
module)."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Status

from civicflow.initiatives import services
from civicflow.initiatives.api.common import _to_run, router
from civicflow.initiatives.api.schemas import (
    MAX_ID,
    InitiativeCriterionIn,
    InitiativeCriterionMetIn,
    InitiativeCriterionOut,
    InitiativeEvaluationIn,
    InitiativeEvaluationOut,
    InitiativeMilestoneIn,
    InitiativeMilestoneOut,
    InitiativeMilestoneReachedIn,
    InitiativePlanIn,
    InitiativeStageOut,
    InitiativeUpdateIn,
    InitiativeUpdateOut,
)
from civicflow.initiatives.models import Stage


@router.put(
    "/initiatives/{initiative_id}/stages/{stage}",
    response=InitiativeStageOut,
    summary="Set a stage's planned dates, budget and spend to date",
)
def initiative_plan_set(
    request: HttpRequest, initiative_id: int, stage: Stage, payload: InitiativePlanIn
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    plan = services.stage_plan_set(actor=user, initiative=initiative, stage=stage, **payload.dict())
    return {
        "stage": plan.stage,
        "planned_start": plan.planned_start,
        "planned_end": plan.planned_end,
        "budget": plan.budget,
        "spent": plan.spent,
        "entry_criteria": [
            {"id": c.pk, "text": c.text, "met": c.is_met, "met_at": c.met_at}
            for c in initiative.criteria.filter(stage=stage).order_by("id")
        ],
    }


@router.post(
    "/initiatives/{initiative_id}/criteria",
    response={201: InitiativeCriterionOut},
    summary="Add an entry criterion a go into the stage needs met",
)
def initiative_criterion_add(
    request: HttpRequest, initiative_id: int, payload: InitiativeCriterionIn
) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    criterion = services.criterion_add(
        actor=user, initiative=initiative, stage=payload.stage, text=payload.text
    )
    return Status(201, {"id": criterion.pk, "text": criterion.text, "met": False, "met_at": None})


@router.put(
    "/initiatives/{initiative_id}/criteria/{criterion_id}",
    response=InitiativeCriterionOut,
    summary="Mark an entry criterion as met, or as not met",
)
def initiative_criterion_set(
    request: HttpRequest,
    initiative_id: int,
    criterion_id: int,
    payload: InitiativeCriterionMetIn,
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    criterion = (
        initiative.criteria.filter(pk=criterion_id).first() if criterion_id <= MAX_ID else None
    )
    if criterion is None:
        raise Http404
    services.criterion_set_met(actor=user, criterion=criterion, met=payload.met)
    return {
        "id": criterion.pk,
        "text": criterion.text,
        "met": criterion.is_met,
        "met_at": criterion.met_at,
    }


@router.post(
    "/initiatives/{initiative_id}/updates",
    response={201: InitiativeUpdateOut},
    summary="Post a progress update on the timeline",
)
def initiative_update_add(
    request: HttpRequest, initiative_id: int, payload: InitiativeUpdateIn
) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    update = services.progress_update_add(actor=user, initiative=initiative, body=payload.body)
    return Status(
        201,
        {
            "id": update.pk,
            "author": str(user),
            "body": update.body,
            "created_at": update.created_at,
        },
    )


@router.post(
    "/initiatives/{initiative_id}/milestones",
    response={201: InitiativeMilestoneOut},
    summary="Add a dated milestone",
)
def initiative_milestone_add(
    request: HttpRequest, initiative_id: int, payload: InitiativeMilestoneIn
) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    milestone = services.milestone_add(
        actor=user, initiative=initiative, title=payload.title, due_on=payload.due_on
    )
    return Status(
        201,
        {"id": milestone.pk, "title": milestone.title, "due_on": milestone.due_on, "done_on": None},
    )


@router.post(
    "/initiatives/{initiative_id}/milestones/{milestone_id}/reached",
    response=InitiativeMilestoneOut,
    summary="Record that a milestone was reached",
)
def initiative_milestone_reached(
    request: HttpRequest,
    initiative_id: int,
    milestone_id: int,
    payload: InitiativeMilestoneReachedIn,
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    milestone = (
        initiative.milestones.filter(pk=milestone_id).first() if milestone_id <= MAX_ID else None
    )
    if milestone is None:
        raise Http404
    services.milestone_reach(actor=user, milestone=milestone, done_on=payload.done_on)
    return {
        "id": milestone.pk,
        "title": milestone.title,
        "due_on": milestone.due_on,
        "done_on": milestone.done_on,
    }


@router.put(
    "/initiatives/{initiative_id}/evaluation-plan",
    response=InitiativeEvaluationOut,
    summary="Set the evaluation plan; each review date reminds the owner and delivery lead",
)
def initiative_evaluation_set(
    request: HttpRequest, initiative_id: int, payload: InitiativeEvaluationIn
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    plan = services.evaluation_plan_set(actor=user, initiative=initiative, **payload.dict())
    return {
        "question": plan.question,
        "design": plan.design,
        "sample": plan.sample,
        "measures": plan.measures,
        "review_dates": [r.due_on for r in plan.reviews.all()],
    }
