"""Reads for outcomes: KPIs with what their readings say, appraisal results, evidence, savings
and benefits realisation, and survey results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from civicflow.initiatives.models import Initiative
from civicflow.outcomes.appraise import (
    CostBenefitResult,
    KpiPlan,
    KpiStatus,
    Reading,
    SroiResult,
    appraise,
    kpi_status,
    read_appraisal,
)
from civicflow.outcomes.models import (
    Appraisal,
    EvidenceAssessment,
    Kpi,
    KpiReading,
    QualitativeEvidence,
    QuestionKind,
    SavingsLine,
    Survey,
    SurveyLink,
    SurveyResponse,
)


@dataclass(frozen=True)
class KpiRow:
    kpi: Kpi
    readings: list[KpiReading]
    status: KpiStatus


def kpi_plan(kpi: Kpi) -> KpiPlan:
    """Return the KPI's plan for the arithmetic."""
    return KpiPlan(
        direction=kpi.direction,
        baseline=kpi.baseline_value,
        baseline_on=kpi.baseline_on,
        target=kpi.target_value,
        target_on=kpi.target_on,
    )


def kpi_row(kpi: Kpi, readings: list[KpiReading], today: date | None = None) -> KpiRow:
    """Return the KPI with its readings and what they say on ``today``."""
    status = kpi_status(
        kpi_plan(kpi),
        [Reading(r.value, r.taken_on) for r in readings],
        today or timezone.localdate(),
    )
    return KpiRow(kpi=kpi, readings=readings, status=status)


def kpi_rows(kpis: QuerySet[Kpi], today: date | None = None) -> list[KpiRow]:
    """Return each KPI with its readings and status, in two queries."""
    found = kpis.prefetch_related(
        Prefetch("readings", queryset=KpiReading.objects.order_by("taken_on", "id"))
    )
    return [kpi_row(kpi, list(kpi.readings.all()), today) for kpi in found]


def reading_corrections(kpi: Kpi, reading_id: int | None = None) -> list[Any]:
    """The corrections and deletions of a KPI's readings (of one reading, if given), newest
    first, from the audit log that keeps the old figures."""
    from civicflow.core.models import AuditEvent

    events = AuditEvent.objects.for_target(kpi).filter(
        action__in=["outcomes.reading_corrected", "outcomes.reading_deleted"]
    )
    if reading_id is not None:
        events = events.filter(data__reading=reading_id)
    return list(events.order_by("-occurred_at", "-id")[:50])


