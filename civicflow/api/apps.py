from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "civicflow.api"
    label = "api"
    verbose_name = "API"
