"""Template filters for participatory budgets."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


@register.filter
def money(value: Any, currency: str = "GBP") -> str:
    """Whole currency units as people read them: £1,250,000 (or 1,250,000 PLN)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    figure = f"{abs(amount):,}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {currency}"
