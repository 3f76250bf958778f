"""Social return on investment, with the conventions of Social Value UK's guide.

Each outcome's impact in year 1 is its quantity × financial proxy × (1 − deadweight) ×
(1 − displacement) × (1 − attribution); in year y it is the year-1 impact × (1 − drop-off)
^ (y − 1), for y = 1 … duration. Year y is discounted by 1 / (1 + rate) ^ y. The inputs (what
was put in) are not discounted. The SROI ratio is the total present value over the inputs.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, localcontext
from typing import Any

from civicflow.outcomes.appraise.discount import PRECISION
from civicflow.outcomes.appraise.errors import Problems
from civicflow.outcomes.appraise.numbers import read_fraction, read_number, read_whole

DEFAULT_RATE = Decimal("0.035")
LABEL_MAX = 200
MAX_LINES = 200
MAX_DURATION = 100
FRACTIONS = ("deadweight", "displacement", "attribution", "drop_off")


@dataclass(frozen=True)
class InputLine:
    """Something put in (money, or time and goods valued in money)."""

    label: str
    value: Decimal


@dataclass(frozen=True)
class OutcomeLine:
    """An outcome: how many, what each is worth, for how long, and how much is not ours."""

    label: str
    quantity: Decimal
    proxy: Decimal
    duration: int
    deadweight: Decimal = Decimal(0)
    displacement: Decimal = Decimal(0)
    attribution: Decimal = Decimal(0)
    drop_off: Decimal = Decimal(0)


@dataclass(frozen=True)
class SroiInput:
    inputs: tuple[InputLine, ...]
    outcomes: tuple[OutcomeLine, ...]
    discount_rate: Decimal = DEFAULT_RATE


@dataclass(frozen=True)
class OutcomeYear:
    year: int
    impact: Decimal
    present_value: Decimal


@dataclass(frozen=True)
class OutcomeResult:
    label: str
    impact: Decimal
    years: tuple[OutcomeYear, ...]
    present_value: Decimal


@dataclass(frozen=True)
class SroiResult:
    total_inputs: Decimal
    total_pv: Decimal
    net_pv: Decimal
    sroi_ratio: Decimal
    by_outcome: tuple[OutcomeResult, ...]
    discount_rate: Decimal


def _check(data: SroiInput, problems: Problems | None = None) -> None:
    problems = problems if problems is not None else Problems()
    if not Decimal(0) <= data.discount_rate < Decimal(1):
        problems.add("discount_rate", "Enter a discount rate from 0 to below 1, e.g. 0.035.")
    for index, line in enumerate(data.inputs):
        if line.value < 0:
            problems.add(f"inputs[{index}].value", "Enter a value of 0 or more.")
    if not data.outcomes:
        problems.add("outcomes", "Enter at least one outcome.")
    for index, outcome in enumerate(data.outcomes):
        field = f"outcomes[{index}]"
        if outcome.quantity < 0:
            problems.add(f"{field}.quantity", "Enter a quantity of 0 or more.")
        if outcome.proxy < 0:
            problems.add(f"{field}.proxy", "Enter a financial proxy of 0 or more.")
        if not 1 <= outcome.duration <= MAX_DURATION:
            problems.add(
                f"{field}.duration",
                f"Enter how many years the outcome lasts, from 1 to {MAX_DURATION}.",
            )
        for name in FRACTIONS:
            if not Decimal(0) <= getattr(outcome, name) <= Decimal(1):
                problems.add(f"{field}.{name}", "Enter a fraction from 0 to 1, e.g. 0.25.")
    if not problems and sum((line.value for line in data.inputs), Decimal(0)) == 0:
        problems.add(
            "inputs",
            "The inputs add up to zero, so there is no SROI ratio. Enter what was put in.",
        )
    problems.raise_any()


def social_return(data: SroiInput) -> SroiResult:
    """Appraise ``data``; raise ``AppraisalInputError`` (naming the field) if it cannot be."""
    _check(data)
    with localcontext() as context:
        context.prec = PRECISION
        growth = Decimal(1) + data.discount_rate
        by_outcome = []
        for outcome in data.outcomes:
            impact = (
                outcome.quantity
                * outcome.proxy
                * (1 - outcome.deadweight)
                * (1 - outcome.displacement)
                * (1 - outcome.attribution)
            )
            years = []
            # Year by year (not with a power): Decimal refuses 0 ** 0 when drop-off is 1.
            value, discount = impact, growth
            for year in range(1, outcome.duration + 1):
                years.append(OutcomeYear(year, value, value / discount))
                value *= 1 - outcome.drop_off
                discount *= growth
            by_outcome.append(
                OutcomeResult(
                    label=outcome.label,
                    impact=impact,
                    years=tuple(years),
                    present_value=sum((y.present_value for y in years), Decimal(0)),
                )
            )
        total_inputs = sum((line.value for line in data.inputs), Decimal(0))
        total_pv = sum((o.present_value for o in by_outcome), Decimal(0))
        return SroiResult(
            total_inputs=total_inputs,
            total_pv=total_pv,
            net_pv=total_pv - total_inputs,
            sroi_ratio=total_pv / total_inputs,
            by_outcome=tuple(by_outcome),
            discount_rate=data.discount_rate,
        )


def _list(problems: Problems, name: str, raw: Any) -> list[tuple[str, Mapping[str, Any]]]:
    if raw is None:
        return []
    if not isinstance(raw, Sequence) or isinstance(raw, str | bytes):
        problems.add(name, f"Give the {name} as a list of objects.")
        return []
    if len(raw) > MAX_LINES:
        problems.add(name, f"Give at most {MAX_LINES} {name}.")
        return []
    items = []
    for index, item in enumerate(raw):
        field = f"{name}[{index}]"
        if not isinstance(item, Mapping):
            problems.add(field, "Give each line as an object with a label.")
            continue
        items.append((field, item))
    return items


def _label(problems: Problems, field: str, item: Mapping[str, Any]) -> str:
    label = item.get("label", "")
    if not isinstance(label, str) or len(label) > LABEL_MAX:
        problems.add(
            f"{field}.label", f"Give the label as text of {LABEL_MAX} characters or fewer."
        )
        return ""
    return label


def read_social_return(raw: Mapping[str, Any]) -> SroiInput:
    """Read an SROI from plain data; raise ``AppraisalInputError`` naming each field that will
    not do, having computed nothing."""
    problems = Problems()
    rate = read_number(
        problems,
        "discount_rate",
        raw.get("discount_rate", DEFAULT_RATE),
        maximum=Decimal(1),
        below_maximum=True,
        what="a discount rate",
    )
    inputs = tuple(
        InputLine(
            label=_label(problems, field, item),
            value=read_number(problems, f"{field}.value", item.get("value"), what="a value"),
        )
        for field, item in _list(problems, "inputs", raw.get("inputs"))
    )
    if not inputs and "inputs" not in problems.errors:
        problems.add("inputs", "Enter at least one input, with its value.")
    outcomes = []
    for field, item in _list(problems, "outcomes", raw.get("outcomes")):
        outcomes.append(
            OutcomeLine(
                label=_label(problems, field, item),
                quantity=read_number(
                    problems, f"{field}.quantity", item.get("quantity"), what="a quantity"
                ),
                proxy=read_number(
                    problems, f"{field}.proxy", item.get("proxy"), what="a financial proxy"
                ),
                duration=read_whole(
                    problems,
                    f"{field}.duration",
                    item.get("duration"),
                    minimum=1,
                    maximum=MAX_DURATION,
                    what="the duration in years",
                ),
                **{
                    name: read_fraction(problems, f"{field}.{name}", item.get(name, 0))
                    for name in FRACTIONS
                },
            )
        )
    if not outcomes and "outcomes" not in problems.errors:
        problems.add("outcomes", "Enter at least one outcome.")
    data = SroiInput(inputs=inputs, outcomes=tuple(outcomes), discount_rate=rate)
    _check(data, problems)
    return data
