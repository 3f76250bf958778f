from typing import Any

from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "civicflow.appraisal"
    label = "appraisal"
    verbose_name = "Appraisal"

    def ready(self) -> None:
        from civicflow.appraisal import personal_data, services

        personal_data.register()
        services.register_audit_actions()
        services.register_notification_kinds()
        _hide_authors_from_blind_panels()


def _hide_authors_from_blind_panels() -> None:
    """Tell the ideas app that nobody on a blind panel sees who wrote its ideas."""
    from civicflow.appraisal.models import PanelMember
    from civicflow.appraisal.permissions import may_assess
    from civicflow.ideas import blind

    def hidden(user: Any, challenge: Any) -> bool:
        # Only assessors sit on panels, and roles are already known: most people cost nothing.
        if not may_assess(user, challenge):
            return False
        return PanelMember.objects.filter(
            panel__challenge=challenge, panel__blind=True, user=user
        ).exists()

    blind.register(hidden)
