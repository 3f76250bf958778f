"""The names of the actions the library records in the audit log, and of its
notifications."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from civicflow.core.audit import register_actions
from civicflow.notifications.kinds import register_kinds


def register_audit_actions() -> None:
    register_actions(
        {
            "case.drafted": gettext_lazy("Case study drafted"),
            "case.edited": gettext_lazy("Case study changed"),
            "case.measures_published": gettext_lazy("Measured results chosen for a case study"),
            "case.submitted": gettext_lazy("Case study submitted for review"),
            "case.published": gettext_lazy("Case study published"),
            "case.returned": gettext_lazy("Case study returned for changes"),
            "case.imported": gettext_lazy("Case study imported from open data"),
            "case.adopted": gettext_lazy("Case study adopted"),
        }
    )


def register_notification_kinds() -> None:
    register_kinds(
        {
            "case.published": gettext_lazy("Your case study was published"),
            "case.returned": gettext_lazy("Your case study was returned for changes"),
            "case.adopted": gettext_lazy("Another organisation adopted your case study"),
        }
    )
