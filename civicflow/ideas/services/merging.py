"""Merging a duplicate idea into another, and undoing it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.discussion import services as discussion_services
from civicflow.ideas import listing, selectors
from civicflow.ideas.models import (
    CLOSED_STATUSES,
    REASON_MAX,
    CoAuthor,
    CoAuthorStatus,
    Idea,
    IdeaStatus,
    Merge,
    Support,
)
from civicflow.ideas.permissions import can_moderate_ideas
from civicflow.ideas.pooling import pool_supports
from civicflow.ideas.services.base import audience, short
from civicflow.notifications.services import notify
from civicflow.search.services import schedule_index


def _move_comments(*, source: Idea, target: Idea, note: str, actor: Any) -> list[int]:
    """Move the source's comments to the target with a note; return the ids that moved."""
    move = getattr(discussion_services, "comments_move", None)
    if move is None:  # the discussion app cannot move comments yet
        return []
    moved = move(source=source, target=target, note=note, actor=actor)
    return list(getattr(moved, "comment_ids", []) or [])


def _move_comments_back(*, source: Idea, target: Idea, actor: Any) -> None:
    """Give the source back the comments its merge moved to the target."""
    move_back = getattr(discussion_services, "comments_move_back", None)
    if move_back is not None:
        move_back(source=source, target=target, actor=actor)


def _lock_pair(first: Idea, second: Idea) -> tuple[Idea, Idea]:
    """Lock two ideas' rows in id order (so two merges never wait on each other) and return
    them fresh, in the order given."""
    rows = {
        idea.pk: idea
        for idea in Idea.objects.select_for_update(of=("self",))
        .select_related("challenge", "organisation")
        .filter(pk__in=[first.pk, second.pk])
        .order_by("pk")
    }
    return rows[first.pk], rows[second.pk]


def _recount(*ideas: Idea) -> None:
    for idea in ideas:
        idea.supporters_count = Support.objects.filter(idea=idea).count()


