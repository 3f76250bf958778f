"""Cost-benefit analysis with the HM Treasury Green Book's conventions.

Costs and benefits are given by year (0 is now), each cashable (money the organisation can
take out of its budget) or not (time saved, harm avoided, valued in money). Every cost is
raised by the optimism bias uplift before it is discounted. The results are the present
values of costs and benefits (cashable and non-cashable apart), the net present value, the
benefit–cost ratio, the payback year and the switching value.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from civicflow.outcomes.appraise.discount import LAST_YEAR, PRECISION, discount_factors
from civicflow.outcomes.appraise.errors import AppraisalInputError, Problems
from civicflow.outcomes.appraise.numbers import read_number, read_whole, to_decimal

GREEN_BOOK = "green-book"
LABEL_MAX = 200
MAX_FLOWS = 1_000
#: The largest optimism bias uplift (200 %, the Green Book's highest upper bound).
OPTIMISM_BIAS_MAX = Decimal(2)


@dataclass(frozen=True)
class Flow:
    """One cost or benefit in one year, in pounds at today's prices."""

    year: int
    amount: Decimal
    cashable: bool
    label: str = ""


@dataclass(frozen=True)
class CostBenefitInput:
    """What a cost-benefit analysis needs. ``discount_rate`` None means the Green Book
    schedule; ``optimism_bias`` is a fraction (0.2 raises every cost by 20 %)."""

    costs: tuple[Flow, ...]
    benefits: tuple[Flow, ...]
    discount_rate: Decimal | None = None
    optimism_bias: Decimal = Decimal(0)


@dataclass(frozen=True)
class CostBenefitYear:
    """One year of the appraisal: costs (after uplift) and benefits, as they fall and
    discounted, and the cumulative discounted net benefit to the end of the year."""

    year: int
    discount_factor: Decimal
    costs: Decimal
    benefits: Decimal
    pv_costs: Decimal
    pv_benefits: Decimal
    cumulative_net: Decimal


@dataclass(frozen=True)
class CostBenefitResult:
    pv_costs: Decimal
    pv_benefits: Decimal
    npv: Decimal
    bcr: Decimal
    payback_year: int | None
    #: The fall in benefits, as a fraction of them, that brings the NPV to zero; negative when
    #: the NPV is below zero (benefits would have to rise). None when there are no benefits.
    switching_value: Decimal | None
    pv_costs_cashable: Decimal
    pv_costs_non_cashable: Decimal
    pv_benefits_cashable: Decimal
    pv_benefits_non_cashable: Decimal
    discount_factors: tuple[Decimal, ...]
    years: tuple[CostBenefitYear, ...]
    discount_rate: Decimal | None
    optimism_bias: Decimal


def _check(data: CostBenefitInput, problems: Problems | None = None) -> None:
    problems = problems if problems is not None else Problems()
    for name, flows in (("costs", data.costs), ("benefits", data.benefits)):
        previous = 0
        for index, flow in enumerate(flows):
            field = f"{name}[{index}]"
            if not 0 <= flow.year <= LAST_YEAR:
                problems.add(f"{field}.year", f"Enter a year from 0 to {LAST_YEAR}.")
            elif flow.year < previous:
                problems.add(
                    f"{field}.year",
                    f"List the {name} in year order: year {flow.year} comes after year {previous}.",
                )
            previous = max(previous, flow.year)
            if flow.amount < 0:
                problems.add(
                    f"{field}.amount",
                    f"Enter an amount of 0 or more, not {flow.amount}. A saving is a benefit.",
                )
    if data.discount_rate is not None and not Decimal(0) <= data.discount_rate < Decimal(1):
        problems.add("discount", "Enter a discount rate from 0 to below 1, for example 0.035.")
    if not Decimal(0) <= data.optimism_bias <= OPTIMISM_BIAS_MAX:
        problems.add(
            "optimism_bias",
            "Enter an optimism bias uplift from 0 to 2, for example 0.2 for 20 %.",
        )
    if not problems and sum((flow.amount for flow in data.costs), Decimal(0)) == 0:
        problems.add(
            "costs",
            "The costs add up to zero, so there is no benefit–cost ratio. Enter at least one "
            "cost above zero.",
        )
    problems.raise_any()


