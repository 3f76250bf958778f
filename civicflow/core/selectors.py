"""Reads of the audit log."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import models
from django.db.models import QuerySet

from civicflow.core.models import AuditEvent

AUDIT_CSV_COLUMNS = [
    "occurred_at",
    "actor",
    "action",
    "target_type",
    "target_id",
    "target",
    "reason",
    "data",
]


def audit_events_for_organisation(*, organisation: Any) -> QuerySet[AuditEvent]:
    """Return the audit events recorded in ``organisation``, newest first."""
    return AuditEvent.objects.filter(organisation=organisation)


def audit_events_for_target(*, target: models.Model) -> QuerySet[AuditEvent]:
    """Return the audit events recorded against ``target``, newest first."""
    return AuditEvent.objects.for_target(target)


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A cell that starts like a formula is neutralised so a spreadsheet shows it as text.
    if text[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + text
    return text


class _Echo:
    def write(self, value: str) -> str:
        return value


def audit_csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    """Yield the lines of a CSV export of ``events``, header first."""
    writer = csv.writer(_Echo())
    yield writer.writerow(AUDIT_CSV_COLUMNS)
    for event in events:
        yield writer.writerow(
            [
                _safe_cell(value)
                for value in (
                    event.occurred_at.isoformat(),
                    event.actor_label,
                    event.action,
                    event.target_type,
                    event.target_id,
                    event.target_label,
                    event.reason,
                    json.dumps(event.data, sort_keys=True),
                )
            ]
        )
