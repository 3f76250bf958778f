"""API endpoints for outcomes and evidence: KPIs on initiatives and challenges with their
readings (one at a time or from a CSV file, with the report of refused rows), cost-benefit
analyses and SROIs with their results, the evidence level and qualitative evidence, savings
planned, realised and kept (per initiative and for the organisation), and surveys: created
with their questions, answered once by signed-in participants, and their results for staff.

They call the same services, selectors and permissions as the pages. Figures are decimal
strings; results are computed exactly by ``civicflow.outcomes.appraise`` and rounded only
here, as the analysts' command rounds them (money to the penny, ratios to four places).

The module keeps its annotations as real objects (no ``from __future__ import annotations``),
as Ninja reads the parameters of paginated operations from outside the module.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.challenges.models import Challenge
from civicflow.initiatives import selectors as initiative_selectors
from civicflow.initiatives.models import Initiative
from civicflow.outcomes import permissions, selectors, services
from civicflow.outcomes.appraise.numbers import round_to
from civicflow.outcomes.appraise.report import cost_benefit_json, ratio, social_return_json
from civicflow.outcomes.appraise.sroi import SroiResult
from civicflow.outcomes.models import (
    VALUE_PLACES,
    Appraisal,
    Kpi,
    Survey,
)
from civicflow.outcomes.services.kpis import IMPORT_MAX_BYTES

router = Router(tags=["Outcomes and evidence"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
MAX_ID = 2**63 - 1
PLACES = Decimal(1).scaleb(-VALUE_PLACES)
TEXT = 10_000


# Shapes ------------------------------------------------------------------------------------


class KpiReadingOut(Schema):
    id: int
    value: Decimal
    taken_on: date
    source: str
    note: str


class KpiLatestOut(Schema):
    value: Decimal
    taken_on: date


class KpiOut(Schema):
    id: int
    initiative_id: int | None
    challenge_id: int | None
    name: str
    unit: str
    direction: str = Field(description="higher or lower: which way is better.")
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal
    target_on: date
    readings: int = Field(description="How many readings there are.")
    latest: KpiLatestOut | None = Field(description="The latest reading up to today.")
    change: Decimal | None = Field(description="latest − baseline.")
    change_percent: Decimal | None = Field(
        description="The change as a percentage of the baseline; null when the baseline is 0."
    )
    progress: Decimal | None = Field(
        description="(latest − baseline) / (target − baseline): 0 at the baseline, 1 at the target."
    )
    expected: Decimal = Field(
        description="Today's value on the straight line from baseline to target."
    )
    on_track: bool | None = Field(
        description="Whether the latest reading is at or better than `expected`; null with no "
        "reading."
    )
    improved: bool | None


class KpiIn(Schema):
    name: str = Field(..., max_length=1000)
    unit: str = Field("", max_length=1000)
    direction: str = Field(..., max_length=20, description="higher or lower.")
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal
    target_on: date


class KpiReadingIn(Schema):
    value: Decimal
    taken_on: date
    source: str = Field("", max_length=1000)
    note: str = Field("", max_length=TEXT)


class KpiRefusedRowOut(Schema):
    line: int = Field(description="The row's line number in the file.")
    reason: str


class KpiImportOut(Schema):
    rows: int = Field(description="Rows read (blank lines aside).")
    added: int
    refused: list[KpiRefusedRowOut]


class CbaYearOut(Schema):
    year: int
    discount_factor: Decimal
    costs: Decimal
    benefits: Decimal
    pv_costs: Decimal
    pv_benefits: Decimal
    cumulative_net: Decimal


class CbaResultsOut(Schema):
    pv_costs: Decimal
    pv_benefits: Decimal
    npv: Decimal
    bcr: Decimal
    payback_year: int | None
    switching_value: Decimal | None = Field(
        description="The fall in benefits, as a fraction, that brings the NPV to zero; "
        "negative when the NPV is below zero; null without benefits."
    )
    discount_factors: list[Decimal]
    pv_costs_cashable: Decimal
    pv_costs_non_cashable: Decimal
    pv_benefits_cashable: Decimal
    pv_benefits_non_cashable: Decimal
    discount: str = Field(description='"green-book", or the fixed rate.')
    optimism_bias: Decimal
    years: list[CbaYearOut]


class SroiYearOut(Schema):
    year: int
    impact: Decimal
    present_value: Decimal


class SroiOutcomeOut(Schema):
    label: str
    impact: Decimal
    present_value: Decimal
    years: list[SroiYearOut]


class SroiResultsOut(Schema):
    total_pv: Decimal
    net_pv: Decimal
    sroi_ratio: Decimal
    total_inputs: Decimal
    discount_rate: Decimal
    by_outcome: list[SroiOutcomeOut]


class AppraisalOut(Schema):
    id: int
    initiative_id: int
    kind: str = Field(description="cba or sroi.")
    title: str
    notes: str
    inputs: dict[str, Any] = Field(
        description="What the analysts' command reads, every number as decimal text."
    )
    results: CbaResultsOut | SroiResultsOut | None
    created_at: datetime
    updated_at: datetime


class AppraisalIn(Schema):
    kind: Literal["cba", "sroi"]
    title: str = Field(..., max_length=1000)
    notes: str = Field("", max_length=20_000)
    inputs: dict[str, Any] = Field(
        ...,
        description="For a cba: discount, optimism_bias, costs and benefits; for an sroi: "
        "discount_rate, inputs and outcomes; as `civicflow outcomes appraise` reads them.",
    )


class AppraisalEditIn(Schema):
    title: str = Field(..., max_length=1000)
    notes: str = Field("", max_length=20_000)
    inputs: dict[str, Any]


class EvidenceLevelOut(Schema):
    level: int
    label: str
    justification: str
    assessed_at: datetime


class StoryOut(Schema):
    id: int
    kind: str
    text: str
    attributed_to: str
    collected_on: date | None


class EvidenceOut(Schema):
    level: EvidenceLevelOut | None = Field(description="The current level; null if none yet.")
    history: list[EvidenceLevelOut] = Field(description="Every assessment, newest first.")
    stories: list[StoryOut]


class EvidenceLevelIn(Schema):
    level: int = Field(..., description="1 to 5 on the Nesta Standards of Evidence.")
    justification: str = Field(..., max_length=20_000)


class StoryIn(Schema):
    kind: str = Field(..., max_length=20, description="quote or story.")
    text: str = Field(..., max_length=20_000)
    attributed_to: str = Field(..., max_length=1000)
    collected_on: date | None = None


class SavingsLineOut(Schema):
    financial_year: int = Field(description="The year it starts in: 2025 for 2025 to 2026.")
    planned: Decimal
    realised: Decimal | None
    kept_by_service: Decimal
    note: str


class SavingsTotalsOut(Schema):
    planned: Decimal
    realised: Decimal
    kept_by_service: Decimal
    kept_share: Decimal | None = Field(
        description="The share of realised savings the service kept; null if none realised."
    )


class SavingsOut(SavingsTotalsOut):
    lines: list[SavingsLineOut]


class SavingsIn(Schema):
    financial_year: int
    planned: Decimal
    realised: Decimal | None = None
    kept_by_service: Decimal | None = None
    note: str = Field("", max_length=20_000)


class BenefitsRowOut(SavingsTotalsOut):
    initiative_id: int
    title: str


class BenefitsOut(SavingsTotalsOut):
    initiatives: list[BenefitsRowOut]


class QuestionOut(Schema):
    id: int
    position: int
    kind: str
    text: str
    choices: list[str]
    required: bool


class SurveyOut(Schema):
    id: int
    initiative_id: int | None
    challenge_id: int | None
    title: str
    introduction: str
    status: str = Field(description="draft, open, closed, or archived (withdrawn, answers kept).")
    follow_up_weeks: int | None
    follow_up_sent_at: datetime | None
    created_at: datetime


class SurveyDetailOut(SurveyOut):
    questions: list[QuestionOut]
    answered: bool = Field(description="Whether you have answered it.")


class QuestionIn(Schema):
    kind: str = Field(..., max_length=20, description="satisfaction, yes_no, choice or text.")
    text: str = Field(..., max_length=1000)
    choices: list[str] = Field(default_factory=list, max_length=50)
    required: bool = True


class SurveyIn(Schema):
    title: str = Field(..., max_length=1000)
    introduction: str = Field("", max_length=20_000)
    follow_up_weeks: int | None = Field(
        None, description="Send it this many weeks after the initiative is implemented."
    )
    questions: list[QuestionIn] = Field(default_factory=list, max_length=50)
    open: bool = Field(False, description="Open it for answers at once.")


class SurveyStatusIn(Schema):
    status: Literal["open", "closed"]


class SurveyAnswersIn(Schema):
    answers: dict[int, str | int] = Field(
        ...,
        description="Question id → the answer: 1 to 5, yes or no, one of the choices, or text.",
    )


class SurveyResponseOut(Schema):
    survey_id: int
    submitted_at: datetime


class AnswerCountOut(Schema):
    answer: str
    count: int


class QuestionResultOut(Schema):
    question: QuestionOut
    answered: int
    counts: list[AnswerCountOut]
    score: Decimal | None = Field(description="The mean rating, for satisfaction.")
    satisfied_share: Decimal | None = Field(description="The share who gave 4 or 5.")
    texts: list[str] = Field(description="The free-text answers.")


class SurveyResultsOut(Schema):
    survey: SurveyOut
    responses: int
    questions: list[QuestionResultOut]


# Finding things, and who may do what -------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _not_visible(request: HttpRequest) -> Exception:
    if not _caller(request).is_authenticated:
        return ApiProblem(401, _("Sign in, or send a personal API token, to see this."))
    return Http404()


def _initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = (
        initiative_selectors.initiative_get(user=_caller(request), pk=initiative_id)
        if 0 < initiative_id <= MAX_ID
        else None
    )
    if initiative is None:
        raise _not_visible(request)
    return initiative


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    challenge = (
        Challenge.objects.select_related("organisation").filter(pk=challenge_id).first()
        if 0 < challenge_id <= MAX_ID
        else None
    )
    if challenge is None or not permissions.can_view_outcomes(_caller(request), challenge):
        raise _not_visible(request)
    return challenge


def _to_record(request: HttpRequest, owner: Any) -> Any:
    """Return the signed-in caller if they may record outcomes of ``owner``; else refuse."""
    user = signed_in_user(request)
    if not permissions.can_record_outcomes(user, owner):
        raise PermissionDenied(
            _(
                "Only the initiative's owner and delivery lead, innovation leads and "
                "administrators record its outcomes."
            )
            if isinstance(owner, Initiative)
            else _("Only the organisation's innovation leads and administrators record these.")
        )
    return user


def _kpi(request: HttpRequest, kpi_id: int) -> tuple[Kpi, Any]:
    kpi = selectors.kpi_get(pk=kpi_id) if 0 < kpi_id <= MAX_ID else None
    owner = permissions.kpi_owner(kpi) if kpi is not None else None
    if kpi is None or not permissions.can_view_outcomes(_caller(request), owner):
        raise _not_visible(request)
    return kpi, owner


def _appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    appraisal = selectors.appraisal_get(pk=appraisal_id) if 0 < appraisal_id <= MAX_ID else None
    if appraisal is None or not permissions.can_view_outcomes(
        _caller(request), appraisal.initiative
    ):
        raise _not_visible(request)
    return appraisal


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = selectors.survey_get(pk=survey_id) if 0 < survey_id <= MAX_ID else None
    if survey is None or not permissions.can_view_outcomes(_caller(request), survey.owner):
        raise _not_visible(request)
    return survey


def _organisation(slug: str) -> Organisation:
    organisation = accounts_selectors.organisation_get(slug=slug) if SLUG.fullmatch(slug) else None
    if organisation is None:
        raise Http404
    return organisation


def _prefixed(error: ValidationError, prefix: str) -> ValidationError:
    """Return ``error`` with each field named inside ``prefix`` (``questions[2].text``)."""
    if not hasattr(error, "error_dict"):
        return ValidationError({prefix: error.messages})
    return ValidationError(
        {
            f"{prefix}.{field}" if field != "__all__" else prefix: messages
            for field, messages in error.message_dict.items()
        }
    )


# Writing out -------------------------------------------------------------------------------


def _rounded(value: Decimal | None) -> Decimal | None:
    return ratio(value) if value is not None else None


def _value(value: Decimal | None) -> Decimal | None:
    """A KPI's value as it is stored, to four decimal places, whichever database held it."""
    return round_to(Decimal(value), PLACES) if value is not None else None


