"""API endpoints for putting mistakes right: correct or delete a KPI reading (the audit log
keeps the old figures), and change or remove a survey question while nobody has answered.
They join the outcomes router, which imports this module last.

They call the same services as the pages, and find things with the outcomes API's helpers,
so who sees what is decided in one place.
"""

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema, Status

from civicflow.api.auth import signed_in_user
from civicflow.outcomes import permissions, services
from civicflow.outcomes.api import (
    MAX_ID,
    TEXT,
    KpiReadingOut,
    QuestionIn,
    QuestionOut,
    _not_visible,
    _question_out,
    _reading_out,
    _survey,
    _to_record,
    router,
)
from civicflow.outcomes.models import KpiReading, Question


class KpiReadingCorrectionIn(Schema):
    value: Decimal
    taken_on: date
    source: str = Field("", max_length=1000)
    note: str = Field("", max_length=TEXT)
    reason: str = Field("", max_length=TEXT, description="Kept in the audit log.")


def _reading(request: HttpRequest, reading_id: int) -> KpiReading:
    reading = (
        KpiReading.objects.select_related(
            "kpi__organisation", "kpi__initiative__organisation", "kpi__challenge__organisation"
        )
        .filter(pk=reading_id)
        .first()
        if 0 < reading_id <= MAX_ID
        else None
    )
    if reading is None or not permissions.can_view_outcomes(
        request.auth.user,  # type: ignore[attr-defined]
        permissions.kpi_owner(reading.kpi),
    ):
        raise _not_visible(request)
    return reading


def _question(request: HttpRequest, question_id: int) -> Question:
    survey_id = (
        Question.objects.filter(pk=question_id).values_list("survey_id", flat=True).first()
        if 0 < question_id <= MAX_ID
        else None
    )
    if survey_id is None:
        raise _not_visible(request)
    survey = _survey(request, survey_id)
    question = survey.questions.get(pk=question_id)
    question.survey = survey
    return question


@router.put(
    "/kpi-readings/{reading_id}",
    response=KpiReadingOut,
    summary="Correct a KPI reading's value, date, source or note (those who record outcomes)",
    description="The audit log keeps the old figures and the reason. A date that another "
    "reading has, or one in the future, answers 422 and nothing changes.",
)
def kpi_reading_correct(
    request: HttpRequest, reading_id: int, payload: KpiReadingCorrectionIn
) -> dict[str, Any]:
    signed_in_user(request)
    reading = _reading(request, reading_id)
    user = _to_record(request, permissions.kpi_owner(reading.kpi))
    services.reading_correct(actor=user, reading=reading, **payload.dict())
    return _reading_out(reading)


@router.delete(
    "/kpi-readings/{reading_id}",
    response={204: None},
    summary="Delete a KPI reading entered by mistake; the audit log keeps its figures",
)
def kpi_reading_remove(request: HttpRequest, reading_id: int) -> Status[Any]:
    signed_in_user(request)
    reading = _reading(request, reading_id)
    user = _to_record(request, permissions.kpi_owner(reading.kpi))
    services.reading_delete(actor=user, reading=reading)
    return Status(204, None)


@router.put(
    "/survey-questions/{question_id}",
    response=QuestionOut,
    summary="Change a survey question while nobody has answered the survey",
    description="Once anyone has answered, this answers 422: the answers would no longer "
    "match the question. Withdraw the survey and start a new one instead.",
)
def survey_question_update(
    request: HttpRequest, question_id: int, payload: QuestionIn
) -> dict[str, Any]:
    signed_in_user(request)
    question = _question(request, question_id)
    user = _to_record(request, question.survey.owner)
    services.question_edit(actor=user, question=question, **payload.dict())
    return _question_out(question)


@router.delete(
    "/survey-questions/{question_id}",
    response={204: None},
    summary="Remove a survey question while nobody has answered the survey",
    description="The questions after it move up one place. Once anyone has answered, this "
    "answers 422 and nothing changes.",
)
def survey_question_remove(request: HttpRequest, question_id: int) -> Status[Any]:
    signed_in_user(request)
    question = _question(request, question_id)
    user = _to_record(request, question.survey.owner)
    services.question_delete(actor=user, question=question)
    return Status(204, None)
