"""The float-guided count (``mes_fast``) against the exact one (``mes_count``), and completions.

Every decision of the fast count is taken exactly when floats cannot settle it, so on every
election both must buy the same projects in the same order with the same ``rho``. Small whole
numbers make exact ties and budgets that land exactly on a ``rho`` common, which sends the fast
count down its exact paths; larger elections exercise the float paths.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from civicflow.budgets.counting import Instance, TieBreak, Utility, mes_fast
from civicflow.budgets.counting.mes import MesElection

#: How the fast count is pushed down each of its paths: as it is; every float decision taken
#: as too close to call (so exactly); the fixed point for ``rho`` replaced by sorting at once.
PATHS = {"floats": {}, "exact": {"SLACK": 1.0}, "sorted": {"FIXED_POINT_ROUNDS": 0}}

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def elections(draw: st.DrawFn, *, max_voters: int = 12, max_projects: int = 7) -> Instance:
    n_projects = draw(st.integers(1, max_projects))
    ids = [str(j + 1) for j in range(n_projects)]
    costs = {
        p: Fraction(draw(st.integers(0, 40)), draw(st.sampled_from([1, 1, 1, 3, 7]))) for p in ids
    }
    budget = Fraction(draw(st.integers(0, 120)), draw(st.sampled_from([1, 1, 2, 3])))
    ballots = [
        dict.fromkeys(
            draw(st.lists(st.sampled_from(ids), max_size=n_projects, unique=True)), Fraction(1)
        )
        for _ in range(draw(st.integers(0, max_voters)))
    ]
    return Instance(budget, costs, ballots)


def both(
    instance: Instance, utility: Utility, tie_break: TieBreak, share: Fraction, path: str = "floats"
) -> None:
    election = MesElection(instance, utility, tie_break)
    with pytest.MonkeyPatch.context() as patch:
        for name, value in PATHS[path].items():
            patch.setattr(mes_fast, name, value)
        fast = election.run(share)
    exact = election.run(share, exact=True)
    assert fast.selected == exact.selected
    assert fast.rhos == exact.rhos


@SETTINGS
@given(
    elections(),
    st.sampled_from([Utility.COST, Utility.APPROVAL]),
    st.sampled_from(list(TieBreak)),
    st.integers(0, 30),
    st.sampled_from([1, 1, 2, 3, 5]),
    st.sampled_from(list(PATHS)),
)
def test_fast_count_is_the_exact_count(instance, utility, tie_break, extra, denominator, path):
    if not instance.ballots:
        return
    # Small shares leave supporters short, so that some pay all they have.
    share = Fraction(extra, denominator)
    if extra % 2:
        share += instance.budget / len(instance.ballots)
    both(instance, utility, tie_break, share, path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    elections(max_voters=300, max_projects=15),
    st.sampled_from([Utility.COST, Utility.APPROVAL]),
    st.integers(0, 40),
    st.sampled_from(list(PATHS)),
)
def test_fast_count_on_larger_elections(instance, utility, extra, path):
    if not instance.ballots:
        return
    share = instance.budget / len(instance.ballots) / 4 + Fraction(extra, 10)
    both(instance, utility, TieBreak.ID, share, path)


def test_exact_ties_are_broken_by_id():
    # Projects "10" and "9" cost the same and have the same supporters: "10" comes first.
    instance = Instance(
        Fraction(30),
        {"9": Fraction(10), "10": Fraction(10), "3": Fraction(10)},
        [
            {"9": Fraction(1), "10": Fraction(1)},
            {"9": Fraction(1), "10": Fraction(1), "3": Fraction(1)},
            {"3": Fraction(1)},
        ],
    )
    election = MesElection(instance, Utility.COST, TieBreak.ID)
    assert [election.project_ids[j] for j in election.run(Fraction(10)).selected] == ["10", "3"]
    both(instance, Utility.COST, TieBreak.ID, Fraction(10))
    both(instance, Utility.COST, TieBreak.MAX_COST, Fraction(10))
