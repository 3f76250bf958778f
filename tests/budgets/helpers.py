"""Builders for the budgets app's tests: a city budget with projects, open for voting."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from civicflow.budgets import services
from civicflow.budgets.models import Phase


def city_budget(lead: Any, organisation: Any, *, phase: str = Phase.VOTING, **fields: Any):
    """A 1,000 budget with four projects (600, 400, 300, 200), in ``phase``."""
    budget = services.budget_create(
        actor=lead,
        organisation=organisation,
        title=fields.pop("title", "Greener streets"),
        total=fields.pop("total", 1000),
        **fields,
    )
    for title, cost in (("Trees", 600), ("Benches", 400), ("Bike racks", 300), ("Bins", 200)):
        services.project_add(actor=lead, budget=budget, title=title, cost=cost)
    if phase != Phase.PROPOSALS:
        services.budget_move_phase(actor=lead, budget=budget, phase=phase)
    return budget


def ids(budget: Any) -> dict[str, str]:
    """Project ids as text, by title."""
    return {p.title: str(p.pk) for p in budget.projects.all()}


def window(budget: Any, *, opens: int = -1, closes: int = 1) -> None:
    """Set the voting window, in days from now."""
    now = timezone.now()
    budget.voting_opens_at = now + timedelta(days=opens)
    budget.voting_closes_at = now + timedelta(days=closes)
    budget.save()