def idea_merge(*, actor: Any, source: Idea, target: Idea, reason: str) -> Merge:
    """Merge the duplicate ``source`` into ``target``: pool supports (one per person), move
    co-authors and comments, and mark ``source`` merged. Record what moved, so it can be undone.
    """
    if not can_moderate_ideas(actor, source.organisation):
        raise PermissionDenied(_("Only innovation leads and administrators merge ideas."))
    errors: dict[str, str] = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Enter why these ideas are duplicates.")
    elif len(reason) > REASON_MAX:
        errors["reason"] = _("The reason must be 1,000 characters or fewer.")
    if source.pk == target.pk:
        errors["target"] = _("Select a different idea to merge this one into.")
    elif target.challenge_id != source.challenge_id:
        errors["target"] = _("Select an idea in the same challenge.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        source, target = _lock_pair(source, target)
        if source.status == IdeaStatus.MERGED:
            raise ValidationError(_("This idea has already been merged into another."))
        if source.status == IdeaStatus.WITHDRAWN:
            raise ValidationError(_("A withdrawn idea cannot be merged."))
        if target.status in CLOSED_STATUSES:
            raise ValidationError({"target": _("Select an idea that is still open.")})
        told = audience(source) | {source.author_id}
        target_writers = selectors.author_ids(target)
        pooling = pool_supports(
            source=dict(Support.objects.filter(idea=source).values_list("pk", "user_id")),
            target_supporters=Support.objects.filter(idea=target).values_list("user_id", flat=True),
            target_authors=target_writers,
            allow_self_support=source.challenge.allow_self_support,
        )
        Support.objects.filter(pk__in=pooling.move).update(idea=target)
        on_target = set(CoAuthor.objects.filter(idea=target).values_list("user_id", flat=True))
        on_target |= target_writers
        moving = list(
            CoAuthor.objects.filter(
                idea=source, status__in=[CoAuthorStatus.INVITED, CoAuthorStatus.ACCEPTED]
            )
            .exclude(user_id__in=on_target)
            .values_list("pk", flat=True)
        )
        CoAuthor.objects.filter(pk__in=moving).update(idea=target)
        added = []
        if source.author_id not in on_target:
            added.append(
                CoAuthor.objects.create(
                    idea=target,
                    user_id=source.author_id,
                    invited_by=actor,
                    status=CoAuthorStatus.ACCEPTED,
                    responded_at=timezone.now(),
                ).pk
            )
        selectors.forget_coauthors(target)
        _recount(source, target)
        source_status = source.status
        source.status = IdeaStatus.MERGED
        source.merged_into = target
        source.save(update_fields=["status", "merged_into", "supporters_count", "updated_at"])
        target.save(update_fields=["supporters_count", "updated_at"])
        note = _("Moved from the idea ‘%(title)s’, which was merged into this one: %(reason)s") % {
            "title": source.title,
            "reason": reason,
        }
        merge = Merge.objects.create(
            source=source,
            target=target,
            reason=reason,
            merged_by=actor,
            source_status=source_status,
            moved_supports=sorted(pooling.move),
            moved_coauthors=sorted(moving),
            added_coauthors=added,
            moved_comments=_move_comments(source=source, target=target, note=note, actor=actor),
        )
        schedule_index(source)
        listing.changed(source.challenge_id, target.challenge_id)
        audit_record(
            actor=actor,
            action="idea.merged",
            target=source,
            organisation=source.organisation,
            reason=reason,
            data={
                "into": target.pk,
                "supports_moved": len(pooling.move),
                "supports_pooled": len(pooling.stay),
                "coauthors_moved": len(moving) + len(added),
            },
        )
        notify(
            recipients=told | selectors.author_ids(target),
            kind="idea.merged",
            title=_("‘%(source)s’ was merged into ‘%(target)s’")
            % {"source": short(source.title), "target": short(target.title)},
            body=reason,
            url=target.get_absolute_url(),
            actor=actor,
        )
    return merge


def idea_merge_undo(*, actor: Any, source: Idea, reason: str = "") -> Merge:
    """Undo the merge that took ``source`` into another idea: give back its own supports and
    co-authors, its status and the comments that moved with it."""
    if not can_moderate_ideas(actor, source.organisation):
        raise PermissionDenied(_("Only innovation leads and administrators undo merges."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason must be 1,000 characters or fewer.")})
    with transaction.atomic():
        merge = (
            Merge.objects.select_for_update()
            .filter(source=source, undone_at__isnull=True)
            .select_related("target")
            .first()
        )
        if merge is None:
            raise ValidationError(_("This idea is not merged into another."))
        source, target = _lock_pair(source, merge.target)
        if target.status == IdeaStatus.MERGED:
            raise ValidationError(
                _("‘%(target)s’ has since been merged into another idea. Undo that merge first.")
                % {"target": target.title}
            )
        Support.objects.filter(pk__in=merge.moved_supports, idea=target).update(idea=source)
        CoAuthor.objects.filter(pk__in=merge.moved_coauthors, idea=target).update(idea=source)
        CoAuthor.objects.filter(pk__in=merge.added_coauthors, idea=target).delete()
        selectors.forget_coauthors(target)
        _recount(source, target)
        source.status = merge.source_status
        source.merged_into = None
        source.save(update_fields=["status", "merged_into", "supporters_count", "updated_at"])
        target.save(update_fields=["supporters_count", "updated_at"])
        merge.undone_at = timezone.now()
        merge.undone_by = actor
        merge.save(update_fields=["undone_at", "undone_by"])
        _move_comments_back(source=source, target=target, actor=actor)
        schedule_index(source)
        listing.changed(source.challenge_id, target.challenge_id)
        audit_record(
            actor=actor,
            action="idea.merge_undone",
            target=source,
            organisation=source.organisation,
            reason=reason,
            data={"from": target.pk},
        )
        notify(
            recipients=selectors.author_ids(source) | selectors.author_ids(target),
            kind="idea.merge_undone",
            title=_("‘%(source)s’ is its own idea again") % {"source": short(source.title)},
            body=reason,
            url=source.get_absolute_url(),
            actor=actor,
        )
    return merge
