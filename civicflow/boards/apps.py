from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "civicflow.boards"
    label = "boards"
    verbose_name = "Team improvement boards"

    def ready(self) -> None:
        from civicflow.boards import comments, personal_data

        comments.register()
        personal_data.register()
