from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "civicflow.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes and evidence"

    def ready(self) -> None:
        from civicflow.outcomes import personal_data, services

        personal_data.register()
        services.register_audit_actions()
        services.register_notification_kinds()
