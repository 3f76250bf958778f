"""Template filters for participatory budgets."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

from civicflow.core.money import format_money

register = template.Library()


@register.filter
def money(value: Any, currency: str = "GBP") -> str:
    """Whole currency units as people read them: £1,250,000 (or 1,250,000 PLN)."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    return format_money(amount, currency)


@register.filter
def money_exact(value: Any, currency: str = "GBP") -> str:
    """An amount to the penny, as people read it: £12.50, £1,250 (whole amounts lose .00)."""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return ""
    return format_money(amount, currency, pence=None)


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
