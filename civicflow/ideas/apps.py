from django.apps import AppConfig


class IdeasConfig(AppConfig):
    name = "civicflow.ideas"
    label = "ideas"
    verbose_name = "Ideas"

    def ready(self) -> None:
        # Name the audit log's idea actions; let people comment on ideas and find them; say
        # what ideas hold about a person.
        from civicflow.ideas import commentable, personal_data, search, services  # noqa: F401

        commentable.register()
        search.register()
        personal_data.register()
