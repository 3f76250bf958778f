"""An initiative's stage plans and entry criteria, its progress and milestones, and its
evaluation plan with review dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.initiatives.models import (
    MONEY_DIGITS,
    EntryCriterion,
    EvaluationDesign,
    EvaluationPlan,
    Initiative,
    Milestone,
    ProgressUpdate,
    ReviewDate,
    Stage,
    StagePlan,
)
from civicflow.initiatives.services.starting import require_runner

UPDATE_MAX = 10_000
CRITERION_MAX = 300
MILESTONE_MAX = 200
PLAN_TEXT_MAX = 5_000
MAX_REVIEWS = 12
MONEY_MAX = Decimal(10) ** (MONEY_DIGITS - 2)


def touch(initiative: Initiative) -> None:
    """Record that something happened to ``initiative`` now (it is not stalled)."""
    initiative.last_update_at = timezone.now()
    Initiative.objects.filter(pk=initiative.pk).update(last_update_at=initiative.last_update_at)


def _check_stage(errors: dict[str, str], stage: str) -> None:
    if stage not in Stage.values:
        errors["stage"] = _("Choose a stage: test, implement, evaluate or scale.")


def _check_money(errors: dict[str, str], field: str, amount: Decimal | None) -> None:
    if amount is None:
        return
    if amount < 0:
        errors[field] = _("Enter an amount of 0 or more.")
    elif amount >= MONEY_MAX or amount != amount.quantize(Decimal("0.01")):
        errors[field] = _("Enter an amount in pounds and pence, below £1,000,000,000,000.")


def stage_plan_set(
    *,
    actor: Any,
    initiative: Initiative,
    stage: str,
    planned_start: date | None = None,
    planned_end: date | None = None,
    budget: Decimal | None = None,
    spent: Decimal | None = None,
) -> StagePlan:
    """Set a stage's planned dates, budget and spend to date."""
    require_runner(actor, initiative)
    errors: dict[str, str] = {}
    _check_stage(errors, stage)
    if planned_start and planned_end and planned_end < planned_start:
        errors["planned_end"] = _("The planned end must be on or after the planned start.")
    _check_money(errors, "budget", budget)
    _check_money(errors, "spent", spent)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan, _created = StagePlan.objects.select_for_update().get_or_create(
            initiative=initiative, stage=stage
        )
        before = {"budget": str(plan.budget), "spent": str(plan.spent)}
        plan.planned_start = planned_start
        plan.planned_end = planned_end
        plan.budget = budget
        plan.spent = spent if spent is not None else Decimal(0)
        plan.save()
        audit_record(
            actor=actor,
            action="initiative.plan_set",
            target=initiative,
            organisation=initiative.organisation,
            data={
                "stage": stage,
                "before": before,
                "budget": str(plan.budget),
                "spent": str(plan.spent),
            },
        )
    return plan


