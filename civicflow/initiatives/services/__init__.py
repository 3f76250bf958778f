"""Writes for initiatives: starting them, their owner and team, plans and entry criteria,
progress, evaluation plans, gate decisions, and review reminders.

Every service validates first and raises ``ValidationError`` with a message that says how to
fix the problem (or ``PermissionDenied``), then writes in one transaction with its audit
record, so a refused request stores nothing.
"""

from civicflow.initiatives.services.awards import initiative_start_from_award
from civicflow.initiatives.services.gates import gate_decide
from civicflow.initiatives.services.plans import (
    criterion_add,
    criterion_set_met,
    evaluation_plan_set,
    milestone_add,
    milestone_reach,
    progress_update_add,
    stage_plan_set,
)
from civicflow.initiatives.services.registry import (
    register_audit_actions,
    register_notification_kinds,
)
from civicflow.initiatives.services.reminders import review_reminders_send
from civicflow.initiatives.services.starting import (
    initiative_edit,
    initiative_start,
    team_member_add,
    team_member_remove,
)

__all__ = [
    "criterion_add",
    "criterion_set_met",
    "evaluation_plan_set",
    "gate_decide",
    "initiative_edit",
    "initiative_start",
    "initiative_start_from_award",
    "milestone_add",
    "milestone_reach",
    "progress_update_add",
    "register_audit_actions",
    "register_notification_kinds",
    "review_reminders_send",
    "stage_plan_set",
    "team_member_add",
    "team_member_remove",
]
