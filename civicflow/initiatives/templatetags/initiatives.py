"""Template tags for initiatives: money, and the lineage shown on an idea's page and on the
appraisal pages of awards and grants."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.urls import reverse

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


@register.simple_tag(takes_context=True)
def award_initiative(context: template.Context, award: Any) -> str:
    """Render where a grant or a panel's award went, for the appraisal pages: the initiative
    that carries the awarded idea on, as far as the person viewing may see it; or, for the
    organisation's innovation leads, a link to start one from the award (the start page
    sends them to the existing initiative if one was started meanwhile). One query; awards
    that are not ``awarded`` decisions cost none.
    """
    from civicflow.appraisal.models import Grant
    from civicflow.initiatives.permissions import can_start_initiatives
    from civicflow.initiatives.selectors import visible_initiatives

    is_grant = isinstance(award, Grant)
    if award is None or (not is_grant and award.kind != "awarded"):
        return ""
    idea_id = award.application.idea_id if is_grant else award.idea_id
    request = context.get("request")
    user = getattr(request, "user", None)
    initiative = visible_initiatives(user).filter(idea_id=idea_id).first()
    challenge = context.get("challenge")  # the appraisal pages' own, already read
    if challenge is None:
        challenge = award.application.fund_round.challenge if is_grant else award.panel.challenge
    organisation = challenge.organisation
    can_start = initiative is None and can_start_initiatives(user, organisation)
    if initiative is None and not can_start:
        return ""
    query = f"grant={award.pk}" if is_grant else f"award={award.pk}"
    return render_to_string(
        "initiatives/_award_lineage.html",
        {
            "initiative": initiative,
            "can_start": can_start,
            "start_url": f"{reverse('initiatives:start', args=[organisation.slug])}?{query}",
        },
    )


@register.simple_tag(takes_context=True)
def challenge_initiatives(context: template.Context, challenge: Any) -> str:
    """Render the initiatives started from ``challenge``'s ideas that the person viewing may
    see, or a line saying there are none yet. No query while the cached rows stand (see
    ``selectors.challenge_initiatives``)."""
    from civicflow.initiatives.selectors import challenge_initiatives as rows_of

    request = context.get("request")
    user = getattr(request, "user", None)
    return render_to_string(
        "initiatives/_challenge_initiatives.html",
        {"initiatives": rows_of(user=user, challenge=challenge), "challenge": challenge},
    )
