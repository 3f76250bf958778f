"""Writes for outcomes and evidence: KPIs and their readings (one at a time or from CSV),
appraisals, the evidence level and qualitative evidence, savings, and surveys with their
answers and follow-ups.

Every service checks permission, validates first and raises ``ValidationError`` with a
message that says how to fix the problem (or ``PermissionDenied``), then writes in one
transaction with its audit record, so a refused request stores nothing.
"""

from civicflow.outcomes.services.appraisals import appraisal_delete, appraisal_save
from civicflow.outcomes.services.corrections import (
    question_delete,
    question_edit,
    reading_correct,
    reading_delete,
    survey_withdraw,
)
from civicflow.outcomes.services.evidence import (
    evidence_assess,
    qualitative_evidence_add,
    savings_set,
)
from civicflow.outcomes.services.kpis import (
    ImportReport,
    kpi_create,
    kpi_readings_import,
    reading_add,
)
from civicflow.outcomes.services.registry import (
    register_audit_actions,
    register_notification_kinds,
)
from civicflow.outcomes.services.surveys import (
    follow_up_surveys_send,
    question_add,
    survey_answer,
    survey_create,
    survey_link_find,
    survey_link_revoke,
    survey_links_make,
    survey_set_status,
)

__all__ = [
    "ImportReport",
    "appraisal_delete",
    "appraisal_save",
    "evidence_assess",
    "follow_up_surveys_send",
    "kpi_create",
    "kpi_readings_import",
    "qualitative_evidence_add",
    "question_add",
    "question_delete",
    "question_edit",
    "reading_add",
    "reading_correct",
    "reading_delete",
    "register_audit_actions",
    "register_notification_kinds",
    "savings_set",
    "survey_answer",
    "survey_create",
    "survey_link_find",
    "survey_link_revoke",
    "survey_links_make",
    "survey_set_status",
    "survey_withdraw",
]
