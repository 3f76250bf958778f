"""Template tags for improvement boards."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()

# The discussion app draws a comment thread with ``{% comment_thread target %}``; a board
# shows it when that app offers it, and shows nothing otherwise.
_THREAD = "{% load discussion %}{% comment_thread target %}"


@register.simple_tag(takes_context=True)
def card_comments(context: template.Context, card: Any) -> str:
    """Render the comment thread of ``card`` if the discussion app draws threads, else ""."""
    try:
        thread = context.template.engine.from_string(_THREAD)  # type: ignore[union-attr]
    except template.TemplateSyntaxError:
        return ""
    with context.push(target=card):
        return thread.render(context)
