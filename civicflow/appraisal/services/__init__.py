"""Writes for appraisal. Every service checks permission and input first and raises
``PermissionDenied`` or ``ValidationError`` with a message that says how to fix it, then
writes in one transaction with its audit record, so a refused request stores nothing."""

from civicflow.appraisal.services.base import register_audit_actions
from civicflow.appraisal.services.cases import business_case_save
from civicflow.appraisal.services.criteria import (
    criteria_publish,
    criteria_set_create,
    criterion_remove,
    criterion_save,
)
from civicflow.appraisal.services.decisions import decision_record, results_publish
from civicflow.appraisal.services.funds import (
    application_submit,
    fund_round_create,
    grant_award,
    milestone_report,
    payment_record,
)
from civicflow.appraisal.services.hackdays import (
    hack_day_create,
    hack_day_register,
    hack_day_unregister,
    hack_team_form,
    hack_team_join,
    hack_team_leave,
    membership_fixed,
    prototype_submit,
)
from civicflow.appraisal.services.notices import (
    register_notification_kinds,
    review_window_notices_send,
)
from civicflow.appraisal.services.panels import (
    assignment_add,
    conflict_declare,
    panel_allocate,
    panel_close,
    panel_create,
    panel_member_add,
    panel_member_remove,
    panel_reopen,
    panel_update,
    score_submit,
)
from civicflow.appraisal.services.prizes import (
    eligibility_answer,
    judging_begun,
    prize_create,
    prize_tiers_change,
)

__all__ = [
    "application_submit",
    "assignment_add",
    "business_case_save",
    "conflict_declare",
    "criteria_publish",
    "criteria_set_create",
    "criterion_remove",
    "criterion_save",
    "decision_record",
    "eligibility_answer",
    "fund_round_create",
    "grant_award",
    "hack_day_create",
    "hack_day_register",
    "hack_day_unregister",
    "hack_team_form",
    "hack_team_join",
    "hack_team_leave",
    "judging_begun",
    "membership_fixed",
    "milestone_report",
    "panel_allocate",
    "panel_close",
    "panel_create",
    "panel_member_add",
    "panel_member_remove",
    "panel_reopen",
    "panel_update",
    "payment_record",
    "prize_create",
    "prize_tiers_change",
    "prototype_submit",
    "register_audit_actions",
    "register_notification_kinds",
    "results_publish",
    "review_window_notices_send",
    "score_submit",
]
