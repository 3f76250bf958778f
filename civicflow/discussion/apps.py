from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "civicflow.discussion"
    label = "discussion"
    verbose_name = "Comments and moderation"
