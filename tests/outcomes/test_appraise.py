"""The arithmetic of outcomes, against worked examples checked by hand (the working is in the
comments), and the bad input it refuses."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from civicflow.outcomes.appraise import (
    AppraisalInputError,
    CostBenefitInput,
    Flow,
    KpiPlan,
    Reading,
    cost_benefit,
    discount_factors,
    expected_value,
    green_book_rate,
    kpi_status,
    read_appraisal,
    read_cost_benefit,
    read_social_return,
    social_return,
)

D = Decimal
TINY = D("1e-20")


def close(value: Decimal, expected: Decimal) -> bool:
    return abs(value - expected) < TINY


# Green Book discount factors ---------------------------------------------------------------


def test_green_book_rates_by_band():
    assert [green_book_rate(t) for t in (1, 30, 31, 75, 76, 125, 126, 200, 201, 300, 301)] == [
        D("0.035"),
        D("0.035"),
        D("0.030"),
        D("0.030"),
        D("0.025"),
        D("0.025"),
        D("0.020"),
        D("0.020"),
        D("0.015"),
        D("0.015"),
        D("0.010"),
    ]


def test_green_book_discount_factors_worked_by_hand():
    factors = discount_factors(76)
    # DF(0) = 1: today's money is not discounted.
    assert factors[0] == 1
    # DF(1) = 1 / 1.035 = 0.96618357487922705314…
    assert close(factors[1], D(1) / D("1.035"))
    assert str(factors[1]).startswith("0.9661835748792270531")
    # DF(10) = 1 / 1.035^10; 1.035^10 = 1.41059876062… so DF(10) = 0.70891881370977…
    assert close(factors[10], D(1) / D("1.035") ** 10)
    assert str(factors[10]).startswith("0.7089188137097")
    # DF(30) = 1 / 1.035^30; 1.035^30 = 2.80679370… so DF(30) = 0.35627841060230…
    assert str(factors[30]).startswith("0.3562784106023")
    # DF(31): year 31 is the first at 3.0 %, so DF(31) = DF(30) / 1.03 = 0.34590136951679…
    assert close(factors[31], factors[30] / D("1.03"))
    assert str(factors[31]).startswith("0.3459013695167")
    # DF(76): thirty years at 3.5 %, forty-five (31 to 75) at 3.0 %, then one at 2.5 %:
    # 1 / (1.035^30 × 1.03^45 × 1.025) = 0.35627841… × 0.26443862… / 1.025 = 0.09191587568…
    assert close(factors[76], D(1) / (D("1.035") ** 30 * D("1.03") ** 45 * D("1.025")))
    assert str(factors[76]).startswith("0.0919158756845")


def test_a_fixed_rate_discounts_every_year_alike():
    factors = discount_factors(2, D("0.1"))
    # 1, 1/1.1, 1/1.21
    assert factors[0] == 1
    assert close(factors[1], D(1) / D("1.1"))
    assert close(factors[2], D(1) / D("1.21"))


# Cost-benefit analysis ---------------------------------------------------------------------

WORKED_CBA = {
    "kind": "cba",
    "discount": 0.1,
    "optimism_bias": 0.2,
    "costs": [
        {"year": 0, "amount": 1000, "cashable": True, "label": "Build"},
        {"year": 1, "amount": 100, "cashable": False, "label": "Staff time"},
    ],
    "benefits": [
        {"year": 1, "amount": 660, "cashable": True, "label": "Fewer agency shifts"},
        {"year": 2, "amount": 1210, "cashable": False, "label": "Falls avoided"},
    ],
}


def test_cost_benefit_worked_by_hand():
    _kind, data = read_appraisal(WORKED_CBA)
    result = cost_benefit(data)
    # Optimism bias 20 %: costs become 1000 × 1.2 = 1200 (year 0) and 100 × 1.2 = 120 (year 1).
    # At 10 %: PV costs = 1200 + 120 / 1.1 = 1200 + 109.0909… = 14400 / 11 = 1309.0909…
    assert close(result.pv_costs, D(14400) / D(11))
    # PV benefits = 660 / 1.1 + 1210 / 1.21 = 600 + 1000 = 1600
    assert close(result.pv_benefits, D(1600))
    # NPV = 1600 − 14400 / 11 = 3200 / 11 = 290.9090…
    assert close(result.npv, D(3200) / D(11))
    # BCR = 1600 / (14400 / 11) = 17600 / 14400 = 11 / 9 = 1.2222…
    assert close(result.bcr, D(11) / D(9))
    # Cumulative discounted net benefit: year 0: −1200; year 1: −1200 + 600 − 109.09 = −709.09;
    # year 2: −709.09 + 1000 = +290.91, the first year at or above zero.
    assert [round(row.cumulative_net, 2) for row in result.years] == [
        D("-1200.00"),
        D("-709.09"),
        D("290.91"),
    ]
    assert result.payback_year == 2
    # Switching value: benefits may fall by NPV / PV benefits = (3200 / 11) / 1600 = 2 / 11.
    assert close(result.switching_value, D(2) / D(11))
    # Cashable and non-cashable apart: costs 1200 and 1200 / 11; benefits 600 and 1000.
    assert close(result.pv_costs_cashable, D(1200))
    assert close(result.pv_costs_non_cashable, D(1200) / D(11))
    assert close(result.pv_benefits_cashable, D(600))
    assert close(result.pv_benefits_non_cashable, D(1000))


def test_switching_value_brings_the_npv_to_zero():
    result = cost_benefit(read_cost_benefit(WORKED_CBA))
    fall = result.switching_value
    assert result.pv_benefits * (1 - fall) - result.pv_costs == pytest.approx(0, abs=1e-18)


def test_no_payback_when_benefits_never_catch_up():
    result = cost_benefit(
        read_cost_benefit(
            {"costs": [{"year": 0, "amount": 1000}], "benefits": [{"year": 1, "amount": 100}]}
        )
    )
    assert result.payback_year is None
    assert result.npv < 0
    assert result.switching_value < 0  # benefits would have to rise


def test_green_book_is_the_default_and_benefits_may_be_absent():
    result = cost_benefit(read_cost_benefit({"costs": [{"year": 2, "amount": 1000}]}))
    # 1000 / 1.035^2 = 933.51070038…
    assert str(result.pv_costs).startswith("933.5107003")
    assert result.bcr == 0
    assert result.switching_value is None
    assert result.payback_year is None


# Social return on investment ---------------------------------------------------------------


def test_sroi_the_issues_example_worked_by_hand():
    data = read_social_return(
        {
            "discount_rate": 0.035,
            "inputs": [{"label": "Grant", "value": 1000}],
            "outcomes": [
                {
                    "label": "People back in work",
                    "quantity": 10,
                    "proxy": 100,
                    "duration": 3,
                    "deadweight": 0.2,
                    "displacement": 0,
                    "attribution": 0.25,
                    "drop_off": 0.1,
                }
            ],
        }
    )
    result = social_return(data)
    (outcome,) = result.by_outcome
    # Year 1: 10 × 100 × (1 − 0.2) × (1 − 0) × (1 − 0.25) = 1000 × 0.8 × 0.75 = 600
    # Year 2: 600 × 0.9 = 540; year 3: 600 × 0.9² = 486
    assert [year.impact for year in outcome.years] == [D(600), D(540), D(486)]
    # PV: 600 / 1.035 + 540 / 1.035² + 486 / 1.035³
    #   = 579.71014… + 504.09578… + 438.34410… = 1522.15003…
    expected = D(600) / D("1.035") + D(540) / D("1.035") ** 2 + D(486) / D("1.035") ** 3
    assert close(result.total_pv, expected)
    assert str(result.total_pv).startswith("1522.150")
    assert close(result.net_pv, expected - 1000)
    assert close(result.sroi_ratio, expected / 1000)


def test_sroi_at_ten_per_cent_worked_by_hand():
    result = social_return(
        read_social_return(
            {
                "discount_rate": "0.1",
                "inputs": [{"label": "Staff", "value": 300}, {"label": "Venue", "value": 200}],
                "outcomes": [
                    {
                        "label": "Lonely people meeting weekly",
                        "quantity": 20,
                        "proxy": 55,
                        "duration": 2,
                        "displacement": 0.5,
                        "drop_off": 0.2,
                    }
                ],
            }
        )
    )
    # Year 1: 20 × 55 × (1 − 0.5) = 550; year 2: 550 × 0.8 = 440.
    # PV = 550 / 1.1 + 440 / 1.21 = 500 + 363.6363… = 9500 / 11 = 863.6363…
    assert close(result.total_pv, D(9500) / D(11))
    # Inputs 300 + 200 = 500: net 4000 / 11 = 363.63…, ratio 9500 / 5500 = 19 / 11 = 1.7272…
    assert result.total_inputs == 500
    assert close(result.net_pv, D(4000) / D(11))
    assert close(result.sroi_ratio, D(19) / D(11))


# KPIs --------------------------------------------------------------------------------------

FALLS = KpiPlan(
    direction="lower",
    baseline=D(100),
    baseline_on=date(2025, 1, 1),
    target=D(60),
    target_on=date(2025, 4, 11),  # 100 days later
)


def test_kpi_interpolation_and_progress_worked_by_hand():
    # 50 days in, half way: expected = 100 + (60 − 100) × 50 / 100 = 80.
    assert expected_value(FALLS, date(2025, 2, 20)) == 80
    status = kpi_status(
        FALLS,
        [Reading(D(90), date(2025, 1, 20)), Reading(D(85), date(2025, 2, 19))],
        date(2025, 2, 20),
    )
    assert status.latest == Reading(D(85), date(2025, 2, 19))
    # Change: 85 − 100 = −15, or −15 / 100 = −15 %.
    assert status.change == -15
    assert status.change_percent == -15
    # Progress: (85 − 100) / (60 − 100) = 15 / 40 = 0.375.
    assert status.progress == D("0.375")
    # Lower is better and 85 is above the 80 expected: behind, though better than the start.
    assert status.on_track is False
    assert status.improved is True


def test_kpi_on_track_at_or_better_than_the_line():
    assert kpi_status(FALLS, [Reading(D(80), date(2025, 2, 20))], date(2025, 2, 20)).on_track
    assert kpi_status(FALLS, [Reading(D(20), date(2025, 2, 20))], date(2025, 2, 20)).on_track


def test_kpi_before_baseline_and_after_target_and_without_readings():
    assert expected_value(FALLS, date(2024, 6, 1)) == 100
    assert expected_value(FALLS, date(2026, 1, 1)) == 60
    status = kpi_status(FALLS, [], date(2025, 3, 1))
    assert status.latest is None and status.on_track is None and status.progress is None
    # Readings after the day asked about are not known on that day.
    later = kpi_status(FALLS, [Reading(D(50), date(2025, 3, 2))], date(2025, 3, 1))
    assert later.latest is None


def test_kpi_higher_is_better_and_zero_baseline():
    plan = KpiPlan("higher", D(0), date(2025, 1, 1), D(10), date(2025, 1, 11))
    status = kpi_status(plan, [Reading(D(4), date(2025, 1, 6))], date(2025, 1, 6))
    # Expected after 5 of 10 days: 5; 4 is below it.
    assert status.expected == 5
    assert status.on_track is False
    assert status.change_percent is None  # no percentage change from zero
    assert status.progress == D("0.4")


# Bad input: a message naming the field, and nothing computed --------------------------------


def errors_of(raw) -> dict[str, str]:
    with pytest.raises(AppraisalInputError) as caught:
        kind, data = read_appraisal(raw)
        cost_benefit(data) if kind == "cba" else social_return(data)
    return caught.value.errors


def cba(**changes):
    return {**WORKED_CBA, **changes}


SROI = {
    "kind": "sroi",
    "inputs": [{"label": "Grant", "value": 1000}],
    "outcomes": [{"label": "Jobs", "quantity": 10, "proxy": 100, "duration": 3}],
}


def sroi_outcome(**changes):
    return {**SROI, "outcomes": [{**SROI["outcomes"][0], **changes}]}


@pytest.mark.parametrize(
    ("raw", "field", "words"),
    [
        ([1, 2], "file", "one JSON object"),
        ({"kind": "npv"}, "kind", '"cba" or "sroi"'),
        (cba(costs=[{"year": 0, "amount": -5}]), "costs[0].amount", "0 or more"),
        (cba(benefits=[{"year": 1, "amount": "lots"}]), "benefits[0].amount", "Enter an amount"),
        (
            cba(costs=[{"year": 3, "amount": 5}, {"year": 1, "amount": 5}]),
            "costs[1].year",
            "year order",
        ),
        (cba(costs=[{"year": 1.5, "amount": 5}]), "costs[0].year", "whole number"),
        (cba(costs=[{"year": 501, "amount": 5}]), "costs[0].year", "from 0 to 500"),
        (cba(costs=[{"year": 0, "amount": 0}]), "costs", "add up to zero"),
        (cba(costs=[]), "costs", "at least one cost"),
        (cba(costs="1000"), "costs", "as a list"),
        (
            cba(costs=[{"year": 0, "amount": 5, "cashable": "yes"}]),
            "costs[0].cashable",
            "true or false",
        ),
        (cba(discount=1.5), "discount", "green-book"),
        (cba(discount="treasury"), "discount", "green-book"),
        (cba(optimism_bias=-0.1), "optimism_bias", "0 or more"),
        (cba(optimism_bias=True), "optimism_bias", "Enter an optimism bias"),
        (sroi_outcome(quantity=-1), "outcomes[0].quantity", "0 or more"),
        (sroi_outcome(deadweight=1.2), "outcomes[0].deadweight", "from 0 to 1"),
        (sroi_outcome(attribution=-0.1), "outcomes[0].attribution", "from 0 to 1"),
        (sroi_outcome(displacement=2), "outcomes[0].displacement", "from 0 to 1"),
        (sroi_outcome(drop_off=25), "outcomes[0].drop_off", "write 25 % as 0.25"),
        (sroi_outcome(duration=0), "outcomes[0].duration", "from 1 to 100"),
        ({**SROI, "inputs": [{"label": "Grant", "value": 0}]}, "inputs", "add up to zero"),
        ({**SROI, "inputs": []}, "inputs", "at least one input"),
        ({**SROI, "outcomes": []}, "outcomes", "at least one outcome"),
        ({**SROI, "discount_rate": 1}, "discount_rate", "below 1"),
    ],
)
def test_bad_input_names_the_field(raw, field, words):
    errors = errors_of(raw)
    assert field in errors, errors
    assert words in errors[field]


def test_every_problem_is_reported_at_once():
    errors = errors_of(
        cba(costs=[{"year": -1, "amount": -1}], benefits=[{"year": 0, "amount": "x"}])
    )
    assert set(errors) == {"costs[0].year", "costs[0].amount", "benefits[0].amount"}


def test_a_bad_input_built_in_code_is_refused_too():
    with pytest.raises(AppraisalInputError) as caught:
        cost_benefit(CostBenefitInput(costs=(Flow(0, D(-1), True),), benefits=()))
    assert "costs[0].amount" in caught.value.errors


def test_sroi_with_full_drop_off_counts_the_first_year_only():
    outcome = {"label": "One-off", "quantity": 1, "proxy": 100, "duration": 3, "drop_off": 1}
    result = social_return(
        read_social_return({"discount_rate": 0, "inputs": [{"value": 50}], "outcomes": [outcome]})
    )
    # Year 1: 100; years 2 and 3: 100 × (1 − 1) = 0. At 0 % the total is 100, the ratio 2.
    assert [year.impact for year in result.by_outcome[0].years] == [100, 0, 0]
    assert result.sroi_ratio == 2
