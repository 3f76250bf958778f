"""API endpoints for initiatives: the portfolio, one initiative with its lineage, team, stages,
timeline and decisions; running it (owner, delivery lead, innovation leads, administrators);
gate decisions (decision makers and administrators); the decision register and the funnel
(members of the organisation).

They call the same services and permissions as the pages. Money is a decimal string in
pounds ("12500.50"); dates are ISO 8601.

The module keeps its annotations as real objects (no ``from __future__ import annotations``):
Ninja reads the query parameters of paginated operations, typed with this app's choices, from
outside the module.
"""

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.initiatives import permissions, selectors, services
from civicflow.initiatives.models import (
    Decision,
    EvaluationDesign,
    GateDecision,
    Initiative,
    Stage,
)
from civicflow.initiatives.models import (
    Status as InitiativeStatus,
)

router = Router(tags=["Initiatives"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
MAX_ID = 2**63 - 1
ID = Field(..., ge=1, le=MAX_ID)


# Shapes ------------------------------------------------------------------------------------


class InitiativePersonOut(Schema):
    id: int
    name: str


class InitiativeOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's slug.")
    title: str
    summary: str
    source_kind: str = Field(description="direct, idea, award or case.")
    idea_id: int | None
    challenge_id: int | None
    source_grant_id: int | None = Field(description="The grant it was started from, if any.")
    source_award_id: int | None = Field(
        description="The panel's award decision it was started from, if any."
    )
    public: bool
    stage: Stage
    status: InitiativeStatus
    business_owner: InitiativePersonOut | None
    delivery_lead: InitiativePersonOut | None
    stage_entered_at: datetime
    last_update_at: datetime
    created_at: datetime


class InitiativeTeamMemberOut(Schema):
    user: InitiativePersonOut
    role: str


class InitiativeCriterionOut(Schema):
    id: int
    text: str
    met: bool
    met_at: datetime | None


class InitiativeStageOut(Schema):
    stage: Stage
    planned_start: date | None
    planned_end: date | None
    budget: Decimal | None
    spent: Decimal | None
    entry_criteria: list[InitiativeCriterionOut]


class InitiativeDecisionOut(Schema):
    id: int
    initiative_id: int
    decision: Decision
    decided_by: str
    decided_at: datetime
    reason: str
    conditions: str
    evidence_links: list[str]
    from_stage: Stage
    to_stage: Stage
    from_status: InitiativeStatus
    to_status: InitiativeStatus
    corrects: int | None = Field(description="The decision this one corrects, if any.")
    corrected_by: int | None = Field(description="The later decision that corrects this one.")


class InitiativeUpdateOut(Schema):
    id: int
    author: str
    body: str
    created_at: datetime


class InitiativeMilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_on: date | None


class InitiativeEvaluationOut(Schema):
    question: str
    design: EvaluationDesign
    sample: str
    measures: str
    review_dates: list[date]


class InitiativeDetailOut(InitiativeOut):
    team: list[InitiativeTeamMemberOut]
    stages: list[InitiativeStageOut]
    decisions: list[InitiativeDecisionOut]
    updates: list[InitiativeUpdateOut]
    milestones: list[InitiativeMilestoneOut]
    evaluation_plan: InitiativeEvaluationOut | None


class InitiativeStartIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=2000)
    idea_id: int | None = Field(None, ge=1, le=MAX_ID, description="A selected idea.")
    grant_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A fund round's grant to an idea of the organisation."
    )
    award_id: int | None = Field(
        None,
        ge=1,
        le=MAX_ID,
        description="A panel's standing decision to award an idea of the organisation.",
    )
    public: bool = False
    business_owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    delivery_lead_id: int | None = Field(None, ge=1, le=MAX_ID)


class InitiativeEditIn(Schema):
    title: str = Field(..., max_length=200)
    summary: str = Field("", max_length=2000)
    public: bool = False
    business_owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    delivery_lead_id: int | None = Field(None, ge=1, le=MAX_ID)
    reason: str = Field("", max_length=1000)


class InitiativeTeamIn(Schema):
    user_id: int = ID
    role: str = Field(..., max_length=120)


class InitiativePlanIn(Schema):
    planned_start: date | None = None
    planned_end: date | None = None
    budget: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)
    spent: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2)


class InitiativeCriterionIn(Schema):
    stage: Stage
    text: str = Field(..., max_length=300)


class InitiativeCriterionMetIn(Schema):
    met: bool = True


class InitiativeUpdateIn(Schema):
    body: str = Field(..., max_length=10_000)


class InitiativeMilestoneIn(Schema):
    title: str = Field(..., max_length=200)
    due_on: date


class InitiativeMilestoneReachedIn(Schema):
    done_on: date | None = Field(None, description="Today if left out.")


