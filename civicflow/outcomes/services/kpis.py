"""KPIs on initiatives and challenges, their readings one at a time, and readings imported
from a CSV file with a report of the rows refused and why."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.challenges.models import Challenge
from civicflow.core.audit import audit_record
from civicflow.outcomes.models import NAME_MAX, Direction, Kpi, KpiReading
from civicflow.outcomes.services.common import require_recorder, value_problem

UNIT_MAX = 40
NOTE_MAX = 2_000
MAX_KPIS = 50
IMPORT_MAX_BYTES = 1024 * 1024
IMPORT_MAX_ROWS = 5_000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")


def kpi_create(
    *,
    actor: Any,
    owner: Any,
    name: str,
    unit: str = "",
    direction: str,
    baseline_value: Any,
    baseline_on: date | None,
    target_value: Any,
    target_on: date | None,
) -> Kpi:
    """Add a KPI to an initiative or a challenge (``owner``)."""
    require_recorder(actor, owner)
    name = (name or "").strip()
    unit = (unit or "").strip()
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter the KPI's name, for example ‘Falls on the ward a month’.")
    elif len(name) > NAME_MAX:
        errors["name"] = _("The name must be 200 characters or fewer.")
    elif owner.kpis.filter(name=name).exists():
        errors["name"] = _("There is a KPI with this name already.")
    if len(unit) > UNIT_MAX:
        errors["unit"] = _("The unit must be 40 characters or fewer.")
    if direction not in Direction.values:
        errors["direction"] = _("Say whether higher or lower is better.")
    baseline, problem = value_problem(baseline_value)
    if problem:
        errors["baseline_value"] = problem
    target, problem = value_problem(target_value)
    if problem:
        errors["target_value"] = problem
    if baseline_on is None:
        errors["baseline_on"] = _("Enter the date of the baseline.")
    if target_on is None:
        errors["target_on"] = _("Enter the date the target should be reached by.")
    elif baseline_on is not None and target_on <= baseline_on:
        errors["target_on"] = _("The target date must be after the baseline date.")
    if baseline is not None and target is not None and direction in Direction.values:
        if target == baseline:
            errors["target_value"] = _("The target must differ from the baseline.")
        elif (target > baseline) != (direction == Direction.HIGHER):
            errors["target_value"] = (
                _("Higher is better, so the target must be above the baseline.")
                if direction == Direction.HIGHER
                else _("Lower is better, so the target must be below the baseline.")
            )
    if owner.kpis.count() >= MAX_KPIS:
        errors["name"] = _("There are 50 KPIs already; that is the most one place may have.")
    if errors or baseline is None or target is None or baseline_on is None or target_on is None:
        raise ValidationError(errors)
    is_challenge = isinstance(owner, Challenge)
    with transaction.atomic():
        kpi = Kpi.objects.create(
            organisation=owner.organisation,
            initiative=None if is_challenge else owner,
            challenge=owner if is_challenge else None,
            name=name,
            unit=unit,
            direction=direction,
            baseline_value=baseline,
            baseline_on=baseline_on,
            target_value=target,
            target_on=target_on,
            created_by=actor,
        )
        audit_record(
            actor=actor,
            action="outcomes.kpi_created",
            target=owner,
            organisation=owner.organisation,
            data={
                "kpi": name,
                "baseline": str(baseline),
                "target": str(target),
                "target_on": str(target_on),
            },
        )
    return kpi


def _reading_problems(
    kpi: Kpi, value: Any, taken_on: date | None, source: str, note: str, taken: set[date]
) -> tuple[dict[str, str], Any]:
    errors: dict[str, str] = {}
    number, problem = value_problem(value)
    if problem:
        errors["value"] = problem
    if taken_on is None:
        errors["taken_on"] = _("Enter the date of the reading.")
    elif taken_on > timezone.localdate():
        errors["taken_on"] = _("The date must be today or in the past.")
    elif taken_on in taken:
        errors["taken_on"] = _("There is a reading for this date already.")
    if len(source) > NAME_MAX:
        errors["source"] = _("The source must be 200 characters or fewer.")
    if len(note) > NOTE_MAX:
        errors["note"] = _("The note must be 2,000 characters or fewer.")
    return errors, number


def reading_add(
    *,
    actor: Any,
    kpi: Kpi,
    value: Any,
    taken_on: date | None,
    source: str = "",
    note: str = "",
) -> KpiReading:
    """Record a KPI's value on a day."""
    owner = kpi.initiative if kpi.initiative_id else kpi.challenge
    require_recorder(actor, owner)
    source, note = (source or "").strip(), (note or "").strip()
    taken = (
        set(kpi.readings.filter(taken_on=taken_on).values_list("taken_on", flat=True))
        if taken_on is not None
        else set()
    )
    errors, number = _reading_problems(kpi, value, taken_on, source, note, taken)
    if errors or taken_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        reading = KpiReading.objects.create(
            kpi=kpi, value=number, taken_on=taken_on, source=source, note=note, recorded_by=actor
        )
        audit_record(
            actor=actor,
            action="outcomes.reading_added",
            target=kpi,
            organisation=kpi.organisation,
            data={"value": str(number), "taken_on": str(taken_on)},
        )
    return reading


