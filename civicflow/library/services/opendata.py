"""Open data: public cases under an open licence exported as JSON or CSV without personal
data, and cases imported from those formats with a report of every problem (row, field,
reason). An import stores every row or none.

Both formats carry the same record. In CSV the outcomes are one column holding a JSON list of
``{"area", "statement", "figure"}`` objects, and the measured results (``measured``: the KPIs,
cost-benefit analyses and SROIs published with a case, see ``civicflow.library.measured``) one
column holding their JSON object, so a CSV export imports without loss.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.accounts.models import Organisation
from civicflow.core.audit import audit_record
from civicflow.library import permissions
from civicflow.library.measured import check_measured, measured_record
from civicflow.library.models import (
    OPEN_LICENCES,
    CaseOutcome,
    CaseReview,
    CaseStatus,
    CaseStudy,
    ReviewDecision,
    Sharing,
)
from civicflow.library.services.checks import check_case
from civicflow.outcomes.models import Kpi, KpiReading
from civicflow.search.services import schedule_index

COLUMNS = [
    "reference",
    "title",
    "summary",
    "problem",
    "approach",
    "outcomes",
    "measured",
    "costs",
    "lessons",
    "sector",
    "innovation_type",
    "evidence_level",
    "organisation",
    "organisation_name",
    "started_on",
    "finished_on",
    "published_on",
    "licence",
]
REQUIRED = (
    "title",
    "summary",
    "problem",
    "approach",
    "sector",
    "innovation_type",
    "evidence_level",
    "organisation",
    "licence",
)
MAX_ROWS = 1_000
MAX_BYTES = 5 * 1024 * 1024


# Export ------------------------------------------------------------------------------------


def open_data_cases() -> list[CaseStudy]:
    """Every published, public case under an open licence, in a stable order."""
    cases = list(
        CaseStudy.objects.filter(
            status=CaseStatus.PUBLISHED, sharing=Sharing.PUBLIC, licence__in=OPEN_LICENCES
        )
        .select_related("organisation")
        .prefetch_related(
            "outcomes",
            Prefetch(
                "published_kpis",
                queryset=Kpi.objects.prefetch_related(
                    Prefetch("readings", queryset=KpiReading.objects.order_by("taken_on", "id"))
                ),
            ),
            "published_appraisals",
        )
    )
    return sorted(cases, key=_order)


def _order(case: CaseStudy) -> tuple[Any, ...]:
    published = case.published_at.date() if case.published_at else date.min
    return (published, case.organisation.slug, case.title.lower(), str(case.reference))


def case_record(case: CaseStudy) -> dict[str, Any]:
    """One case as open data: no contact details, no author, no internal numbers."""
    return {
        "reference": str(case.reference),
        "title": case.title,
        "summary": case.summary,
        "problem": case.problem,
        "approach": case.approach,
        "outcomes": [
            {"area": o.area, "statement": o.statement, "figure": o.figure}
            for o in sorted(case.outcomes.all(), key=lambda o: (o.position, o.pk))
        ],
        "measured": measured_record(case),
        "costs": case.costs,
        "lessons": case.lessons,
        "sector": case.sector,
        "innovation_type": case.innovation_type,
        "evidence_level": case.evidence_level,
        "organisation": case.organisation.slug,
        "organisation_name": case.organisation.name,
        "started_on": case.started_on.isoformat() if case.started_on else "",
        "finished_on": case.finished_on.isoformat() if case.finished_on else "",
        "published_on": case.published_at.date().isoformat() if case.published_at else "",
        "licence": case.licence,
    }


def export_json(cases: list[CaseStudy] | None = None) -> str:
    """The open cases as a JSON document."""
    records = [case_record(case) for case in (open_data_cases() if cases is None else cases)]
    document = {
        "description": "Case studies published on civicflow, each under the licence it names.",
        "count": len(records),
        "cases": records,
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def export_csv(cases: list[CaseStudy] | None = None) -> str:
    """The open cases as CSV, one row each; outcomes as a JSON list in their column."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for case in open_data_cases() if cases is None else cases:
        record = case_record(case)
        record["outcomes"] = json.dumps(record["outcomes"], ensure_ascii=False)
        record["measured"] = json.dumps(record["measured"], ensure_ascii=False)
        writer.writerow(record)
    return out.getvalue()


