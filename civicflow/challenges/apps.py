from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "civicflow.challenges"
    label = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from civicflow.challenges.search import register

        register()
