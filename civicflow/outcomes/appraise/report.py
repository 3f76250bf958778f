"""Results as the analysts' command prints them: JSON with the keys the API also uses, and a
readable table. Figures are rounded here, for showing, and nowhere else."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from civicflow.outcomes.appraise.cba import CostBenefitResult, cost_benefit, read_cost_benefit
from civicflow.outcomes.appraise.errors import AppraisalInputError
from civicflow.outcomes.appraise.numbers import round_to
from civicflow.outcomes.appraise.sroi import SroiResult, read_social_return, social_return

PENNY = Decimal("0.01")
RATIO = Decimal("0.0001")
FACTOR = Decimal("0.0000000001")
KINDS = ("cba", "sroi")


def money(value: Decimal) -> Decimal:
    """Round an amount to the penny (halves away from zero)."""
    return round_to(value, PENNY)


def ratio(value: Decimal) -> Decimal:
    """Round a ratio or fraction to four decimal places."""
    return round_to(value, RATIO)


def factor(value: Decimal) -> Decimal:
    """Round a discount factor to ten decimal places."""
    return round_to(value, FACTOR)


def read_appraisal(raw: Any) -> tuple[str, Any]:
    """Read one appraisal (``{"kind": "cba" | "sroi", …}``) and return its kind and input."""
    if not isinstance(raw, Mapping):
        raise AppraisalInputError({"file": 'Give one JSON object, with "kind": "cba" or "sroi".'})
    kind = raw.get("kind")
    if kind == "cba":
        return kind, read_cost_benefit(raw)
    if kind == "sroi":
        return kind, read_social_return(raw)
    raise AppraisalInputError({"kind": 'Say which appraisal this is: "cba" or "sroi".'})


def parse_appraisal_text(text: str) -> tuple[str, Any]:
    """Read an appraisal from JSON text; numbers are read as exact decimals."""
    try:
        raw = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise AppraisalInputError(
            {
                "file": f"This is not valid JSON: {error.msg} at line {error.lineno}, column "
                f"{error.colno}."
            }
        ) from error
    return read_appraisal(raw)


def appraise(kind: str, data: Any) -> CostBenefitResult | SroiResult:
    """Compute the results of an appraisal read by ``read_appraisal``."""
    return cost_benefit(data) if kind == "cba" else social_return(data)


def cost_benefit_json(result: CostBenefitResult) -> dict[str, Any]:
    """Return a cost-benefit analysis's results, rounded for showing."""
    return {
        "pv_costs": money(result.pv_costs),
        "pv_benefits": money(result.pv_benefits),
        "npv": money(result.npv),
        "bcr": ratio(result.bcr),
        "payback_year": result.payback_year,
        "switching_value": (
            ratio(result.switching_value) if result.switching_value is not None else None
        ),
        "discount_factors": [factor(value) for value in result.discount_factors],
        "pv_costs_cashable": money(result.pv_costs_cashable),
        "pv_costs_non_cashable": money(result.pv_costs_non_cashable),
        "pv_benefits_cashable": money(result.pv_benefits_cashable),
        "pv_benefits_non_cashable": money(result.pv_benefits_non_cashable),
        "discount": "green-book" if result.discount_rate is None else result.discount_rate,
        "optimism_bias": result.optimism_bias,
        "years": [
            {
                "year": row.year,
                "discount_factor": factor(row.discount_factor),
                "costs": money(row.costs),
                "benefits": money(row.benefits),
                "pv_costs": money(row.pv_costs),
                "pv_benefits": money(row.pv_benefits),
                "cumulative_net": money(row.cumulative_net),
            }
            for row in result.years
        ],
    }


def social_return_json(result: SroiResult) -> dict[str, Any]:
    """Return an SROI's results, rounded for showing."""
    return {
        "total_pv": money(result.total_pv),
        "net_pv": money(result.net_pv),
        "sroi_ratio": ratio(result.sroi_ratio),
        "total_inputs": money(result.total_inputs),
        "discount_rate": result.discount_rate,
        "by_outcome": [
            {
                "label": outcome.label,
                "impact": money(outcome.impact),
                "present_value": money(outcome.present_value),
                "years": [
                    {
                        "year": year.year,
                        "impact": money(year.impact),
                        "present_value": money(year.present_value),
                    }
                    for year in outcome.years
                ],
            }
            for outcome in result.by_outcome
        ],
    }


