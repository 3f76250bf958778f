"""Reading initiatives: an organisation's portfolio, one initiative with its lineage,
team, stages, timeline and decisions, the decision register and the funnel.

No ``from __future__ import annotations`` here: Ninja reads the annotations as real objects
(the query parameters of paginated operations, typed with this app's choices, from outside the
module)."""

from datetime import date, datetime, timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC
from civicflow.api.pagination import PageNumberPagination
from civicflow.initiatives import selectors
from civicflow.initiatives.api.common import (
    _caller,
    _decision_out,
    _detail,
    _initiative,
    _member_organisation,
    _organisation,
    _out,
    router,
)
from civicflow.initiatives.api.schemas import (
    DECISION_QUERY,
    SINCE_QUERY,
    STAGE_QUERY,
    STALLED_QUERY,
    STATUS_QUERY,
    UNTIL_QUERY,
    InitiativeDecisionOut,
    InitiativeDetailOut,
    InitiativeFunnelStepOut,
    InitiativeOut,
)
from civicflow.initiatives.models import (
    Decision,
    Stage,
)
from civicflow.initiatives.models import Status as InitiativeStatus


@router.get(
    "/organisations/{slug}/initiatives",
    response=list[InitiativeOut],
    summary="An organisation's initiatives (outsiders see the public ones)",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def initiative_list(
    request: HttpRequest,
    slug: str,
    stage: Stage | None = STAGE_QUERY,
    status: InitiativeStatus | None = STATUS_QUERY,
    stalled_days: int | None = STALLED_QUERY,
) -> Any:
    organisation = _organisation(slug)
    found = selectors.portfolio(
        user=_caller(request),
        organisation=organisation,
        filters=selectors.PortfolioFilters(
            stage=stage or "",
            status=status or "",
            stalled_days=stalled_days,
        ),
    )
    return [_out(i) for i in found]


@router.get(
    "/initiatives/{initiative_id}",
    response=InitiativeDetailOut,
    summary="An initiative with its team, stages, decisions, timeline and evaluation plan",
    **PUBLIC,
)
def initiative_detail(request: HttpRequest, initiative_id: int) -> dict[str, Any]:
    return _detail(_initiative(request, initiative_id))


@router.get(
    "/initiatives/{initiative_id}/decisions",
    response=list[InitiativeDecisionOut],
    summary="An initiative's gate decisions, newest first",
    **PUBLIC,
)
def initiative_decisions(request: HttpRequest, initiative_id: int) -> list[dict[str, Any]]:
    initiative = _initiative(request, initiative_id)
    return [_decision_out(d) for d in selectors.decisions_of(initiative)]


@router.get(
    "/organisations/{slug}/decisions",
    response=list[InitiativeDecisionOut],
    summary="The decision register: every gate decision of the organisation (members)",
)
@paginate(PageNumberPagination)
def decision_register(
    request: HttpRequest,
    slug: str,
    decision: Decision | None = DECISION_QUERY,
    stage: Stage | None = STAGE_QUERY,
    since: date | None = SINCE_QUERY,
    until: date | None = UNTIL_QUERY,
) -> Any:
    _user, organisation = _member_organisation(request, slug)

    def moment(day: date | None, *, end: bool = False) -> datetime | None:
        if day is None:
            return None
        start = timezone.make_aware(datetime.combine(day, datetime.min.time()))
        return start + timedelta(days=1) if end else start

    decisions = selectors.register(
        organisation=organisation,
        filters=selectors.RegisterFilters(
            decision=decision or "",
            stage=stage or "",
            since=moment(since),
            until=moment(until, end=True),
        ),
    )
    return [_decision_out(d) for d in decisions]


@router.get(
    "/organisations/{slug}/initiative-funnel",
    response=list[InitiativeFunnelStepOut],
    summary="Ideas, pilots, implemented, evaluated and scaled, with median days (members)",
)
def initiative_funnel(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    user, organisation = _member_organisation(request, slug)
    return [
        {"key": s.key, "label": s.label, "count": s.count, "median_days": s.median_days}
        for s in selectors.funnel(user=user, organisation=organisation)
    ]
