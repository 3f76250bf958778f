"""Template tags for outcomes: figures, percentages, and the outcomes section an initiative's
page shows."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.template.loader import render_to_string

from civicflow.core.money import format_money
from civicflow.outcomes.appraise.numbers import round_to

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def figure(value: Any) -> str:
    """A measured value as people write it: 1,234.5 (at most four decimal places)."""
    number = _decimal(value)
    if number is None:
        return ""
    text = f"{round_to(number, Decimal('0.0001')):,.4f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def money(value: Any) -> str:
    """An amount rounded to the penny: £1,309.09 (or -£60.18)."""
    number = _decimal(value)
    if number is None:
        return ""
    return format_money(round_to(number, Decimal("0.01")), pence=True)


@register.filter
def percent(value: Any) -> str:
    """A fraction as a percentage with one decimal place: 0.1818 → 18.2 %."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{round_to(number * 100, Decimal('0.1'))} %"


@register.filter
def one_place(value: Any) -> str:
    """A number to one decimal place: -33.333 → -33.3."""
    number = _decimal(value)
    return "" if number is None else f"{round_to(number, Decimal('0.1'))}"


@register.filter
def ratio(value: Any) -> str:
    """A ratio to two decimal places: 1.2222 → 1.22."""
    number = _decimal(value)
    if number is None:
        return ""
    return f"{round_to(number, Decimal('0.01'))}"


@register.filter
def factor(value: Any) -> str:
    number = _decimal(value)
    return "" if number is None else f"{round_to(number, Decimal('0.0001'))}"


@register.simple_tag(takes_context=True)
def outcomes_section(context: template.Context, initiative: Any) -> str:
    """Render an initiative's KPIs, appraisals, evidence, surveys and savings side by side."""
    from civicflow.outcomes.views import section_context

    request = context.get("request")
    user = getattr(request, "user", None)
    return render_to_string(
        "outcomes/_section.html", section_context(user, initiative), request=request
    )
