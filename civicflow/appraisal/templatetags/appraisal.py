"""How appraisal pages show scores."""

from __future__ import annotations

from fractions import Fraction

from django import template

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
