"""What every appraisal service shares: the audit actions and the permission checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicflow.appraisal import permissions
from civicflow.core.audit import register_actions

AUDIT_ACTIONS = {
    "appraisal.criteria_changed": gettext_lazy("Appraisal criteria changed"),
    "appraisal.criteria_published": gettext_lazy("Appraisal criteria published"),
    "appraisal.business_case_saved": gettext_lazy("Business case saved"),
    "appraisal.panel_created": gettext_lazy("Appraisal panel set up"),
    "appraisal.panel_changed": gettext_lazy("Appraisal panel changed"),
    "appraisal.assessor_added": gettext_lazy("Assessor added to a panel"),
    "appraisal.assessor_removed": gettext_lazy("Assessor removed from a panel"),
    "appraisal.assigned": gettext_lazy("Submission assigned to an assessor"),
    "appraisal.allocated": gettext_lazy("Submissions allocated to assessors automatically"),
    "appraisal.conflict_declared": gettext_lazy("Declaration of interests made"),
    "appraisal.scored": gettext_lazy("Submission scored"),
    "appraisal.panel_closed": gettext_lazy("Appraisal panel closed"),
    "appraisal.panel_reopened": gettext_lazy("Appraisal panel reopened"),
    "appraisal.decided": gettext_lazy("Appraisal decision recorded"),
    "appraisal.results_published": gettext_lazy("Appraisal results published"),
    "appraisal.prize_created": gettext_lazy("Challenge prize set up"),
    "appraisal.prize_tiers_changed": gettext_lazy("Challenge prize tiers changed"),
    "appraisal.eligibility_answered": gettext_lazy("Prize eligibility answered"),
    "appraisal.fund_round_created": gettext_lazy("Fund round set up"),
    "appraisal.application_submitted": gettext_lazy("Fund application submitted"),
    "appraisal.grant_awarded": gettext_lazy("Grant awarded"),
    "appraisal.milestone_reported": gettext_lazy("Milestone reported"),
    "appraisal.payment_recorded": gettext_lazy("Grant payment recorded"),
    "appraisal.hack_day_created": gettext_lazy("Hack day set up"),
    "appraisal.hack_day_registered": gettext_lazy("Registered for a hack day"),
    "appraisal.hack_team_formed": gettext_lazy("Hack day team formed"),
    "appraisal.hack_team_joined": gettext_lazy("Joined a hack day team"),
    "appraisal.hack_team_left": gettext_lazy("Left a hack day team"),
    "appraisal.hack_day_unregistered": gettext_lazy("Gave up a place at a hack day"),
    "appraisal.prototype_submitted": gettext_lazy("Prototype submitted"),
    "appraisal.assessors_reminded": gettext_lazy("Assessors told about their waiting reviews"),
}


def register_audit_actions() -> None:
    register_actions(dict(AUDIT_ACTIONS))


def require_runner(actor: Any, challenge: Any) -> None:
    """Refuse anyone but the organisation's innovation leads and administrators."""
    if not permissions.can_run_appraisal(actor, challenge):
        raise PermissionDenied(_("Only innovation leads and administrators run appraisal."))


def require_author(actor: Any, idea: Any) -> None:
    if not permissions.is_author(actor, idea):
        raise PermissionDenied(_("Only the idea's authors can do this."))


def clean(text: str | None) -> str:
    return (text or "").strip()
