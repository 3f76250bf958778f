"""How appraisal pages show scores."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django import template

from civicflow.core.money import format_money

register = template.Library()


@register.filter
def score(value: Fraction | float | None) -> str:
    """A score to two decimal places, or a dash when there is none."""
    return "–" if value is None else f"{float(value):.2f}"


@register.filter
def signed(value: float | None) -> str:
    """A standardised score with its sign (+0.83, −0.41), or a dash."""
    if value is None:
        return "–"
    shown = f"{value:+.2f}"
    return shown.replace("-", "−") if shown != "-0.00" else "+0.00"


@register.filter
def money(value: int | None, currency: str = "GBP") -> str:
    """Whole currency units as people write them: £25,000, or 25,000 CHF."""
    return "–" if value is None else format_money(value, currency)


@register.inclusion_tag("appraisal/includes/round_links.html", takes_context=True)
def appraisal_links(context: dict[str, Any], challenge: Any) -> dict[str, Any]:
    """Links from a challenge's page to its round, criteria, panel and results."""
    from civicflow.appraisal import permissions, selectors
    from civicflow.appraisal.models import CriteriaSet

    user = context["request"].user
    kind = getattr(challenge, "kind", "")
    pages = {
        "prize": "appraisal:prize",
        "fund_round": "appraisal:fund",
        "hack_day": "appraisal:hack_day",
    }
    if kind not in pages:
        return {"show": False}
    can_run = permissions.can_run_appraisal(user, challenge)
    criteria_set = CriteriaSet.objects.filter(challenge=challenge).first()
    panel = selectors.panel_of(challenge)
    return {
        "show": True,
        "challenge": challenge,
        "round_url": pages[kind],
        "kind": kind,
        "can_run": can_run,
        "criteria": permissions.can_view_criteria(user, challenge, criteria_set),
        "on_panel": panel is not None and permissions.is_on_panel(user, panel),
        "results": panel is not None and permissions.can_view_results(user, panel),
        "published": panel is not None and panel.results_published,
    }
