"""Template tags of the case library."""

from __future__ import annotations

from typing import Any

from django import template

from civicflow.library.selectors import related_cases

register = template.Library()

CHECK_MAX = 200


@register.inclusion_tag("library/_has_this_been_done.html", takes_context=True)
def has_this_been_done(context: dict[str, Any]) -> dict[str, Any]:
    """ "Has this been done already?": a box to describe the plan, and the published cases
    that match it (or the title being posted), from the search index."""
    request = context["request"]
    text = (request.GET.get("check") or request.POST.get("title") or "").strip()[:CHECK_MAX]
    keep = [(key, value) for key, value in request.GET.items() if key != "check"]
    return {
        "text": text,
        "keep": keep,
        "cases": related_cases(user=request.user, text=text) if text else [],
        "checked": bool(text),
    }
