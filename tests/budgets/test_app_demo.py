"""The demo budgets: districts, several hundred ballots, both results published; loaded once."""

from __future__ import annotations

import pytest

from civicflow.budgets.demo import TITLE, load_demo
from civicflow.budgets.models import Budget, Phase
from civicflow.demo.network import demo_load


@pytest.fixture
def demo(db):
    demo_load()
    load_demo()


def test_the_city_budget_has_districts_ballots_and_results(demo):
    budget = Budget.objects.get(title=TITLE)
    assert budget.phase == Phase.RESULTS
    assert budget.areas.count() == 3
    assert budget.ballots.count() >= 300
    results = list(budget.results.all())
    assert {r.rule for r in results} == {"greedy", "mes"}
    assert len(results) == 6
    for result in results:
        assert result.total_cost <= result.amount
    # Equal shares funds the smaller groups' projects that greedy leaves out somewhere.
    by_area: dict[int | None, dict[str, list[str]]] = {}
    for r in results:
        by_area.setdefault(r.area_id, {})[r.rule] = r.selected
    assert any(set(rules["mes"]) != set(rules["greedy"]) for rules in by_area.values())
    assert Budget.objects.filter(phase=Phase.VOTING).exists()
    assert Budget.objects.count() == 2
