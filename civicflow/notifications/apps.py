from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "civicflow.notifications"
    label = "notifications"
    verbose_name = "Notifications"
