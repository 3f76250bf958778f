"""Words and links for challenge pages: times in GOV.UK style, and what people can do."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

register = template.Library()

# What each kind calls the things people put forward, and how they put one forward.
SUBMISSIONS = {
    "open_call": (gettext_lazy("ideas"), gettext_lazy("put forward ideas")),
    "prize": (gettext_lazy("entries"), gettext_lazy("enter the prize")),
    "hack_day": (gettext_lazy("pitches"), gettext_lazy("pitch ideas and share prototypes")),
    "fund_round": (gettext_lazy("applications"), gettext_lazy("apply for a grant")),
    "improvement_board": (gettext_lazy("ideas"), gettext_lazy("propose a change")),
}


def _submissions(kind: str) -> tuple[str, str]:
    noun, verb = SUBMISSIONS.get(kind, SUBMISSIONS["open_call"])
    return str(noun), str(verb)


@register.filter
def govuk_paragraphs(value: str) -> SafeString:
    """Return plain text as GOV.UK body paragraphs: a blank line starts a new one.

    The text is escaped; only the paragraph and line-break tags are markup.
    """
    paragraphs = [part.strip() for part in str(value or "").replace("\r\n", "\n").split("\n\n")]
    return format_html_join(
        "\n",
        '<p class="govuk-body">{}</p>',
        (
            (SafeString("<br>".join(conditional_escape(line) for line in part.split("\n"))),)
            for part in paragraphs
            if part
        ),
    )


@register.filter
def govuk_time(value: datetime | None) -> str:
    """Return the time of ``value`` as GOV.UK writes it: 9am, 5:30pm, midday, midnight."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if local.hour == 0 and local.minute == 0:
        return _("midnight")
    if local.hour == 12 and local.minute == 0:
        return _("midday")
    hour = local.hour % 12 or 12
    minutes = f":{local.minute:02d}" if local.minute else ""
    return f"{hour}{minutes}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def govuk_date(value: datetime | None) -> str:
    """Return the date of ``value`` as GOV.UK writes it: 12 March 2027."""
    if value is None:
        return ""
    return date_format(timezone.localtime(value), "j F Y")


@register.filter
def govuk_when(value: datetime | None) -> str:
    """Return ``value`` as GOV.UK writes a moment: 5pm on 12 March 2027."""
    if value is None:
        return ""
    return _("%(time)s on %(date)s") % {"time": govuk_time(value), "date": govuk_date(value)}


def _join(phrases: list[str]) -> str:
    if len(phrases) <= 1:
        return "".join(phrases)
    return _("%(first)s and %(last)s") % {"first": ", ".join(phrases[:-1]), "last": phrases[-1]}


@register.filter
def action_phrase(actions: Any, kind: str) -> str:
    """Return what ``actions`` let a person do in a challenge of ``kind``, as a phrase.

    For example "put forward ideas, comment on ideas and back other people's ideas".
    """
    noun, verb = _submissions(kind)
    words = {
        "submit": verb,
        "comment": _("comment on %(things)s") % {"things": noun},
        "support": _("back other people's %(things)s") % {"things": noun},
        "review": _("review %(things)s") % {"things": noun},
    }
    return _join([words[action] for action in actions if action in words])


@register.filter
def submissions_noun(kind: str) -> str:
    """Return what a challenge of ``kind`` calls the things people put forward, capitalised."""
    noun, _verb = _submissions(kind)
    return noun[:1].upper() + noun[1:]


@register.simple_tag
def url_if_exists(name: str, *args: Any) -> str:
    """Return the address of the page ``name`` with ``args``, or "" if there is no such page.

    Lets a page link to another app's page only once that app provides it.
    """
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""
