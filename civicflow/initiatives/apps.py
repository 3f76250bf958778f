from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "civicflow.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives and stage gates"

    def ready(self) -> None:
        from civicflow.initiatives import personal_data, services

        personal_data.register()
        services.register_audit_actions()
        services.register_notification_kinds()
