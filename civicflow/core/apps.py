from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "civicflow.core"
    label = "core"
    verbose_name = "civicflow core"

    def ready(self) -> None:
        from civicflow.core.translation import prepare_languages

        prepare_languages()
