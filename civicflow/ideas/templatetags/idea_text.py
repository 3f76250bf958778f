"""``{{ text|govuk_paragraphs }}``: what people wrote, as GOV.UK body paragraphs."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import normalize_newlines

register = template.Library()


@register.filter(needs_autoescape=True)
def govuk_paragraphs(text: Any, autoescape: bool = True) -> SafeString:
    """Return ``text`` escaped, a paragraph for each blank-line-separated part, line breaks kept.

    Django's ``linebreaks`` makes bare ``<p>`` elements, which GOV.UK Frontend leaves unstyled.
    """
    escape = conditional_escape if autoescape else str
    parts = re.split(r"\n{2,}", normalize_newlines(str(text or "")).strip())
    lines = [
        mark_safe("<br>".join(str(escape(line)) for line in part.split("\n")))  # noqa: S308 - each line is escaped
        for part in parts
        if part.strip()
    ]
    return format_html_join("\n", '<p class="govuk-body">{}</p>', ((line,) for line in lines))
