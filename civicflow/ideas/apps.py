from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "civicflow.ideas"
    label = "ideas"
    verbose_name = "Ideas"
