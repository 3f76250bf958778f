"""Explanations of the Method of Equal Shares: who paid what, and what the losers lacked."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicflow.budgets.counting import Completion, Instance, Rule, TieBreak, Utility, count
from civicflow.budgets.counting.explain import (
    MesExplanation,
    PaymentGroup,
    explain_mes,
    explain_outcome,
)
from tests.budgets.test_properties import instances
from tests.budgets.test_rules import COSTS, VOTERS_1, VOTERS_2, election

F = Fraction


def by_id(explanation: MesExplanation) -> dict[str, object]:
    found: dict[str, object] = {p.project_id: p for p in explanation.purchases}
    found.update({s.project_id: s for s in explanation.shortfalls})
    return found


def test_equalshares_example_1_payments_and_shortfalls():
    explanation = explain_mes(election(1100, COSTS, VOTERS_1))
    assert explanation.share == 100
    assert [p.project_id for p in explanation.purchases] == ["bike", "playground", "library"]
    bike, playground, library = explanation.purchases
    assert bike.rho == F(1, 7)
    assert bike.payments == (PaymentGroup(7, F(100), False),)
    assert playground.payments == (PaymentGroup(4, F(50), False),)
    assert library.supporters == 3
    assert library.payments == (PaymentGroup(3, F(100, 3), False),)
    found = by_id(explanation)
    # The gym: with 2 more supporters its 8 pay 50 each, rho 1/8 beats the bike's 1/7 (with 1
    # more it ties at 1/7 and the bike goes first by name).
    assert found["gym"].extra_supporters == 2
    assert found["gym"].money_short == 400
    # The park: with 2 more, it ties the bike (lost by name), then ties the playground at 1/4
    # with 62.50 from each of 4 supporters with money left, and goes first by name.
    assert found["park"].extra_supporters == 2
    assert found["park"].supporters == 5
    assert found["park"].money_short == 250 - F(100, 3)


def test_equalshares_example_2_supporters_short_of_money_pay_all_they_have():
    explanation = explain_mes(election(1100, COSTS, VOTERS_2))
    assert [p.project_id for p in explanation.purchases] == ["gym", "park", "playground"]
    park = explanation.purchases[1]
    assert park.rho == F(17, 70)
    # Voters 2, 4 and 5 paid 400/7 for the gym and have 300/7 left, less than their part.
    assert park.payments == (PaymentGroup(2, F(425, 7), False), PaymentGroup(3, F(300, 7), True))
    assert sum(g.voters * g.payment for g in park.payments) == 250


def test_a_project_over_the_budget_cannot_be_bought_at_any_support():
    instance = election(100, {"a": 60, "b": 150}, [["a"], ["b"], ["a", "b"]])
    found = by_id(explain_mes(instance))
    assert found["b"].extra_supporters is None
    assert found["b"].money_short > 0


def test_completion_projects_are_listed_apart():
    instance = election(1100, COSTS, VOTERS_1)
    outcome = count(instance, rule=Rule.MES, completion=Completion.ADD1_GREEDY)
    explanation = explain_outcome(instance, outcome)
    assert explanation.share == outcome.mes_share
    mes = [p.project_id for p in explanation.purchases]
    assert list(outcome.selected) == mes + list(explanation.completed)
    assert not {s.project_id for s in explanation.shortfalls} & set(explanation.completed)


def selected_with_extra(instance: Instance, project: str, extra: int, share, utility, tie_break):
    """Recount from ``share`` with ``extra`` more voters choosing only ``project``."""
    points = (
        max((b[project] for b in instance.ballots if b.get(project, 0) > 0), default=F(1))
        if utility is Utility.POINTS
        else F(1)
    )
    ballots = [*instance.ballots, *([{project: points}] * extra)]
    voters = len(ballots)
    more = Instance(share * voters, instance.costs, ballots, has_points=instance.has_points)
    return count(more, rule=Rule.MES, utility=utility, tie_break=tie_break).selected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_shortfalls_are_the_fewest_extra_supporters(data):
    instance = data.draw(instances())
    utilities = list(Utility) if instance.has_points else [Utility.COST, Utility.APPROVAL]
    utility = data.draw(st.sampled_from(utilities))
    tie_break = data.draw(st.sampled_from(list(TieBreak)))
    explanation = explain_mes(instance, utility, tie_break)
    outcome = count(instance, rule=Rule.MES, utility=utility, tie_break=tie_break)
    assert tuple(p.project_id for p in explanation.purchases) == outcome.selected
    for purchase in explanation.purchases:
        if purchase.rho is not None:
            assert sum(g.voters * g.payment for g in purchase.payments) == purchase.cost
    share = explanation.share
    for shortfall in explanation.shortfalls:
        k = shortfall.extra_supporters
        if k is None:
            assert (
                shortfall.cost > instance.budget
                or share == 0
                or (utility is Utility.COST and shortfall.cost == 0)
            )
            continue
        assert k >= 1
        args = (shortfall.project_id, share, utility, tie_break)
        assert shortfall.project_id in selected_with_extra(instance, args[0], k, *args[1:])
        assert shortfall.project_id not in selected_with_extra(instance, args[0], k - 1, *args[1:])


def test_shortfalls_on_a_real_file_are_the_fewest_extra_supporters():
    from tests.budgets.test_real_files import DATA, FILES, instance

    if not DATA.is_dir():
        pytest.skip(f"the real pabulib files are not here: {DATA} is missing")
    real = instance(FILES[0])
    explanation = explain_mes(real)
    share = explanation.share
    checked = 0
    for shortfall in explanation.shortfalls:
        k = shortfall.extra_supporters
        if k is None:
            continue
        args = (share, Utility.COST, TieBreak.ID)
        assert shortfall.project_id in selected_with_extra(real, shortfall.project_id, k, *args)
        assert shortfall.project_id not in selected_with_extra(
            real, shortfall.project_id, k - 1, *args
        )
        checked += 1
    assert checked