def criterion_add(*, actor: Any, initiative: Initiative, stage: str, text: str) -> EntryCriterion:
    """Add an entry criterion that must be met before the initiative enters ``stage``."""
    require_runner(actor, initiative)
    text = (text or "").strip()
    errors: dict[str, str] = {}
    _check_stage(errors, stage)
    if not text:
        errors["text"] = _("Enter the criterion, for example ‘Pilot results reviewed’.")
    elif len(text) > CRITERION_MAX:
        errors["text"] = _("The criterion must be 300 characters or fewer.")
    elif initiative.criteria.filter(stage=stage, text=text).exists():
        errors["text"] = _("This stage has that criterion already.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        criterion = EntryCriterion.objects.create(initiative=initiative, stage=stage, text=text)
        audit_record(
            actor=actor,
            action="initiative.criterion_added",
            target=initiative,
            organisation=initiative.organisation,
            data={"stage": stage, "criterion": text},
        )
    return criterion


def criterion_set_met(*, actor: Any, criterion: EntryCriterion, met: bool = True) -> EntryCriterion:
    """Mark an entry criterion as met (or, to undo a mistake, as not met)."""
    initiative = criterion.initiative
    require_runner(actor, initiative)
    with transaction.atomic():
        criterion.met_at = timezone.now() if met else None
        criterion.met_by = actor if met else None
        criterion.save(update_fields=["met_at", "met_by", "updated_at"])
        audit_record(
            actor=actor,
            action="initiative.criterion_met" if met else "initiative.criterion_unmet",
            target=initiative,
            organisation=initiative.organisation,
            data={"stage": criterion.stage, "criterion": criterion.text},
        )
    return criterion


def progress_update_add(*, actor: Any, initiative: Initiative, body: str) -> ProgressUpdate:
    """Post a progress update on the initiative's timeline."""
    require_runner(actor, initiative)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Enter the update: what happened, and what is next.")})
    if len(body) > UPDATE_MAX:
        raise ValidationError({"body": _("The update must be 10,000 characters or fewer.")})
    with transaction.atomic():
        update = ProgressUpdate.objects.create(initiative=initiative, author=actor, body=body)
        touch(initiative)
        audit_record(
            actor=actor,
            action="initiative.update_posted",
            target=initiative,
            organisation=initiative.organisation,
        )
    return update


def milestone_add(
    *, actor: Any, initiative: Initiative, title: str, due_on: date | None
) -> Milestone:
    """Add a dated milestone to the initiative's plan."""
    require_runner(actor, initiative)
    title = (title or "").strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("Enter the milestone, for example ‘Pilot on two rounds starts’.")
    elif len(title) > MILESTONE_MAX:
        errors["title"] = _("The milestone must be 200 characters or fewer.")
    if due_on is None:
        errors["due_on"] = _("Enter the date the milestone is due.")
    if errors or due_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        milestone = Milestone.objects.create(initiative=initiative, title=title, due_on=due_on)
        touch(initiative)
        audit_record(
            actor=actor,
            action="initiative.milestone_added",
            target=initiative,
            organisation=initiative.organisation,
            data={"milestone": title, "due_on": due_on.isoformat()},
        )
    return milestone


def milestone_reach(*, actor: Any, milestone: Milestone, done_on: date | None = None) -> Milestone:
    """Record the day a milestone was reached (today unless said)."""
    initiative = milestone.initiative
    require_runner(actor, initiative)
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": _("A milestone cannot be reached in the future.")})
    with transaction.atomic():
        milestone.done_on = done_on
        milestone.save(update_fields=["done_on", "updated_at"])
        touch(initiative)
        audit_record(
            actor=actor,
            action="initiative.milestone_reached",
            target=initiative,
            organisation=initiative.organisation,
            data={"milestone": milestone.title, "done_on": done_on.isoformat()},
        )
    return milestone


def evaluation_plan_set(
    *,
    actor: Any,
    initiative: Initiative,
    question: str,
    design: str,
    sample: str = "",
    measures: str = "",
    review_dates: Iterable[date] = (),
) -> EvaluationPlan:
    """Set how the initiative is evaluated, and the dates it is reviewed.

    The owner and the delivery lead are reminded on each review date that is still to come
    (``review_reminders_send``). Review dates already reminded are kept as they were.
    """
    require_runner(actor, initiative)
    question = (question or "").strip()
    dates = sorted(set(review_dates))
    errors: dict[str, str] = {}
    if not question:
        errors["question"] = _(
            "Enter the evaluation question, for example ‘Do reminders cut missed collections?’"
        )
    for name, text in (("question", question), ("sample", sample), ("measures", measures)):
        if len(text or "") > PLAN_TEXT_MAX and name not in errors:
            errors[name] = _("This must be 5,000 characters or fewer.")
    if design not in EvaluationDesign.values:
        errors["design"] = _("Choose a design: before and after, comparison group or randomised.")
    if len(dates) > MAX_REVIEWS:
        errors["review_dates"] = _("Give at most 12 review dates.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        plan, _created = EvaluationPlan.objects.select_for_update().get_or_create(
            initiative=initiative,
            defaults={"question": question, "design": design},
        )
        plan.question = question
        plan.design = design
        plan.sample = (sample or "").strip()
        plan.measures = (measures or "").strip()
        plan.save()
        plan.reviews.filter(reminded_at__isnull=True).exclude(due_on__in=dates).delete()
        kept = set(plan.reviews.values_list("due_on", flat=True))
        ReviewDate.objects.bulk_create(
            [ReviewDate(plan=plan, due_on=due) for due in dates if due not in kept]
        )
        audit_record(
            actor=actor,
            action="initiative.evaluation_plan_set",
            target=initiative,
            organisation=initiative.organisation,
            data={"design": design, "review_dates": [due.isoformat() for due in dates]},
        )
    return plan
