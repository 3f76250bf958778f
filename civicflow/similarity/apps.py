from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "civicflow.similarity"
    label = "similarity"
    verbose_name = "Similarity"

    def ready(self) -> None:
        from civicflow.similarity import services

        services.register()
        from civicflow.similarity import services_themes

        services_themes.register()
