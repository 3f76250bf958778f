"""``{% idea_comments idea %}``: the place on an idea's page where its comments go."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template

register = template.Library()

THREAD_TEMPLATE = "discussion/_thread.html"


@register.simple_tag(takes_context=True)
def idea_comments(context: template.Context, idea: Any) -> str:
    """Render the discussion of ``idea``, or nothing while the discussion app cannot.

    The discussion app renders its own thread (newest conversations and the forms to join
    in); its output is a rendered template, already escaped, so it is not escaped again.
    """
    request = context.get("request")
    if request is None:
        return ""
    try:
        get_template(THREAD_TEMPLATE)
        from civicflow.discussion.views import render_thread
    except (template.TemplateDoesNotExist, ImportError):
        return ""
    return render_thread(request, idea)
