from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "civicflow.boards"
    label = "boards"
    verbose_name = "Team improvement boards"
