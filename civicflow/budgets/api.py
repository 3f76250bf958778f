"""API endpoints for participatory budgets: budgets and their projects, your ballot, the
published results and the anonymised ballots as a pabulib ``.pb`` file; and, for the
organisation's innovation leads and administrators, creating a budget, adding projects, moving
its phase, importing a ``.pb`` file and publishing the results.

Money is in whole currency units. A ballot's ``choices`` maps project ids to 1 (approval),
points (cumulative) or ranks (ranked, 1 first).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, File, Router, Schema, Status, UploadedFile
from ninja.pagination import paginate

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Organisation
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.budgets import permissions, selectors, services
from civicflow.budgets.models import Budget, Phase, Project
from civicflow.budgets.views import MAX_IMPORT_BYTES
from civicflow.challenges.selectors import visible_challenges

router = Router(tags=["Participatory budgets"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class BudgetAreaOut(Schema):
    id: int
    kind: str
    name: str
    amount: int


class BudgetOut(Schema):
    id: int
    organisation: str = Field(description="The organisation's slug.")
    challenge_id: int | None
    title: str
    description: str
    total: int = Field(description="Whole currency units.")
    currency: str
    ballot_kind: str
    min_choices: int
    max_choices: int | None
    points: int | None
    max_points_per_project: int | None
    eligibility: str
    phase: str
    voting_opens_at: datetime | None
    voting_closes_at: datetime | None
    voting_open: bool


class BudgetProjectOut(Schema):
    id: int
    code: str = Field(description="The project's id in imported or exported .pb files.")
    title: str
    description: str
    cost: int
    category: str
    area_id: int | None
    location: str


class BudgetDetailOut(BudgetOut):
    areas: list[BudgetAreaOut]
    projects: list[BudgetProjectOut]


class BudgetBallotIn(Schema):
    choices: dict[str, int] = Field(
        description="Project id → 1 (approval), points (cumulative) or rank (ranked, 1 first)."
    )


class BudgetBallotOut(Schema):
    budget_id: int
    choices: dict[str, int]
    total_cost: int
    updated_at: datetime | None = Field(description="null if you have not voted.")


class BudgetResultOut(Schema):
    area_id: int | None
    area: str
    rule: str
    utility: str
    completion: str
    tie_break: str
    selected: list[int] = Field(description="Project ids in the order they were chosen.")
    total_cost: int
    amount: int
    money_left: int
    ballots_counted: int
    checksum: str = Field(description="SHA-256 of the exported .pb file that was counted.")
    explanation: dict[str, Any]


def _budget(request: HttpRequest, budget_id: int) -> Budget:
    user = request.auth.user  # type: ignore[attr-defined]
    budget = selectors.budget_get(user=user, pk=budget_id)
    if budget is None:
        raise Http404
    return budget


def _out(budget: Budget) -> dict[str, Any]:
    return {
        "id": budget.pk,
        "organisation": budget.organisation.slug,
        "challenge_id": budget.challenge_id,
        "title": budget.title,
        "description": budget.description,
        "total": budget.total,
        "currency": budget.currency,
        "ballot_kind": budget.ballot_kind,
        "min_choices": budget.min_choices,
        "max_choices": budget.max_choices,
        "points": budget.points,
        "max_points_per_project": budget.max_points_per_project,
        "eligibility": budget.eligibility,
        "phase": budget.phase,
        "voting_opens_at": budget.voting_opens_at,
        "voting_closes_at": budget.voting_closes_at,
        "voting_open": budget.voting_is_open(),
    }


@router.get(
    "/organisations/{slug}/budgets",
    response=list[BudgetOut],
    summary="An organisation's participatory budgets",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def budget_list(request: HttpRequest, slug: str) -> Any:
    if not SLUG.fullmatch(slug):
        raise Http404
    organisation = accounts_selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    budgets = selectors.budgets_of(user=request.auth.user, organisation=organisation)  # type: ignore[attr-defined]
    return [_out(b) for b in budgets.order_by("-created_at", "-id")]


@router.get(
    "/budgets/{budget_id}",
    response=BudgetDetailOut,
    summary="A participatory budget with its districts and projects",
    **PUBLIC,
)
def budget_detail(request: HttpRequest, budget_id: int) -> dict[str, Any]:
    budget = _budget(request, budget_id)
    return {
        **_out(budget),
        "areas": [
            {"id": a.pk, "kind": a.kind, "name": a.name, "amount": a.amount}
            for a in budget.areas.all()
        ],
        "projects": [
            {
                "id": p.pk,
                "code": p.code,
                "title": p.title,
                "description": p.description,
                "cost": p.cost,
                "category": p.category,
                "area_id": p.area_id,
                "location": p.location,
            }
            for p in selectors.projects_of(budget=budget)
        ],
    }


def _ballot_out(budget: Budget, ballot: Any) -> dict[str, Any]:
    choices = ballot.choices if ballot is not None else {}
    costs = dict(budget.projects.values_list("pk", "cost"))
    return {
        "budget_id": budget.pk,
        "choices": choices,
        "total_cost": sum(costs.get(int(k), 0) for k in choices),
        "updated_at": ballot.updated_at if ballot is not None else None,
    }


@router.get(
    "/budgets/{budget_id}/ballot",
    response=BudgetBallotOut,
    summary="Your ballot in a budget (no choices if you have not voted)",
)
def my_ballot_get(request: HttpRequest, budget_id: int) -> dict[str, Any]:
    user = signed_in_user(request)
    budget = _budget(request, budget_id)
    return _ballot_out(budget, services.my_ballot(user=user, budget=budget))


@router.put(
    "/budgets/{budget_id}/ballot",
    response=BudgetBallotOut,
    summary="Cast or change your ballot while voting is open",
)
def my_ballot_put(request: HttpRequest, budget_id: int, payload: BudgetBallotIn) -> dict[str, Any]:
    user = signed_in_user(request)
    budget = _budget(request, budget_id)
    ballot = services.ballot_cast(actor=user, budget=budget, choices=payload.choices)
    return _ballot_out(budget, ballot)


@router.get(
    "/budgets/{budget_id}/results",
    response=list[BudgetResultOut],
    summary="The published results, greedy and the Method of Equal Shares, per district",
    **PUBLIC,
)
def budget_results(request: HttpRequest, budget_id: int) -> list[dict[str, Any]]:
    budget = _budget(request, budget_id)
    return [
        _result_out(r)
        for r in budget.results.select_related("area").order_by("area__name", "rule", "id")
    ]


def _result_out(r: Any) -> dict[str, Any]:
    return {
        "area_id": r.area_id,
        "area": r.area.name if r.area else "",
        "rule": r.rule,
        "utility": r.utility,
        "completion": r.completion,
        "tie_break": r.tie_break,
        "selected": [int(pid) for pid in r.selected],
        "total_cost": r.total_cost,
        "amount": r.amount,
        "money_left": r.amount - r.total_cost,
        "ballots_counted": r.ballots_counted,
        "checksum": r.checksum,
        "explanation": r.explanation,
    }


@router.get(
    "/budgets/{budget_id}/export.pb",
    summary="The projects and anonymised ballots as a .pb file (anyone once results are out)",
    **PUBLIC,
)
def budget_export(request: HttpRequest, budget_id: int) -> HttpResponse:
    budget = _budget(request, budget_id)
    if budget.phase != Phase.RESULTS and not permissions.can_run_budget(
        signed_in_user(request), budget
    ):
        raise PermissionDenied("The ballots can be downloaded once the results are published.")
    response = HttpResponse(
        services.export_pb(budget=budget), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}.pb"'
    return response


# Running a budget (the organisation's innovation leads and administrators) ------------------


class BudgetIn(Schema):
    title: str
    total: int = Field(description="Whole currency units.")
    description: str = ""
    currency: str = "GBP"
    ballot_kind: str = Field(
        "approval_budget",
        description="approval_budget, approval, cumulative or ranked.",
    )
    min_choices: int = 0
    max_choices: int | None = None
    points: int | None = Field(None, description="Points each voter spreads (cumulative).")
    max_points_per_project: int | None = None
    eligibility: str = Field("residents", description="Who may vote: residents, list or codes.")
    voting_opens_at: datetime | None = None
    voting_closes_at: datetime | None = None
    areas: dict[str, int] | None = Field(
        None, description="District name → its budget, in whole currency units."
    )
    challenge_id: int | None = Field(None, description="A challenge of this organisation.")


class BudgetProjectIn(Schema):
    title: str
    cost: int = Field(description="Whole currency units.")
    code: str = Field("", description="The project's id in .pb files; empty for the next number.")
    description: str = ""
    category: str = ""
    area_id: int | None = Field(None, description="One of the budget's districts.")
    location: str = ""


class BudgetPhaseIn(Schema):
    phase: str = Field(description="proposals, review, voting or results.")
    reason: str = ""


class BudgetImportOut(Schema):
    projects: int
    ballots: int


class BudgetPublishIn(Schema):
    utility: str = Field("cost", description="What a supporter gains from a project (MES).")
    completion: str = Field("add1", description="How to spend the money MES leaves.")
    tie_break: str = Field("id", description="How ties are broken.")


class BudgetPublishOut(Schema):
    queued: bool = Field(
        description="true if the ballots are being counted in the background; the results are "
        "published when the count is done."
    )
    results: list[BudgetResultOut] = Field(description="The published results; empty if queued.")


def _organisation_to_run(request: HttpRequest, slug: str) -> tuple[Any, Organisation]:
    """As the create page: hidden from outsiders, 403 for members who lack the role."""
    user = signed_in_user(request)
    organisation = accounts_selectors.organisation_get(slug=slug) if SLUG.fullmatch(slug) else None
    if organisation is None or not (
        permissions.can_manage_budgets(user, organisation)
        or accounts_selectors.is_member(user, organisation)
    ):
        raise Http404
    if not permissions.can_manage_budgets(user, organisation):
        raise PermissionDenied("Only innovation leads and administrators run budgets.")
    return user, organisation


def _budget_to_run(request: HttpRequest, budget_id: int) -> tuple[Any, Budget]:
    """As the manage page: 404 if you cannot see the budget, 403 if you cannot run it."""
    user = signed_in_user(request)
    budget = _budget(request, budget_id)
    if not permissions.can_run_budget(user, budget):
        raise PermissionDenied("Only innovation leads and administrators run budgets.")
    return user, budget


def _project_out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "code": p.code,
        "title": p.title,
        "description": p.description,
        "cost": p.cost,
        "category": p.category,
        "area_id": p.area_id,
        "location": p.location,
    }


@router.post(
    "/organisations/{slug}/budgets",
    response={201: BudgetOut},
    summary="Start a participatory budget (innovation leads and administrators)",
)
def budget_create(request: HttpRequest, slug: str, payload: BudgetIn) -> Status[Any]:
    user, organisation = _organisation_to_run(request, slug)
    challenge = None
    if payload.challenge_id is not None:
        challenge = visible_challenges(user).filter(pk=payload.challenge_id).first()
        if challenge is None:
            raise ValidationError({"challenge_id": "Choose a challenge of this organisation."})
    budget = services.budget_create(
        actor=user,
        organisation=organisation,
        challenge=challenge,
        **payload.dict(exclude={"challenge_id"}),
    )
    return Status(201, _out(budget))


@router.post(
    "/budgets/{budget_id}/projects",
    response={201: BudgetProjectOut},
    summary="Add a project before voting starts (innovation leads and administrators)",
)
def budget_project_add(
    request: HttpRequest, budget_id: int, payload: BudgetProjectIn
) -> Status[Any]:
    user, budget = _budget_to_run(request, budget_id)
    area = None
    if payload.area_id is not None:
        area = budget.areas.filter(pk=payload.area_id).first()
        if area is None:
            raise ValidationError({"area_id": "Choose a district of this budget."})
    project = services.project_add(
        actor=user, budget=budget, area=area, **payload.dict(exclude={"area_id"})
    )
    return Status(201, _project_out(project))


@router.post(
    "/budgets/{budget_id}/phase",
    response=BudgetOut,
    summary="Move a budget to another phase (innovation leads and administrators)",
)
def budget_phase_move(
    request: HttpRequest, budget_id: int, payload: BudgetPhaseIn
) -> dict[str, Any]:
    user, budget = _budget_to_run(request, budget_id)
    services.budget_move_phase(
        actor=user, budget=budget, phase=payload.phase, reason=payload.reason
    )
    return _out(budget)


PB_FILE = File(..., description="A pabulib .pb file.")


@router.post(
    "/budgets/{budget_id}/import",
    response=BudgetImportOut,
    summary="Import a .pb file's projects and ballots into an empty budget (leads)",
    description="Send the pabulib .pb file as multipart form data, as `file` (UTF-8, under "
    "50 MB). A file that cannot be read answers 422, naming the line; nothing is stored.",
)
def budget_import(
    request: HttpRequest,
    budget_id: int,
    file: UploadedFile = PB_FILE,
) -> dict[str, int]:
    user, budget = _budget_to_run(request, budget_id)
    if file.size is not None and file.size > MAX_IMPORT_BYTES:
        raise ValidationError({"file": "The file must be smaller than 50 MB."})
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError({"file": "The file must be UTF-8 text."}) from error
    projects, ballots = services.pb_import(actor=user, budget=budget, text=text)
    return {"projects": projects, "ballots": ballots}


@router.post(
    "/budgets/{budget_id}/results",
    response={201: BudgetPublishOut, 202: BudgetPublishOut},
    summary="Count the ballots and publish the results (innovation leads and administrators)",
    description="Counts greedy and the Method of Equal Shares, per district. For many ballots "
    "the count runs in the background: the answer is 202 and the results appear when it is "
    "done.",
)
def budget_results_publish(
    request: HttpRequest, budget_id: int, payload: BudgetPublishIn
) -> Status[Any]:
    user, budget = _budget_to_run(request, budget_id)
    queued = services.results_publish_request(actor=user, budget=budget, **payload.dict())
    if queued:
        return Status(202, {"queued": True, "results": []})
    results = budget.results.select_related("area").order_by("area__name", "rule", "id")
    return Status(201, {"queued": False, "results": [_result_out(r) for r in results]})


# Who may vote, paper voting codes and paper ballots (innovation leads and administrators) ----


class BudgetVotersIn(Schema):
    emails: list[str] = Field(
        description="Everyone who may vote; replaces the list. Blank entries are skipped and "
        "repeats kept once.",
        max_length=100_000,
    )


class BudgetVotersOut(Schema):
    count: int
    emails: list[str]


class BudgetCodesIn(Schema):
    how_many: int = Field(description="How many single-use codes to make (1 to 10,000).")


class BudgetCodesOut(Schema):
    issued: int = Field(description="Codes made for this budget so far.")
    used: int = Field(description="Codes already used to vote.")


class BudgetNewCodesOut(BudgetCodesOut):
    codes: list[str] = Field(
        description="The new codes. Only their hashes are kept: this is the one time they "
        "can be read."
    )


class BudgetPaperBallotIn(BudgetBallotIn):
    code: str = Field("", description="The voter's paper code, where the budget uses codes.")
    reference: str = Field(
        "",
        max_length=64,
        description="The paper ballot's own number; made up if not given. A reference can be "
        "entered once.",
    )


class BudgetPaperBallotOut(Schema):
    id: int
    reference: str
    choices: dict[str, int]
    area_id: int | None
    entered_by: str = Field(description="The official who entered it.")
    entered_at: datetime


def _voters_out(budget: Budget) -> dict[str, Any]:
    emails = list(budget.eligible_voters.order_by("email").values_list("email", flat=True))
    return {"count": len(emails), "emails": emails}


def _codes_out(budget: Budget) -> dict[str, int]:
    codes = budget.codes.all()
    return {"issued": codes.count(), "used": codes.filter(used_at__isnull=False).count()}


def _paper_out(ballot: Any) -> dict[str, Any]:
    official = ballot.entered_by
    return {
        "id": ballot.pk,
        "reference": ballot.reference,
        "choices": ballot.choices,
        "area_id": ballot.area_id,
        "entered_by": (official.name or official.email) if official is not None else "",
        "entered_at": ballot.created_at,
    }


@router.get(
    "/budgets/{budget_id}/eligible-voters",
    response=BudgetVotersOut,
    summary="The list of people who may vote (innovation leads and administrators)",
)
def budget_voters_get(request: HttpRequest, budget_id: int) -> dict[str, Any]:
    _user, budget = _budget_to_run(request, budget_id)
    return _voters_out(budget)


@router.put(
    "/budgets/{budget_id}/eligible-voters",
    response=BudgetVotersOut,
    summary="Replace the list of people who may vote (innovation leads and administrators)",
    description="A line that is not an email address answers 422, naming it; the list is "
    "then unchanged.",
)
def budget_voters_put(
    request: HttpRequest, budget_id: int, payload: BudgetVotersIn
) -> dict[str, Any]:
    user, budget = _budget_to_run(request, budget_id)
    services.eligible_voters_set(actor=user, budget=budget, emails=payload.emails)
    return _voters_out(budget)


@router.get(
    "/budgets/{budget_id}/codes",
    response=BudgetCodesOut,
    summary="How many paper voting codes were made and used (innovation leads and administrators)",
)
def budget_codes_get(request: HttpRequest, budget_id: int) -> dict[str, int]:
    _user, budget = _budget_to_run(request, budget_id)
    return _codes_out(budget)


@router.post(
    "/budgets/{budget_id}/codes",
    response={201: BudgetNewCodesOut},
    summary="Make single-use paper voting codes (innovation leads and administrators)",
)
def budget_codes_issue(request: HttpRequest, budget_id: int, payload: BudgetCodesIn) -> Status[Any]:
    user, budget = _budget_to_run(request, budget_id)
    codes = services.codes_issue(actor=user, budget=budget, how_many=payload.how_many)
    return Status(201, {**_codes_out(budget), "codes": codes})


@router.get(
    "/budgets/{budget_id}/paper-ballots",
    response=list[BudgetPaperBallotOut],
    summary="The paper ballots entered, with who entered each (innovation leads and "
    "administrators)",
)
@paginate(PageNumberPagination)
def budget_paper_ballots(request: HttpRequest, budget_id: int) -> Any:
    _user, budget = _budget_to_run(request, budget_id)
    ballots = budget.ballots.filter(entered_by__isnull=False).select_related("entered_by")
    return [_paper_out(b) for b in ballots.order_by("id")]


@router.post(
    "/budgets/{budget_id}/paper-ballots",
    response={201: BudgetPaperBallotOut},
    summary="Enter a paper ballot while voting is open (innovation leads and administrators)",
    description="Checked like any ballot. Where the budget uses codes, the voter's code is "
    "needed and is used up. Every entry is in the audit log with who entered it.",
)
def budget_paper_ballot_enter(
    request: HttpRequest, budget_id: int, payload: BudgetPaperBallotIn
) -> Status[Any]:
    user, budget = _budget_to_run(request, budget_id)
    ballot = services.paper_ballot_enter(
        actor=user,
        budget=budget,
        choices=payload.choices,
        code=payload.code,
        reference=payload.reference,
    )
    return Status(201, _paper_out(ballot))
