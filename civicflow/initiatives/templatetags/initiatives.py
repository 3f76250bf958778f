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
    """Render where ``idea`` went: the initiative that carries it on, as far as the person
    viewing may see it (one query); or, for a selected idea without one, a link for the
    organisation's innovation leads to start it.

    Only selected ideas become initiatives, so other ideas cost no query.
    """
    from civicflow.ideas.models import IdeaStatus
    from civicflow.initiatives.permissions import can_start_initiatives
    from civicflow.initiatives.selectors import visible_initiatives

    if idea.status != IdeaStatus.SELECTED:
        return ""
    request = context.get("request")
    user = getattr(request, "user", None)
    initiatives = list(visible_initiatives(user).filter(idea_id=idea.pk).order_by("id")[:5])
    can_start = not initiatives and can_start_initiatives(user, idea.organisation)
    if not initiatives and not can_start:
        return ""
    return render_to_string(
        "initiatives/_idea_lineage.html",
        {"initiatives": initiatives, "idea": idea, "can_start": can_start},
    )
