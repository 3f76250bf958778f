"""Reads for the case library, each a fixed number of queries."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import user_roles
from civicflow.library import permissions
from civicflow.library.models import (
    Adoption,
    CaseOutcome,
    CaseStatus,
    CaseStudy,
    EvidenceLevel,
    InnovationType,
    OutcomeArea,
    Sector,
    Sharing,
)

SORTS = ("relevance", "evidence", "newest")


def _with_related(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("outcomes", queryset=CaseOutcome.objects.order_by("position", "id"))
    )


def visible_cases(user: Any) -> QuerySet[CaseStudy]:
    """Every case ``user`` may read: published ones shared with them, and all of their own
    organisations' cases."""
    queryset = CaseStudy.objects.select_related("organisation")
    if is_instance_admin(user):
        return queryset
    shared = [Sharing.PUBLIC]
    if permissions.in_network(user):
        shared.append(Sharing.NETWORK)
    return queryset.filter(
        Q(status=CaseStatus.PUBLISHED, sharing__in=shared)
        | Q(organisation_id__in=list(user_roles(user)))
    )


def published_cases(user: Any) -> QuerySet[CaseStudy]:
    """The published cases ``user`` may read: what the library lists."""
    return visible_cases(user).filter(status=CaseStatus.PUBLISHED)


def case_get(*, user: Any, pk: int) -> CaseStudy | None:
    """Return case ``pk`` with its outcomes if ``user`` may read it."""
    case = (
        _with_related(CaseStudy.objects.select_related("source_initiative", "created_by"))
        .filter(pk=pk)
        .first()
    )
    if case is None or not permissions.can_view_case(user, case):
        return None
    return case


@dataclass(frozen=True)
class CaseFilters:
    q: str = ""
    sector: str = ""
    innovation_type: str = ""
    evidence_level: int | None = None
    outcome_area: str = ""
    organisation: str = ""
    year: int | None = None
    sort: str = ""


def with_year(queryset: QuerySet[CaseStudy]) -> QuerySet[CaseStudy]:
    """Annotate each case with its year: when it finished, started, or was published."""
    return queryset.annotate(
        case_year=Coalesce(
            ExtractYear("finished_on"), ExtractYear("started_on"), ExtractYear("published_at")
        )
    )


def filter_cases(queryset: QuerySet[CaseStudy], filters: CaseFilters) -> QuerySet[CaseStudy]:
    """Narrow ``queryset`` by the facets in ``filters`` (the words are searched elsewhere)."""
    if filters.sector in Sector.values:
        queryset = queryset.filter(sector=filters.sector)
    if filters.innovation_type in InnovationType.values:
        queryset = queryset.filter(innovation_type=filters.innovation_type)
    if filters.evidence_level in EvidenceLevel.values:
        queryset = queryset.filter(evidence_level=filters.evidence_level)
    if filters.outcome_area in OutcomeArea.values:
        queryset = queryset.filter(
            pk__in=CaseOutcome.objects.filter(area=filters.outcome_area).values("case_id")
        )
    if filters.organisation:
        queryset = queryset.filter(organisation__slug=filters.organisation)
    if filters.year is not None:
        queryset = with_year(queryset).filter(case_year=filters.year)  # type: ignore[misc]
    return queryset


@dataclass
class Facet:
    key: str
    label: str
    options: list[tuple[str, str, int]] = field(default_factory=list)


@dataclass
class LibraryResult:
    cases: list[CaseStudy]
    facets: list[Facet]
    sort: str
    error: str = ""


def _ranked_ids(user: Any, q: str) -> list[int]:
    from civicflow.search.selectors import search

    return [result.object.pk for result in search(user=user, query=q, kinds=["cases"])]


