"""Writes for themes and duplicates: computing a challenge's themes, queueing that after its
ideas change, and remembering pairs of ideas a moderator says are not duplicates."""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicflow.challenges.models import Challenge
from civicflow.core.audit import audit_record, register_actions
from civicflow.ideas import listing
from civicflow.ideas.models import Idea
from civicflow.similarity import themes as theme_maths
from civicflow.similarity.duplicates import pair_key
from civicflow.similarity.models_themes import (
    REASON_MAX,
    DismissedPair,
    Theme,
    ThemeMembership,
    ThemeSet,
)
from civicflow.similarity.permissions_themes import can_recompute_themes, can_review_duplicates
from civicflow.similarity.selectors_themes import (
    embedder_identity,
    idea_text,
    idea_vectors,
    open_ideas,
)

logger = logging.getLogger(__name__)

register_actions(
    {
        "themes.recomputed": gettext_lazy("Themes of a challenge's ideas computed again"),
        "duplicates.dismissed": gettext_lazy("Two ideas marked as not duplicates"),
        "duplicates.restored": gettext_lazy("Two ideas may be duplicates again"),
    }
)

# A computation queued longer ago than this is taken to have failed, and is queued again.
QUEUED_FOR = timedelta(minutes=15)


def _signature(ideas: list[Idea], embedder: tuple[str, str]) -> str:
    """Return a hash of what the themes are computed from: ideas, versions and the embedder."""
    digest = hashlib.sha256(f"{theme_maths.__name__}\n{embedder[0]}\n{embedder[1]}".encode())
    for idea in ideas:
        digest.update(f"\n{idea.pk}:{idea.version}:{idea.status}".encode())
    return digest.hexdigest()


def themes_compute(*, challenge: Challenge, force: bool = False, actor: Any = None) -> ThemeSet:
    """Compute and store the themes of ``challenge``'s open ideas.

    Skips the work when nothing they are made of has changed since last time, unless
    ``force``. The idea list's cached pages move on, since its theme filter changes.
    """
    ThemeSet.objects.get_or_create(challenge=challenge)
    # From here, a change to an idea queues another computation.
    ThemeSet.objects.filter(challenge=challenge).update(stale_since=None)
    ideas = list(open_ideas(challenge))
    embedder = embedder_identity()
    signature = _signature(ideas, embedder)
    current = ThemeSet.objects.get(challenge=challenge)
    if not force and current.computed_at is not None and current.signature == signature:
        return current
    vectors = idea_vectors(ideas)
    found = theme_maths.group_into_themes(
        [idea.pk for idea in ideas], [idea_text(idea) for idea in ideas], vectors
    )
    with transaction.atomic():
        theme_set = ThemeSet.objects.select_for_update().get(pk=current.pk)
        Theme.objects.filter(theme_set=theme_set).delete()
        rows = Theme.objects.bulk_create(
            [
                Theme(
                    theme_set=theme_set,
                    challenge=challenge,
                    position=position,
                    label=(theme.label or _("Theme %(number)s") % {"number": position + 1})[:200],
                    keywords=list(theme.keywords),
                    size=theme.size,
                    cohesion=theme.cohesion,
                    example_ids=list(theme.examples),
                )
                for position, theme in enumerate(found)
            ]
        )
        ThemeMembership.objects.bulk_create(
            [
                ThemeMembership(theme=row, idea_id=idea_id, rank=rank)
                for row, theme in zip(rows, found, strict=True)
                for rank, idea_id in enumerate(theme.members)
            ]
        )
        grouped = sum(theme.size for theme in found)
        theme_set.computed_at = timezone.now()
        theme_set.embedder, theme_set.embedder_version = embedder
        theme_set.signature = signature
        theme_set.ideas_count = len(ideas)
        theme_set.ungrouped_count = len(ideas) - grouped
        theme_set.requested_by = actor if getattr(actor, "is_authenticated", False) else None
        theme_set.save()
        if actor is not None:
            audit_record(
                actor=actor,
                action="themes.recomputed",
                target=challenge,
                organisation=challenge.organisation,
                data={"themes": len(found), "ideas": len(ideas)},
            )
        listing.changed(challenge.pk)
    return theme_set


def themes_request(*, actor: Any, challenge: Challenge) -> None:
    """Ask for ``challenge``'s themes to be computed again now (moderators), in the background."""
    if not can_recompute_themes(actor, challenge):
        raise PermissionDenied(_("Only the challenge's moderators can recompute its themes."))
    from civicflow.similarity.tasks_themes import compute_themes_task

    ThemeSet.objects.get_or_create(challenge=challenge)
    ThemeSet.objects.filter(challenge=challenge).update(stale_since=timezone.now())
    actor_id = actor.pk
    transaction.on_commit(lambda: compute_themes_task.enqueue(challenge.pk, True, actor_id))


