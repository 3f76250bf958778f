"""Counting rules on small elections worked out by hand, including equalshares.net's examples."""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction

import pytest

from civicflow.budgets.counting import (
    Completion,
    CountError,
    Instance,
    Rule,
    TieBreak,
    Utility,
    count,
)
from civicflow.budgets.counting.mes import split_cost

F = Fraction


def election(
    budget: int, costs: dict[str, int], ballots: Iterable[Iterable[str] | dict[str, int]]
) -> Instance:
    """Return an instance; ballots are lists of project ids, or dicts of points."""
    made = [
        {p: F(v) for p, v in ballot.items()}
        if isinstance(ballot, dict)
        else dict.fromkeys(ballot, F(1))
        for ballot in ballots
    ]
    has_points = any(isinstance(ballot, dict) for ballot in ballots)
    return Instance(F(budget), {p: F(c) for p, c in costs.items()}, made, has_points=has_points)


# equalshares.net, "Explanation", example 1: 11 voters, a budget of 1100, five projects.
COSTS = {"bike": 700, "gym": 400, "park": 250, "playground": 200, "library": 100}
VOTERS_1 = [
    ["bike", "gym"],
    ["bike", "gym", "park"],
    ["bike", "gym"],
    ["bike", "gym", "park"],
    ["bike", "gym", "park"],
    ["bike", "gym"],
    ["park", "playground", "library"],
    ["playground"],
    ["playground", "library"],
    ["park", "playground", "library"],
    ["bike"],
]
# Example 2: the right-most voter votes for the outdoor gym instead of the bike path.
VOTERS_2 = [*VOTERS_1[:10], ["gym"]]


def test_equalshares_example_1():
    outcome = count(election(1100, COSTS, VOTERS_1), rule=Rule.MES)
    assert outcome.selected == ("bike", "playground", "library")
    # Effective vote counts 7, 4 and 3: rho is the payment per unit of cost.
    assert [(s.project_id, 1 / s.rho) for s in outcome.mes_steps] == [
        ("bike", 7),
        ("playground", 4),
        ("library", 3),
    ]
    assert outcome.total_cost == 1000
    assert outcome.money_left == 100


def test_equalshares_example_1_greedy_funds_the_two_sports_projects():
    outcome = count(election(1100, COSTS, VOTERS_1), rule=Rule.GREEDY)
    assert outcome.selected == ("bike", "gym")
    assert outcome.money_left == 0


def test_equalshares_example_2():
    outcome = count(election(1100, COSTS, VOTERS_2), rule=Rule.MES)
    assert outcome.selected == ("gym", "park", "playground")
    # Effective vote counts: 7, then 250 / (425/7) = 70/17 (about 4.1), then 56/17 (3.2).
    assert [1 / s.rho for s in outcome.mes_steps] == [7, F(70, 17), F(56, 17)]
    assert outcome.total_cost == 850


def test_equal_split_examples_from_equalshares_net():
    """The page's budget-bar examples: split a cost as equally as possible."""
    assert split_cost(F(50), [F(30)] * 5) == [10] * 5
    assert split_cost(F(50), [F(0), *[F(30)] * 4]) == [0, *[F(25, 2)] * 4]
    assert split_cost(F(50), [F(5), F(5), *[F(30)] * 3]) == [5, 5, *[F(40, 3)] * 3]
    budgets = [F(10), F(10), F(10), F(20), F(30)]
    assert split_cost(F(30), budgets) == [6] * 5
    assert split_cost(F(50), budgets) == [10] * 5
    assert split_cost(F(65), budgets) == [10, 10, 10, F(35, 2), F(35, 2)]
    assert split_cost(F(80), budgets) == budgets
    assert split_cost(F(81), budgets) is None
    assert split_cost(F(6), [F(10), F(10)], [F(1), F(2)]) == [2, 4]


