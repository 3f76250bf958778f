from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "civicflow.discussion"
    label = "discussion"
    verbose_name = "Comments and moderation"

    def ready(self) -> None:
        from civicflow.discussion import personal_data

        personal_data.register()
