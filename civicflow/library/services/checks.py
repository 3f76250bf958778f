"""The rules every case study's fields meet, wherever they come from (pages, API, import).

``check_case`` returns the cleaned fields and a message for each field that breaks a rule, so
services raise them together and the importer reports them row by row.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from civicflow.library.models import (
    CONTACT_NAME_MAX,
    FIGURE_MAX,
    OUTCOMES_MAX,
    STATEMENT_MAX,
    SUMMARY_MAX,
    TEXT_MAX,
    TITLE_MAX,
    EvidenceLevel,
    InnovationType,
    Licence,
    OutcomeArea,
    Sector,
    Sharing,
)

# A tag or comment: "<b>", "</p>", "<!--", "<script ...". A lone "<" (as in "< 5 %") is fine.
HTML = re.compile(r"<\s*[a-zA-Z!/?]")

TEXT_FIELDS: dict[str, tuple[int, bool, str]] = {
    # name: (limit, required, how people name it)
    "title": (TITLE_MAX, True, "title"),
    "summary": (SUMMARY_MAX, True, "summary"),
    "problem": (TEXT_MAX, True, "problem"),
    "approach": (TEXT_MAX, True, "account of what was done"),
    "costs": (TEXT_MAX, False, "costs"),
    "lessons": (TEXT_MAX, False, "lessons learned"),
    "contact_name": (CONTACT_NAME_MAX, False, "contact name"),
}


def _text(errors: dict[str, str], cleaned: dict[str, Any], name: str, value: Any) -> None:
    limit, required, label = TEXT_FIELDS[name]
    if value is not None and not isinstance(value, str):
        errors[name] = _("The %(label)s must be text.") % {"label": label}
        return
    text = (value or "").strip()
    if required and not text:
        errors[name] = _("Enter the %(label)s.") % {"label": label}
    elif len(text) > limit:
        errors[name] = _("The %(label)s must be %(limit)s characters or fewer.") % {
            "label": label,
            "limit": f"{limit:,}",
        }
    elif HTML.search(text):
        errors[name] = _(
            "Take the HTML out of the %(label)s: write plain text, with blank lines between "
            "paragraphs."
        ) % {"label": label}
    cleaned[name] = text


def _choice(
    errors: dict[str, str],
    cleaned: dict[str, Any],
    name: str,
    value: Any,
    choices: Any,
    message: str,
) -> None:
    text = value.strip() if isinstance(value, str) else value
    if text not in choices.values:
        errors[name] = message
    cleaned[name] = text


def _evidence(errors: dict[str, str], cleaned: dict[str, Any], value: Any) -> None:
    try:
        level = int(value)
        if isinstance(value, bool) or str(level) != str(value).strip():
            raise ValueError
    except (TypeError, ValueError):
        level = 0
    if level not in EvidenceLevel.values:
        errors["evidence_level"] = _(
            "Choose an evidence level from 1 (a logical reason why it should work) to 5 "
            "(replicated elsewhere with the same impact)."
        )
    cleaned["evidence_level"] = level


def _date(errors: dict[str, str], cleaned: dict[str, Any], name: str, value: Any) -> None:
    if value in (None, ""):
        cleaned[name] = None
        return
    if isinstance(value, date):
        cleaned[name] = value
        return
    try:
        cleaned[name] = date.fromisoformat(str(value).strip())
    except ValueError:
        errors[name] = _("Enter a real date, for example 2026-03-31.")
        cleaned[name] = None


def check_outcomes(value: Any) -> tuple[list[dict[str, str]], str]:
    """Return the cleaned outcomes and a message if any is wrong (or empty text)."""
    if value is None:
        return [], ""
    if not isinstance(value, list | tuple):
        return [], _("Give the outcomes as a list, each with an area, a statement and a figure.")
    if len(value) > OUTCOMES_MAX:
        return [], _("Give %(limit)s outcomes or fewer.") % {"limit": OUTCOMES_MAX}
    cleaned: list[dict[str, str]] = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, dict):
            return [], _("Outcome %(n)s must have an area, a statement and a figure.") % {
                "n": number
            }
        area = str(item.get("area") or "").strip()
        statement = str(item.get("statement") or "").strip()
        figure = str(item.get("figure") or "").strip()
        if area not in OutcomeArea.values:
            return [], _("Outcome %(n)s: choose an outcome area, such as %(areas)s.") % {
                "n": number,
                "areas": ", ".join(OutcomeArea.values[:3]),
            }
        if not statement:
            return [], _("Outcome %(n)s: say what changed.") % {"n": number}
        if len(statement) > STATEMENT_MAX or len(figure) > FIGURE_MAX:
            return [], _(
                "Outcome %(n)s: keep the statement to %(s)s characters and the figure to %(f)s."
            ) % {"n": number, "s": STATEMENT_MAX, "f": FIGURE_MAX}
        if HTML.search(statement) or HTML.search(figure):
            return [], _("Outcome %(n)s: take the HTML out; write plain text.") % {"n": number}
        cleaned.append({"area": area, "statement": statement, "figure": figure})
    return cleaned, ""


def check_case(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Return ``fields`` cleaned, and a message for each one that breaks a rule."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        _text(errors, cleaned, name, fields.get(name, ""))
    _choice(
        errors,
        cleaned,
        "sector",
        fields.get("sector"),
        Sector,
        _("Choose a sector: %(sectors)s.") % {"sectors": ", ".join(Sector.values)},
    )
    _choice(
        errors,
        cleaned,
        "innovation_type",
        fields.get("innovation_type"),
        InnovationType,
        _("Choose a type of innovation: %(types)s.") % {"types": ", ".join(InnovationType.values)},
    )
    _choice(
        errors,
        cleaned,
        "licence",
        fields.get("licence") or Licence.OGL,
        Licence,
        _("Choose a licence: %(licences)s.") % {"licences": ", ".join(Licence.values)},
    )
    _choice(
        errors,
        cleaned,
        "sharing",
        fields.get("sharing") or Sharing.PUBLIC,
        Sharing,
        _("Choose who can see it: public, network or private."),
    )
    _evidence(errors, cleaned, fields.get("evidence_level"))
    email = (fields.get("contact_email") or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["contact_email"] = _(
                "Enter the contact's email address in the right format, like name@example.gov.uk."
            )
    cleaned["contact_email"] = email.lower()
    _date(errors, cleaned, "started_on", fields.get("started_on"))
    _date(errors, cleaned, "finished_on", fields.get("finished_on"))
    start, end = cleaned["started_on"], cleaned["finished_on"]
    if start and end and end < start and "finished_on" not in errors:
        errors["finished_on"] = _("The finish date must be on or after the start date.")
    outcomes, problem = check_outcomes(fields.get("outcomes"))
    if problem:
        errors["outcomes"] = problem
    cleaned["outcomes"] = outcomes
    return cleaned, errors
