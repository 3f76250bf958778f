from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "civicflow.challenges"
    label = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from civicflow.challenges import personal_data, search

        search.register()
        personal_data.register()