def _kpi_out(row: selectors.KpiRow) -> dict[str, Any]:
    kpi, status = row.kpi, row.status
    latest = status.latest
    return {
        "id": kpi.pk,
        "initiative_id": kpi.initiative_id,
        "challenge_id": kpi.challenge_id,
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline_value": _value(kpi.baseline_value),
        "baseline_on": kpi.baseline_on,
        "target_value": _value(kpi.target_value),
        "target_on": kpi.target_on,
        "readings": len(row.readings),
        "latest": {"value": _value(latest.value), "taken_on": latest.on} if latest else None,
        "change": _value(status.change),
        "change_percent": _rounded(status.change_percent),
        "progress": _rounded(status.progress),
        "expected": round_to(status.expected, PLACES),
        "on_track": status.on_track,
        "improved": status.improved,
    }


def _reading_out(reading: Any) -> dict[str, Any]:
    return {
        "id": reading.pk,
        "value": _value(reading.value),
        "taken_on": reading.taken_on,
        "source": reading.source,
        "note": reading.note,
    }


def _appraisal_out(view: selectors.AppraisalView) -> dict[str, Any]:
    appraisal = view.appraisal
    results: dict[str, Any] | None = None
    if isinstance(view.result, SroiResult):
        results = social_return_json(view.result)
    elif view.result is not None:
        results = cost_benefit_json(view.result)
        results["discount"] = str(results["discount"])
    return {
        "id": appraisal.pk,
        "initiative_id": appraisal.initiative_id,
        "kind": appraisal.kind,
        "title": appraisal.title,
        "notes": appraisal.notes,
        "inputs": appraisal.inputs,
        "results": results,
        "created_at": appraisal.created_at,
        "updated_at": appraisal.updated_at,
    }


