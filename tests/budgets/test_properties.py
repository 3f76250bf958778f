"""Properties of the counting rules on random small elections, and agreement with pabutools."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicflow.budgets.counting import Completion, Instance, Rule, TieBreak, Utility, count
from civicflow.budgets.counting.pbfile import parse_pb, write_pb
from civicflow.budgets.counting.rules import instance_from_pb

PROJECT_IDS = ["1", "2", "9", "10", "a", "b"]


@st.composite
def instances(draw: st.DrawFn, *, points: bool | None = None, min_budget: int = 0) -> Instance:
    """Draw a small election: up to six projects, up to eight voters, small whole numbers."""
    ids = draw(st.lists(st.sampled_from(PROJECT_IDS), min_size=1, max_size=6, unique=True))
    costs = {p: Fraction(draw(st.integers(0, 12))) for p in ids}
    budget = Fraction(draw(st.integers(min_budget, 30)))
    has_points = draw(st.booleans()) if points is None else points
    ballots = []
    for _ in range(draw(st.integers(0, 8))):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=len(ids), unique=True))
        if has_points:
            ballots.append({p: Fraction(draw(st.integers(0, 4))) for p in chosen})
        else:
            ballots.append(dict.fromkeys(chosen, Fraction(1)))
    return Instance(budget, costs, ballots, has_points=has_points)


def options(instance: Instance, draw: st.DrawFn) -> dict[str, object]:
    utilities = list(Utility) if instance.has_points else [Utility.COST, Utility.APPROVAL]
    return {
        "utility": draw(st.sampled_from(utilities)),
        "tie_break": draw(st.sampled_from(list(TieBreak))),
    }


def fits(instance: Instance, selected: tuple[str, ...]) -> bool:
    """Return whether some project outside ``selected`` fits in the money left."""
    left = instance.budget - sum((instance.costs[p] for p in selected), Fraction(0))
    return any(cost <= left for p, cost in instance.costs.items() if p not in selected)


SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.data())
def test_never_over_budget(data):
    instance = data.draw(instances())
    rule = data.draw(st.sampled_from(list(Rule)))
    completion = (
        data.draw(st.sampled_from(list(Completion))) if rule is Rule.MES else Completion.NONE
    )
    outcome = count(instance, rule=rule, completion=completion, **options(instance, data.draw))
    assert outcome.total_cost <= instance.budget
    assert len(set(outcome.selected)) == len(outcome.selected)
    assert outcome.total_cost == sum(instance.costs[p] for p in outcome.selected)


@SETTINGS
@given(st.data())
def test_greedy_is_exhaustive(data):
    instance = data.draw(instances())
    outcome = count(instance, rule=Rule.GREEDY, **options(instance, data.draw))
    assert not fits(instance, outcome.selected)


@SETTINGS
@given(st.data())
def test_greedy_completions_are_exhaustive(data):
    instance = data.draw(instances())
    completion = data.draw(st.sampled_from([Completion.ADD1_GREEDY, Completion.INCREASE_GREEDY]))
    outcome = count(instance, rule=Rule.MES, completion=completion, **options(instance, data.draw))
    assert not fits(instance, outcome.selected)


@SETTINGS
@given(st.data())
def test_add1_never_overspends_and_keeps_what_mes_buys_at_its_share(data):
    instance = data.draw(instances())
    chosen = options(instance, data.draw)
    outcome = count(instance, rule=Rule.MES, completion=Completion.ADD1, **chosen)
    assert outcome.total_cost <= instance.budget
    plain = count(instance, rule=Rule.MES, **chosen)
    assert plain.total_cost <= instance.budget
    if instance.ballots and outcome.mes_share is not None:
        assert outcome.mes_share >= instance.budget / len(instance.ballots)


@SETTINGS
@given(st.data())
def test_export_and_import_give_the_same_outcome(data):
    """Counting the anonymised export of an election gives the same result."""
    from civicflow.budgets.counting import PbElection, PbProject, PbVote

    instance = data.draw(instances())
    votes = [
        PbVote(
            str(number),
            tuple(ballot),
            tuple(ballot.values()) if instance.has_points else None,
        )
        for number, ballot in enumerate(instance.ballots, start=1)
    ]
    election = PbElection(
        meta={"description": "Random"},
        budget=instance.budget,
        vote_type="cumulative" if instance.has_points else "approval",
        projects={p: PbProject(p, cost) for p, cost in instance.costs.items()},
        votes=votes,
    )
    again = instance_from_pb(parse_pb(write_pb(election)))
    chosen = options(instance, data.draw)
    for rule in Rule:
        assert (
            count(again, rule=rule, **chosen).selected
            == count(instance, rule=rule, **chosen).selected
        )


# Agreement with the reference implementation, live.

pabutools = pytest.importorskip("pabutools", reason="pabutools is not installed")

from bench.pb_reference import Case, reference_count, reference_from_instance  # noqa: E402


def agree(instance: Instance, case: Case) -> None:
    outcome = count(
        instance,
        rule=Rule(case.rule),
        utility=Utility(case.utility),
        completion=Completion(case.completion),
        tie_break=TieBreak(case.tie_break),
    )
    reference = reference_count(*reference_from_instance(instance), case)
    assert sorted(outcome.selected) == reference, case


REFERENCE_SETTINGS = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@REFERENCE_SETTINGS
@given(st.data())
def test_mes_agrees_with_pabutools(data):
    instance = data.draw(instances())
    chosen = options(instance, data.draw)
    agree(instance, Case("mes", str(chosen["utility"]), "none", str(chosen["tie_break"])))


@REFERENCE_SETTINGS
@given(st.data())
def test_greedy_agrees_with_pabutools(data):
    instance = data.draw(instances())
    chosen = options(instance, data.draw)
    agree(instance, Case("greedy", str(chosen["utility"]), "none", str(chosen["tie_break"])))


@REFERENCE_SETTINGS
@given(st.data())
def test_add1_completions_agree_with_pabutools(data):
    instance = data.draw(instances())
    chosen = options(instance, data.draw)
    completion = data.draw(st.sampled_from(["add1", "add1-greedy"]))
    agree(instance, Case("mes", str(chosen["utility"]), completion, str(chosen["tie_break"])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_increase_greedy_agrees_with_pabutools(data):
    # pabutools never stops with a budget of 0 (its step is 1 % of it), so the budget is at
    # least 1 here; tests/budgets/test_rules.py covers 0.
    instance = data.draw(instances(min_budget=1))
    chosen = options(instance, data.draw)
    case = Case("mes", str(chosen["utility"]), "increase-greedy", str(chosen["tie_break"]))
    agree(instance, case)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_skipped_shares_give_the_same_outcome(data):
    """What a count certifies about larger shares holds: completions may skip them."""
    from civicflow.budgets.counting.mes import MesElection

    instance = data.draw(instances())
    if not instance.ballots:
        return
    chosen = options(instance, data.draw)
    election = MesElection(instance, chosen["utility"], chosen["tie_break"])
    share = instance.budget / len(instance.ballots) + data.draw(st.integers(0, 20))
    run = election.run(share, stable_within=Fraction(1, 100))
    reach = Fraction(40) if run.stable_for is None else run.stable_for
    for part in data.draw(st.lists(st.integers(0, 99), min_size=1, max_size=4)):
        assert election.run(share + reach * Fraction(part, 100)).selected == run.selected
    later = share + data.draw(st.integers(1, 30)) * Fraction(1, 4)
    checked = election.run(later, reference=run)
    if checked.same_between:
        for part in data.draw(st.lists(st.integers(0, 100), min_size=1, max_size=4)):
            between = share + (later - share) * Fraction(part, 100)
            assert election.run(between).selected == run.selected
