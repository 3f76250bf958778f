"""Reading numbers for the arithmetic: exact decimals from JSON, forms and CSV cells."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from civicflow.outcomes.appraise.discount import PRECISION
from civicflow.outcomes.appraise.errors import Problems

#: The largest amount of money (or quantity) the arithmetic accepts, to keep it exact.
LIMIT = Decimal(10) ** 15


def to_decimal(value: Any) -> Decimal | None:
    """Return ``value`` as an exact, finite Decimal, or None if it is not a number.

    Booleans are not numbers here, although Python counts them as integers. A float is read
    through its shortest text form, so 0.1 is one tenth.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("£")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def read_number(
    problems: Problems,
    field: str,
    value: Any,
    *,
    minimum: Decimal | None = Decimal(0),
    maximum: Decimal | None = LIMIT,
    what: str = "a number",
    below_maximum: bool = False,
) -> Decimal:
    """Read one number into a Decimal; record a problem (and return 0) if it will not do."""
    number = to_decimal(value)
    if number is None:
        problems.add(field, f"Enter {what}, for example 1000 or 0.25.")
        return Decimal(0)
    if minimum is not None and number < minimum:
        if minimum == 0:
            problems.add(field, f"Enter {what} of 0 or more, not {number}.")
        else:
            problems.add(field, f"Enter {what} of {minimum} or more, not {number}.")
        return Decimal(0)
    if maximum is not None and (number >= maximum if below_maximum else number > maximum):
        limit = "below" if below_maximum else "at most"
        problems.add(field, f"Enter {what} {limit} {maximum}, not {number}.")
        return Decimal(0)
    return number


def read_fraction(problems: Problems, field: str, value: Any) -> Decimal:
    """Read a fraction from 0 to 1 (0.25 for a quarter)."""
    number = to_decimal(value)
    if number is None:
        problems.add(field, "Enter a fraction from 0 to 1, for example 0.25 for a quarter.")
        return Decimal(0)
    if not Decimal(0) <= number <= Decimal(1):
        problems.add(
            field,
            f"Enter a fraction from 0 to 1, not {number} (write 25 % as 0.25).",
        )
        return Decimal(0)
    return number


def read_whole(
    problems: Problems, field: str, value: Any, *, minimum: int, maximum: int, what: str
) -> int:
    """Read a whole number from ``minimum`` to ``maximum``."""
    number = to_decimal(value)
    if number is None or number != number.to_integral_value():
        problems.add(field, f"Enter {what} as a whole number from {minimum} to {maximum}.")
        return minimum
    whole = int(number)
    if not minimum <= whole <= maximum:
        problems.add(field, f"Enter {what} from {minimum} to {maximum}, not {whole}.")
        return minimum
    return whole


def round_to(value: Decimal, step: Decimal) -> Decimal:
    """Round ``value`` to a multiple of ``step`` (0.01 for pennies), halves away from zero.

    A figure too large to write to that step in fifty digits (a benefit–cost ratio over tiny
    costs) keeps fifty significant digits instead, rather than failing.
    """
    with localcontext() as context:
        context.prec = PRECISION
        context.rounding = ROUND_HALF_UP
        if value.adjusted() - step.adjusted() < PRECISION:
            return value.quantize(step)
        return +value
