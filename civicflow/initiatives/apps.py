from typing import Any

from django.apps import AppConfig


class InitiativesConfig(AppConfig):
    name = "civicflow.initiatives"
    label = "initiatives"
    verbose_name = "Initiatives and stage gates"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from civicflow.initiatives import personal_data, services
        from civicflow.initiatives.models import Initiative

        personal_data.register()
        services.register_audit_actions()
        services.register_notification_kinds()
        # The challenge pages keep their initiatives in the cache until one changes.
        post_save.connect(_initiative_changed, sender=Initiative, dispatch_uid="initiative_saved")
        post_delete.connect(
            _initiative_changed, sender=Initiative, dispatch_uid="initiative_deleted"
        )
        post_save.connect(
            _challenge_saved, sender="challenges.Challenge", dispatch_uid="initiatives_challenge"
        )


def _initiative_changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from civicflow.initiatives.selectors import initiatives_changed

    initiatives_changed(instance.organisation_id)


def _challenge_saved(sender: type, instance: Any, created: bool = False, **kwargs: Any) -> None:
    from civicflow.initiatives.selectors import challenge_saved

    challenge_saved(
        challenge_id=instance.pk, organisation_id=instance.organisation_id, created=created
    )
