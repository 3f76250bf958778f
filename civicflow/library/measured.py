"""A case's measured results: the KPIs, cost-benefit analyses and SROIs of the initiative it
was drafted from, read live from the outcomes app, of which only those the case's editors
published with it are shown; or, for a case imported from open data, the measured results its
source published.

Both kinds pass through one record, the shape the open-data exports carry::

    {"kpis": [{"name", "unit", "direction", "baseline_value", "baseline_on", "target_value",
               "target_on", "latest_value", "latest_on"}],
     "appraisals": [{"kind", "title", "npv", "bcr", "sroi_ratio"}]}

every number as decimal text and every date as ISO text ("" where there is none), so an
export imports and exports again unchanged. It holds no personal data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.library.models import CaseStudy
from civicflow.outcomes.appraise import KpiPlan, KpiStatus, Reading, kpi_status
from civicflow.outcomes.appraise.numbers import to_decimal
from civicflow.outcomes.appraise.report import money, ratio

KPI_FIELDS = (
    "name",
    "unit",
    "direction",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "latest_value",
    "latest_on",
)
APPRAISAL_FIELDS = ("kind", "title", "npv", "bcr", "sroi_ratio")
MAX_KPIS = 50
MAX_APPRAISALS = 20
HTML = re.compile(r"<\s*[a-zA-Z!/?]")


def empty() -> dict[str, list[dict[str, str]]]:
    return {"kpis": [], "appraisals": []}


# Live from the outcomes app ----------------------------------------------------------------


def published_kpis(case: CaseStudy) -> list[Any]:
    """The KPIs published with the case that still belong to its initiative, by name."""
    kpis = [k for k in case.published_kpis.all() if k.initiative_id == case.source_initiative_id]
    return sorted(kpis, key=lambda k: (k.name.lower(), k.pk))


def published_appraisals(case: CaseStudy) -> list[Any]:
    """The appraisals published with the case that still belong to its initiative."""
    found = [
        a for a in case.published_appraisals.all() if a.initiative_id == case.source_initiative_id
    ]
    return sorted(found, key=lambda a: (a.kind, a.title.lower(), a.pk))


def _kpi_record(kpi: Any, today: date) -> dict[str, str]:
    from civicflow.outcomes.selectors import kpi_row

    latest = kpi_row(kpi, sorted(kpi.readings.all(), key=lambda r: (r.taken_on, r.pk)), today)
    reading = latest.status.latest
    return {
        "name": kpi.name,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "baseline_value": str(kpi.baseline_value),
        "baseline_on": kpi.baseline_on.isoformat(),
        "target_value": str(kpi.target_value),
        "target_on": kpi.target_on.isoformat(),
        "latest_value": str(reading.value) if reading else "",
        "latest_on": reading.on.isoformat() if reading else "",
    }


def _appraisal_record(appraisal: Any) -> dict[str, str]:
    from civicflow.outcomes.selectors import appraisal_result

    result = appraisal_result(appraisal).result
    record = {
        "kind": appraisal.kind,
        "title": appraisal.title,
        "npv": "",
        "bcr": "",
        "sroi_ratio": "",
    }
    if result is None:
        return record
    if appraisal.kind == "cba":
        record["npv"] = str(money(result.npv))  # type: ignore[union-attr]
        record["bcr"] = str(ratio(result.bcr))  # type: ignore[union-attr]
    else:
        record["sroi_ratio"] = str(ratio(result.sroi_ratio))  # type: ignore[union-attr]
    return record


def live_record(case: CaseStudy, today: date | None = None) -> dict[str, list[dict[str, str]]]:
    """The measures published with the case, read now from its initiative's record."""
    if case.source_initiative_id is None:
        return empty()
    day = today or timezone.localdate()
    return {
        "kpis": [_kpi_record(kpi, day) for kpi in published_kpis(case)],
        "appraisals": [_appraisal_record(a) for a in published_appraisals(case)],
    }