class InitiativeEvaluationIn(Schema):
    question: str = Field(..., max_length=5000)
    design: EvaluationDesign
    sample: str = Field("", max_length=5000)
    measures: str = Field("", max_length=5000)
    review_dates: list[date] = Field(default_factory=list, max_length=12)


class InitiativeDecisionIn(Schema):
    decision: Decision
    reason: str = Field(..., max_length=5000)
    conditions: str = Field("", max_length=5000)
    evidence_links: list[str] = Field(default_factory=list, max_length=20)
    corrects_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The latest decision, when this one corrects it."
    )


class InitiativeFunnelStepOut(Schema):
    key: str
    label: str
    count: int
    median_days: float | None


# Filters, read from the query string.
STAGE_QUERY = Query(None, description="Only this stage (for decisions: from or into it).")
STATUS_QUERY = Query(None, description="Only this status.")
STALLED_QUERY = Query(
    None, ge=1, le=3650, description="Only those with no update for so many days."
)
DECISION_QUERY = Query(None, description="Only this decision.")
SINCE_QUERY = Query(None, description="Decided on or after this day.")
UNTIL_QUERY = Query(None, description="Decided on or before this day.")


# Helpers -----------------------------------------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _not_visible(request: HttpRequest) -> Exception:
    if not _caller(request).is_authenticated:
        return ApiProblem(401, "Sign in, or send a personal API token, to see this.")
    return Http404()


def _organisation(slug: str) -> Organisation:
    organisation = accounts_selectors.organisation_get(slug=slug) if SLUG.fullmatch(slug) else None
    if organisation is None:
        raise Http404
    return organisation


def _member_organisation(request: HttpRequest, slug: str) -> tuple[Any, Organisation]:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if not permissions.can_see_portfolio(user, organisation):
        raise Http404
    return user, organisation


def _initiative(request: HttpRequest, initiative_id: int) -> Initiative:
    initiative = selectors.initiative_get(user=_caller(request), pk=initiative_id)
    if initiative is None:
        raise _not_visible(request)
    return initiative


def _to_run(request: HttpRequest, initiative_id: int) -> tuple[Any, Initiative]:
    user = signed_in_user(request)
    initiative = _initiative(request, initiative_id)
    if not permissions.can_run_initiative(user, initiative):
        raise PermissionDenied(
            "Only the initiative's owner and delivery lead, innovation leads and "
            "administrators change an initiative."
        )
    return user, initiative


def _member(organisation: Organisation, user_id: int | None, field: str) -> Any:
    if user_id is None:
        return None
    person = accounts_selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if person is None:
        raise ValidationError({field: f"Choose a member of {organisation.name}."})
    return person


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _out(initiative: Initiative) -> dict[str, Any]:
    idea = initiative.idea
    return {
        "id": initiative.pk,
        "organisation": initiative.organisation.slug,
        "title": initiative.title,
        "summary": initiative.summary,
        "source_kind": initiative.source_kind,
        "idea_id": initiative.idea_id,
        "challenge_id": idea.challenge_id if idea is not None else None,
        "source_grant_id": initiative.source_grant_id,
        "source_award_id": initiative.source_award_id,
        "public": initiative.public,
        "stage": initiative.stage,
        "status": initiative.status,
        "business_owner": _person(initiative.business_owner),
        "delivery_lead": _person(initiative.delivery_lead),
        "stage_entered_at": initiative.stage_entered_at,
        "last_update_at": initiative.last_update_at,
        "created_at": initiative.created_at,
    }


def _decision_out(decision: GateDecision) -> dict[str, Any]:
    row = selectors.register_row(decision)
    row["decided_at"] = decision.decided_at
    return row


def _detail(initiative: Initiative) -> dict[str, Any]:
    decisions = selectors.decisions_of(initiative)
    plan = getattr(initiative, "evaluation_plan", None)
    return {
        **_out(initiative),
        "team": [
            {"user": _person(member.user), "role": member.role}
            for member in selectors.team_of(initiative)
        ],
        "stages": [
            {
                "stage": row.key,
                "planned_start": row.plan.planned_start if row.plan else None,
                "planned_end": row.plan.planned_end if row.plan else None,
                "budget": row.plan.budget if row.plan else None,
                "spent": row.plan.spent if row.plan else None,
                "entry_criteria": [
                    {"id": c.pk, "text": c.text, "met": c.is_met, "met_at": c.met_at}
                    for c in row.criteria
                ],
            }
            for row in selectors.stage_rows(initiative)
        ],
        "decisions": [_decision_out(d) for d in decisions],
        "updates": [
            {"id": u.pk, "author": str(u.author or ""), "body": u.body, "created_at": u.created_at}
            for u in initiative.updates.select_related("author").order_by("-created_at", "-id")
        ],
        "milestones": [
            {"id": m.pk, "title": m.title, "due_on": m.due_on, "done_on": m.done_on}
            for m in initiative.milestones.order_by("due_on", "id")
        ],
        "evaluation_plan": (
            {
                "question": plan.question,
                "design": plan.design,
                "sample": plan.sample,
                "measures": plan.measures,
                "review_dates": [r.due_on for r in plan.reviews.all()],
            }
            if plan is not None
            else None
        ),
    }