def kpi_get(*, pk: int) -> Kpi | None:
    """Return the KPI with its organisation and owner, or None."""
    return (
        Kpi.objects.select_related(
            "organisation", "initiative__organisation", "challenge__organisation"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass(frozen=True)
class AppraisalView:
    appraisal: Appraisal
    result: CostBenefitResult | SroiResult | None
    problem: str = ""


def appraisal_result(appraisal: Appraisal) -> AppraisalView:
    """Return the appraisal with its results computed from the stored inputs."""
    from civicflow.outcomes.appraise import AppraisalInputError

    try:
        kind, data = read_appraisal({**appraisal.inputs, "kind": appraisal.kind})
        return AppraisalView(appraisal, appraise(kind, data))
    except AppraisalInputError as error:  # stored inputs are checked; kept for safety
        return AppraisalView(appraisal, None, str(error))


def appraisals_of(initiative: Initiative) -> list[AppraisalView]:
    """Return the initiative's appraisals with their results, cost-benefit analyses first."""
    return [appraisal_result(a) for a in initiative.appraisals.order_by("kind", "-created_at")]


def appraisal_get(*, pk: int) -> Appraisal | None:
    return Appraisal.objects.select_related("initiative__organisation").filter(pk=pk).first()


def current_evidence(initiative: Initiative) -> EvidenceAssessment | None:
    """Return the newest evidence assessment of the initiative."""
    return (
        EvidenceAssessment.objects.filter(initiative=initiative)
        .select_related("assessed_by")
        .order_by("-created_at", "-id")
        .first()
    )


def stories_of(initiative: Initiative) -> QuerySet[QualitativeEvidence]:
    return QualitativeEvidence.objects.filter(initiative=initiative).order_by("-created_at", "-id")


@dataclass
class SavingsTotals:
    planned: Decimal = Decimal(0)
    realised: Decimal = Decimal(0)
    kept: Decimal = Decimal(0)

    @property
    def kept_share(self) -> Decimal | None:
        """The share of realised savings the service kept (0.25 for a quarter)."""
        return self.kept / self.realised if self.realised else None


def savings_totals(lines: Any) -> SavingsTotals:
    totals = SavingsTotals()
    for line in lines:
        totals.planned += line.planned
        totals.realised += line.realised or 0
        totals.kept += line.kept_by_service
    return totals


@dataclass
class BenefitsRow:
    initiative: Initiative
    totals: SavingsTotals = field(default_factory=SavingsTotals)


def organisation_benefits(organisation: Any) -> tuple[list[BenefitsRow], SavingsTotals]:
    """Return the savings of each of the organisation's initiatives, and the totals."""
    rows: dict[int, BenefitsRow] = {}
    lines = (
        SavingsLine.objects.filter(initiative__organisation=organisation)
        .select_related("initiative")
        .order_by("initiative__title", "initiative_id", "financial_year")
    )
    for line in lines:
        row = rows.setdefault(line.initiative_id, BenefitsRow(line.initiative))
        row.totals.planned += line.planned
        row.totals.realised += line.realised or 0
        row.totals.kept += line.kept_by_service
    found = list(rows.values())
    total = SavingsTotals()
    for row in found:
        total.planned += row.totals.planned
        total.realised += row.totals.realised
        total.kept += row.totals.kept
    return found, total


def surveys_of(owner: Any) -> QuerySet[Survey]:
    return owner.surveys.order_by("-created_at", "-id")


def survey_get(*, pk: int) -> Survey | None:
    return (
        Survey.objects.select_related(
            "organisation", "initiative__organisation", "challenge__organisation"
        )
        .filter(pk=pk)
        .first()
    )


@dataclass
class QuestionResult:
    question: Any
    answered: int = 0
    counts: list[tuple[str, int]] = field(default_factory=list)
    score: Decimal | None = None
    satisfied_share: Decimal | None = None
    texts: list[str] = field(default_factory=list)


def survey_results(survey: Survey) -> tuple[int, list[QuestionResult]]:
    """Return how many responded, and for each question the counts, the satisfaction score
    (the mean rating, and the share who gave 4 or 5) and the free-text answers."""
    responses = survey.responses.count()
    results = []
    for question in survey.questions.order_by("position").prefetch_related("answers"):
        answers = list(question.answers.all())
        result = QuestionResult(question=question, answered=len(answers))
        if question.kind == QuestionKind.SATISFACTION:
            ratings = Counter(a.rating for a in answers if a.rating)
            result.counts = [(str(n), ratings.get(n, 0)) for n in range(1, 6)]
            if answers:
                total = sum(n * c for n, c in ratings.items())
                result.score = Decimal(total) / Decimal(len(answers))
                happy = ratings.get(4, 0) + ratings.get(5, 0)
                result.satisfied_share = Decimal(happy) / Decimal(len(answers))
        elif question.kind == QuestionKind.YES_NO:
            said = Counter(a.text for a in answers)
            result.counts = [("yes", said.get("yes", 0)), ("no", said.get("no", 0))]
        elif question.kind == QuestionKind.CHOICE:
            said = Counter(a.text for a in answers)
            result.counts = [(choice, said.get(choice, 0)) for choice in question.choices]
        else:
            result.texts = [a.text for a in answers]
        results.append(result)
    return responses, results


def survey_links(survey: Survey) -> QuerySet[SurveyLink]:
    """The survey's anonymous links, oldest first, each with ``answered_at`` (when it was
    used, or None). Their secrets are not stored, so they are not here."""
    used = SurveyResponse.objects.filter(link=OuterRef("pk")).values("submitted_at")[:1]
    return survey.links.annotate(answered_at=Subquery(used)).order_by("id")


def has_answered(survey: Survey, user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return survey.responses.filter(respondent=user).exists()


def realised_savings(initiative: Initiative) -> dict[str, Any]:
    """Return the initiative's savings lines and their totals."""
    lines = list(initiative.savings.order_by("financial_year"))
    return {"lines": lines, "totals": savings_totals(lines)}


def survey_link_counts(survey: Any) -> dict[str, int]:
    """How many anonymous links a survey has: made, waiting for an answer, used, revoked."""
    counts = survey.links.aggregate(
        made=Count("id"),
        used=Count("id", filter=Q(response__isnull=False)),
        revoked=Count("id", filter=Q(revoked_at__isnull=False, response__isnull=True)),
    )
    counts["waiting"] = counts["made"] - counts["used"] - counts["revoked"]
    return counts
