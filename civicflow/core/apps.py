from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicflow.core"
    label = "core"
    verbose_name = "civicflow core"