def library(*, user: Any, filters: CaseFilters | None = None) -> LibraryResult:
    """The published cases ``user`` may read that match the words and facets, sorted by
    relevance (with words), evidence or date, with the count of each facet's values."""
    from civicflow.search.selectors import SearchQueryError

    filters = filters or CaseFilters()
    queryset = filter_cases(published_cases(user), filters)
    sort = filters.sort if filters.sort in SORTS else ("relevance" if filters.q else "evidence")
    ranks: dict[int, int] = {}
    if filters.q:
        try:
            ids = _ranked_ids(user, filters.q)
        except SearchQueryError as error:
            return LibraryResult(cases=[], facets=[], sort=sort, error=str(error))
        ranks = {pk: index for index, pk in enumerate(ids)}
        queryset = queryset.filter(pk__in=ids)
    cases = list(_with_related(with_year(queryset)).order_by("-evidence_level", "-published_at"))
    if sort == "relevance" and ranks:
        cases.sort(key=lambda case: ranks.get(case.pk, len(ranks)))
    elif sort == "newest":
        cases.sort(key=lambda case: (case.published_at, case.pk), reverse=True)
    return LibraryResult(cases=cases, facets=facets_of(cases), sort=sort)


def facets_of(cases: list[CaseStudy]) -> list[Facet]:
    """Count the values of each facet among ``cases`` (their outcomes prefetched)."""
    sectors = Counter(case.sector for case in cases)
    types = Counter(case.innovation_type for case in cases)
    levels = Counter(case.evidence_level for case in cases)
    areas = Counter(area for case in cases for area in {o.area for o in case.outcomes.all()})
    organisations = Counter((case.organisation.slug, case.organisation.name) for case in cases)
    years = Counter(getattr(case, "case_year", None) or case.year for case in cases)
    return [
        Facet("sector", _("Sector"), [(k, str(v), sectors[k]) for k, v in Sector.choices]),
        Facet(
            "innovation_type",
            _("Type of innovation"),
            [(k, str(v), types[k]) for k, v in InnovationType.choices],
        ),
        Facet(
            "evidence_level",
            _("Evidence level"),
            [(str(k), str(v), levels[k]) for k, v in EvidenceLevel.choices],
        ),
        Facet(
            "outcome_area",
            _("Outcome area"),
            [(k, str(v), areas[k]) for k, v in OutcomeArea.choices],
        ),
        Facet(
            "organisation",
            _("Organisation"),
            [(slug, name, count) for (slug, name), count in sorted(organisations.items())],
        ),
        Facet(
            "year",
            _("Year"),
            [(str(y), str(y), n) for y, n in sorted(years.items(), reverse=True) if y],
        ),
    ]


# The editor's queue and an organisation's own cases ---------------------------------------


def review_queue(*, user: Any) -> QuerySet[CaseStudy]:
    """Cases waiting for review in the organisations where ``user`` is an editor."""
    queryset = CaseStudy.objects.filter(status=CaseStatus.SUBMITTED).select_related(
        "organisation", "created_by"
    )
    if not is_instance_admin(user):
        editable = [
            org_id for org_id, roles in user_roles(user).items() if roles & set(permissions.EDITORS)
        ]
        queryset = queryset.filter(organisation_id__in=editable)
    return queryset.order_by("updated_at", "id")


def own_cases(*, user: Any) -> QuerySet[CaseStudy]:
    """Every case of the organisations ``user`` belongs to, whatever its status."""
    queryset = CaseStudy.objects.select_related("organisation", "created_by")
    if not is_instance_admin(user):
        queryset = queryset.filter(organisation_id__in=list(user_roles(user)))
    return queryset.order_by("-updated_at", "-id")


def reviews_of(case: CaseStudy) -> list[Any]:
    return list(case.reviews.select_related("reviewer").order_by("-reviewed_at", "-id"))


# Spread -----------------------------------------------------------------------------------


HEADLINE_KPIS = 3


@dataclass
class Progress:
    """How an adoption (or the original initiative) is going, as far as the reader may see:
    its stage and status and, for an initiative, its headline KPIs (the first few by name)."""

    label: str
    detail: str
    url: str = ""
    kpis: list[Any] = field(default_factory=list)
    more_kpis: int = 0


def _initiative_progress(initiative: Any, user: Any) -> Progress:
    from civicflow.initiatives.permissions import can_view_initiative

    return Progress(
        label=str(initiative.get_stage_display()),
        detail=str(initiative.get_status_display()),
        url=initiative.get_absolute_url() if can_view_initiative(user, initiative) else "",
    )


def _challenge_progress(challenge: Any, user: Any) -> Progress:
    from civicflow.challenges.permissions import can_view_challenge

    return Progress(
        label=str(challenge.get_kind_display()),
        detail=str(challenge.get_status_display()),
        url=challenge.get_absolute_url() if can_view_challenge(user, challenge) else "",
    )


