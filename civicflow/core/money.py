"""Amounts of money as people read them, for every app's pages: £1,250, £12.50, 25,000 CHF."""

from __future__ import annotations

from decimal import Decimal

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def format_money(
    amount: Decimal | int, currency: str = "GBP", *, pence: bool | None = False
) -> str:
    """Write ``amount`` with its currency's symbol (or its code after it, if it has none).

    ``pence``: True always shows two decimal places, False none (whole units), None two only
    when the amount is not whole. The amount is not rounded here beyond that formatting.
    """
    number = Decimal(amount)
    sign = "-" if number < 0 else ""
    number = abs(number)
    if pence is None:
        pence = number != number.to_integral_value()
    figure = f"{number:,.2f}" if pence else f"{number:,.0f}"
    symbol = SYMBOLS.get((currency or "GBP").upper())
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {currency}"
