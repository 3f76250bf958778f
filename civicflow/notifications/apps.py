from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicflow.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from civicflow.notifications import personal_data

        personal_data.register()