def test_approval_utility_buys_the_cheapest_per_voter_first():
    outcome = count(election(1100, COSTS, VOTERS_1), rule=Rule.MES, utility=Utility.APPROVAL)
    # Per voter: library 100/3 first. Then the park and the playground both cost 50 each
    # (the park goes first by id); then the gym, its three poorer supporters paying their
    # last 50 and the others 250/3; then the playground, which takes all its supporters have.
    assert outcome.selected == ("library", "park", "gym", "playground")
    assert [s.rho for s in outcome.mes_steps] == [F(100, 3), 50, F(250, 3), 100]
    assert outcome.total_cost == 950


def test_points_utility_pays_in_proportion_to_points():
    instance = election(20, {"a": 12, "b": 8}, [{"a": 3, "b": 1}, {"a": 1}])
    outcome = count(instance, rule=Rule.MES, utility=Utility.POINTS)
    # Shares of 10. a: 4 points, rho 3 per point, so 9 and 3. b: the first voter has 1 left.
    assert outcome.selected == ("a",)
    assert outcome.mes_steps[0].rho == 3


def test_points_utility_needs_points():
    with pytest.raises(CountError, match="points utility needs ballots that give points"):
        count(election(10, {"a": 1}, [["a"]]), rule=Rule.MES, utility=Utility.POINTS)


def test_ranked_and_cumulative_ballots_count_as_approval():
    points = election(10, {"a": 6, "b": 6}, [{"a": 9, "b": 1}, {"b": 10}])
    approvals = election(10, {"a": 6, "b": 6}, [["a", "b"], ["b"]])
    for rule in Rule:
        assert count(points, rule=rule).selected == count(approvals, rule=rule).selected


def test_greedy_goes_by_supporters_and_skips_what_does_not_fit():
    instance = election(10, {"a": 8, "b": 5, "c": 2}, [["a", "b"], ["a", "b"], ["a", "c"], ["b"]])
    outcome = count(instance, rule=Rule.GREEDY)
    assert outcome.selected == ("a", "c")  # a (3), b (3) no longer fits, c (1)


def test_greedy_with_points_goes_by_points():
    instance = election(10, {"a": 8, "b": 5}, [{"a": 1, "b": 4}, {"a": 2}])
    assert count(instance, rule=Rule.GREEDY, utility=Utility.POINTS).selected == ("b",)
    assert count(instance, rule=Rule.GREEDY).selected == ("a",)


def test_greedy_also_takes_projects_nobody_chose_if_money_is_left():
    instance = election(10, {"a": 5, "b": 3, "free": 0}, [["a"]])
    assert count(instance, rule=Rule.GREEDY).selected == ("a", "b", "free")


def test_ties_go_to_the_first_id_in_string_order():
    instance = election(10, {"9": 10, "10": 10}, [["9", "10"]])
    assert count(instance, rule=Rule.GREEDY).selected == ("10",)
    assert count(instance, rule=Rule.MES).selected == ("10",)


@pytest.mark.parametrize(
    ("tie_break", "expected"),
    [(TieBreak.ID, ("a", "b")), (TieBreak.MIN_COST, ("b", "a")), (TieBreak.MAX_COST, ("a", "b"))],
)
def test_greedy_tie_breaks(tie_break, expected):
    instance = election(20, {"a": 10, "b": 5}, [["a", "b"]])
    assert count(instance, rule=Rule.GREEDY, tie_break=tie_break).selected == expected


@pytest.mark.parametrize(
    ("tie_break", "expected"),
    [(TieBreak.ID, "a"), (TieBreak.MIN_COST, "c"), (TieBreak.MAX_COST, "b")],
)
def test_mes_tie_breaks(tie_break, expected):
    # Three voters approve all three: with the cost utility each costs them a third of its
    # cost, so rho is 1/3 for all of them.
    instance = election(6, {"a": 3, "b": 6, "c": 1}, [["a", "b", "c"]] * 3)
    outcome = count(instance, rule=Rule.MES, tie_break=tie_break)
    assert outcome.selected[0] == expected
    # Equal costs fall back to the id.
    tied = election(6, {"b": 2, "a": 2, "c": 2}, [["a", "b", "c"]] * 3)
    assert count(tied, rule=Rule.MES, tie_break=tie_break).selected[0] == "a"


