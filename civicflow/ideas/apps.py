from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "civicflow.ideas"
    label = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        # Name the audit log's idea actions; let people comment on ideas and find them.
        from civicflow.ideas import commentable, search, services  # noqa: F401

        commentable.register()
        search.register()
