from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "civicflow.challenges"
    label = "challenges"
    verbose_name = "Challenges"