def test_free_projects_with_supporters_come_first_unless_utility_is_cost():
    instance = election(1, {"free": 0, "unwanted": 0, "a": 5}, [["a", "free"]])
    assert count(instance, rule=Rule.MES, utility=Utility.APPROVAL).selected == ("free",)
    # With the cost utility a free project is worth nothing to anyone.
    assert count(instance, rule=Rule.MES).selected == ()
    # greedy takes everything that fits, wanted or not.
    assert count(instance, rule=Rule.GREEDY).selected == ("free", "unwanted")


def test_empty_ballots_still_get_a_share():
    """Two voters share 2: the one who chose nothing leaves the other 1, too little for a."""
    instance = election(2, {"a": 2}, [["a"], []])
    assert count(instance, rule=Rule.MES).selected == ()
    assert count(election(2, {"a": 2}, [["a"]]), rule=Rule.MES).selected == ("a",)


def test_no_voters():
    instance = election(10, {"a": 2}, [])
    for completion in Completion:
        assert count(instance, rule=Rule.MES, completion=completion).selected == (
            ("a",) if completion in (Completion.ADD1_GREEDY, Completion.INCREASE_GREEDY) else ()
        )


def test_add1_raises_every_share_until_exhaustive():
    # Shares of 1: b (cost 1) is bought, a (cost 2) is not, though it fits. With shares of 2
    # both are bought, tied at rho 1, a first; 3 is spent, which is exhaustive.
    instance = election(3, {"a": 2, "b": 1}, [["a"], ["b"], []])
    assert count(instance, rule=Rule.MES).selected == ("b",)
    outcome = count(instance, rule=Rule.MES, completion=Completion.ADD1)
    assert outcome.selected == ("a", "b")
    assert outcome.mes_share == 2


def test_add1_keeps_the_previous_outcome_when_the_next_would_overspend():
    # Shares of 1 buy c. Shares of 2 would buy a, b and c for 5 > 3: c stands.
    instance = election(3, {"a": 2, "b": 2, "c": 1}, [["a"], ["b"], ["c"]])
    outcome = count(instance, rule=Rule.MES, completion=Completion.ADD1)
    assert outcome.selected == ("c",)
    assert outcome.mes_share == 1
    greedy = count(instance, rule=Rule.MES, completion=Completion.ADD1_GREEDY)
    assert greedy.selected == ("c", "a")
    increase = count(instance, rule=Rule.MES, completion=Completion.INCREASE_GREEDY)
    assert increase.selected == ("c", "a")
    assert increase.mes_share == F(199, 100)  # the last 1 % step before overspending


def test_completions_apply_only_to_mes():
    with pytest.raises(CountError, match="only to the Method of Equal Shares"):
        count(election(1, {"a": 1}, [["a"]]), rule=Rule.GREEDY, completion=Completion.ADD1)


def test_options_are_checked():
    with pytest.raises(ValueError, match="borda"):
        count(election(1, {"a": 1}, [["a"]]), rule="borda")  # type: ignore[arg-type]


def test_instances_are_checked():
    with pytest.raises(CountError, match="not on the list"):
        election(1, {"a": 1}, [["b"]])
    with pytest.raises(CountError, match="negative"):
        election(-1, {"a": 1}, [])


def test_fractional_costs_and_budgets_are_exact():
    # Shares of 1/3. a and b both cost each voter a third of their cost (a first, by id);
    # then each voter has exactly 2/9 left, exactly b's price.
    ballots = [dict.fromkeys(["a", "b"], F(1))] * 3
    instance = Instance(F(1), {"a": F(1, 3), "b": F(2, 3)}, ballots)
    outcome = count(instance, rule=Rule.MES)
    assert outcome.selected == ("a", "b")
    assert outcome.money_left == 0
