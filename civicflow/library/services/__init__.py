"""Writes for the case library: drafting (directly or from a finished initiative), editing
and submitting cases, editorial review, adoption, and open-data import.

Every service validates first and raises ``ValidationError`` with a message that says how to
fix the problem (or ``PermissionDenied``), then writes in one transaction with its audit
record, so a refused request stores nothing.
"""

from civicflow.library.services.adoption import case_adopt
from civicflow.library.services.measures import case_measures_publish
from civicflow.library.services.opendata import (
    ImportFormatError,
    ImportReport,
    cases_import,
    export_csv,
    export_json,
    parse_csv,
    parse_json,
)
from civicflow.library.services.registry import (
    register_audit_actions,
    register_notification_kinds,
)
from civicflow.library.services.review import case_review
from civicflow.library.services.writing import (
    case_create,
    case_draft_from_initiative,
    case_edit,
    case_fields,
    case_submit,
    initiative_draft_fields,
)

__all__ = [
    "ImportFormatError",
    "ImportReport",
    "case_adopt",
    "case_create",
    "case_draft_from_initiative",
    "case_edit",
    "case_fields",
    "case_measures_publish",
    "case_review",
    "case_submit",
    "cases_import",
    "export_csv",
    "export_json",
    "initiative_draft_fields",
    "parse_csv",
    "parse_json",
    "register_audit_actions",
    "register_notification_kinds",
]
