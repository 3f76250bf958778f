from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "civicflow.search"
    label = "search"
    verbose_name = "Search"