def measured_record(case: CaseStudy) -> dict[str, list[dict[str, str]]]:
    """The case's measured results as open data carries them: live from its initiative, or
    as imported."""
    if case.source_initiative_id is not None:
        return live_record(case)
    stored = case.measured_at_source or {}
    # In the record's own field order: PostgreSQL's jsonb keeps no order of its own.
    return {
        "kpis": [
            {name: item.get(name, "") for name in KPI_FIELDS} for item in stored.get("kpis", [])
        ],
        "appraisals": [
            {name: item.get(name, "") for name in APPRAISAL_FIELDS}
            for item in stored.get("appraisals", [])
        ],
    }


# What a page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasuredKpi:
    name: str
    unit: str
    baseline: Decimal
    baseline_on: date
    target: Decimal
    target_on: date
    status: KpiStatus


@dataclass(frozen=True)
class MeasuredAppraisal:
    kind: str
    title: str
    npv: Decimal | None
    bcr: Decimal | None
    sroi_ratio: Decimal | None


@dataclass
class Measured:
    """What a reader sees of a case's measured results."""

    live: bool
    kpis: list[MeasuredKpi] = field(default_factory=list)
    appraisals: list[MeasuredAppraisal] = field(default_factory=list)
    #: Measures on the initiative's record not published with the case (for its readers).
    unpublished: int = 0

    @property
    def any(self) -> bool:
        return bool(self.kpis or self.appraisals)


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def shown(record: dict[str, Any], *, live: bool, today: date | None = None) -> Measured:
    """Turn a measured record into what a page shows, each KPI's status worked out for
    ``today`` by the outcomes arithmetic."""
    day = today or timezone.localdate()
    measured = Measured(live=live)
    for item in record.get("kpis", []):
        baseline, target = to_decimal(item["baseline_value"]), to_decimal(item["target_value"])
        baseline_on, target_on = _date(item["baseline_on"]), _date(item["target_on"])
        if baseline is None or target is None or baseline_on is None or target_on is None:
            continue
        latest, latest_on = to_decimal(item.get("latest_value")), _date(item.get("latest_on", ""))
        readings = [Reading(latest, latest_on)] if latest is not None and latest_on else []
        plan = KpiPlan(item["direction"], baseline, baseline_on, target, target_on)
        measured.kpis.append(
            MeasuredKpi(
                name=item["name"],
                unit=item.get("unit", ""),
                baseline=baseline,
                baseline_on=baseline_on,
                target=target,
                target_on=target_on,
                status=kpi_status(plan, readings, day),
            )
        )
    for item in record.get("appraisals", []):
        measured.appraisals.append(
            MeasuredAppraisal(
                kind=item["kind"],
                title=item["title"],
                npv=to_decimal(item.get("npv")),
                bcr=to_decimal(item.get("bcr")),
                sroi_ratio=to_decimal(item.get("sroi_ratio")),
            )
        )
    return measured


def measured_for(*, user: Any, case: CaseStudy) -> Measured:
    """The case's measured results as ``user`` may see them: only what was published with it,
    and, for those who may see its initiative, how many more measures it has."""
    if case.source_initiative_id is None:
        return shown(measured_record(case), live=False)
    from civicflow.initiatives.permissions import can_view_initiative

    measured = shown(live_record(case), live=True)
    initiative = case.source_initiative
    if initiative is not None and can_view_initiative(user, initiative):
        total = initiative.kpis.count() + initiative.appraisals.count()
        measured.unpublished = max(total - len(measured.kpis) - len(measured.appraisals), 0)
    return measured


# Open data ----------------------------------------------------------------------------------


def _text_problem(value: Any, limit: int, label: str, required: bool) -> str:
    if not isinstance(value, str):
        return _("The %(label)s must be text.") % {"label": label}
    if required and not value.strip():
        return _("Enter the %(label)s.") % {"label": label}
    if len(value) > limit:
        return _("The %(label)s must be %(limit)s characters or fewer.") % {
            "label": label,
            "limit": limit,
        }
    if HTML.search(value):
        return _("The %(label)s must be plain text, without HTML.") % {"label": label}
    return ""


def _number_problem(value: Any, label: str, required: bool) -> str:
    if value == "" and not required:
        return ""
    if not isinstance(value, str) or to_decimal(value) is None:
        return _('The %(label)s must be a number written as text, like "12.5".') % {"label": label}
    return ""


