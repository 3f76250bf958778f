"""The names of the actions outcomes record in the audit log, and of their notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from civicflow.core.audit import register_actions
from civicflow.notifications.kinds import register_kinds


def register_audit_actions() -> None:
    register_actions(
        {
            "outcomes.kpi_created": gettext_lazy("KPI added"),
            "outcomes.reading_added": gettext_lazy("KPI reading recorded"),
            "outcomes.readings_imported": gettext_lazy("KPI readings imported from CSV"),
            "outcomes.reading_corrected": gettext_lazy("KPI reading corrected"),
            "outcomes.reading_deleted": gettext_lazy("KPI reading deleted"),
            "outcomes.appraisal_saved": gettext_lazy("Appraisal saved"),
            "outcomes.appraisal_deleted": gettext_lazy("Appraisal deleted"),
            "outcomes.evidence_assessed": gettext_lazy("Evidence level set"),
            "outcomes.evidence_added": gettext_lazy("Qualitative evidence added"),
            "outcomes.savings_set": gettext_lazy("Savings recorded"),
            "outcomes.survey_created": gettext_lazy("Survey created"),
            "outcomes.question_added": gettext_lazy("Survey question added"),
            "outcomes.question_changed": gettext_lazy("Survey question changed"),
            "outcomes.question_deleted": gettext_lazy("Survey question removed"),
            "outcomes.survey_deleted": gettext_lazy("Unanswered survey deleted"),
            "outcomes.survey_archived": gettext_lazy("Survey withdrawn, its answers kept"),
            "outcomes.survey_status": gettext_lazy("Survey opened or closed"),
            "outcomes.survey_links_made": gettext_lazy("Anonymous survey links made"),
            "outcomes.survey_link_revoked": gettext_lazy("Anonymous survey link revoked"),
            "outcomes.follow_up_sent": gettext_lazy("Follow-up survey sent"),
        }
    )


def register_notification_kinds() -> None:
    register_kinds(
        {
            "outcomes.follow_up": gettext_lazy(
                "A follow-up survey about a change that affected you"
            ),
        }
    )
