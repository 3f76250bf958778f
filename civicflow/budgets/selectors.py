"""Reads for participatory budgets, each a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from civicflow.budgets import permissions
from civicflow.budgets.models import Budget, Project, Result
from civicflow.challenges.selectors import visible_challenges


def visible_budgets(user: Any) -> QuerySet[Budget]:
    """Organisation budgets, and the budgets of challenges ``user`` may see."""
    return Budget.objects.filter(
        Q(challenge__isnull=True) | Q(challenge__in=visible_challenges(user))
    ).select_related("organisation", "challenge")


def budgets_of(*, user: Any, organisation: Any) -> QuerySet[Budget]:
    return (
        visible_budgets(user)
        .filter(organisation=organisation)
        .annotate(project_count=Count("projects", distinct=True))
        .order_by("-created_at", "-id")
    )


def budget_get(*, user: Any, pk: int) -> Budget | None:
    """Return budget ``pk`` if ``user`` may see it."""
    budget = (
        Budget.objects.select_related("organisation", "challenge", "challenge__organisation")
        .filter(pk=pk)
        .first()
    )
    if budget is None or not permissions.can_view_budget(user, budget):
        return None
    return budget


def projects_of(*, budget: Budget) -> QuerySet[Project]:
    return budget.projects.select_related("area").order_by("area__name", "code", "id")


@dataclass(frozen=True)
class RuleResult:
    result: Result
    winners: list[Project]
    losers: list[dict[str, Any]]
    supporters: dict[str, int]
    money_left: int
    steps: list[dict[str, Any]]


@dataclass(frozen=True)
class AreaResults:
    name: str
    amount: int
    rules: list[RuleResult]
    checksum: str
    ballots: int


def results_of(*, budget: Budget) -> list[AreaResults]:
    """The published results, per district, greedy and MES side by side (two queries)."""
    projects = {str(p.pk): p for p in projects_of(budget=budget)}
    grouped: dict[int | None, list[Result]] = {}
    names: dict[int | None, tuple[str, int]] = {}
    for result in budget.results.select_related("area").order_by("area__name", "rule", "id"):
        grouped.setdefault(result.area_id, []).append(result)
        names[result.area_id] = (result.area.name if result.area else "", result.amount)
    out = []
    for area_id, results in grouped.items():
        rules = []
        for result in results:
            selected = [projects[pid] for pid in result.selected if pid in projects]
            chosen = set(result.selected)
            supporters = result.explanation.get("supporters", {})
            shortfalls = result.explanation.get("more_support_needed", {})
            money_short = result.explanation.get("mes_shortfalls", {})
            losers = [
                {
                    "project": p,
                    "supporters": supporters.get(pid, 0),
                    # Whether the count says what it needed; then None means nothing would do.
                    "known": pid in shortfalls,
                    "needed": shortfalls.get(pid),
                    "money_short": money_short.get(pid, {}).get("money_short_display"),
                }
                for pid, p in projects.items()
                if pid not in chosen and (area_id is None or p.area_id == area_id)
            ]
            steps = [
                {**step, "title": projects[step["project"]].title}
                for step in result.explanation.get("mes_steps", [])
                if step["project"] in projects
            ]
            rules.append(
                RuleResult(
                    result=result,
                    winners=selected,
                    losers=losers,
                    supporters=supporters,
                    money_left=result.amount - result.total_cost,
                    steps=steps,
                )
            )
        name, amount = names[area_id]
        out.append(
            AreaResults(
                name=name,
                amount=amount,
                rules=rules,
                checksum=results[0].checksum,
                ballots=results[0].ballots_counted,
            )
        )
    return out


def project_get(*, budget: Budget, pk: int) -> Project | None:
    return budget.projects.filter(pk=pk).first()