def _level_out(assessment: Any) -> dict[str, Any]:
    return {
        "level": assessment.level,
        "label": assessment.get_level_display(),
        "justification": assessment.justification,
        "assessed_at": assessment.created_at,
    }


def _story_out(story: Any) -> dict[str, Any]:
    return {
        "id": story.pk,
        "kind": story.kind,
        "text": story.text,
        "attributed_to": story.attributed_to,
        "collected_on": story.collected_on,
    }


def _totals_out(totals: selectors.SavingsTotals) -> dict[str, Any]:
    return {
        "planned": totals.planned,
        "realised": totals.realised,
        "kept_by_service": totals.kept,
        "kept_share": _rounded(totals.kept_share),
    }


def _line_out(line: Any) -> dict[str, Any]:
    return {
        "financial_year": line.financial_year,
        "planned": line.planned,
        "realised": line.realised,
        "kept_by_service": line.kept_by_service,
        "note": line.note,
    }


def _question_out(question: Any) -> dict[str, Any]:
    return {
        "id": question.pk,
        "position": question.position,
        "kind": question.kind,
        "text": question.text,
        "choices": list(question.choices or []),
        "required": question.required,
    }


def _survey_out(survey: Survey) -> dict[str, Any]:
    return {
        "id": survey.pk,
        "initiative_id": survey.initiative_id,
        "challenge_id": survey.challenge_id,
        "title": survey.title,
        "introduction": survey.introduction,
        "status": survey.status,
        "follow_up_weeks": survey.follow_up_weeks,
        "follow_up_sent_at": survey.follow_up_sent_at,
        "created_at": survey.created_at,
    }