def results_json(result: CostBenefitResult | SroiResult) -> dict[str, Any]:
    if isinstance(result, CostBenefitResult):
        return cost_benefit_json(result)
    return social_return_json(result)


def dumps(value: Any) -> str:
    """Return ``value`` as JSON text, writing each Decimal as the exact number it is (the
    standard library would need it turned into a float first)."""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Mapping):
        items = (f"{json.dumps(str(key))}: {dumps(item)}" for key, item in value.items())
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(dumps(item) for item in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def _pounds(value: Decimal) -> str:
    rounded = money(value)
    sign = "-" if rounded < 0 else ""
    return f"{sign}£{abs(rounded):,.2f}"


def _percent(value: Decimal) -> str:
    return f"{ratio(value) * 100:.2f} %"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]
    lines = [
        "  ".join(
            h.rjust(w) if i else h.ljust(w)
            for i, (h, w) in enumerate(zip(header, widths, strict=True))
        )
    ]
    for row in rows:
        lines.append(
            "  ".join(
                cell.rjust(width) if index else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(row, widths, strict=True))
            )
        )
    return lines


def cost_benefit_table(result: CostBenefitResult) -> str:
    """Return a cost-benefit analysis's results as a plain-text report with a table by year."""
    discount = (
        "Green Book schedule (3.5 % to year 30, then declining)"
        if result.discount_rate is None
        else f"fixed {_percent(result.discount_rate)}"
    )
    if result.switching_value is None:
        switching = "none: there are no benefits"
    elif result.switching_value >= 0:
        switching = (
            f"benefits may fall by {_percent(result.switching_value)} before the NPV is zero"
        )
    else:
        switching = (
            f"benefits must rise by {_percent(-result.switching_value)} for the NPV to be zero"
        )
    lines = [
        "Cost-benefit analysis",
        f"Discounting:        {discount}",
        f"Optimism bias:      {_percent(result.optimism_bias)} on every cost",
        f"PV of costs:        {_pounds(result.pv_costs)} (cashable "
        f"{_pounds(result.pv_costs_cashable)}, non-cashable "
        f"{_pounds(result.pv_costs_non_cashable)})",
        f"PV of benefits:     {_pounds(result.pv_benefits)} (cashable "
        f"{_pounds(result.pv_benefits_cashable)}, non-cashable "
        f"{_pounds(result.pv_benefits_non_cashable)})",
        f"Net present value:  {_pounds(result.npv)}",
        f"Benefit–cost ratio: {ratio(result.bcr)}",
        f"Payback year:       {result.payback_year if result.payback_year is not None else 'none'}",
        f"Switching value:    {switching}",
        "",
    ]
    rows = [
        [
            str(row.year),
            f"{factor(row.discount_factor):.4f}",
            _pounds(row.costs),
            _pounds(row.benefits),
            _pounds(row.pv_costs),
            _pounds(row.pv_benefits),
            _pounds(row.cumulative_net),
        ]
        for row in result.years
    ]
    header = ["Year", "DF", "Costs", "Benefits", "PV costs", "PV benefits", "Cumulative NPV"]
    return "\n".join(lines + _table(header, rows))


def social_return_table(result: SroiResult) -> str:
    """Return an SROI's results as a plain-text report with a table by outcome and year."""
    lines = [
        "Social return on investment",
        f"Discount rate:      {_percent(result.discount_rate)}",
        f"Total inputs:       {_pounds(result.total_inputs)}",
        f"Total PV:           {_pounds(result.total_pv)}",
        f"Net present value:  {_pounds(result.net_pv)}",
        f"SROI ratio:         {ratio(result.sroi_ratio)} : 1",
        "",
    ]
    rows = [
        [
            outcome.label or "(no label)",
            str(year.year),
            _pounds(year.impact),
            _pounds(year.present_value),
        ]
        for outcome in result.by_outcome
        for year in outcome.years
    ]
    return "\n".join(lines + _table(["Outcome", "Year", "Impact", "Present value"], rows))


def results_table(result: CostBenefitResult | SroiResult) -> str:
    if isinstance(result, CostBenefitResult):
        return cost_benefit_table(result)
    return social_return_table(result)
