from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "civicflow.appraisal"
    label = "appraisal"
    verbose_name = "Appraisal"

    def ready(self) -> None:
        from civicflow.appraisal import personal_data, services

        personal_data.register()
        services.register_audit_actions()