def _date_problem(value: Any, label: str, required: bool) -> str:
    if value == "" and not required:
        return ""
    if not isinstance(value, str) or _date(value) is None:
        return _("The %(label)s must be a date like 2025-03-31.") % {"label": label}
    return ""


def _kpi_problem(index: int, item: Any) -> str:
    where = _("Measured KPI %(n)s: ") % {"n": index}
    if not isinstance(item, dict) or set(item) - set(KPI_FIELDS):
        return where + _("give only the fields %(fields)s.") % {"fields": ", ".join(KPI_FIELDS)}
    problems = [
        _text_problem(item.get("name"), 200, _("name"), True),
        _text_problem(item.get("unit", ""), 40, _("unit"), False),
        ""
        if item.get("direction") in ("higher", "lower")
        else _("the direction must be higher or lower."),
        _number_problem(item.get("baseline_value"), _("baseline"), True),
        _date_problem(item.get("baseline_on"), _("baseline date"), True),
        _number_problem(item.get("target_value"), _("target"), True),
        _date_problem(item.get("target_on"), _("target date"), True),
        _number_problem(item.get("latest_value", ""), _("latest value"), False),
        _date_problem(item.get("latest_on", ""), _("latest date"), False),
    ]
    latest_given = bool(item.get("latest_value")), bool(item.get("latest_on"))
    if not problems[-1] and not problems[-2] and latest_given[0] != latest_given[1]:
        problems.append(_("give the latest value and its date together, or neither."))
    if not any(problems[3:7]):
        if _date(item["target_on"]) <= _date(item["baseline_on"]):  # type: ignore[operator]
            problems.append(_("the target date must be after the baseline date."))
        if to_decimal(item["target_value"]) == to_decimal(item["baseline_value"]):
            problems.append(_("the target must differ from the baseline."))
    found = [p for p in problems if p]
    return where + " ".join(found) if found else ""


def _appraisal_problem(index: int, item: Any) -> str:
    where = _("Measured appraisal %(n)s: ") % {"n": index}
    if not isinstance(item, dict) or set(item) - set(APPRAISAL_FIELDS):
        return where + _("give only the fields %(fields)s.") % {
            "fields": ", ".join(APPRAISAL_FIELDS)
        }
    problems = [
        "" if item.get("kind") in ("cba", "sroi") else _("the kind must be cba or sroi."),
        _text_problem(item.get("title"), 200, _("title"), True),
        _number_problem(item.get("npv", ""), _("net present value"), False),
        _number_problem(item.get("bcr", ""), _("benefit-cost ratio"), False),
        _number_problem(item.get("sroi_ratio", ""), _("SROI ratio"), False),
    ]
    found = [p for p in problems if p]
    return where + " ".join(found) if found else ""


def check_measured(value: Any) -> tuple[dict[str, list[dict[str, str]]], str]:
    """Check an imported record's measured results; return them cleaned (every field named,
    as exported) and what is wrong with them, if anything."""
    if value in (None, "", {}):
        return empty(), ""
    if not isinstance(value, dict) or set(value) - {"kpis", "appraisals"}:
        return empty(), _("Measured results must be an object with ‘kpis’ and ‘appraisals’ lists.")
    kpis, appraisals = value.get("kpis", []), value.get("appraisals", [])
    if not isinstance(kpis, list) or not isinstance(appraisals, list):
        return empty(), _("Measured results must be an object with ‘kpis’ and ‘appraisals’ lists.")
    if len(kpis) > MAX_KPIS or len(appraisals) > MAX_APPRAISALS:
        return empty(), _("Give at most 50 measured KPIs and 20 appraisals.")
    problems = [_kpi_problem(n, item) for n, item in enumerate(kpis, start=1)]
    problems += [_appraisal_problem(n, item) for n, item in enumerate(appraisals, start=1)]
    found = [p for p in problems if p]
    if found:
        return empty(), " ".join(found)
    return {
        "kpis": [{name: item.get(name, "") for name in KPI_FIELDS} for item in kpis],
        "appraisals": [
            {name: item.get(name, "") for name in APPRAISAL_FIELDS} for item in appraisals
        ],
    }, ""