def themes_schedule(challenge_id: int) -> bool:
    """Queue a computation of a challenge's themes unless one is queued already.

    Called after the commit of a change to one of its ideas; a burst of changes queues one
    computation, which skips itself if in the end nothing it reads has changed.
    """
    from civicflow.similarity.tasks_themes import compute_themes_task

    now = timezone.now()
    marked = (
        ThemeSet.objects.filter(challenge_id=challenge_id)
        .exclude(stale_since__gte=now - QUEUED_FOR)
        .update(stale_since=now)
    )
    if not marked:
        if ThemeSet.objects.filter(challenge_id=challenge_id).exists():
            return False  # queued already
        try:
            with transaction.atomic():
                ThemeSet.objects.create(challenge_id=challenge_id, stale_since=now)
        except IntegrityError:
            return False  # another process queued it at the same moment
    compute_themes_task.enqueue(challenge_id, False, None)
    return True


def idea_changed(label: str, object_id: int) -> None:
    """Queue the themes of an idea's challenge after the idea changed (a search follower)."""
    if label != "ideas.idea":
        return
    challenge_id = Idea.objects.filter(pk=object_id).values_list("challenge_id", flat=True).first()
    if challenge_id is None:
        return
    try:
        themes_schedule(challenge_id)
    except Exception:  # never let themes break the change that triggered them
        logger.exception("Could not queue the themes of challenge %s", challenge_id)


def register() -> None:
    """Give the idea list its theme filter, and recompute themes whenever an idea's search
    entry is scheduled (after the commit that changed it)."""
    from civicflow.ideas import theme_filter
    from civicflow.search import services as search_services
    from civicflow.similarity import selectors_themes

    theme_filter.register(
        theme_filter.ThemeSource(
            choices=selectors_themes.theme_choices,
            exists=selectors_themes.theme_of_challenge,
            member_ids=selectors_themes.theme_member_ids,
        )
    )
    follow = getattr(search_services, "follow_index", None)
    if follow is not None:
        follow(idea_changed)


# Duplicates --------------------------------------------------------------------------------


def _pair(challenge: Challenge, first: Idea, second: Idea) -> tuple[int, int]:
    if first.pk == second.pk:
        raise ValidationError(_("Choose two different ideas."))
    if first.challenge_id != challenge.pk or second.challenge_id != challenge.pk:
        raise ValidationError(_("Both ideas must be in this challenge."))
    return pair_key(first.pk, second.pk)


def pair_dismiss(
    *, actor: Any, challenge: Challenge, first: Idea, second: Idea, reason: str = ""
) -> DismissedPair:
    """Remember that two ideas are not duplicates, so they are not suggested again."""
    if not can_review_duplicates(actor, challenge):
        raise PermissionDenied(_("Only the challenge's moderators can review duplicates."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("Reason must be 1,000 characters or fewer")})
    first_id, second_id = _pair(challenge, first, second)
    with transaction.atomic():
        row, created = DismissedPair.objects.get_or_create(
            first_id=first_id,
            second_id=second_id,
            defaults={"challenge": challenge, "reason": reason, "dismissed_by": actor},
        )
        if created:
            audit_record(
                actor=actor,
                action="duplicates.dismissed",
                target=challenge,
                organisation=challenge.organisation,
                reason=reason,
                data={"ideas": [first_id, second_id]},
            )
    return row


def pair_restore(*, actor: Any, challenge: Challenge, first: Idea, second: Idea) -> bool:
    """Forget that two ideas were said not to be duplicates; return whether they had been."""
    if not can_review_duplicates(actor, challenge):
        raise PermissionDenied(_("Only the challenge's moderators can review duplicates."))
    first_id, second_id = _pair(challenge, first, second)
    with transaction.atomic():
        deleted, _rows = DismissedPair.objects.filter(
            first_id=first_id, second_id=second_id
        ).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="duplicates.restored",
                target=challenge,
                organisation=challenge.organisation,
                data={"ideas": [first_id, second_id]},
            )
    return bool(deleted)


def ideas_for_pair(*, challenge: Challenge, first_id: int, second_id: int) -> tuple[Idea, Idea]:
    """Return the two ideas of a pair in ``challenge``, or raise ValidationError."""
    found = Idea.objects.filter(challenge=challenge, pk__in=[first_id, second_id]).in_bulk()
    if first_id not in found or second_id not in found:
        raise ValidationError(_("Both ideas must be in this challenge."))
    return found[first_id], found[second_id]
