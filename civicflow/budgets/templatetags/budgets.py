"""Template filters for participatory budgets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
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


@register.filter
def money_exact(value: Any, currency: str = "GBP") -> str:
    """An amount to the penny, as people read it: £12.50, £1,250 (whole amounts lose .00)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    figure = f"{amount:,.0f}" if amount == amount.to_integral_value() else f"{amount:,.2f}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{figure}" if symbol else f"{sign}{figure} {currency}"


@register.inclusion_tag("budgets/includes/challenge_budgets.html")
def challenge_budgets(challenge: Any) -> dict[str, Any]:
    """Links to a challenge's own budgets, and to its organisation's list of budgets.

    Only for a page of a challenge the reader may see: a challenge's budgets are visible to
    whoever may see the challenge.
    """
    from civicflow.budgets.models import Budget

    budgets = list(
        Budget.objects.filter(challenge=challenge)
        .only("pk", "title", "phase", "challenge_id")
        .order_by("-created_at", "-id")
    )
    return {"budgets": budgets, "organisation": challenge.organisation}