def progress_of(adoption: Adoption, user: Any) -> Progress:
    """The stage and status of what the adoption started."""
    if adoption.initiative is not None:
        return _initiative_progress(adoption.initiative, user)
    if adoption.challenge is not None:
        return _challenge_progress(adoption.challenge, user)
    return Progress(label="–", detail=_("No longer on record"))


@dataclass
class SpreadRow:
    adoption: Adoption
    progress: Progress


@dataclass
class Spread:
    case: CaseStudy
    original: Progress | None
    rows: list[SpreadRow]
    hidden: int
    #: The original's measured results published with the case, beside the adoptions' KPIs.
    measured: Any = None


def _headline_kpis(rows: list[SpreadRow], user: Any) -> None:
    """Give each row whose adoption started an initiative its headline KPIs, read live from
    the outcomes app in two queries for all of them.

    Sharing an adoption shares that it happened and its stage; the figures stay with the
    initiative, so they reach only readers who may see the initiative itself.
    """
    from civicflow.initiatives.permissions import can_view_initiative
    from civicflow.library.measured import MeasuredKpi
    from civicflow.outcomes.models import Kpi
    from civicflow.outcomes.selectors import kpi_rows

    by_initiative: dict[int, list[Any]] = {}
    ids: list[int] = [
        row.adoption.initiative.pk
        for row in rows
        if row.adoption.initiative is not None
        and can_view_initiative(user, row.adoption.initiative)
    ]
    for found in kpi_rows(Kpi.objects.filter(initiative_id__in=ids).order_by("name", "id")):
        by_initiative.setdefault(found.kpi.initiative_id or 0, []).append(found)
    for row in rows:
        found_rows = by_initiative.get(row.adoption.initiative_id or 0, [])
        row.progress.kpis = [
            MeasuredKpi(
                name=r.kpi.name,
                unit=r.kpi.unit,
                baseline=r.kpi.baseline_value,
                baseline_on=r.kpi.baseline_on,
                target=r.kpi.target_value,
                target_on=r.kpi.target_on,
                status=r.status,
            )
            for r in found_rows[:HEADLINE_KPIS]
        ]
        row.progress.more_kpis = max(len(found_rows) - HEADLINE_KPIS, 0)


def adoptions_of(case: CaseStudy) -> list[Adoption]:
    return list(
        case.adoptions.select_related(
            "organisation", "initiative__organisation", "challenge__organisation", "adopted_by"
        ).order_by("created_at", "id")
    )


def spread(*, user: Any, case: CaseStudy) -> Spread:
    """Every adoption of ``case`` ``user`` may see, with how each is going, beside the
    original's own initiative; and how many adoptions are not shared with ``user``."""
    rows: list[SpreadRow] = []
    hidden = 0
    for adoption in adoptions_of(case):
        if permissions.can_view_adoption(user, adoption):
            rows.append(SpreadRow(adoption, progress_of(adoption, user)))
        else:
            hidden += 1
    _headline_kpis(rows, user)
    source = case.source_initiative
    original = _initiative_progress(source, user) if source is not None else None
    from civicflow.library.measured import measured_for

    return Spread(
        case=case,
        original=original,
        rows=rows,
        hidden=hidden,
        measured=measured_for(user=user, case=case),
    )


def adoptions_by(*, organisation: Any) -> QuerySet[Adoption]:
    """The cases an organisation adopted."""
    return organisation.adoptions.select_related("case__organisation").order_by("-created_at")


def where_it_went(*, user: Any, initiative: Any) -> dict[str, Any]:
    """For an initiative's page: the case written from it (if ``user`` may read it), its
    adoptions elsewhere that ``user`` may see, and the case it adopted, if any."""
    case = CaseStudy.objects.filter(source_initiative=initiative).first()
    if case is not None and not permissions.can_view_case(user, case):
        case = None
    adopted_from = None
    if initiative.source_case_id:
        adopted_from = CaseStudy.objects.filter(pk=initiative.source_case_id).first()
        if adopted_from is not None and not permissions.can_view_case(user, adopted_from):
            adopted_from = None
    rows = spread(user=user, case=case).rows if case is not None else []
    return {"case": case, "adoptions": rows, "adopted_from": adopted_from}