# Import ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    row: int  # 1 for the first case (in CSV, the line after the header); 0 for the file
    field: str
    reason: str


@dataclass
class ImportReport:
    created: list[CaseStudy] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportFormatError(ValueError):
    """The file cannot be read at all; the message is for people."""


def parse_json(data: bytes | str) -> list[dict[str, Any]]:
    """Return the records of a JSON export (a list, or an object with ``cases``)."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(_("The file must be 5 MB or smaller."))
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFormatError(
            _("The file is not valid JSON: %(error)s.") % {"error": error}
        ) from error
    records = document.get("cases") if isinstance(document, dict) else document
    if not isinstance(records, list):
        raise ImportFormatError(_("The JSON must be a list of cases, or an object with ‘cases’."))
    return records


def parse_csv(data: bytes | str) -> list[dict[str, Any]]:
    """Return the records of a CSV export; a bad outcomes cell is left for the report."""
    if len(data) > MAX_BYTES:
        raise ImportFormatError(_("The file must be 5 MB or smaller."))
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as error:
        raise ImportFormatError(_("Save the CSV file as UTF-8 and try again.")) from error
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        records: list[dict[str, Any]] = [dict(row) for row in reader]
    except csv.Error as error:
        raise ImportFormatError(
            _("The CSV file cannot be read: %(error)s.") % {"error": error}
        ) from error
    if reader.fieldnames is None:
        raise ImportFormatError(_("The CSV file is empty: it needs a header row."))
    missing = [name for name in REQUIRED if name not in reader.fieldnames]
    if missing:
        raise ImportFormatError(
            _("The CSV file has no column for: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    for record in records:
        record.pop(None, None)  # type: ignore[call-overload]
        cell = record.get("outcomes")
        if isinstance(cell, str):
            try:
                record["outcomes"] = json.loads(cell) if cell.strip() else []
            except ValueError:
                record["outcomes"] = cell  # reported as a problem with the outcomes
        cell = record.get("measured")
        if isinstance(cell, str):
            try:
                record["measured"] = json.loads(cell) if cell.strip() else {}
            except ValueError:
                record["measured"] = cell  # reported as a problem with the measured results
    return records


def _reference(value: Any) -> uuid.UUID | None:
    if value in (None, ""):
        return uuid.uuid4()
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _published(value: Any) -> datetime | None:
    if value in (None, ""):
        return timezone.now()
    try:
        return datetime.combine(date.fromisoformat(str(value)), time(12, 0), tzinfo=UTC)
    except ValueError:
        return None


def _check_row(
    number: int,
    record: Any,
    actor: Any,
    organisations: dict[str, Organisation],
    seen_refs: set[str],
    seen_titles: set[tuple[int, str]],
) -> tuple[dict[str, Any] | None, list[Problem]]:
    if not isinstance(record, dict):
        return None, [Problem(number, "", _("Each case must be an object with named fields."))]
    problems = [
        Problem(number, name, _("Missing: every case needs a %(name)s.") % {"name": name})
        for name in REQUIRED
        if record.get(name) in (None, "")
    ]
    cleaned, errors = check_case({**record, "sharing": Sharing.PUBLIC})
    problems += [
        Problem(number, name, message)
        for name, message in errors.items()
        if record.get(name) not in (None, "") or name == "outcomes"
    ]
    slug = str(record.get("organisation") or "")
    organisation = organisations.get(slug)
    if slug and organisation is None:
        problems.append(
            Problem(
                number,
                "organisation",
                _("There is no organisation ‘%(slug)s’ on this service.") % {"slug": slug},
            )
        )
    elif organisation is not None and not permissions.is_editor(actor, organisation):
        problems.append(
            Problem(
                number,
                "organisation",
                _("Only editors of %(organisation)s import its cases.")
                % {"organisation": organisation.name},
            )
        )
    if (
        record.get("licence")
        and cleaned["licence"] not in OPEN_LICENCES
        and "licence" not in errors
    ):
        problems.append(
            Problem(number, "licence", _("Only cases under an open licence can be imported."))
        )
    reference = _reference(record.get("reference"))
    if reference is None:
        problems.append(
            Problem(number, "reference", _("The reference must be a UUID, or left empty."))
        )
    elif str(reference) in seen_refs or CaseStudy.objects.filter(reference=reference).exists():
        problems.append(
            Problem(number, "reference", _("Duplicate: a case with this reference exists."))
        )
    measured, problem = check_measured(record.get("measured"))
    if problem:
        problems.append(Problem(number, "measured", problem))
    published = _published(record.get("published_on"))
    if published is None:
        problems.append(
            Problem(number, "published_on", _("Enter a real date, for example 2026-03-31."))
        )
    if organisation is not None and cleaned["title"]:
        key = (organisation.pk, cleaned["title"].lower())
        exists = CaseStudy.objects.filter(
            organisation=organisation, title__iexact=cleaned["title"]
        ).exists()
        if key in seen_titles or exists:
            problems.append(
                Problem(
                    number,
                    "title",
                    _("Duplicate: %(organisation)s already has a case called ‘%(title)s’.")
                    % {"organisation": organisation.name, "title": cleaned["title"]},
                )
            )
        seen_titles.add(key)
    if reference is not None:
        seen_refs.add(str(reference))
    if problems:
        return None, problems
    cleaned.update(
        organisation=organisation,
        reference=reference,
        published_at=published,
        sharing="public",
        measured_at_source=measured,
    )
    return cleaned, []


def cases_import(*, actor: Any, records: list[Any]) -> ImportReport:
    """Check every record, then store all of them as published cases, or none if any has a
    problem. The importer must be an editor of each case's organisation."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Sign in to import cases."))
    report = ImportReport()
    if not records:
        report.problems.append(Problem(0, "", _("The file holds no cases.")))
        return report
    if len(records) > MAX_ROWS:
        report.problems.append(
            Problem(0, "", _("Import %(limit)s cases or fewer at a time.") % {"limit": MAX_ROWS})
        )
        return report
    slugs = {str(r.get("organisation")) for r in records if isinstance(r, dict)}
    organisations = {o.slug: o for o in Organisation.objects.filter(slug__in=slugs)}
    rows: list[dict[str, Any]] = []
    seen_refs: set[str] = set()
    seen_titles: set[tuple[int, str]] = set()
    for number, record in enumerate(records, start=1):
        cleaned, problems = _check_row(number, record, actor, organisations, seen_refs, seen_titles)
        report.problems.extend(problems)
        if cleaned is not None:
            rows.append(cleaned)
    if report.problems:
        return report
    with transaction.atomic():
        for cleaned in rows:
            report.created.append(_store(actor, cleaned))
    return report


def _store(actor: Any, cleaned: dict[str, Any]) -> CaseStudy:
    outcomes = cleaned.pop("outcomes")
    case = CaseStudy.objects.create(status=CaseStatus.PUBLISHED, created_by=actor, **cleaned)
    CaseOutcome.objects.bulk_create(
        [CaseOutcome(case=case, position=index, **item) for index, item in enumerate(outcomes)]
    )
    CaseReview.objects.create(case=case, decision=ReviewDecision.IMPORTED, reviewer=actor)
    audit_record(
        actor=actor,
        action="case.imported",
        target=case,
        organisation=case.organisation,
        data={"reference": str(case.reference)},
    )
    schedule_index(case)
    return case
