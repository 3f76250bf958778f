"""API endpoints for the case library: search and read cases, their spread across the network,
write, submit and review cases, adopt one, and the open data with its import.

They call the same selectors, services and permissions as the pages: a private case is
invisible (404) to everyone outside its organisation, as on the pages and in the exports.

The module keeps its annotations as real objects (no ``from __future__ import annotations``):
Ninja reads the query parameters of paginated operations from outside the module.
"""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.library import permissions, selectors, services
from civicflow.library.measured import measured_record
from civicflow.library.models import (
    AdoptionKind,
    CaseStatus,
    CaseStudy,
    InnovationType,
    Licence,
    OutcomeArea,
    Sector,
    Sharing,
)
from civicflow.library.services.opendata import case_record, open_data_cases
from civicflow.outcomes.appraise.report import ratio

router = Router(tags=["Case library"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


# Shapes ------------------------------------------------------------------------------------


class CaseOutcomeOut(Schema):
    area: OutcomeArea
    statement: str
    figure: str = Field(description="As published; empty where there is no figure.")


class CaseOutcomeIn(Schema):
    area: OutcomeArea
    statement: str = Field(..., max_length=500)
    figure: str = Field("", max_length=100)


class MeasuredKpiOut(Schema):
    name: str
    unit: str
    direction: str = Field(description="higher or lower: which way is better.")
    baseline_value: str
    baseline_on: str
    target_value: str
    target_on: str
    latest_value: str = Field(description="The latest reading; empty with none.")
    latest_on: str


class MeasuredAppraisalOut(Schema):
    kind: str = Field(description="cba or sroi.")
    title: str
    npv: str = Field(description="Net present value in pounds (a cba); empty otherwise.")
    bcr: str = Field(description="Benefit-cost ratio (a cba); empty otherwise.")
    sroi_ratio: str = Field(description="Social return per pound put in (an sroi).")


class MeasuredOut(Schema):
    kpis: list[MeasuredKpiOut]
    appraisals: list[MeasuredAppraisalOut]


class CaseOut(Schema):
    id: int
    reference: str
    organisation: str = Field(description="The publishing organisation's slug.")
    title: str
    summary: str
    sector: Sector
    innovation_type: InnovationType
    evidence_level: int = Field(description="Nesta Standards of Evidence, 1 to 5.")
    sharing: Sharing
    status: CaseStatus
    outcomes: list[CaseOutcomeOut]
    published_at: datetime | None
    url: str


class CaseDetailOut(CaseOut):
    problem: str
    approach: str
    costs: str
    lessons: str
    licence: Licence
    contact_name: str
    contact_email: str
    started_on: date | None
    finished_on: date | None
    source_initiative_id: int | None
    measured: MeasuredOut = Field(
        description="Measured results, kept apart from the reported `outcomes`: the KPIs and "
        "appraisals of the case's initiative that its editors published with it, read live "
        "(or, for an imported case, as its source published them). Numbers as decimal text."
    )


class MeasuresIn(Schema):
    kpis: list[int] = Field(default_factory=list, max_length=100, description="KPI ids.")
    appraisals: list[int] = Field(default_factory=list, max_length=100, description="Ids.")


class CaseIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field(..., max_length=2000)
    problem: str = Field(..., max_length=10_000)
    approach: str = Field(..., max_length=10_000)
    costs: str = Field("", max_length=10_000)
    lessons: str = Field("", max_length=10_000)
    sector: Sector
    innovation_type: InnovationType
    evidence_level: int = Field(..., ge=1, le=5)
    licence: Licence = Licence.OGL
    sharing: Sharing = Sharing.PUBLIC
    contact_name: str = Field("", max_length=150)
    contact_email: str = Field("", max_length=254)
    started_on: date | None = None
    finished_on: date | None = None
    outcomes: list[CaseOutcomeIn] = Field(default_factory=list, max_length=12)


class ReviewIn(Schema):
    decision: str = Field(..., description="published or returned.", max_length=20)
    checklist: list[str] = Field(
        default_factory=list,
        max_length=4,
        description="Confirmed items: public_sector, new_in_context, implemented, evidence.",
    )
    reasons: str = Field("", max_length=5000)


class AdoptIn(Schema):
    organisation: str = Field(..., max_length=80, description="Your organisation's slug.")
    kind: AdoptionKind
    adaptations: str = Field(..., max_length=5000)
    sharing: Sharing = Sharing.NETWORK


class AdoptionOut(Schema):
    id: int
    case_id: int
    organisation: str
    kind: AdoptionKind
    challenge_id: int | None
    initiative_id: int | None
    adaptations: str
    sharing: Sharing
    created_at: datetime


class HeadlineKpiOut(Schema):
    name: str
    unit: str
    baseline_value: Decimal
    target_value: Decimal
    latest_value: Decimal | None = Field(description="The latest reading; null with none.")
    latest_on: date | None
    progress: Decimal | None = Field(
        description="(latest − baseline) / (target − baseline), to four places."
    )
    on_track: bool | None


class ProgressOut(Schema):
    label: str = Field(description="The initiative's stage, or the challenge's kind.")
    detail: str = Field(description="The initiative's or challenge's status.")
    url: str = Field(description="Its page, where you may see it; empty otherwise.")
    kpis: list[HeadlineKpiOut] = Field(
        description="An adopted initiative's headline KPIs (the first three by name), read "
        "live; empty for a challenge and for the original (see `measured`)."
    )
    more_kpis: int = Field(description="How many more KPIs it has.")


class SpreadRowOut(Schema):
    adoption: AdoptionOut
    progress: ProgressOut


class SpreadOut(Schema):
    case_id: int
    original: ProgressOut | None = Field(description="The initiative the case was written from.")
    outcomes: list[CaseOutcomeOut]
    measured: MeasuredOut = Field(
        description="The original's measured results published with the case, read live."
    )
    adoptions: list[SpreadRowOut]
    hidden: int = Field(description="Adoptions not shared with you.")


class OpenCaseOut(Schema):
    reference: str
    title: str
    summary: str
    problem: str
    approach: str
    outcomes: list[CaseOutcomeOut]
    measured: MeasuredOut
    costs: str
    lessons: str
    sector: str
    innovation_type: str
    evidence_level: int
    organisation: str
    organisation_name: str
    started_on: str
    finished_on: str
    published_on: str
    licence: str


class ImportIn(Schema):
    cases: list[dict[str, Any]] = Field(..., max_length=1000)


class ImportOut(Schema):
    created: list[int]


# Helpers -----------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _case(request: HttpRequest, case_id: int) -> CaseStudy:
    case = selectors.case_get(user=_caller(request), pk=case_id)
    if case is None:
        if not _caller(request).is_authenticated:
            raise ApiProblem(401, "Sign in, or send a personal API token, to see this.")
        raise Http404
    return case


def _organisation(slug: str) -> Organisation:
    organisation = accounts_selectors.organisation_get(slug=slug) if SLUG.fullmatch(slug) else None
    if organisation is None:
        raise Http404
    return organisation


def _outcomes(case: CaseStudy) -> list[dict[str, str]]:
    return [
        {"area": o.area, "statement": o.statement, "figure": o.figure} for o in case.outcomes.all()
    ]


def _out(request: HttpRequest, case: CaseStudy) -> dict[str, Any]:
    return {
        "id": case.pk,
        "reference": str(case.reference),
        "organisation": case.organisation.slug,
        "title": case.title,
        "summary": case.summary,
        "sector": case.sector,
        "innovation_type": case.innovation_type,
        "evidence_level": case.evidence_level,
        "sharing": case.sharing,
        "status": case.status,
        "outcomes": _outcomes(case),
        "published_at": case.published_at,
        "url": request.build_absolute_uri(case.get_absolute_url()),
    }


def _detail(request: HttpRequest, case: CaseStudy) -> dict[str, Any]:
    return {
        **_out(request, case),
        **{
            name: getattr(case, name)
            for name in (
                "problem",
                "approach",
                "costs",
                "lessons",
                "licence",
                "contact_name",
                "contact_email",
                "started_on",
                "finished_on",
                "source_initiative_id",
            )
        },
        "measured": measured_record(case),
    }


def _fields(payload: CaseIn) -> dict[str, Any]:
    data = payload.dict()
    data["outcomes"] = [dict(o) for o in data["outcomes"]]
    return data


def _adoption(adoption: Any) -> dict[str, Any]:
    return {
        "id": adoption.pk,
        "case_id": adoption.case_id,
        "organisation": adoption.organisation.slug,
        "kind": adoption.kind,
        "challenge_id": adoption.challenge_id,
        "initiative_id": adoption.initiative_id,
        "adaptations": adoption.adaptations,
        "sharing": adoption.sharing,
        "created_at": adoption.created_at,
    }


def _headline(kpi: Any) -> dict[str, Any]:
    latest = kpi.status.latest
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "baseline_value": kpi.baseline,
        "target_value": kpi.target,
        "latest_value": latest.value if latest else None,
        "latest_on": latest.on if latest else None,
        "progress": ratio(kpi.status.progress) if kpi.status.progress is not None else None,
        "on_track": kpi.status.on_track,
    }


def _progress(progress: Any) -> dict[str, Any] | None:
    if progress is None:
        return None
    return {
        "label": progress.label,
        "detail": progress.detail,
        "url": progress.url,
        "kpis": [_headline(kpi) for kpi in progress.kpis],
        "more_kpis": progress.more_kpis,
    }


# Reading -----------------------------------------------------------------------------------


@router.get(
    "/library/cases",
    response=list[CaseOut],
    summary="Published cases you may read, by words and facets, best match or best evidence first",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def case_list(
    request: HttpRequest,
    q: str = Query("", max_length=200),
    sector: Sector | None = None,
    innovation_type: InnovationType | None = None,
    evidence_level: int | None = Query(None, ge=1, le=5),
    outcome_area: OutcomeArea | None = None,
    organisation: str = Query("", max_length=80),
    year: int | None = Query(None, ge=1900, le=2100),
    sort: str = Query("", description="relevance, evidence or newest.", max_length=20),
) -> Any:
    result = selectors.library(
        user=_caller(request),
        filters=selectors.CaseFilters(
            q=q.strip(),
            sector=sector or "",
            innovation_type=innovation_type or "",
            evidence_level=evidence_level,
            outcome_area=outcome_area or "",
            organisation=organisation,
            year=year,
            sort=sort,
        ),
    )
    if result.error:
        raise ApiProblem(422, result.error, errors=[{"field": "q", "message": result.error}])
    return [_out(request, case) for case in result.cases]


@router.get(
    "/library/cases/{case_id}",
    response=CaseDetailOut,
    summary="A case study with its outcomes",
    **PUBLIC,
)
def case_detail(request: HttpRequest, case_id: int) -> dict[str, Any]:
    return _detail(request, _case(request, case_id))


@router.get(
    "/library/cases/{case_id}/spread",
    response=SpreadOut,
    summary="Every adoption of a case you may see, with how each is going, beside the original",
    **PUBLIC,
)
def case_spread(request: HttpRequest, case_id: int) -> dict[str, Any]:
    case = _case(request, case_id)
    spread = selectors.spread(user=_caller(request), case=case)
    return {
        "case_id": case.pk,
        "original": _progress(spread.original),
        "outcomes": _outcomes(case),
        "measured": measured_record(case),
        "adoptions": [
            {"adoption": _adoption(row.adoption), "progress": _progress(row.progress)}
            for row in spread.rows
        ],
        "hidden": spread.hidden,
    }


@router.get(
    "/library/open-data",
    response=list[OpenCaseOut],
    summary="Public cases under an open licence, without personal data (as the JSON export)",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def case_open_data(request: HttpRequest) -> Any:
    return [case_record(case) for case in open_data_cases()]


# Writing -----------------------------------------------------------------------------------


@router.put(
    "/library/cases/{case_id}/measures",
    response=CaseDetailOut,
    summary="Choose which KPIs and appraisals of its initiative a case publishes (its editors)",
    description="Exactly those given are published with the case (an empty list publishes "
    "none); their figures are then read live wherever the case is shown, exported or read "
    "here. Only those who may change the case and see its initiative choose; ids that are "
    "not the initiative's answer 422 and nothing changes.",
)
def case_measures(request: HttpRequest, case_id: int, payload: MeasuresIn) -> dict[str, Any]:
    user = signed_in_user(request)
    case = _case(request, case_id)
    services.case_measures_publish(
        actor=user, case=case, kpis=payload.kpis, appraisals=payload.appraisals
    )
    return _detail(request, case)


@router.post(
    "/organisations/{slug}/cases",
    response={201: CaseDetailOut},
    summary="Draft a case study for your organisation (members)",
)
def case_create(request: HttpRequest, slug: str, payload: CaseIn) -> Status[Any]:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if not permissions.can_write_cases(user, organisation):
        raise Http404
    case = services.case_create(actor=user, organisation=organisation, **_fields(payload))
    return Status(201, _detail(request, _case(request, case.pk)))


@router.put(
    "/library/cases/{case_id}",
    response=CaseDetailOut,
    summary="Change a case study (its author while a draft; the organisation's editors)",
)
def case_edit(request: HttpRequest, case_id: int, payload: CaseIn) -> dict[str, Any]:
    user = signed_in_user(request)
    case = _case(request, case_id)
    services.case_edit(actor=user, case=case, **_fields(payload))
    return _detail(request, _case(request, case.pk))


@router.post(
    "/library/cases/{case_id}/submit",
    response=CaseDetailOut,
    summary="Submit a draft or returned case for review",
)
def case_submit(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    case = _case(request, case_id)
    services.case_submit(actor=user, case=case)
    return _detail(request, case)


@router.post(
    "/library/cases/{case_id}/review",
    response=CaseDetailOut,
    summary="Publish a submitted case against the checklist, or return it with reasons (editors)",
)
def case_review(request: HttpRequest, case_id: int, payload: ReviewIn) -> dict[str, Any]:
    user = signed_in_user(request)
    case = _case(request, case_id)
    services.case_review(
        actor=user,
        case=case,
        decision=payload.decision,
        checklist=payload.checklist,
        reasons=payload.reasons,
    )
    return _detail(request, case)


@router.post(
    "/library/cases/{case_id}/adoptions",
    response={201: AdoptionOut},
    summary="Adopt a case: start a challenge or initiative in your organisation linked to it",
)
def case_adopt(request: HttpRequest, case_id: int, payload: AdoptIn) -> Status[Any]:
    user = signed_in_user(request)
    case = _case(request, case_id)
    organisation = (
        accounts_selectors.organisation_get(slug=payload.organisation)
        if SLUG.fullmatch(payload.organisation)
        else None
    )
    if organisation is None or not accounts_selectors.is_member(user, organisation):
        raise ValidationError({"organisation": "Choose an organisation you belong to."})
    if not permissions.can_adopt(user, organisation):
        raise PermissionDenied("Only innovation leads and administrators adopt cases.")
    adoption = services.case_adopt(
        actor=user,
        case=case,
        organisation=organisation,
        kind=payload.kind,
        adaptations=payload.adaptations,
        sharing=payload.sharing,
    )
    return Status(201, _adoption(adoption))


@router.post(
    "/library/import",
    response={201: ImportOut},
    summary="Import cases in the open data format: all of them, or none with a report",
)
def case_import(request: HttpRequest, payload: ImportIn) -> Status[Any]:
    user = signed_in_user(request)
    if not permissions.can_import(user):
        raise PermissionDenied("Only innovation leads and administrators import cases.")
    report = services.cases_import(actor=user, records=payload.cases)
    if not report.ok:
        raise ApiProblem(
            422,
            f"{len(report.problems)} problems: nothing was imported.",
            errors=[
                {"row": p.row, "field": p.field or "file", "message": p.reason}
                for p in report.problems
            ],
        )
    return Status(201, {"created": [case.pk for case in report.created]})
