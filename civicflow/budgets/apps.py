from django.apps import AppConfig


class BudgetsConfig(AppConfig):
    name = "civicflow.budgets"
    label = "budgets"
    verbose_name = "Participatory budgets"

    def ready(self) -> None:
        from civicflow.budgets import personal_data, services

        personal_data.register()
        services.register_audit_actions()
