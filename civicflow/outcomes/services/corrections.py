"""Putting mistakes right: a KPI reading corrected or deleted, a survey question changed or
removed before anyone has answered, and a survey withdrawn.

Nothing here loses what people said or what was measured without a trace: a correction or a
deletion of a reading keeps the old figures in the audit log; a question can only change while
its survey has no responses; and a survey that has been answered is closed and archived, with
its answers, rather than deleted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.outcomes import permissions
from civicflow.outcomes.models import VALUE_PLACES, KpiReading, Question, Survey, SurveyStatus
from civicflow.outcomes.services.common import require_recorder
from civicflow.outcomes.services.kpis import _reading_problems
from civicflow.outcomes.services.surveys import question_problems

REASON_MAX = 1_000
PLACES = Decimal(1).scaleb(-VALUE_PLACES)


def _reading_facts(reading: KpiReading) -> dict[str, str]:
    return {
        "value": str(Decimal(reading.value).quantize(PLACES)),
        "taken_on": reading.taken_on.isoformat(),
        "source": reading.source,
        "note": reading.note,
    }


def reading_correct(
    *,
    actor: Any,
    reading: KpiReading,
    value: Any,
    taken_on: date | None,
    source: str = "",
    note: str = "",
    reason: str = "",
) -> KpiReading:
    """Correct a reading's value, date, source or note; the audit log keeps what it was."""
    kpi = reading.kpi
    require_recorder(actor, permissions.kpi_owner(kpi))
    source, note, reason = (source or "").strip(), (note or "").strip(), (reason or "").strip()
    taken = (
        set(
            kpi.readings.filter(taken_on=taken_on)
            .exclude(pk=reading.pk)
            .values_list("taken_on", flat=True)
        )
        if taken_on is not None
        else set()
    )
    errors, number = _reading_problems(kpi, value, taken_on, source, note, taken)
    if len(reason) > REASON_MAX:
        errors["reason"] = _("The reason must be 1,000 characters or fewer.")
    if errors or taken_on is None or number is None:
        raise ValidationError(errors)
    before = _reading_facts(reading)
    with transaction.atomic():
        reading.value, reading.taken_on = number, taken_on
        reading.source, reading.note = source, note
        reading.save(update_fields=["value", "taken_on", "source", "note", "updated_at"])
        after = _reading_facts(reading)
        if after != before:
            audit_record(
                actor=actor,
                action="outcomes.reading_corrected",
                target=kpi,
                organisation=kpi.organisation,
                reason=reason,
                data={"reading": reading.pk, "before": before, "after": after},
            )
    return reading


def reading_delete(*, actor: Any, reading: KpiReading, reason: str = "") -> None:
    """Delete a reading entered by mistake; the audit log keeps its figures."""
    kpi = reading.kpi
    require_recorder(actor, permissions.kpi_owner(kpi))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason must be 1,000 characters or fewer.")})
    with transaction.atomic():
        facts = _reading_facts(reading)
        pk = reading.pk
        reading.delete()
        audit_record(
            actor=actor,
            action="outcomes.reading_deleted",
            target=kpi,
            organisation=kpi.organisation,
            reason=reason,
            data={"reading": pk, "before": facts},
        )


# Survey questions and surveys -------------------------------------------------------------


def _refuse_if_answered(survey: Survey, field: str) -> None:
    if survey.responses.exists():
        raise ValidationError(
            {
                field: _(
                    "People have answered this survey, so its questions can no longer change: "
                    "their answers would no longer match. Withdraw it and start a new one."
                )
            }
        )


def _refuse_if_withdrawn(survey: Survey, field: str) -> None:
    if survey.status == SurveyStatus.ARCHIVED:
        raise ValidationError({field: _("This survey has been withdrawn; it cannot change.")})


def question_edit(
    *,
    actor: Any,
    question: Question,
    kind: str,
    text: str,
    choices: list[str] | None = None,
    required: bool = True,
) -> Question:
    """Change a question while its survey has no responses."""
    survey = question.survey
    require_recorder(actor, survey.owner)
    _refuse_if_withdrawn(survey, "text")
    _refuse_if_answered(survey, "text")
    errors, text, cleaned = question_problems(kind, text, choices)
    if errors:
        raise ValidationError(errors)
    before = {
        "kind": question.kind,
        "text": question.text,
        "choices": question.choices,
        "required": question.required,
    }
    with transaction.atomic():
        question.kind, question.text = kind, text
        question.choices = cleaned if kind == "choice" else []
        question.required = required
        question.save(update_fields=["kind", "text", "choices", "required"])
        audit_record(
            actor=actor,
            action="outcomes.question_changed",
            target=survey,
            organisation=survey.organisation,
            data={
                "question": question.pk,
                "before": before,
                "after": {
                    "kind": question.kind,
                    "text": question.text,
                    "choices": question.choices,
                    "required": question.required,
                },
            },
        )
    return question


def question_delete(*, actor: Any, question: Question) -> None:
    """Remove a question while its survey has no responses; the later ones move up."""
    survey = question.survey
    require_recorder(actor, survey.owner)
    _refuse_if_withdrawn(survey, "question")
    _refuse_if_answered(survey, "question")
    if survey.status == SurveyStatus.OPEN and survey.questions.count() == 1:
        raise ValidationError(
            {"question": _("An open survey needs a question. Close it first, or add another.")}
        )
    with transaction.atomic():
        position, text = question.position, question.text
        question.delete()
        # One at a time, lowest first, so no two questions ever share a position.
        for later in survey.questions.filter(position__gt=position).order_by("position"):
            later.position -= 1
            later.save(update_fields=["position"])
        audit_record(
            actor=actor,
            action="outcomes.question_deleted",
            target=survey,
            organisation=survey.organisation,
            data={"question": text, "position": position},
        )


def survey_withdraw(*, actor: Any, survey: Survey, reason: str = "") -> Survey | None:
    """Withdraw a survey. One nobody has answered is deleted (return None); one with
    responses is closed and archived with its answers, never deleted (return it)."""
    owner = survey.owner
    require_recorder(actor, owner)
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason must be 1,000 characters or fewer.")})
    _refuse_if_withdrawn(survey, "status")
    with transaction.atomic():
        responses = survey.responses.count()
        data = {
            "survey": survey.title,
            "status": survey.status,
            "questions": list(survey.questions.order_by("position").values_list("text", flat=True)),
            "responses": responses,
        }
        if responses:
            survey.status = SurveyStatus.ARCHIVED
            survey.save(update_fields=["status", "updated_at"])
            audit_record(
                actor=actor,
                action="outcomes.survey_archived",
                target=survey,
                organisation=survey.organisation,
                reason=reason,
                data=data,
            )
            return survey
        survey.delete()
        audit_record(
            actor=actor,
            action="outcomes.survey_deleted",
            target=owner,
            organisation=owner.organisation,
            reason=reason,
            data=data,
        )
    return None