@dataclass
class ImportReport:
    """What a CSV import did: how many readings it added, and each row it refused and why."""

    rows: int = 0
    added: int = 0
    refused: list[tuple[int, str]] = field(default_factory=list)


def _parse_date(text: str) -> date | None:
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _read_csv(content: bytes | str) -> list[tuple[int, dict[str, str]]]:
    """Return the file's rows by line number, or raise ``ValidationError`` if it is malformed."""
    if isinstance(content, bytes):
        if len(content) > IMPORT_MAX_BYTES:
            raise ValidationError({"file": _("The file is larger than 1 MB. Split it.")})
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(
                {"file": _("The file is not UTF-8 text. Save it as ‘CSV UTF-8’ and try again.")}
            ) from error
    if "\x00" in content:
        raise ValidationError({"file": _("The file is not a CSV file.")})
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise ValidationError({"file": _("The file is empty.")})
        columns = [cell.strip().lower() for cell in header]
        if "date" not in columns or "value" not in columns:
            raise ValidationError(
                {
                    "file": _(
                        "The first row must name the columns: date and value, and if you "
                        "like source and note."
                    )
                }
            )
        rows: list[tuple[int, dict[str, str]]] = []
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            if len(rows) >= IMPORT_MAX_ROWS:
                raise ValidationError({"file": _("The file has more than 5,000 rows. Split it.")})
            if len(row) > len(columns):
                raise ValidationError(
                    {
                        "file": _("Line %(line)d has more cells than the first row names.")
                        % {"line": reader.line_num}
                    }
                )
            rows.append(
                (reader.line_num, dict(zip(columns, [c.strip() for c in row], strict=False)))
            )
    except csv.Error as error:
        raise ValidationError(
            {"file": _("The file is not valid CSV: %(error)s.") % {"error": error}}
        ) from error
    return rows


def kpi_readings_import(*, actor: Any, kpi: Kpi, content: bytes | str) -> ImportReport:
    """Add the readings in a CSV file (columns date, value, source, note).

    A malformed file is refused whole and nothing is saved; otherwise each good row is added
    and each bad one is reported with its line number and the reason.
    """
    owner = kpi.initiative if kpi.initiative_id else kpi.challenge
    require_recorder(actor, owner)
    rows = _read_csv(content)
    report = ImportReport(rows=len(rows))
    taken = set(kpi.readings.values_list("taken_on", flat=True))
    good: list[KpiReading] = []
    for line, row in rows:
        taken_on = _parse_date(row.get("date", ""))
        if taken_on is None:
            report.refused.append(
                (
                    line,
                    _("The date ‘%(date)s’ is not a date like 2025-03-31 or 31/03/2025.")
                    % {"date": row.get("date", "")},
                )
            )
            continue
        source, note = row.get("source", ""), row.get("note", "")
        errors, number = _reading_problems(kpi, row.get("value", ""), taken_on, source, note, taken)
        if errors:
            report.refused.append((line, " ".join(errors.values())))
            continue
        taken.add(taken_on)
        good.append(
            KpiReading(
                kpi=kpi,
                value=number,
                taken_on=taken_on,
                source=source,
                note=note,
                recorded_by=actor,
            )
        )
    with transaction.atomic():
        KpiReading.objects.bulk_create(good)
        report.added = len(good)
        audit_record(
            actor=actor,
            action="outcomes.readings_imported",
            target=kpi,
            organisation=kpi.organisation,
            data={"rows": report.rows, "added": report.added, "refused": len(report.refused)},
        )
    return report
