from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "civicflow.demo"
    label = "demo"
    verbose_name = "Demo network"