# Reading -----------------------------------------------------------------------------------


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


# Starting and running ----------------------------------------------------------------------


@router.post(
    "/organisations/{slug}/initiatives",
    response={200: InitiativeOut, 201: InitiativeOut},
    summary="Start an initiative from a selected idea, an award or grant, or directly (leads)",
    description=(
        "With `grant_id` or `award_id` the initiative carries the awarded idea on, its test "
        "stage's budget set to the amount awarded. An award already carried on answers 200 "
        "with its initiative and changes nothing."
    ),
)
def initiative_start(request: HttpRequest, slug: str, payload: InitiativeStartIn) -> Status[Any]:
    user, organisation = _member_organisation(request, slug)
    if not permissions.can_start_initiatives(user, organisation):
        raise PermissionDenied("Only innovation leads and administrators start initiatives.")
    people = {
        "public": payload.public,
        "business_owner": _member(organisation, payload.business_owner_id, "business_owner_id"),
        "delivery_lead": _member(organisation, payload.delivery_lead_id, "delivery_lead_id"),
    }
    sources = [payload.idea_id, payload.grant_id, payload.award_id]
    if sum(source is not None for source in sources) > 1:
        raise ValidationError({"idea_id": "Give one of idea_id, grant_id and award_id."})
    if payload.grant_id is not None or payload.award_id is not None:
        award = _award(organisation, payload.grant_id, payload.award_id)
        initiative, started = services.initiative_start_from_award(
            actor=user, award=award, title=payload.title, summary=payload.summary, **people
        )
        return Status(201 if started else 200, _out(initiative))
    idea = None
    if payload.idea_id is not None:
        from civicflow.ideas.selectors import idea_get

        idea = idea_get(user=user, pk=payload.idea_id)
        if idea is None:
            raise ValidationError({"idea_id": "There is no idea with this number you can see."})
    initiative = services.initiative_start(
        actor=user,
        organisation=organisation,
        title=payload.title,
        summary=payload.summary,
        idea=idea,
        **people,
    )
    return Status(201, _out(initiative))


def _award(organisation: Organisation, grant_id: int | None, award_id: int | None) -> Any:
    """The grant or panel award to an idea of ``organisation`` the payload names."""
    from civicflow.appraisal.models import Decision as AppraisalDecision
    from civicflow.appraisal.models import Grant

    if grant_id is not None:
        grant = (
            Grant.objects.select_related("application__idea")
            .filter(pk=grant_id, application__idea__organisation=organisation)
            .first()
        )
        if grant is None:
            raise ValidationError({"grant_id": "There is no grant with this number here."})
        return grant
    award = (
        AppraisalDecision.objects.select_related("idea")
        .filter(pk=award_id or 0, idea__organisation=organisation, kind="awarded")
        .first()
    )
    if award is None:
        raise ValidationError({"award_id": "There is no award with this number here."})
    return award


@router.put(
    "/initiatives/{initiative_id}",
    response=InitiativeOut,
    summary="Change an initiative's title, summary, visibility, owner and delivery lead",
)
def initiative_edit(
    request: HttpRequest, initiative_id: int, payload: InitiativeEditIn
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    organisation = initiative.organisation
    services.initiative_edit(
        actor=user,
        initiative=initiative,
        title=payload.title,
        summary=payload.summary,
        public=payload.public,
        business_owner=_member(organisation, payload.business_owner_id, "business_owner_id"),
        delivery_lead=_member(organisation, payload.delivery_lead_id, "delivery_lead_id"),
        reason=payload.reason,
    )
    return _out(initiative)


@router.post(
    "/initiatives/{initiative_id}/team",
    response={201: InitiativeTeamMemberOut},
    summary="Put a member of the organisation on the team, with their role",
)
def initiative_team_add(
    request: HttpRequest, initiative_id: int, payload: InitiativeTeamIn
) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    person = _member(initiative.organisation, payload.user_id, "user_id")
    member = services.team_member_add(
        actor=user, initiative=initiative, user=person, role=payload.role
    )
    return Status(201, {"user": _person(member.user), "role": member.role})


@router.delete(
    "/initiatives/{initiative_id}/team/{user_id}",
    response={204: None},
    summary="Take a person off the team",
)
def initiative_team_remove(request: HttpRequest, initiative_id: int, user_id: int) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    person = initiative.team.filter(user_id=user_id).select_related("user").first()
    if person is None:
        raise Http404
    services.team_member_remove(actor=user, initiative=initiative, user=person.user)
    return Status(204, None)


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


# Gate decisions ----------------------------------------------------------------------------


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
