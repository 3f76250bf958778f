from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "civicflow.library"
    label = "library"
    verbose_name = "Case library"

    def ready(self) -> None:
        from civicflow.library import personal_data, search, services

        search.register()
        personal_data.register()
        services.register_audit_actions()
        services.register_notification_kinds()
