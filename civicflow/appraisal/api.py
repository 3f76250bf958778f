"""API endpoints for appraisal: published criteria, business cases, panels, reviews, the
ranking and decisions, published results, challenge prizes, fund rounds and hack days.

They call the same services and permissions as the pages: the organisation's innovation
leads and administrators run a round (others who may see it get 403); assessors on its panel
see their own reviews; an idea's authors write its business case, eligibility answers and
fund application. In blind mode nobody on the panel gets a submission's author or applying
organisation from any endpoint: those fields are ``null``.

Money is in whole currency units; scores are whole numbers on the criteria's scale.
"""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.appraisal import permissions, selectors, services
from civicflow.appraisal.models import (
    Application,
    Assignment,
    BusinessCase,
    CriteriaSet,
    Criterion,
    Decision,
    FundRound,
    HackDay,
    HackTeam,
    Panel,
    Prize,
)
from civicflow.appraisal.models.panels import RankBy
from civicflow.appraisal.scoring import SubmissionResult
from civicflow.challenges.models import Challenge
from civicflow.challenges.selectors import visible_challenges
from civicflow.ideas.models import Idea
from civicflow.ideas.selectors import idea_get

router = Router(tags=["Appraisal"])


class _Page:
    """Rows (an ordered queryset, or a list already worked out) that the paginator slices,
    each read out as the endpoint's shape only once it is on the page asked for."""

    def __init__(self, rows: Any, out: Any) -> None:
        self.rows = rows
        self.out = out

    def count(self) -> int:
        rows = self.rows
        return len(rows) if isinstance(rows, list) else int(rows.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [self.out(row) for row in self.rows[index]]


MAX_ID = 2**63 - 1
ID = Field(..., ge=1, le=MAX_ID)
MONEY = Field(..., ge=1, le=10**12, description="Whole currency units.")
TEXT = 10_000


# Shapes ------------------------------------------------------------------------------------


class AppraisalPointOut(Schema):
    score: int
    meaning: str


class AppraisalCriterionOut(Schema):
    key: str
    name: str
    description: str
    weight: int
    scale: list[AppraisalPointOut] = Field(description="What each point of the scale means.")


class AppraisalCriteriaOut(Schema):
    challenge_id: int
    scale_min: int
    scale_max: int
    published: bool
    published_at: datetime | None
    criteria: list[AppraisalCriterionOut]


class AppraisalCriteriaIn(Schema):
    scale_min: int = Field(0, ge=0, le=10)
    scale_max: int = Field(4, ge=1, le=10)
    defaults: bool = Field(True, description="Start from the default criteria.")


class AppraisalCriterionIn(Schema):
    name: str = Field(..., max_length=120)
    weight: int = Field(..., ge=1, le=10)
    description: str = Field("", max_length=2000)
    descriptors: list[str] = Field(
        default_factory=list,
        max_length=11,
        description="What each point means, lowest first; one for every point, or none.",
    )


class AppraisalBarrierIO(Schema):
    kind: str = Field(
        ...,
        max_length=30,
        description="political_pressure, distracted_by_cuts, top_down, new_over_proven or "
        "evaluation_misses_value.",
    )
    counter_measure: str = Field(..., max_length=5000)


class AppraisalBusinessCaseIO(Schema):
    point: str = Field(..., max_length=5000)
    justification: str = Field(..., max_length=5000)
    illustration: str = Field("", max_length=5000)
    benefits: str = Field("", max_length=5000)
    costs: str = Field("", max_length=5000)
    cost_total: int | None = Field(None, ge=0, le=10**12)
    involved_frontline_staff: bool = False
    involved_service_users: bool = False
    involvement: str = Field("", max_length=5000)
    barriers: list[AppraisalBarrierIO] = Field(default_factory=list, max_length=5)


class AppraisalPersonOut(Schema):
    id: int
    name: str


class AppraisalProgressOut(Schema):
    assessor: AppraisalPersonOut
    assigned: int
    scored: int
    conflicts: int


class AppraisalPanelOut(Schema):
    challenge_id: int
    reviews_per_submission: int
    blind: bool
    rank_by: str
    status: str = Field(description="open or closed.")
    closed_at: datetime | None
    results_published_at: datetime | None
    entries: int = Field(description="Submissions the panel judges.")
    progress: list[AppraisalProgressOut] = Field(description="Each assessor's reviews.")


class AppraisalPanelIn(Schema):
    reviews_per_submission: int = Field(2, ge=1, le=20)
    blind: bool = False
    rank_by: str = Field(RankBy.STANDARDISED, max_length=12, description="standardised or raw.")


class AppraisalAssessorIn(Schema):
    user_id: int = ID


class AppraisalAssignmentIn(Schema):
    idea_id: int = ID
    assessor_id: int = ID


class AppraisalAllocatedOut(Schema):
    added: int = Field(description="How many reviews were added.")


class AppraisalReasonIn(Schema):
    reason: str = Field("", max_length=5000)


class AppraisalSubmissionOut(Schema):
    idea_id: int
    title: str
    summary: str
    description: str
    author: AppraisalPersonOut | None = Field(description="null in blind mode for the panel.")


class AppraisalQueueItemOut(Schema):
    assignment_id: int
    idea_id: int
    title: str
    author: AppraisalPersonOut | None = Field(description="null in blind mode for the panel.")
    declared: bool
    scored: bool


class AppraisalDeclarationOut(Schema):
    has_conflict: bool
    details: str


class AppraisalDeclarationIn(Schema):
    has_conflict: bool
    details: str = Field("", max_length=5000)


class AppraisalScoreOut(Schema):
    criterion: str
    value: int
    comment: str


class AppraisalMilestoneOut(Schema):
    id: int
    title: str
    due_on: date | None
    payment: int
    outcome: str


class AppraisalApplicationSummaryOut(Schema):
    amount_requested: int
    plan: str
    outcomes: str
    milestones: list[AppraisalMilestoneOut]


class AppraisalPrototypeOut(Schema):
    description: str
    link: str
    screenshots: list[str]


class AppraisalReviewOut(Schema):
    assignment_id: int
    panel_open: bool
    submission: AppraisalSubmissionOut
    business_case: AppraisalBusinessCaseIO | None
    application: AppraisalApplicationSummaryOut | None
    prototype: AppraisalPrototypeOut | None
    declaration: AppraisalDeclarationOut | None
    scores: list[AppraisalScoreOut]
    comment: str
    submitted_at: datetime | None


class AppraisalScoresIn(Schema):
    scores: dict[str, int] = Field(description="Criterion key → a whole score on the scale.")
    comments: dict[str, str] = Field(default_factory=dict, description="Criterion key → comment.")
    comment: str = Field("", max_length=5000)


class AppraisalDecisionOut(Schema):
    id: int
    idea_id: int
    title: str
    kind: str
    tier: str | None
    amount: int | None
    reason: str
    decided_by: str
    decided_at: datetime


class AppraisalRankingOut(Schema):
    idea_id: int
    title: str
    author: AppraisalPersonOut | None = Field(description="null in blind mode for the panel.")
    reviews: int
    raw_mean: float | None = Field(description="Mean of the weighted scores.")
    standardised: float | None = Field(description="Mean of the assessors' z-scores.")
    spread: float | None = Field(description="Highest weighted score minus the lowest.")
    disagreement: bool
    rank: int | None = Field(description="Competition rank; null if nobody has scored it.")
    tied: bool
    decision: AppraisalDecisionOut | None


class AppraisalDecisionIn(Schema):
    idea_id: int = ID
    kind: str = Field(
        ...,
        max_length=20,
        description="shortlisted, not_shortlisted, awarded or not_awarded.",
    )
    reason: str = Field(..., max_length=5000)
    tier_id: int | None = Field(None, ge=1, le=MAX_ID, description="A prize award's tier.")


class AppraisalPublishIn(Schema):
    summary: str = Field("", max_length=5000, description="What the panel said.")


class AppraisalResultOut(Schema):
    idea_id: int
    title: str
    author: AppraisalPersonOut | None
    kind: str
    tier: str | None
    amount: int | None
    reason: str


class AppraisalResultsOut(Schema):
    challenge_id: int
    published_at: datetime | None
    summary: str
    results: list[AppraisalResultOut]


class PrizeTierIO(Schema):
    id: int | None = Field(None, description="Ignored on the way in.")
    name: str = Field(..., max_length=120)
    amount: int = MONEY
    places: int = Field(1, ge=1, le=100)


class PrizeTierChangeIn(Schema):
    id: int | None = Field(
        None, ge=1, le=MAX_ID, description="The tier to change; leave out for a new tier."
    )
    name: str = Field(..., max_length=120)
    amount: int = MONEY
    places: int = Field(1, ge=1, le=100)


class PrizeTiersIn(Schema):
    tiers: list[PrizeTierChangeIn] = Field(
        ..., max_length=20, description="Every tier, in order; one left out is removed."
    )


class PrizeQuestionOut(Schema):
    id: int
    text: str
    required_answer: bool


class PrizeOut(Schema):
    challenge_id: int
    pot: int
    currency: str
    closes_at: datetime
    open: bool
    tiers: list[PrizeTierIO]
    questions: list[PrizeQuestionOut]


class PrizeIn(Schema):
    pot: int = MONEY
    closes_at: datetime
    currency: str = Field("GBP", min_length=3, max_length=3)
    tiers: list[PrizeTierIO] = Field(..., max_length=20)
    questions: list[str] = Field(default_factory=list, max_length=20)


class PrizeAnswerIO(Schema):
    question_id: int = ID
    answer: bool


class PrizeAnswersIn(Schema):
    answers: list[PrizeAnswerIO] = Field(..., max_length=20)


class FundOut(Schema):
    challenge_id: int
    budget: int
    currency: str
    max_award: int | None
    outcome_based: bool
    committed: int | None = Field(description="Awarded so far; for those who run the fund.")
    remaining: int | None = Field(description="Left to award; for those who run the fund.")
    paid: int | None = Field(description="Paid so far; for those who run the fund.")


class FundIn(Schema):
    budget: int = MONEY
    currency: str = Field("GBP", min_length=3, max_length=3)
    max_award: int | None = Field(None, ge=1, le=10**12)
    outcome_based: bool = False


class FundMilestoneIn(Schema):
    title: str = Field(..., max_length=200)
    due_on: date | None = None
    payment: int = Field(0, ge=0, le=10**12)
    outcome: str = Field("", max_length=300)


class FundApplicationIn(Schema):
    idea_id: int = ID
    amount_requested: int = MONEY
    plan: str = Field(..., max_length=TEXT)
    outcomes: str = Field("", max_length=TEXT)
    organisation_name: str = Field("", max_length=200)
    milestones: list[FundMilestoneIn] = Field(default_factory=list, max_length=30)


class FundGrantOut(Schema):
    amount: int
    reason: str
    letter: str
    awarded_at: datetime
    paid: int
    left_to_pay: int


class FundReportOut(Schema):
    id: int
    milestone_id: int
    report: str
    outcome_achieved: bool
    reported_at: datetime


class FundPaymentOut(Schema):
    id: int
    milestone_id: int | None
    amount: int
    note: str
    paid_at: datetime


class FundApplicationOut(Schema):
    id: int
    idea_id: int
    title: str
    applicant: AppraisalPersonOut | None = Field(description="null in blind mode for the panel.")
    organisation_name: str | None = Field(description="null in blind mode for the panel.")
    amount_requested: int
    plan: str
    outcomes: str
    milestones: list[AppraisalMilestoneOut]
    grant: FundGrantOut | None
    reports: list[FundReportOut]
    payments: list[FundPaymentOut]


class FundGrantIn(Schema):
    amount: int = MONEY
    reason: str = Field(..., max_length=TEXT)
    letter: str = Field("", max_length=TEXT, description="The standard letter if left out.")


class FundReportIn(Schema):
    milestone_id: int = ID
    report: str = Field(..., max_length=TEXT)
    outcome_achieved: bool


class FundPaymentIn(Schema):
    amount: int = MONEY
    milestone_id: int | None = Field(None, ge=1, le=MAX_ID)
    note: str = Field("", max_length=300)


class HackTeamOut(Schema):
    id: int
    name: str
    idea_id: int
    skills_needed: list[str]
    members: int = Field(description="How many people are in the team.")
    prototype: AppraisalPrototypeOut | None


class HackDayOut(Schema):
    challenge_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    online_link: str
    capacity: int
    registered: int
    places_left: int
    teams: list[HackTeamOut]


class HackDayIn(Schema):
    starts_at: datetime
    ends_at: datetime
    capacity: int = Field(..., ge=1, le=100_000)
    place: str = Field("", max_length=300)
    online_link: str = Field("", max_length=200)


class HackRegistrationIn(Schema):
    skills: list[str] = Field(..., max_length=20)


class HackRegistrationOut(Schema):
    challenge_id: int
    skills: list[str]


class HackLeftOut(Schema):
    team: str | None = Field(
        description="What became of your team: `left` (it carries on), `kept` (you were its "
        "last member; it stays, with its prototype, for judging and for anyone who joins), "
        "`dissolved` (you were its last member and it had no prototype), or null if you were "
        "in none."
    )


class HackTeamIn(Schema):
    idea_id: int = ID
    name: str = Field(..., max_length=120)
    skills_needed: list[str] = Field(default_factory=list, max_length=20)


class HackPrototypeIn(Schema):
    description: str = Field(..., max_length=TEXT)
    link: str = Field("", max_length=200)
    screenshots: list[str] = Field(default_factory=list, max_length=10)


# Finding things and checking who may do what -------------------------------------------------


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    """The challenge if the caller may see it; else 401 for anonymous callers, 404."""
    user = _caller(request)
    challenge = (
        visible_challenges(user).select_related("organisation").filter(pk=challenge_id).first()
    )
    if challenge is None:
        signed_in_user(request)
        raise Http404
    return challenge


def _run(request: HttpRequest, challenge_id: int) -> tuple[Any, Challenge]:
    """As the pages: 404 if the caller cannot see the challenge, 403 if they cannot run it."""
    user = signed_in_user(request)
    challenge = _challenge(request, challenge_id)
    if not permissions.can_run_appraisal(user, challenge):
        raise PermissionDenied(_("Only innovation leads and administrators run appraisal."))
    return user, challenge


def _panel(challenge: Challenge) -> Panel:
    panel = selectors.panel_of(challenge)
    if panel is None:
        raise Http404
    return panel


def _visible_idea(request: HttpRequest, idea_id: int) -> Idea:
    idea = idea_get(user=_caller(request), pk=idea_id) if idea_id <= MAX_ID else None
    if idea is None:
        signed_in_user(request)
        raise Http404
    return idea


def _entry(challenge: Challenge, idea_id: int, field: str = "idea_id") -> Idea:
    idea = Idea.objects.filter(challenge=challenge, pk=idea_id).select_related("author").first()
    if idea is None:
        raise ValidationError({field: _("Choose an idea put forward in this challenge.")})
    return idea


def _person(user: Any) -> dict[str, Any]:
    return {"id": user.pk, "name": str(user)}


def _author(idea: Idea, shown: bool) -> dict[str, Any] | None:
    return _person(idea.author) if shown else None


def _criteria_out(criteria_set: CriteriaSet) -> dict[str, Any]:
    return {
        "challenge_id": criteria_set.challenge_id,
        "scale_min": criteria_set.scale_min,
        "scale_max": criteria_set.scale_max,
        "published": criteria_set.is_published,
        "published_at": criteria_set.published_at,
        "criteria": [_criterion_out(criteria_set, c) for c in criteria_set.criteria.all()],
    }


def _criterion_out(criteria_set: CriteriaSet, criterion: Criterion) -> dict[str, Any]:
    return {
        "key": criterion.key,
        "name": criterion.name,
        "description": criterion.description,
        "weight": criterion.weight,
        "scale": [
            {"score": point, "meaning": meaning}
            for point, meaning in zip(criteria_set.points, criterion.descriptors, strict=False)
        ],
    }


def _criteria_set(challenge: Challenge) -> CriteriaSet:
    criteria_set = selectors.criteria_of(challenge)
    if criteria_set is None:
        raise Http404
    return criteria_set


# Criteria ----------------------------------------------------------------------------------


@router.get(
    "/challenges/{challenge_id}/criteria",
    response=AppraisalCriteriaOut,
    summary="The criteria a challenge's entries are judged against (drafts for leads only)",
    **PUBLIC,
)
def appraisal_criteria(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    challenge = _challenge(request, challenge_id)
    criteria_set = selectors.criteria_of(challenge)
    if not permissions.can_view_criteria(_caller(request), challenge, criteria_set):
        raise Http404
    assert criteria_set is not None
    return _criteria_out(criteria_set)


@router.post(
    "/challenges/{challenge_id}/criteria",
    response={201: AppraisalCriteriaOut},
    summary="Start a challenge's criteria, from the default set unless told not to (leads)",
)
def appraisal_criteria_create(
    request: HttpRequest, challenge_id: int, payload: AppraisalCriteriaIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    services.criteria_set_create(actor=user, challenge=challenge, **payload.dict())
    return Status(201, _criteria_out(_criteria_set(challenge)))


@router.post(
    "/challenges/{challenge_id}/criteria/items",
    response={201: AppraisalCriterionOut},
    summary="Add a criterion before the criteria are published (leads)",
)
def appraisal_criterion_add(
    request: HttpRequest, challenge_id: int, payload: AppraisalCriterionIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    criteria_set = _criteria_set(challenge)
    criterion = services.criterion_save(actor=user, criteria_set=criteria_set, **payload.dict())
    return Status(201, _criterion_out(criteria_set, criterion))


def _criterion(criteria_set: CriteriaSet, key: str) -> Criterion:
    criterion = next((c for c in criteria_set.criteria.all() if c.key == key), None)
    if criterion is None:
        raise Http404
    return criterion


@router.put(
    "/challenges/{challenge_id}/criteria/items/{criterion_key}",
    response=AppraisalCriterionOut,
    summary="Change a criterion before the criteria are published (leads)",
)
def appraisal_criterion_change(
    request: HttpRequest, challenge_id: int, criterion_key: str, payload: AppraisalCriterionIn
) -> dict[str, Any]:
    user, challenge = _run(request, challenge_id)
    criteria_set = _criteria_set(challenge)
    criterion = services.criterion_save(
        actor=user,
        criteria_set=criteria_set,
        criterion=_criterion(criteria_set, criterion_key),
        **payload.dict(),
    )
    return _criterion_out(criteria_set, criterion)


@router.delete(
    "/challenges/{challenge_id}/criteria/items/{criterion_key}",
    response={204: None},
    summary="Remove a criterion before the criteria are published (leads)",
)
def appraisal_criterion_remove(
    request: HttpRequest, challenge_id: int, criterion_key: str
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    criteria_set = _criteria_set(challenge)
    services.criterion_remove(actor=user, criterion=_criterion(criteria_set, criterion_key))
    return Status(204, None)


@router.post(
    "/challenges/{challenge_id}/criteria/publish",
    response=AppraisalCriteriaOut,
    summary="Publish the criteria; from then on they cannot change (leads)",
)
def appraisal_criteria_publish(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    user, challenge = _run(request, challenge_id)
    criteria_set = _criteria_set(challenge)
    services.criteria_publish(actor=user, criteria_set=criteria_set)
    return _criteria_out(criteria_set)


# Business cases ----------------------------------------------------------------------------


def _case_out(case: BusinessCase) -> dict[str, Any]:
    return {
        "point": case.point,
        "justification": case.justification,
        "illustration": case.illustration,
        "benefits": case.benefits,
        "costs": case.costs,
        "cost_total": case.cost_total,
        "involved_frontline_staff": case.involved_frontline_staff,
        "involved_service_users": case.involved_service_users,
        "involvement": case.involvement,
        "barriers": [
            {"kind": b.kind, "counter_measure": b.counter_measure} for b in case.barriers.all()
        ],
    }


def _may_read_case(user: Any, idea: Idea) -> bool:
    if permissions.is_author(user, idea):
        return True
    challenge = idea.challenge
    if challenge is None:
        return False
    if permissions.can_run_appraisal(user, challenge):
        return True
    return Assignment.objects.filter(
        idea=idea, assessor_id=getattr(user, "pk", None), conflict_at__isnull=True
    ).exists()


@router.get(
    "/ideas/{idea_id}/business-case",
    response=AppraisalBusinessCaseIO,
    summary="An idea's business case (its authors, the round's leads and its assessors)",
)
def appraisal_business_case(request: HttpRequest, idea_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _visible_idea(request, idea_id)
    if not _may_read_case(user, idea):
        raise PermissionDenied(_("Only the authors, the round's leads and its assessors."))
    case = BusinessCase.objects.filter(idea=idea).prefetch_related("barriers").first()
    if case is None:
        raise Http404
    return _case_out(case)


@router.put(
    "/ideas/{idea_id}/business-case",
    response=AppraisalBusinessCaseIO,
    summary="Write or rewrite an idea's business case (its authors)",
)
def appraisal_business_case_save(
    request: HttpRequest, idea_id: int, payload: AppraisalBusinessCaseIO
) -> dict[str, Any]:
    user = signed_in_user(request)
    idea = _visible_idea(request, idea_id)
    data = payload.dict(exclude={"barriers"})
    barriers = {b.kind: b.counter_measure for b in payload.barriers}
    case = services.business_case_save(actor=user, idea=idea, barriers=barriers, **data)
    return _case_out(case)


# Panels ------------------------------------------------------------------------------------


def _panel_out(panel: Panel) -> dict[str, Any]:
    return {
        "challenge_id": panel.challenge_id,
        "reviews_per_submission": panel.reviews_per_submission,
        "blind": panel.blind,
        "rank_by": panel.rank_by,
        "status": panel.status,
        "closed_at": panel.closed_at,
        "results_published_at": panel.results_published_at,
        "entries": selectors.panel_entries(panel).count(),
        "progress": [
            {
                "assessor": _person(p.assessor),
                "assigned": p.assigned,
                "scored": p.scored,
                "conflicts": p.conflicts,
            }
            for p in selectors.panel_progress(panel)
        ],
    }


@router.get(
    "/challenges/{challenge_id}/panel",
    response=AppraisalPanelOut,
    summary="The panel's settings and each assessor's progress (leads)",
)
def appraisal_panel(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    _user, challenge = _run(request, challenge_id)
    return _panel_out(_panel(challenge))


@router.post(
    "/challenges/{challenge_id}/panel",
    response={201: AppraisalPanelOut},
    summary="Set up the challenge's panel (leads)",
)
def appraisal_panel_create(
    request: HttpRequest, challenge_id: int, payload: AppraisalPanelIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    panel = services.panel_create(actor=user, challenge=challenge, **payload.dict())
    return Status(201, _panel_out(panel))


@router.put(
    "/challenges/{challenge_id}/panel",
    response=AppraisalPanelOut,
    summary="Change the panel's settings; blind mode is fixed once reviews are assigned (leads)",
)
def appraisal_panel_update(
    request: HttpRequest, challenge_id: int, payload: AppraisalPanelIn
) -> dict[str, Any]:
    user, challenge = _run(request, challenge_id)
    panel = services.panel_update(actor=user, panel=_panel(challenge), **payload.dict())
    return _panel_out(panel)


@router.post(
    "/challenges/{challenge_id}/panel/assessors",
    response={201: AppraisalPanelOut},
    summary="Put one of the organisation's assessors on the panel (leads)",
)
def appraisal_assessor_add(
    request: HttpRequest, challenge_id: int, payload: AppraisalAssessorIn
) -> Status[Any]:
    from civicflow.accounts.models import User

    user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    person = User.objects.filter(pk=payload.user_id).first()
    if person is None:
        raise ValidationError({"user_id": _("Choose one of the organisation's assessors.")})
    services.panel_member_add(actor=user, panel=panel, user=person)
    return Status(201, _panel_out(panel))


@router.delete(
    "/challenges/{challenge_id}/panel/assessors/{user_id}",
    response={204: None},
    summary="Take an assessor off the panel (leads)",
)
def appraisal_assessor_remove(request: HttpRequest, challenge_id: int, user_id: int) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    member = panel.members.filter(user_id=user_id).select_related("user").first()
    if member is None:
        raise Http404
    services.panel_member_remove(actor=user, panel=panel, user=member.user)
    return Status(204, None)


@router.post(
    "/challenges/{challenge_id}/panel/assignments",
    response={201: AppraisalQueueItemOut},
    summary="Ask an assessor on the panel to review a submission, by hand (leads)",
)
def appraisal_assignment_add(
    request: HttpRequest, challenge_id: int, payload: AppraisalAssignmentIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    member = panel.members.filter(user_id=payload.assessor_id).select_related("user").first()
    if member is None:
        raise ValidationError({"assessor_id": _("Put the assessor on the panel first.")})
    idea = _entry(challenge, payload.idea_id)
    assignment = services.assignment_add(actor=user, panel=panel, idea=idea, assessor=member.user)
    return Status(201, _queue_item(assignment, None, permissions.sees_authors(user, panel)))


@router.post(
    "/challenges/{challenge_id}/panel/allocate",
    response=AppraisalAllocatedOut,
    summary="Give every submission its reviews automatically, balanced and conflict-free",
)
def appraisal_panel_allocate(request: HttpRequest, challenge_id: int) -> dict[str, int]:
    user, challenge = _run(request, challenge_id)
    return {"added": services.panel_allocate(actor=user, panel=_panel(challenge))}


@router.post(
    "/challenges/{challenge_id}/panel/close",
    response=AppraisalPanelOut,
    summary="Close the panel: no more scores or declarations (leads)",
)
def appraisal_panel_close(
    request: HttpRequest, challenge_id: int, payload: AppraisalReasonIn
) -> dict[str, Any]:
    user, challenge = _run(request, challenge_id)
    panel = services.panel_close(actor=user, panel=_panel(challenge), reason=payload.reason)
    return _panel_out(panel)


@router.post(
    "/challenges/{challenge_id}/panel/reopen",
    response=AppraisalPanelOut,
    summary="Reopen a closed panel, with a reason, until its results are published (leads)",
)
def appraisal_panel_reopen(
    request: HttpRequest, challenge_id: int, payload: AppraisalReasonIn
) -> dict[str, Any]:
    user, challenge = _run(request, challenge_id)
    panel = services.panel_reopen(actor=user, panel=_panel(challenge), reason=payload.reason)
    return _panel_out(panel)


# An assessor's reviews ---------------------------------------------------------------------


def _on_panel(request: HttpRequest, challenge_id: int) -> tuple[Any, Panel]:
    user = signed_in_user(request)
    panel = _panel(_challenge(request, challenge_id))
    if not permissions.is_on_panel(user, panel):
        raise PermissionDenied(_("Only assessors on the panel see its reviews."))
    return user, panel


def _queue_item(assignment: Assignment, declared: Any, shown: bool) -> dict[str, Any]:
    return {
        "assignment_id": assignment.pk,
        "idea_id": assignment.idea_id,
        "title": assignment.idea.title,
        "author": _author(assignment.idea, shown),
        "declared": declared is not None,
        "scored": assignment.submitted_at is not None,
    }


@router.get(
    "/challenges/{challenge_id}/panel/reviews",
    response=list[AppraisalQueueItemOut],
    summary="Your reviews on the panel (assessors on it)",
)
@paginate(PageNumberPagination)
def appraisal_reviews(request: HttpRequest, challenge_id: int) -> Any:
    user, panel = _on_panel(request, challenge_id)
    declarations = selectors.declarations_of(panel=panel, assessor=user)
    shown = permissions.sees_authors(user, panel)
    return _Page(
        selectors.assessor_queue(panel=panel, assessor=user).select_related("idea__author"),
        lambda a: _queue_item(a, declarations.get(a.idea_id), shown),
    )


def _assignment(request: HttpRequest, challenge_id: int, assignment_id: int) -> tuple[Any, Any]:
    """The caller's own review: 404 for anyone else's."""
    user = signed_in_user(request)
    panel = _panel(_challenge(request, challenge_id))
    assignment = (
        Assignment.objects.select_related("idea__author", "panel__challenge__organisation")
        .filter(pk=assignment_id, panel=panel, assessor_id=user.pk)
        .first()
        if assignment_id <= MAX_ID
        else None
    )
    if assignment is None:
        raise Http404
    return user, assignment


def _milestone_out(m: Any) -> dict[str, Any]:
    return {
        "id": m.pk,
        "title": m.title,
        "due_on": m.due_on,
        "payment": m.payment,
        "outcome": m.outcome,
    }


def _prototype_out(prototype: Any) -> dict[str, Any] | None:
    if prototype is None:
        return None
    return {
        "description": prototype.description,
        "link": prototype.link,
        "screenshots": list(prototype.screenshots),
    }


def _review_out(user: Any, assignment: Assignment) -> dict[str, Any]:
    panel = assignment.panel
    idea = assignment.idea
    declaration = selectors.declarations_of(panel=panel, assessor=user).get(idea.pk)
    case = BusinessCase.objects.filter(idea=idea).prefetch_related("barriers").first()
    application = Application.objects.filter(idea=idea).prefetch_related("milestones").first()
    team = HackTeam.objects.filter(idea=idea).select_related("prototype").first()
    criteria = {c.pk: c.key for c in Criterion.objects.filter(scores__assignment=assignment)}
    return {
        "assignment_id": assignment.pk,
        "panel_open": panel.is_open,
        "submission": {
            "idea_id": idea.pk,
            "title": idea.title,
            "summary": idea.summary,
            "description": idea.description,
            "author": _author(idea, permissions.sees_authors(user, panel)),
        },
        "business_case": _case_out(case) if case else None,
        "application": {
            "amount_requested": application.amount_requested,
            "plan": application.plan,
            "outcomes": application.outcomes,
            "milestones": [_milestone_out(m) for m in application.milestones.all()],
        }
        if application
        else None,
        "prototype": _prototype_out(getattr(team, "prototype", None)) if team else None,
        "declaration": {"has_conflict": declaration.has_conflict, "details": declaration.details}
        if declaration
        else None,
        "scores": [
            {"criterion": criteria[s.criterion_id], "value": s.value, "comment": s.comment}
            for s in assignment.scores.all()
        ],
        "comment": assignment.comment,
        "submitted_at": assignment.submitted_at,
    }


@router.get(
    "/challenges/{challenge_id}/panel/reviews/{assignment_id}",
    response=AppraisalReviewOut,
    summary="One of your reviews: the submission, your declaration and your scores",
)
def appraisal_review(request: HttpRequest, challenge_id: int, assignment_id: int) -> Any:
    user, assignment = _assignment(request, challenge_id, assignment_id)
    return _review_out(user, assignment)


@router.put(
    "/challenges/{challenge_id}/panel/reviews/{assignment_id}/declaration",
    response=AppraisalReviewOut,
    summary="Declare your interests in the submission, before scoring it",
)
def appraisal_declare(
    request: HttpRequest, challenge_id: int, assignment_id: int, payload: AppraisalDeclarationIn
) -> Any:
    user, assignment = _assignment(request, challenge_id, assignment_id)
    services.conflict_declare(
        actor=user, panel=assignment.panel, idea=assignment.idea, **payload.dict()
    )
    assignment.refresh_from_db()
    return _review_out(user, assignment)


@router.put(
    "/challenges/{challenge_id}/panel/reviews/{assignment_id}/scores",
    response=AppraisalReviewOut,
    summary="Score the submission on every criterion, while the panel is open",
)
def appraisal_score(
    request: HttpRequest, challenge_id: int, assignment_id: int, payload: AppraisalScoresIn
) -> Any:
    user, assignment = _assignment(request, challenge_id, assignment_id)
    services.score_submit(
        actor=user,
        assignment=assignment,
        scores=payload.scores,
        comments=payload.comments,
        comment=payload.comment,
    )
    return _review_out(user, assignment)


# Ranking, decisions and results ------------------------------------------------------------


def _decision_out(d: Decision, title: str) -> dict[str, Any]:
    return {
        "id": d.pk,
        "idea_id": d.idea_id,
        "title": title,
        "kind": d.kind,
        "tier": d.tier.name if d.tier else None,
        "amount": d.amount,
        "reason": d.reason,
        "decided_by": str(d.decided_by or ""),
        "decided_at": d.decided_at,
    }


def _ranking_out(idea: Idea, r: SubmissionResult, d: Decision | None, shown: bool) -> Any:
    return {
        "idea_id": idea.pk,
        "title": idea.title,
        "author": _author(idea, shown),
        "reviews": r.reviews,
        "raw_mean": None if r.raw_mean is None else float(r.raw_mean),
        "standardised": r.standardised,
        "spread": None if r.spread is None else float(r.spread),
        "disagreement": r.disagreement,
        "rank": r.rank,
        "tied": r.tied,
        "decision": _decision_out(d, idea.title) if d else None,
    }


@router.get(
    "/challenges/{challenge_id}/panel/ranking",
    response=list[AppraisalRankingOut],
    summary="Every submission, best first: raw mean beside standardised, flags, ties (leads)",
)
@paginate(PageNumberPagination)
def appraisal_ranking(request: HttpRequest, challenge_id: int) -> Any:
    user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    shown = permissions.sees_authors(user, panel)
    # Ranks and standardised scores need every submission's scores, so the whole ranking is
    # worked out and the page cut from it.
    return _Page(
        selectors.panel_ranking(panel),
        lambda row: _ranking_out(row.idea, row.result, row.decision, shown),
    )


@router.get(
    "/challenges/{challenge_id}/panel/decisions",
    response=list[AppraisalDecisionOut],
    summary="Every decision on record, newest first, with who made it and why (leads)",
)
@paginate(PageNumberPagination)
def appraisal_decisions(request: HttpRequest, challenge_id: int) -> Any:
    _user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    return _Page(
        panel.decisions.select_related("idea", "tier", "decided_by").order_by("-id"),
        lambda d: _decision_out(d, d.idea.title),
    )


@router.post(
    "/challenges/{challenge_id}/panel/decisions",
    response={201: AppraisalDecisionOut},
    summary="Shortlist or award a submission, with the reason (leads)",
)
def appraisal_decide(
    request: HttpRequest, challenge_id: int, payload: AppraisalDecisionIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    panel = _panel(challenge)
    idea = _entry(challenge, payload.idea_id)
    tier = None
    if payload.tier_id is not None:
        prize = Prize.objects.filter(challenge=challenge).first()
        tier = prize.tiers.filter(pk=payload.tier_id).first() if prize else None
        if tier is None:
            raise ValidationError({"tier_id": _("Choose one of the prize's tiers.")})
    decision = services.decision_record(
        actor=user, panel=panel, idea=idea, kind=payload.kind, reason=payload.reason, tier=tier
    )
    return Status(201, _decision_out(decision, idea.title))


def _results_out(user: Any, panel: Panel) -> dict[str, Any]:
    shown = permissions.sees_authors(user, panel)
    return {
        "challenge_id": panel.challenge_id,
        "published_at": panel.results_published_at,
        "summary": panel.results_summary,
        "results": [
            {
                "idea_id": idea.pk,
                "title": idea.title,
                "author": _author(idea, shown),
                "kind": d.kind,
                "tier": d.tier.name if d.tier else None,
                "amount": d.amount,
                "reason": d.reason,
            }
            for idea, d in selectors.published_results(panel)
        ],
    }


@router.post(
    "/challenges/{challenge_id}/panel/results",
    response={201: AppraisalResultsOut},
    summary="Publish the decisions that stand, with their reasons, once the panel is closed",
)
def appraisal_results_publish(
    request: HttpRequest, challenge_id: int, payload: AppraisalPublishIn
) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    panel = services.results_publish(actor=user, panel=_panel(challenge), summary=payload.summary)
    return Status(201, _results_out(user, panel))


@router.get(
    "/challenges/{challenge_id}/results",
    response=AppraisalResultsOut,
    summary="The published results with the panel's reasons (leads see them before)",
    **PUBLIC,
)
def appraisal_results(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    user = _caller(request)
    panel = _panel(_challenge(request, challenge_id))
    if not permissions.can_view_results(user, panel):
        raise Http404
    return _results_out(user, panel)


# Challenge prizes --------------------------------------------------------------------------


def _prize_out(prize: Prize) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "challenge_id": prize.challenge_id,
        "pot": prize.pot,
        "currency": prize.currency,
        "closes_at": prize.closes_at,
        "open": timezone.now() < prize.closes_at,
        "tiers": [
            {"id": t.pk, "name": t.name, "amount": t.amount, "places": t.places}
            for t in prize.tiers.all()
        ],
        "questions": [
            {"id": q.pk, "text": q.text, "required_answer": q.required_answer}
            for q in prize.questions.all()
        ],
    }


def _prize(challenge: Challenge) -> Prize:
    prize = Prize.objects.filter(challenge=challenge).first()
    if prize is None:
        raise Http404
    return prize


@router.get(
    "/challenges/{challenge_id}/prize",
    response=PrizeOut,
    summary="A challenge prize: its pot, tiers, eligibility questions and closing date",
    **PUBLIC,
)
def prize_detail(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    return _prize_out(_prize(_challenge(request, challenge_id)))


@router.post(
    "/challenges/{challenge_id}/prize",
    response={201: PrizeOut},
    summary="Set up a challenge prize: pot, tiers, eligibility questions, closing date (leads)",
)
def prize_create(request: HttpRequest, challenge_id: int, payload: PrizeIn) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    prize = services.prize_create(
        actor=user,
        challenge=challenge,
        pot=payload.pot,
        closes_at=payload.closes_at,
        currency=payload.currency,
        tiers=[(t.name, t.amount, t.places) for t in payload.tiers],
        questions=payload.questions,
    )
    return Status(201, _prize_out(prize))


@router.put(
    "/challenges/{challenge_id}/prize/tiers",
    response=PrizeOut,
    summary="Change, add and remove the prize's tiers until judging begins (leads)",
)
def prize_tiers_change(request: HttpRequest, challenge_id: int, payload: PrizeTiersIn) -> Any:
    user, challenge = _run(request, challenge_id)
    prize = _prize(challenge)
    prize.challenge = challenge
    changed = services.prize_tiers_change(
        actor=user,
        prize=prize,
        tiers=[(t.id, t.name, t.amount, t.places) for t in payload.tiers],
    )
    return _prize_out(changed)


@router.put(
    "/ideas/{idea_id}/eligibility",
    response={204: None},
    summary="Answer the prize's eligibility questions for your entry (its authors)",
)
def prize_eligibility(request: HttpRequest, idea_id: int, payload: PrizeAnswersIn) -> Status[Any]:
    user = signed_in_user(request)
    idea = _visible_idea(request, idea_id)
    prize = Prize.objects.filter(challenge_id=idea.challenge_id).first()
    if prize is None:
        raise Http404
    services.eligibility_answer(
        actor=user,
        prize=prize,
        idea=idea,
        answers={a.question_id: a.answer for a in payload.answers},
    )
    return Status(204, None)


# Fund rounds -------------------------------------------------------------------------------


def _fund(challenge: Challenge) -> FundRound:
    fund_round = FundRound.objects.filter(challenge=challenge).first()
    if fund_round is None:
        raise Http404
    return fund_round


def _fund_out(fund_round: FundRound, runs: bool) -> dict[str, Any]:
    committed = selectors.fund_committed(fund_round) if runs else None
    return {
        "challenge_id": fund_round.challenge_id,
        "budget": fund_round.budget,
        "currency": fund_round.currency,
        "max_award": fund_round.max_award,
        "outcome_based": fund_round.outcome_based,
        "committed": committed,
        "remaining": None if committed is None else fund_round.budget - committed,
        "paid": selectors.fund_paid(fund_round) if runs else None,
    }


@router.get(
    "/challenges/{challenge_id}/fund",
    response=FundOut,
    summary="A fund round: its budget and rules; for its leads, what is awarded, left and paid",
    **PUBLIC,
)
def fund_detail(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    challenge = _challenge(request, challenge_id)
    runs = permissions.can_run_appraisal(_caller(request), challenge)
    return _fund_out(_fund(challenge), runs)


@router.post(
    "/challenges/{challenge_id}/fund",
    response={201: FundOut},
    summary="Set up the fund round of a fund-round challenge (leads)",
)
def fund_create(request: HttpRequest, challenge_id: int, payload: FundIn) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    fund_round = services.fund_round_create(actor=user, challenge=challenge, **payload.dict())
    return Status(201, _fund_out(fund_round, True))


def _application_out(application: Application, shown: bool) -> dict[str, Any]:
    grant = getattr(application, "grant", None)
    payments = list(grant.payments.all()) if grant else []
    paid = sum(p.amount for p in payments)
    return {
        "id": application.pk,
        "idea_id": application.idea_id,
        "title": application.idea.title,
        "applicant": _person(application.applicant) if shown else None,
        "organisation_name": application.organisation_name if shown else None,
        "amount_requested": application.amount_requested,
        "plan": application.plan,
        "outcomes": application.outcomes,
        "milestones": [_milestone_out(m) for m in application.milestones.all()],
        "grant": {
            "amount": grant.amount,
            "reason": grant.reason,
            "letter": grant.letter,
            "awarded_at": grant.awarded_at,
            "paid": paid,
            "left_to_pay": grant.amount - paid,
        }
        if grant
        else None,
        "reports": [
            {
                "id": r.pk,
                "milestone_id": r.milestone_id,
                "report": r.report,
                "outcome_achieved": r.outcome_achieved,
                "reported_at": r.reported_at,
            }
            for m in application.milestones.all()
            for r in m.reports.all()
        ],
        "payments": [
            {
                "id": p.pk,
                "milestone_id": p.milestone_id,
                "amount": p.amount,
                "note": p.note,
                "paid_at": p.paid_at,
            }
            for p in payments
        ],
    }


def _applications() -> Any:
    return Application.objects.select_related(
        "idea", "applicant", "grant", "fund_round__challenge__organisation"
    ).prefetch_related("milestones__reports", "grant__payments")


def _shown_to(user: Any, challenge: Challenge) -> bool:
    return permissions.sees_authors(user, selectors.panel_of(challenge))


@router.get(
    "/challenges/{challenge_id}/fund/applications",
    response=list[FundApplicationOut],
    summary="The round's applications with their grants, reports and payments (leads)",
)
@paginate(PageNumberPagination)
def fund_applications(request: HttpRequest, challenge_id: int) -> Any:
    user, challenge = _run(request, challenge_id)
    fund_round = _fund(challenge)
    shown = _shown_to(user, challenge)
    return _Page(
        _applications().filter(fund_round=fund_round).order_by("id"),
        lambda a: _application_out(a, shown),
    )


@router.post(
    "/challenges/{challenge_id}/fund/applications",
    response={201: FundApplicationOut},
    summary="Apply for a grant for your idea, with the amount, plan and milestones (its authors)",
)
def fund_apply(request: HttpRequest, challenge_id: int, payload: FundApplicationIn) -> Status[Any]:
    user = signed_in_user(request)
    challenge = _challenge(request, challenge_id)
    fund_round = _fund(challenge)
    idea = _entry(challenge, payload.idea_id)
    application = services.application_submit(
        actor=user,
        fund_round=fund_round,
        idea=idea,
        amount_requested=payload.amount_requested,
        plan=payload.plan,
        outcomes=payload.outcomes,
        organisation_name=payload.organisation_name,
        milestones=[m.dict() for m in payload.milestones],
    )
    return Status(201, _application_out(_applications().get(pk=application.pk), True))


def _application(request: HttpRequest, application_id: int) -> tuple[Any, Application, bool]:
    """The application if the caller may see it: its authors and the round's leads (404 for
    others who cannot see the challenge, 403 for those who can). Returns whether the caller
    runs the round."""
    user = signed_in_user(request)
    application = (
        _applications().filter(pk=application_id).first() if application_id <= MAX_ID else None
    )
    if application is None:
        raise Http404
    challenge = _challenge(request, application.fund_round.challenge_id)
    runs = permissions.can_run_appraisal(user, challenge)
    if not (runs or permissions.is_author(user, application.idea)):
        raise PermissionDenied(_("Only the applicants and the round's leads see an application."))
    return user, application, runs


@router.get(
    "/fund-applications/{application_id}",
    response=FundApplicationOut,
    summary="An application, its grant and award letter, reports and payments",
)
def fund_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    user, application, _runs = _application(request, application_id)
    shown = _shown_to(user, application.fund_round.challenge)
    return _application_out(application, shown)


def _reloaded(user: Any, application: Application) -> dict[str, Any]:
    return _application_out(
        _applications().get(pk=application.pk),
        _shown_to(user, application.fund_round.challenge),
    )


@router.post(
    "/fund-applications/{application_id}/grant",
    response={201: FundApplicationOut},
    summary="Award a grant, never more than the fund has left, with the reason (leads)",
)
def fund_grant(request: HttpRequest, application_id: int, payload: FundGrantIn) -> Status[Any]:
    user, application, runs = _application(request, application_id)
    if not runs:
        raise PermissionDenied(_("Only innovation leads and administrators award grants."))
    services.grant_award(actor=user, application=application, **payload.dict())
    return Status(201, _reloaded(user, application))


@router.post(
    "/fund-applications/{application_id}/reports",
    response={201: FundApplicationOut},
    summary="Report on a milestone of a funded application (the grant holder or leads)",
)
def fund_report(request: HttpRequest, application_id: int, payload: FundReportIn) -> Status[Any]:
    user, application, _runs = _application(request, application_id)
    milestone = application.milestones.filter(pk=payload.milestone_id).first()
    if milestone is None:
        raise ValidationError({"milestone_id": _("Choose a milestone of this application.")})
    services.milestone_report(
        actor=user,
        milestone=milestone,
        report=payload.report,
        outcome_achieved=payload.outcome_achieved,
    )
    return Status(201, _reloaded(user, application))


@router.post(
    "/fund-applications/{application_id}/payments",
    response={201: FundApplicationOut},
    summary="Record a payment against the grant, for a milestone where there is one (leads)",
)
def fund_payment(request: HttpRequest, application_id: int, payload: FundPaymentIn) -> Status[Any]:
    user, application, runs = _application(request, application_id)
    if not runs:
        raise PermissionDenied(_("Only innovation leads and administrators record payments."))
    grant = getattr(application, "grant", None)
    if grant is None:
        raise ValidationError({"amount": _("Payments are made once a grant is awarded.")})
    milestone = None
    if payload.milestone_id is not None:
        milestone = application.milestones.filter(pk=payload.milestone_id).first()
        if milestone is None:
            raise ValidationError({"milestone_id": _("Choose a milestone of this grant.")})
    services.payment_record(
        actor=user, grant=grant, amount=payload.amount, milestone=milestone, note=payload.note
    )
    return Status(201, _reloaded(user, application))


# Hack days ---------------------------------------------------------------------------------


def _hack_day(challenge: Challenge) -> HackDay:
    hack_day = HackDay.objects.filter(challenge=challenge).first()
    if hack_day is None:
        raise Http404
    return hack_day


def _team_out(team: HackTeam) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "idea_id": team.idea_id,
        "skills_needed": list(team.skills_needed),
        "members": len(team.members.all()),
        "prototype": _prototype_out(getattr(team, "prototype", None)),
    }


def _hack_day_out(hack_day: HackDay) -> dict[str, Any]:
    registered = hack_day.registrations.count()
    teams = hack_day.teams.select_related("prototype").prefetch_related("members")
    return {
        "challenge_id": hack_day.challenge_id,
        "starts_at": hack_day.starts_at,
        "ends_at": hack_day.ends_at,
        "place": hack_day.place,
        "online_link": hack_day.online_link,
        "capacity": hack_day.capacity,
        "registered": registered,
        "places_left": max(hack_day.capacity - registered, 0),
        "teams": [_team_out(t) for t in teams],
    }


@router.get(
    "/challenges/{challenge_id}/hack-day",
    response=HackDayOut,
    summary="A hack day: when, where, places left, and its teams with the skills they need",
    **PUBLIC,
)
def hack_day_detail(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    return _hack_day_out(_hack_day(_challenge(request, challenge_id)))


@router.post(
    "/challenges/{challenge_id}/hack-day",
    response={201: HackDayOut},
    summary="Set up the event of a hack-day challenge (leads)",
)
def hack_day_create(request: HttpRequest, challenge_id: int, payload: HackDayIn) -> Status[Any]:
    user, challenge = _run(request, challenge_id)
    hack_day = services.hack_day_create(actor=user, challenge=challenge, **payload.dict())
    return Status(201, _hack_day_out(hack_day))


@router.post(
    "/challenges/{challenge_id}/hack-day/registrations",
    response={201: HackRegistrationOut},
    summary="Take a place at the hack day, with the skills you bring",
)
def hack_day_register(
    request: HttpRequest, challenge_id: int, payload: HackRegistrationIn
) -> Status[Any]:
    user = signed_in_user(request)
    hack_day = _hack_day(_challenge(request, challenge_id))
    registration = services.hack_day_register(actor=user, hack_day=hack_day, skills=payload.skills)
    return Status(201, {"challenge_id": hack_day.challenge_id, "skills": registration.skills})


@router.delete(
    "/challenges/{challenge_id}/hack-day/registrations",
    response=HackLeftOut,
    summary="Give up your place at the hack day before it ends; you leave your team too",
)
def hack_day_unregister(request: HttpRequest, challenge_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    hack_day = _hack_day(_challenge(request, challenge_id))
    return {"team": services.hack_day_unregister(actor=user, hack_day=hack_day) or None}


@router.post(
    "/challenges/{challenge_id}/hack-day/teams",
    response={201: HackTeamOut},
    summary="Form a team around an idea, with the skills it still needs (registered people)",
)
def hack_team_form(request: HttpRequest, challenge_id: int, payload: HackTeamIn) -> Status[Any]:
    user = signed_in_user(request)
    challenge = _challenge(request, challenge_id)
    hack_day = _hack_day(challenge)
    team = services.hack_team_form(
        actor=user,
        hack_day=hack_day,
        idea=_entry(challenge, payload.idea_id),
        name=payload.name,
        skills_needed=payload.skills_needed,
    )
    return Status(201, _team_out(team))


def _team(request: HttpRequest, hack_team_id: int) -> tuple[Any, HackTeam]:
    user = signed_in_user(request)
    team = (
        HackTeam.objects.select_related("hack_day__challenge").filter(pk=hack_team_id).first()
        if hack_team_id <= MAX_ID
        else None
    )
    if team is None:
        raise Http404
    _challenge(request, team.hack_day.challenge_id)
    return user, team


@router.post(
    "/hack-teams/{hack_team_id}/members",
    response={201: HackTeamOut},
    summary="Join a team; your skills come off the list it still needs (registered people)",
)
def hack_team_join(request: HttpRequest, hack_team_id: int) -> Status[Any]:
    user, team = _team(request, hack_team_id)
    services.hack_team_join(actor=user, team=team)
    return Status(201, _team_out(team))


@router.delete(
    "/hack-teams/{hack_team_id}/members",
    response=HackLeftOut,
    summary="Leave your team while the hack day runs and judging is open (its members)",
)
def hack_team_leave(request: HttpRequest, hack_team_id: int) -> dict[str, Any]:
    user, team = _team(request, hack_team_id)
    return {"team": services.hack_team_leave(actor=user, team=team)}


@router.put(
    "/hack-teams/{hack_team_id}/prototype",
    response=HackTeamOut,
    summary="Submit or change the team's prototype while judging is open (its members)",
)
def hack_prototype(request: HttpRequest, hack_team_id: int, payload: HackPrototypeIn) -> Any:
    user, team = _team(request, hack_team_id)
    services.prototype_submit(actor=user, team=team, **payload.dict())
    return _team_out(HackTeam.objects.select_related("prototype").get(pk=team.pk))
