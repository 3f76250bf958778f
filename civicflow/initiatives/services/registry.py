"""The names of the actions initiatives record in the audit log, and of their notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from civicflow.core.audit import register_actions
from civicflow.notifications.kinds import register_kinds


def register_audit_actions() -> None:
    register_actions(
        {
            "initiative.started": gettext_lazy("Initiative started"),
            "initiative.edited": gettext_lazy("Initiative changed"),
            "initiative.team_added": gettext_lazy("Person added to an initiative's team"),
            "initiative.team_removed": gettext_lazy("Person removed from an initiative's team"),
            "initiative.plan_set": gettext_lazy("Stage plan of an initiative changed"),
            "initiative.criterion_added": gettext_lazy("Entry criterion added"),
            "initiative.criterion_met": gettext_lazy("Entry criterion marked as met"),
            "initiative.criterion_unmet": gettext_lazy("Entry criterion marked as not met"),
            "initiative.update_posted": gettext_lazy("Progress update posted"),
            "initiative.milestone_added": gettext_lazy("Milestone added"),
            "initiative.milestone_reached": gettext_lazy("Milestone reached"),
            "initiative.evaluation_plan_set": gettext_lazy("Evaluation plan set"),
            "initiative.gate_decided": gettext_lazy("Gate decision recorded"),
            "initiative.gate_corrected": gettext_lazy("Gate decision corrected"),
            "initiative.review_reminded": gettext_lazy("Evaluation review reminder sent"),
        }
    )


def register_notification_kinds() -> None:
    register_kinds(
        {
            "initiative.gate_decided": gettext_lazy("A gate decision on an initiative you own"),
            "initiative.review_due": gettext_lazy("An evaluation review is due"),
            "initiative.owner_named": gettext_lazy("You were named an initiative's owner"),
        }
    )
