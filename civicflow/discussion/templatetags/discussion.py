"""``{% comment_thread target %}``: the discussion on any registered object, on its page."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def comment_thread(context: template.Context, target: Any) -> str:
    """Render the comments on ``target`` with the forms to join in (needs ``request``).

    Shows the newest conversations, with a link to all of them, in a fixed number of
    queries however many comments there are. The thread is a rendered template, whose
    output is already escaped and marked safe, so the tag does not escape it again.
    """
    from civicflow.discussion.views import render_thread

    return render_thread(context["request"], target)
