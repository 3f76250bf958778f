from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "civicflow.web"
    label = "web"
    verbose_name = "Web shell"