def cost_benefit(data: CostBenefitInput) -> CostBenefitResult:
    """Appraise ``data``; raise ``AppraisalInputError`` (naming the field) if it cannot be."""
    _check(data)
    last = max(flow.year for flow in (*data.costs, *data.benefits))
    factors = discount_factors(last, data.discount_rate)
    uplift = Decimal(1) + data.optimism_bias
    with localcontext() as context:
        context.prec = PRECISION
        costs = [Decimal(0)] * (last + 1)
        benefits = [Decimal(0)] * (last + 1)
        split = {"cost": [Decimal(0), Decimal(0)], "benefit": [Decimal(0), Decimal(0)]}
        for flow in data.costs:
            amount = flow.amount * uplift
            costs[flow.year] += amount
            split["cost"][0 if flow.cashable else 1] += amount * factors[flow.year]
        for flow in data.benefits:
            benefits[flow.year] += flow.amount
            split["benefit"][0 if flow.cashable else 1] += flow.amount * factors[flow.year]
        years = []
        cumulative = Decimal(0)
        payback_year = None
        first_cost = min(flow.year for flow in data.costs if flow.amount > 0)
        for year in range(last + 1):
            pv_cost = costs[year] * factors[year]
            pv_benefit = benefits[year] * factors[year]
            cumulative += pv_benefit - pv_cost
            if payback_year is None and year >= first_cost and cumulative >= 0:
                payback_year = year
            years.append(
                CostBenefitYear(
                    year=year,
                    discount_factor=factors[year],
                    costs=costs[year],
                    benefits=benefits[year],
                    pv_costs=pv_cost,
                    pv_benefits=pv_benefit,
                    cumulative_net=cumulative,
                )
            )
        pv_costs = split["cost"][0] + split["cost"][1]
        pv_benefits = split["benefit"][0] + split["benefit"][1]
        npv = pv_benefits - pv_costs
        return CostBenefitResult(
            pv_costs=pv_costs,
            pv_benefits=pv_benefits,
            npv=npv,
            bcr=pv_benefits / pv_costs,
            payback_year=payback_year,
            switching_value=npv / pv_benefits if pv_benefits > 0 else None,
            pv_costs_cashable=split["cost"][0],
            pv_costs_non_cashable=split["cost"][1],
            pv_benefits_cashable=split["benefit"][0],
            pv_benefits_non_cashable=split["benefit"][1],
            discount_factors=tuple(factors),
            years=tuple(years),
            discount_rate=data.discount_rate,
            optimism_bias=data.optimism_bias,
        )


# Reading the input, as the command line's JSON, the API and the forms give it ------------


def _flows(problems: Problems, name: str, raw: Any) -> tuple[Flow, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        problems.add(name, f"Give the {name} as a list of {{year, amount, cashable, label}}.")
        return ()
    if len(raw) > MAX_FLOWS:
        problems.add(name, f"Give at most {MAX_FLOWS:,} {name}.")
        return ()
    flows = []
    for index, item in enumerate(raw):
        field = f"{name}[{index}]"
        if not isinstance(item, Mapping):
            problems.add(field, "Give each line as an object with year, amount and cashable.")
            continue
        year = read_whole(
            problems, f"{field}.year", item.get("year"), minimum=0, maximum=LAST_YEAR, what="a year"
        )
        amount = read_number(problems, f"{field}.amount", item.get("amount"), what="an amount")
        cashable = item.get("cashable", True)
        if not isinstance(cashable, bool):
            problems.add(f"{field}.cashable", "Say true or false: is it cashable?")
            cashable = True
        label = item.get("label", "")
        if not isinstance(label, str) or len(label) > LABEL_MAX:
            problems.add(
                f"{field}.label", f"Give the label as text of {LABEL_MAX} characters or fewer."
            )
            label = ""
        flows.append(Flow(year=year, amount=amount, cashable=cashable, label=label))
    return tuple(flows)


def read_discount(problems: Problems, raw: Any) -> Decimal | None:
    """Read ``"green-book"`` (or nothing) as the Green Book schedule, else a fixed rate."""
    if raw is None or raw == GREEN_BOOK:
        return None
    rate = to_decimal(raw) if not isinstance(raw, str) or raw.strip() else None
    if rate is None or not Decimal(0) <= rate < Decimal(1):
        problems.add(
            "discount",
            'Give "green-book" for the Green Book schedule, or a fixed rate from 0 to below 1, '
            "for example 0.035.",
        )
        return None
    return rate


def read_cost_benefit(raw: Mapping[str, Any]) -> CostBenefitInput:
    """Read a cost-benefit analysis from plain data; raise ``AppraisalInputError`` naming
    each field that will not do, having computed nothing."""
    problems = Problems()
    costs = _flows(problems, "costs", raw.get("costs"))
    benefits = _flows(problems, "benefits", raw.get("benefits"))
    if not costs and "costs" not in problems.errors:
        problems.add("costs", "Enter at least one cost, with its year and amount.")
    discount_rate = read_discount(problems, raw.get("discount"))
    optimism_bias = read_number(
        problems,
        "optimism_bias",
        raw.get("optimism_bias", 0),
        maximum=OPTIMISM_BIAS_MAX,
        what="an optimism bias uplift (0.2 for 20 %)",
    )
    data = CostBenefitInput(
        costs=costs,
        benefits=benefits,
        discount_rate=discount_rate,
        optimism_bias=optimism_bias,
    )
    _check(data, problems)
    return data


__all__ = [
    "GREEN_BOOK",
    "AppraisalInputError",
    "CostBenefitInput",
    "CostBenefitResult",
    "CostBenefitYear",
    "Flow",
    "cost_benefit",
    "read_cost_benefit",
    "read_discount",
]
