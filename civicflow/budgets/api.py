"""API endpoints for participatory budgets: budgets and their projects, your ballot, the
published results and the anonymised ballots as a pabulib ``.pb`` file.

Money is in whole currency units. A ballot's ``choices`` maps project ids to 1 (approval),
points (cumulative) or ranks (ranked, 1 first).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from civicflow.accounts import selectors as accounts_selectors
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.budgets import permissions, selectors, services
from civicflow.budgets.models import Budget, Phase

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
        {
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
        for r in budget.results.select_related("area").order_by("area__name", "rule", "id")
    ]


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