def _survey_detail(survey: Survey, user: Any) -> dict[str, Any]:
    return {
        **_survey_out(survey),
        "questions": [_question_out(q) for q in survey.questions.order_by("position")],
        "answered": selectors.has_answered(survey, user),
    }


# KPIs --------------------------------------------------------------------------------------


def _kpi_create(request: HttpRequest, owner: Any, payload: KpiIn) -> Status[Any]:
    user = _to_record(request, owner)
    kpi = services.kpi_create(actor=user, owner=owner, **payload.dict())
    return Status(201, _kpi_out(selectors.kpi_row(kpi, [])))


@router.get(
    "/initiatives/{initiative_id}/kpis",
    response=list[KpiOut],
    summary="An initiative's KPIs, with what their readings say today",
    **PUBLIC,
)
def initiative_kpi_list(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    initiative = _initiative(request, initiative_id)
    return [_kpi_out(row) for row in selectors.kpi_rows(initiative.kpis.all())]


@router.post(
    "/initiatives/{initiative_id}/kpis",
    response={201: KpiOut},
    summary="Add a KPI to an initiative (those who run it)",
)
def initiative_kpi_create(request: HttpRequest, initiative_id: int, payload: KpiIn) -> Status[Any]:
    return _kpi_create(request, _initiative(request, initiative_id), payload)


@router.get(
    "/challenges/{challenge_id}/kpis",
    response=list[KpiOut],
    summary="A challenge's KPIs: the problem's baseline, and where it should get to",
    **PUBLIC,
)
def challenge_kpi_list(request: HttpRequest, challenge_id: int) -> list[dict[str, Any]]:
    challenge = _challenge(request, challenge_id)
    return [_kpi_out(row) for row in selectors.kpi_rows(challenge.kpis.all())]


@router.post(
    "/challenges/{challenge_id}/kpis",
    response={201: KpiOut},
    summary="Add a KPI to a challenge (innovation leads and administrators)",
)
def challenge_kpi_create(request: HttpRequest, challenge_id: int, payload: KpiIn) -> Status[Any]:
    signed_in_user(request)
    return _kpi_create(request, _challenge(request, challenge_id), payload)


@router.get(
    "/kpis/{kpi_id}",
    response=KpiOut,
    summary="A KPI, with its change, progress and whether it is on track today",
    **PUBLIC,
)
def kpi_detail(request: HttpRequest, kpi_id: int) -> dict[str, Any]:
    kpi, _owner = _kpi(request, kpi_id)
    return _kpi_out(selectors.kpi_row(kpi, list(kpi.readings.order_by("taken_on", "id"))))


@router.get(
    "/kpis/{kpi_id}/readings",
    response=list[KpiReadingOut],
    summary="A KPI's readings, oldest first",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def kpi_reading_list(request: HttpRequest, kpi_id: int) -> Any:
    kpi, _owner = _kpi(request, kpi_id)
    return [_reading_out(r) for r in kpi.readings.order_by("taken_on", "id")]


@router.post(
    "/kpis/{kpi_id}/readings",
    response={201: KpiReadingOut},
    summary="Record a KPI's value on a day (those who record its outcomes)",
)
def kpi_reading_add(request: HttpRequest, kpi_id: int, payload: KpiReadingIn) -> Status[Any]:
    signed_in_user(request)
    kpi, owner = _kpi(request, kpi_id)
    user = _to_record(request, owner)
    reading = services.reading_add(actor=user, kpi=kpi, **payload.dict())
    return Status(201, _reading_out(reading))


CSV_FILE = File(
    ..., description="A CSV file with the columns date and value, and optionally source and note."
)


@router.post(
    "/kpis/{kpi_id}/readings/import",
    response=KpiImportOut,
    summary="Import a KPI's readings from a CSV file, with the rows refused and why",
    description="Good rows are added and each bad one is reported with its line number and "
    "the reason. A file that cannot be read as CSV (not UTF-8, no date and value columns, "
    "over 1 MB or 5,000 rows) answers 422 and nothing is added.",
)
def kpi_reading_import(
    request: HttpRequest, kpi_id: int, file: UploadedFile = CSV_FILE
) -> dict[str, Any]:
    signed_in_user(request)
    kpi, owner = _kpi(request, kpi_id)
    user = _to_record(request, owner)
    report = services.kpi_readings_import(
        actor=user, kpi=kpi, content=file.read(IMPORT_MAX_BYTES + 1)
    )
    return {
        "rows": report.rows,
        "added": report.added,
        "refused": [{"line": line, "reason": reason} for line, reason in report.refused],
    }


# Cost-benefit analyses and SROIs -----------------------------------------------------------


@router.get(
    "/initiatives/{initiative_id}/appraisals",
    response=list[AppraisalOut],
    summary="An initiative's cost-benefit analyses and SROIs, with their results",
    **PUBLIC,
)
def appraisal_list(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    initiative = _initiative(request, initiative_id)
    return [_appraisal_out(view) for view in selectors.appraisals_of(initiative)]


@router.post(
    "/initiatives/{initiative_id}/appraisals",
    response={201: AppraisalOut},
    summary="Add a cost-benefit analysis or an SROI (those who run the initiative)",
    description="Input the arithmetic refuses answers 422 naming the field (`costs[2].year`) "
    "and stores nothing.",
)
def appraisal_create(request: HttpRequest, initiative_id: int, payload: AppraisalIn) -> Status[Any]:
    initiative = _initiative(request, initiative_id)
    user = _to_record(request, initiative)
    appraisal = services.appraisal_save(
        actor=user,
        initiative=initiative,
        kind=payload.kind,
        title=payload.title,
        notes=payload.notes,
        inputs=payload.inputs,
    )
    return Status(201, _appraisal_out(selectors.appraisal_result(appraisal)))


@router.get(
    "/appraisals/{appraisal_id}",
    response=AppraisalOut,
    summary="A cost-benefit analysis or an SROI, its inputs and its results",
    **PUBLIC,
)
def appraisal_detail(request: HttpRequest, appraisal_id: int) -> dict[str, Any]:
    return _appraisal_out(selectors.appraisal_result(_appraisal(request, appraisal_id)))


@router.put(
    "/appraisals/{appraisal_id}",
    response=AppraisalOut,
    summary="Change an appraisal's title, notes and inputs (those who run the initiative)",
)
def appraisal_update(
    request: HttpRequest, appraisal_id: int, payload: AppraisalEditIn
) -> dict[str, Any]:
    signed_in_user(request)
    appraisal = _appraisal(request, appraisal_id)
    user = _to_record(request, appraisal.initiative)
    services.appraisal_save(
        actor=user,
        initiative=appraisal.initiative,
        kind=appraisal.kind,
        title=payload.title,
        notes=payload.notes,
        inputs=payload.inputs,
        appraisal=appraisal,
    )
    return _appraisal_out(selectors.appraisal_result(appraisal))


@router.delete(
    "/appraisals/{appraisal_id}",
    response={204: None},
    summary="Delete an appraisal; the audit log keeps its inputs",
)
def appraisal_remove(request: HttpRequest, appraisal_id: int) -> Status[Any]:
    signed_in_user(request)
    appraisal = _appraisal(request, appraisal_id)
    user = _to_record(request, appraisal.initiative)
    services.appraisal_delete(actor=user, appraisal=appraisal)
    return Status(204, None)


# Evidence ----------------------------------------------------------------------------------


def _evidence_out(initiative: Initiative) -> dict[str, Any]:
    history = list(initiative.evidence_assessments.order_by("-created_at", "-id"))
    return {
        "level": _level_out(history[0]) if history else None,
        "history": [_level_out(a) for a in history],
        "stories": [_story_out(s) for s in selectors.stories_of(initiative)],
    }


@router.get(
    "/initiatives/{initiative_id}/evidence",
    response=EvidenceOut,
    summary="An initiative's evidence level, its history, and the quotes and stories",
    **PUBLIC,
)
def evidence_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    return _evidence_out(_initiative(request, initiative_id))


@router.put(
    "/initiatives/{initiative_id}/evidence/level",
    response=EvidenceOut,
    summary="Set the evidence level, 1 to 5 on the Nesta Standards, with the justification",
    description="The earlier levels stay as the history.",
)
def evidence_level_set(
    request: HttpRequest, initiative_id: int, payload: EvidenceLevelIn
) -> dict[str, Any]:
    initiative = _initiative(request, initiative_id)
    user = _to_record(request, initiative)
    services.evidence_assess(actor=user, initiative=initiative, **payload.dict())
    return _evidence_out(initiative)


@router.post(
    "/initiatives/{initiative_id}/evidence/stories",
    response={201: StoryOut},
    summary="Add a quote or a story beside the numbers",
)
def evidence_story_add(request: HttpRequest, initiative_id: int, payload: StoryIn) -> Status[Any]:
    initiative = _initiative(request, initiative_id)
    user = _to_record(request, initiative)
    story = services.qualitative_evidence_add(actor=user, initiative=initiative, **payload.dict())
    return Status(201, _story_out(story))


# Benefits realisation ----------------------------------------------------------------------


def _savings_out(initiative: Initiative) -> dict[str, Any]:
    found = selectors.realised_savings(initiative)
    return {**_totals_out(found["totals"]), "lines": [_line_out(x) for x in found["lines"]]}


@router.get(
    "/initiatives/{initiative_id}/savings",
    response=SavingsOut,
    summary="An initiative's cashable savings planned, realised and kept, by financial year",
    **PUBLIC,
)
def savings_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    return _savings_out(_initiative(request, initiative_id))


@router.post(
    "/initiatives/{initiative_id}/savings",
    response=SavingsOut,
    summary="Record a financial year's savings (replacing what that year had)",
)
def savings_record(request: HttpRequest, initiative_id: int, payload: SavingsIn) -> dict[str, Any]:
    initiative = _initiative(request, initiative_id)
    user = _to_record(request, initiative)
    services.savings_set(actor=user, initiative=initiative, **payload.dict())
    return _savings_out(initiative)


@router.get(
    "/organisations/{slug}/benefits",
    response=BenefitsOut,
    summary="The organisation's benefits realisation: savings of each initiative, and totals",
)
def benefits_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if not permissions.can_see_benefits(user, organisation):
        raise Http404
    rows, totals = selectors.organisation_benefits(organisation)
    return {
        **_totals_out(totals),
        "initiatives": [
            {
                **_totals_out(row.totals),
                "initiative_id": row.initiative.pk,
                "title": row.initiative.title,
            }
            for row in rows
        ],
    }


# Surveys -----------------------------------------------------------------------------------


def _survey_create(request: HttpRequest, owner: Any, payload: SurveyIn) -> Status[Any]:
    """Create the survey with its questions, and open it if asked, all or nothing."""
    user = _to_record(request, owner)
    with transaction.atomic():
        survey = services.survey_create(
            actor=user,
            owner=owner,
            title=payload.title,
            introduction=payload.introduction,
            follow_up_weeks=payload.follow_up_weeks,
        )
        for index, question in enumerate(payload.questions):
            try:
                services.question_add(actor=user, survey=survey, **question.dict())
            except ValidationError as error:
                raise _prefixed(error, f"questions[{index}]") from error
        if payload.open:
            services.survey_set_status(actor=user, survey=survey, status="open")
    return Status(201, _survey_detail(survey, user))


@router.get(
    "/initiatives/{initiative_id}/surveys",
    response=list[SurveyOut],
    summary="An initiative's surveys, newest first",
    **PUBLIC,
)
def initiative_survey_list(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    initiative = _initiative(request, initiative_id)
    return [_survey_out(s) for s in selectors.surveys_of(initiative)]


@router.post(
    "/initiatives/{initiative_id}/surveys",
    response={201: SurveyDetailOut},
    summary="Create a survey about an initiative, with its questions (those who run it)",
    description="With `follow_up_weeks`, it is sent that many weeks after the initiative is "
    "implemented to the people it affected. A question that will not do answers 422 naming "
    "it (`questions[1].choices`) and nothing is stored.",
)
def initiative_survey_create(
    request: HttpRequest, initiative_id: int, payload: SurveyIn
) -> Status[Any]:
    return _survey_create(request, _initiative(request, initiative_id), payload)


@router.get(
    "/challenges/{challenge_id}/surveys",
    response=list[SurveyOut],
    summary="A challenge's surveys, newest first",
    **PUBLIC,
)
def challenge_survey_list(request: HttpRequest, challenge_id: int) -> list[dict[str, Any]]:
    challenge = _challenge(request, challenge_id)
    return [_survey_out(s) for s in selectors.surveys_of(challenge)]


@router.post(
    "/challenges/{challenge_id}/surveys",
    response={201: SurveyDetailOut},
    summary="Create a survey about a challenge, with its questions (leads)",
)
def challenge_survey_create(
    request: HttpRequest, challenge_id: int, payload: SurveyIn
) -> Status[Any]:
    signed_in_user(request)
    return _survey_create(request, _challenge(request, challenge_id), payload)


@router.get(
    "/surveys/{survey_id}",
    response=SurveyDetailOut,
    summary="A survey and its questions, and whether you have answered it",
    **PUBLIC,
)
def survey_detail(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    return _survey_detail(_survey(request, survey_id), _caller(request))


@router.put(
    "/surveys/{survey_id}/status",
    response=SurveyDetailOut,
    summary="Open a survey for answers, or close it",
)
def survey_status_set(
    request: HttpRequest, survey_id: int, payload: SurveyStatusIn
) -> dict[str, Any]:
    signed_in_user(request)
    survey = _survey(request, survey_id)
    user = _to_record(request, survey.owner)
    services.survey_set_status(actor=user, survey=survey, status=payload.status)
    return _survey_detail(survey, user)


@router.delete(
    "/surveys/{survey_id}",
    response={200: SurveyDetailOut, 204: None},
    summary="Withdraw a survey: deleted if nobody answered it, archived with its answers if not",
    description="A survey nobody has answered is deleted with its questions (204). One with "
    "responses is never deleted: it is closed for good with the status `archived` and "
    "returned (200), and its results stay readable by staff.",
)
def survey_withdraw(request: HttpRequest, survey_id: int) -> Status[Any]:
    signed_in_user(request)
    survey = _survey(request, survey_id)
    user = _to_record(request, survey.owner)
    kept = services.survey_withdraw(actor=user, survey=survey)
    if kept is None:
        return Status(204, None)
    return Status(200, _survey_detail(kept, user))


@router.post(
    "/surveys/{survey_id}/responses",
    response={201: SurveyResponseOut},
    summary="Answer an open survey, once",
    description="A second response from you answers 422 and stores nothing.",
)
def survey_respond(request: HttpRequest, survey_id: int, payload: SurveyAnswersIn) -> Status[Any]:
    user = signed_in_user(request)
    survey = _survey(request, survey_id)
    if selectors.has_answered(survey, user):
        raise ValidationError({"answers": _("You have answered this survey already. Thank you.")})
    response = services.survey_answer(survey=survey, answers=payload.answers, user=user)
    return Status(201, {"survey_id": survey.pk, "submitted_at": response.submitted_at})


@router.get(
    "/surveys/{survey_id}/results",
    response=SurveyResultsOut,
    summary="A survey's results: counts, satisfaction score and free-text answers (staff)",
)
def survey_results(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    survey = selectors.survey_get(pk=survey_id) if 0 < survey_id <= MAX_ID else None
    if survey is None or not permissions.can_see_results(user, survey):
        raise Http404
    responses, results = selectors.survey_results(survey)
    return {
        "survey": _survey_out(survey),
        "responses": responses,
        "questions": [
            {
                "question": _question_out(result.question),
                "answered": result.answered,
                "counts": [{"answer": a, "count": n} for a, n in result.counts],
                "score": _rounded(result.score),
                "satisfied_share": _rounded(result.satisfied_share),
                "texts": result.texts,
            }
            for result in results
        ],
    }


# Corrections (readings and survey questions) and anonymous survey links add their
# operations to this router.
from civicflow.outcomes import api_corrections, api_links  # noqa: E402, F401
