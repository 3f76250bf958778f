from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "civicflow.opinions"
    label = "opinions"
    verbose_name = "Opinion maps"

    def ready(self) -> None:
        # Name the audit log's actions; say what opinion maps hold about a person.
        from civicflow.opinions import personal_data, services  # noqa: F401

        personal_data.register()
