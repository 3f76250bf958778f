"""Template tags for initiatives: money, and the lineage shown on an idea's page."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.loader import render_to_string

register = template.Library()


@register.filter
def pounds(value: Any) -> str:
    """An amount as people write it: £12,500 or £12,500.50."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{int(amount):,}"
    return f"{sign}£{amount:,.2f}"


@register.simple_tag(takes_context=True)
def idea_initiatives(context: template.Context, idea: Any) -> str:
    """Render where ``idea`` went: the initiatives that carry it on, as far as the person
    viewing may see them (one query)."""
    from civicflow.initiatives.selectors import visible_initiatives

    request = context.get("request")
    user = getattr(request, "user", None)
    initiatives = list(visible_initiatives(user).filter(idea_id=idea.pk).order_by("id")[:5])
    if not initiatives:
        return ""
    return render_to_string("initiatives/_idea_lineage.html", {"initiatives": initiatives})
