"""Properties of the appraisal arithmetic that hold for any input."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from civicflow.outcomes.appraise import (
    CostBenefitInput,
    Flow,
    InputLine,
    KpiPlan,
    OutcomeLine,
    Reading,
    SroiInput,
    cost_benefit,
    discount_factors,
    expected_value,
    green_book_rate,
    kpi_status,
    social_return,
)

EPSILON = Decimal("1e-30")


def near(value: Decimal, expected: Decimal) -> bool:
    """Equal to twenty significant digits (the tests' own arithmetic keeps 28)."""
    return abs(value - expected) <= Decimal("1e-20") * max(1, abs(value), abs(expected))


amounts = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)
positive = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2, allow_nan=False)
fractions = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False)
rates = st.none() | st.decimals(min_value=0, max_value=Decimal("0.2"), places=3)


def flows(minimum: int = 0):
    flow = st.builds(Flow, year=st.integers(0, 60), amount=amounts, cashable=st.booleans())
    return st.lists(flow, min_size=minimum, max_size=8).map(
        lambda items: tuple(sorted(items, key=lambda f: f.year))
    )


@st.composite
def analyses(draw):
    costs = draw(flows(1))
    if sum(f.amount for f in costs) == 0:
        costs = (Flow(costs[0].year, Decimal(1), True), *costs[1:])
    return CostBenefitInput(
        costs=costs,
        benefits=draw(flows()),
        discount_rate=draw(rates),
        optimism_bias=draw(st.decimals(min_value=0, max_value=2, places=2)),
    )


@given(st.integers(1, 500))
def test_each_factor_is_the_last_over_one_plus_that_years_rate(year):
    factors = discount_factors(year)
    assert 0 < factors[year] < factors[year - 1] <= 1
    assert abs(factors[year - 1] / factors[year] - (1 + green_book_rate(year))) < EPSILON


@settings(max_examples=60)
@given(analyses())
def test_cost_benefit_identities(data):
    result = cost_benefit(data)
    assert near(result.npv, result.pv_benefits - result.pv_costs)
    assert near(result.bcr * result.pv_costs, result.pv_benefits)
    assert near(result.pv_costs, result.pv_costs_cashable + result.pv_costs_non_cashable)
    assert near(result.pv_benefits, result.pv_benefits_cashable + result.pv_benefits_non_cashable)
    assert near(result.years[-1].cumulative_net, result.npv)
    if result.switching_value is not None:
        assert near(result.pv_benefits * (1 - result.switching_value), result.pv_costs)
    if result.payback_year is not None:
        assert result.years[result.payback_year].cumulative_net >= 0


@settings(max_examples=40)
@given(analyses())
def test_optimism_bias_raises_every_cost_by_the_uplift(data):
    plain = cost_benefit(
        CostBenefitInput(data.costs, data.benefits, data.discount_rate, Decimal(0))
    )
    raised = cost_benefit(data)
    expected = plain.pv_costs * (1 + data.optimism_bias)
    assert near(raised.pv_costs, expected)


outcome_lines = st.builds(
    OutcomeLine,
    label=st.just("o"),
    quantity=amounts,
    proxy=amounts,
    duration=st.integers(1, 30),
    deadweight=fractions,
    displacement=fractions,
    attribution=fractions,
    drop_off=fractions,
)


@settings(max_examples=60)
@given(
    st.lists(positive, min_size=1, max_size=4),
    st.lists(outcome_lines, min_size=1, max_size=4),
    st.decimals(min_value=0, max_value=Decimal("0.2"), places=3),
)
def test_sroi_identities(values, outcomes, rate):
    result = social_return(
        SroiInput(
            inputs=tuple(InputLine("i", value) for value in values),
            outcomes=tuple(outcomes),
            discount_rate=rate,
        )
    )
    assert near(result.sroi_ratio * result.total_inputs, result.total_pv)
    assert near(result.net_pv, result.total_pv - result.total_inputs)
    for outcome, line in zip(result.by_outcome, outcomes, strict=True):
        assert len(outcome.years) == line.duration
        # Never more than the undiscounted, undiminished impact each year.
        assert outcome.present_value <= outcome.impact * line.duration * (1 + EPSILON)


@given(st.lists(outcome_lines, min_size=1, max_size=3))
def test_sroi_without_discount_or_drop_off_is_impact_times_years(outcomes):
    steady = tuple(
        OutcomeLine(
            o.label, o.quantity, o.proxy, o.duration, o.deadweight, o.displacement, o.attribution
        )
        for o in outcomes
    )
    result = social_return(SroiInput((InputLine("i", Decimal(1)),), steady, Decimal(0)))
    for outcome, line in zip(result.by_outcome, steady, strict=True):
        assert near(outcome.present_value, outcome.impact * line.duration)


@given(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.integers(1, 2000),
    st.integers(-100, 2100),
)
def test_the_expected_value_lies_on_the_line_between_baseline_and_target(
    baseline, target, span, offset
):
    start = date(2025, 1, 1)
    plan = KpiPlan("higher", baseline, start, target, start + timedelta(days=span))
    value = expected_value(plan, start + timedelta(days=offset))
    assert min(baseline, target) <= value <= max(baseline, target)
    reached = kpi_status(plan, [Reading(target, plan.target_on)], plan.target_on)
    assert reached.on_track
    if target != baseline:
        assert reached.progress == 1
