from typing import Any

from django.apps import AppConfig


class ChallengesConfig(AppConfig):
    name = "civicflow.challenges"
    label = "challenges"
    verbose_name = "Challenges"

    def ready(self) -> None:
        from civicflow.challenges import personal_data, search

        search.register()
        personal_data.register()
        _watch_cached_rows()


def _watch_cached_rows() -> None:
    """Move the cached challenges' version on whenever what they are read with changes."""
    from django.db.models.signals import post_delete, post_save, pre_save

    from civicflow.accounts.models import Organisation, Team
    from civicflow.challenges.models import Challenge
    from civicflow.challenges.selectors import organisation_changed

    def challenge_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        organisation_changed(instance.organisation.slug)

    def team_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
        organisation_changed(instance.organisation.slug)

    def organisation_saved(sender: Any, instance: Any, **kwargs: Any) -> None:
        organisation_changed(instance.slug)

    def organisation_saving(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
        # A new address: the challenges cached under the old one must go too.
        if instance.pk and not raw:
            before = Organisation.objects.filter(pk=instance.pk).values_list("slug", flat=True)
            organisation_changed(*(slug for slug in before if slug != instance.slug))

    uid = "challenges.cached_rows"
    post_save.connect(
        challenge_changed, sender=Challenge, dispatch_uid=f"{uid}.challenge", weak=False
    )
    post_delete.connect(
        challenge_changed, sender=Challenge, dispatch_uid=f"{uid}.challenge-", weak=False
    )
    post_save.connect(team_changed, sender=Team, dispatch_uid=f"{uid}.team", weak=False)
    post_delete.connect(team_changed, sender=Team, dispatch_uid=f"{uid}.team-", weak=False)
    post_save.connect(
        organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.org", weak=False
    )
    post_delete.connect(
        organisation_saved, sender=Organisation, dispatch_uid=f"{uid}.org-", weak=False
    )
    pre_save.connect(
        organisation_saving, sender=Organisation, dispatch_uid=f"{uid}.org<", weak=False
    )
