"""Discount factors: the HM Treasury Green Book's declining schedule, or one fixed rate.

The Green Book discounts year t of an appraisal by DF(t), the product over the years 1..t of
1 / (1 + r), where r is the rate for that year: 3.5 % for years 1 to 30, 3.0 % for 31 to 75,
2.5 % for 76 to 125, 2.0 % for 126 to 200, 1.5 % for 201 to 300 and 1.0 % after. DF(0) = 1.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

#: The last year of each band of the schedule and its rate; the last band has no end.
GREEN_BOOK_SCHEDULE: tuple[tuple[int | None, Decimal], ...] = (
    (30, Decimal("0.035")),
    (75, Decimal("0.030")),
    (125, Decimal("0.025")),
    (200, Decimal("0.020")),
    (300, Decimal("0.015")),
    (None, Decimal("0.010")),
)
#: The last year an appraisal may reach.
LAST_YEAR = 500
#: Digits the arithmetic keeps; far more than any figure is shown with.
PRECISION = 50


def green_book_rate(year: int) -> Decimal:
    """Return the Green Book discount rate for ``year`` (1 or later)."""
    if year < 1:
        raise ValueError("Discount rates start at year 1; year 0 is not discounted.")
    for last, rate in GREEN_BOOK_SCHEDULE:
        if last is None or year <= last:
            return rate
    raise AssertionError("unreachable")  # pragma: no cover


def discount_factors(last_year: int, rate: Decimal | None = None) -> list[Decimal]:
    """Return DF(0) … DF(last_year): the Green Book schedule, or ``rate`` for every year."""
    if not 0 <= last_year <= LAST_YEAR:
        raise ValueError(f"The last year must be from 0 to {LAST_YEAR}.")
    factors = [Decimal(1)]
    with localcontext() as context:
        context.prec = PRECISION
        for year in range(1, last_year + 1):
            year_rate = green_book_rate(year) if rate is None else rate
            factors.append(factors[-1] / (Decimal(1) + year_rate))
    return factors
