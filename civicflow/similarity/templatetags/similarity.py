"""Template tags of similarity: "Has this been done already?" while writing."""

from __future__ import annotations

from typing import Any

from django import template

from civicflow.similarity.selectors import draft_text, while_writing

register = template.Library()


@register.inclusion_tag("similarity/_has_this_been_done.html", takes_context=True)
def has_this_been_done(
    context: dict[str, Any], writing: str = "idea", challenge: Any = None
) -> dict[str, Any]:
    """ "Has this been done already?": the ideas in the challenge (or similar challenges) and
    the case studies across the network most like the draft. Without JavaScript, from the
    description typed in the box (``?check=``) or the draft just posted; with htmx, refreshed
    as the author types."""
    request = context["request"]
    text = (request.GET.get("check") or "").strip()
    if not text and request.method == "POST":
        post = request.POST
        text = draft_text(
            post.get("title", ""),
            post.get("summary", ""),
            post.get("description", "") or post.get("problem", ""),
        )
    keep = [(key, value) for key, value in request.GET.items() if key != "check"]
    check = while_writing(user=request.user, text=text, writing=writing, challenge=challenge)
    return {
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "check": check,
        "checked": bool(text),
        "box_text": request.GET.get("check", "").strip()[:200],
        "keep": keep,
        "writing": writing,
        "challenge": challenge,
    }
