"""Background work for themes: computing a challenge's themes after its ideas change."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task

from civicflow.challenges.models import Challenge


@task()
def compute_themes_task(challenge_id: int, force: bool = False, actor_id: int | None = None) -> int:
    """Compute the themes of one challenge (skipped when nothing changed); return how many."""
    from civicflow.similarity.services_themes import themes_compute

    challenge = Challenge.objects.select_related("organisation").filter(pk=challenge_id).first()
    if challenge is None:
        return 0
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    theme_set = themes_compute(challenge=challenge, force=force, actor=actor)
    return theme_set.themes.count()
