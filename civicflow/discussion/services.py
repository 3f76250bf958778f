"""Writes about comments, flags and moderation, and moving comments when objects merge."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import User
from civicflow.core.audit import audit_record, register_actions
from civicflow.discussion import permissions, selectors
from civicflow.discussion.models import (
    BODY_LIMIT,
    DETAILS_LIMIT,
    MAX_DEPTH,
    PATH_WIDTH,
    Comment,
    CommentKind,
    CommentMove,
    Flag,
    FlagReason,
    FlagStatus,
)
from civicflow.discussion.registry import label_of, rules_for
from civicflow.notifications.kinds import OTHER, register_kinds
from civicflow.notifications.services import notify

register_actions(
    {
        "comment.deleted": _("Comment deleted by its author"),
        "comment.hidden": _("Comment hidden by a moderator"),
        "comment.restored": _("Comment restored by a moderator"),
        "comment.moved": _("Comments moved here from a merged item"),
        "comment.moved_back": _("Comments moved back when a merge was undone"),
        "flag.raised": _("Reported to the moderators"),
        "flag.dismissed": _("Report dismissed by a moderator"),
        "moderation.hidden": _("Hidden by a moderator"),
        "moderation.restored": _("Restored by a moderator"),
    }
)

# The notifications app names comment.reply, comment.new and comment.hidden itself.
register_kinds({"comment.restored": _("A hidden comment was restored by a moderator")})
register_kinds({"flag.raised": _("Something was reported to the moderators")}, group=OTHER)

LIMIT_WINDOW = timedelta(minutes=10)
REASON_LIMIT = 1000


def comment_limit() -> int:
    """Return how many comments one person may post in ten minutes."""
    return int(getattr(settings, "CIVICFLOW_COMMENT_LIMIT", 10))


# Checking input ------------------------------------------------------------------------------


def _clean_text(value: str | None) -> str:
    # PostgreSQL cannot store the NUL character; nobody means to type it.
    return (value or "").replace("\x00", "").strip()


def _clean_body(body: str | None) -> str:
    body = _clean_text(body)
    if not body:
        raise ValidationError({"body": _("Enter your comment.")})
    if len(body) > BODY_LIMIT:
        raise ValidationError(
            {
                "body": _("Your comment must be %(limit)s characters or fewer. It has %(length)s.")
                % {"limit": f"{BODY_LIMIT:,}", "length": f"{len(body):,}"}
            }
        )
    return body


def _clean_reason(reason: str | None) -> str:
    reason = _clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Enter the reason. The author will be told it.")})
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {
                "reason": _("The reason must be %(limit)s characters or fewer.")
                % {"limit": f"{REASON_LIMIT:,}"}
            }
        )
    return reason


def _require_moderator(actor: Any, organisation: Any) -> None:
    if not permissions.can_moderate(actor, organisation):
        raise PermissionDenied("Only the organisation's moderators can do this.")


def _link(target: Any, comment: Comment | None = None) -> str:
    url = rules_for(target).url(target)
    return f"{url}#{comment.anchor}" if comment is not None else url


def _title(target: Any) -> str:
    return str(target)[:120]


# Comments ------------------------------------------------------------------------------------


def comment_create(
    *,
    author: Any,
    target: Any,
    body: str,
    parent: Comment | None = None,
    now: datetime | None = None,
) -> Comment:
    """Post a comment on ``target``, or a reply to ``parent``, and tell who should hear.

    A reply to the deepest level allowed joins the conversation beside it. Refuse a person who
    has posted ``CIVICFLOW_COMMENT_LIMIT`` comments in the last ten minutes.
    """
    rules = rules_for(target)
    body = _clean_body(body)
    target_type = ContentType.objects.get_for_model(target)
    if parent is not None:
        if parent.target_type_id != target_type.pk or parent.target_id != target.pk:
            raise ValidationError({"parent": _("Reply to a comment on this page.")})
        if parent.is_deleted or parent.is_hidden or parent.is_note:
            raise ValidationError({"parent": _("You cannot reply to this comment.")})
    if not permissions.can_comment(author, target):
        raise PermissionDenied(_("You cannot comment on this at the moment."))
    now = now or timezone.now()
    limit = comment_limit()
    attach_to = parent
    if parent is not None and parent.depth >= MAX_DEPTH:
        attach_to = parent.parent
    with transaction.atomic():
        # One person's posts queue behind each other, so the limit holds under parallel posts.
        User.objects.select_for_update().filter(pk=author.pk).first()
        if selectors.recent_comment_count(author=author, since=now - LIMIT_WINDOW) >= limit:
            raise ValidationError(
                {
                    "body": _(
                        "You have posted %(limit)s comments in the last 10 minutes. "
                        "Wait a few minutes, then post your comment again."
                    )
                    % {"limit": limit}
                }
            )
        comment = Comment.objects.create(
            organisation=rules.organisation(target),
            target_type=target_type,
            target_id=target.pk,
            author=author,
            parent=attach_to,
            depth=attach_to.depth + 1 if attach_to is not None else 0,
            body=body,
        )
        _place(comment, attach_to)
        if parent is not None:
            # Someone on a blind appraisal panel is not told who replied to them.
            named = parent.author is None or not rules.names_hidden(parent.author, target)
            notify(
                recipients=[parent.author_id] if parent.author_id != author.pk else [],
                kind="comment.reply",
                title=f"{author if named else _('Someone')} replied to your comment on "
                f"‘{_title(target)}’",
                body=body[:500],
                url=_link(target, comment),
                actor=author if named else None,
            )
        else:
            notify(
                recipients=rules.participants(target),
                kind="comment.new",
                title=f"{author} commented on ‘{_title(target)}’",
                body=body[:500],
                url=_link(target, comment),
                actor=author,
            )
    return comment


def _place(comment: Comment, parent: Comment | None) -> None:
    """Set the comment's conversation and its place in the thread, which need its id."""
    own = f"{comment.pk:0{PATH_WIDTH}d}"
    comment.root_id = parent.root_id if parent is not None else comment.pk
    comment.path = f"{parent.path}/{own}" if parent is not None else own
    Comment.objects.filter(pk=comment.pk).update(root_id=comment.root_id, path=comment.path)


def comment_edit(
    *, actor: Any, comment: Comment, body: str, now: datetime | None = None
) -> Comment:
    """Change the text of ``comment``, which ``actor`` wrote a short while ago."""
    if not permissions.is_author(actor, comment):
        raise PermissionDenied("You can only change your own comments.")
    if comment.is_deleted:
        raise ValidationError({"body": _("You deleted this comment, so it cannot be changed.")})
    if comment.is_hidden:
        raise ValidationError({"body": _("A moderator hid this comment, so it cannot be changed.")})
    now = now or timezone.now()
    if not permissions.edit_window_open(comment, now):
        raise ValidationError({"body": edit_window_closed_message()})
    body = _clean_body(body)
    if body == comment.body:
        return comment
    with transaction.atomic():
        comment.body = body
        comment.edited_at = now
        comment.save(update_fields=["body", "edited_at", "updated_at"])
    return comment


def edit_window_closed_message() -> str:
    """Return what to tell an author whose comment can no longer be changed."""
    return (
        f"You can only change a comment in the {permissions.edit_minutes()} minutes after "
        "you post it. You can delete it and post a new one instead."
    )


def comment_delete(*, actor: Any, comment: Comment, now: datetime | None = None) -> Comment:
    """Remove the text of ``actor``'s own comment; its replies stay, under 'Comment deleted'.

    Reports about it waiting for a moderator are closed: there is nothing left to judge.
    """
    if not permissions.is_author(actor, comment):
        raise PermissionDenied("You can only delete your own comments.")
    if comment.is_deleted:
        return comment
    now = now or timezone.now()
    with transaction.atomic():
        comment.body = ""
        comment.deleted_at = now
        comment.save(update_fields=["body", "deleted_at", "updated_at"])
        Flag.objects.filter(comment=comment, status=FlagStatus.OPEN).update(
            status=FlagStatus.DISMISSED,
            decided_at=now,
            decision_reason="The author deleted the comment.",
            updated_at=now,
        )
        audit_record(
            actor=actor,
            action="comment.deleted",
            target=comment,
            organisation=comment.organisation,
        )
    return comment


def comment_hide(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Hide ``comment`` from everyone but moderators, and tell its author why."""
    _require_moderator(actor, comment.organisation)
    reason = _clean_reason(reason)
    if comment.is_note:
        raise ValidationError(_("Notes from civicflow cannot be hidden."))
    if comment.is_deleted:
        raise ValidationError(_("The author deleted this comment, so there is nothing to hide."))
    if comment.is_hidden:
        raise ValidationError(_("This comment is already hidden."))
    target = selectors.target_of(comment)
    now = timezone.now()
    with transaction.atomic():
        comment.hidden_at = now
        comment.hidden_reason = reason
        comment.hidden_by = actor
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        _decide(
            Flag.objects.filter(comment=comment, status=FlagStatus.OPEN),
            status=FlagStatus.HIDDEN,
            actor=actor,
            reason=reason,
            now=now,
        )
        audit_record(
            actor=actor,
            action="comment.hidden",
            target=comment,
            organisation=comment.organisation,
            reason=reason,
        )
        notify(
            recipients=[comment.author_id],
            kind="comment.hidden",
            title=f"A moderator hid your comment on ‘{_title(target)}’",
            body=f"The reason they gave: {reason}",
            url=_link(target, comment) if target is not None else "",
            actor=actor,
        )
    return comment


def comment_restore(*, actor: Any, comment: Comment, reason: str) -> Comment:
    """Show a hidden comment again, and tell its author."""
    _require_moderator(actor, comment.organisation)
    reason = _clean_reason(reason)
    if not comment.is_hidden:
        raise ValidationError(_("This comment is not hidden."))
    target = selectors.target_of(comment)
    now = timezone.now()
    with transaction.atomic():
        comment.hidden_at = None
        comment.hidden_reason = ""
        comment.hidden_by = None
        comment.save(update_fields=["hidden_at", "hidden_reason", "hidden_by", "updated_at"])
        _decide(
            Flag.objects.filter(comment=comment, status=FlagStatus.HIDDEN),
            status=FlagStatus.RESTORED,
            actor=actor,
            reason=reason,
            now=now,
        )
        audit_record(
            actor=actor,
            action="comment.restored",
            target=comment,
            organisation=comment.organisation,
            reason=reason,
        )
        notify(
            recipients=[comment.author_id],
            kind="comment.restored",
            title=f"A moderator restored your comment on ‘{_title(target)}’",
            body=f"The reason they gave: {reason}",
            url=_link(target, comment) if target is not None else "",
            actor=actor,
        )
    return comment


# Flags ---------------------------------------------------------------------------------------


def flag_raise(
    *,
    reporter: Any,
    target: Any,
    reason: str,
    details: str = "",
    comment: Comment | None = None,
) -> Flag:
    """Report ``comment`` on ``target`` (or ``target`` itself) to the moderators, once."""
    rules = rules_for(target)
    target_type = ContentType.objects.get_for_model(target)
    what = "comment" if comment is not None else "page"
    if comment is not None:
        if comment.target_type_id != target_type.pk or comment.target_id != target.pk:
            raise ValidationError({"comment": _("Report a comment on this page.")})
        if comment.author_id == getattr(reporter, "pk", None):
            raise ValidationError(_("You cannot report your own comment. You can delete it."))
        if comment.is_deleted or comment.is_note:
            raise ValidationError(_("There is nothing to report in this comment."))
        if comment.is_hidden:
            raise ValidationError(_("A moderator has already hidden this comment."))
    elif rules.set_hidden is None:
        raise ValidationError(_("This cannot be reported. Report a comment on it instead."))
    if not permissions.can_flag(reporter, target):
        raise PermissionDenied(_("Sign in to report something."))
    if reason not in FlagReason.values:
        raise ValidationError(
            {"reason": _("Select why you are reporting this %(what)s.") % {"what": what}}
        )
    details = _clean_text(details)
    if reason == FlagReason.OTHER and not details:
        raise ValidationError({"details": _("Say what is wrong with it.")})
    if len(details) > DETAILS_LIMIT:
        raise ValidationError(
            {
                "details": _("Details must be %(limit)s characters or fewer.")
                % {"limit": f"{DETAILS_LIMIT:,}"}
            }
        )
    already = _("You have already reported this %(what)s. A moderator will look at it.") % {
        "what": what
    }
    if selectors.has_flagged(user=reporter, target=target, comment=comment):
        raise ValidationError(already)
    organisation = rules.organisation(target)
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                organisation=organisation,
                target_type=target_type,
                target_id=target.pk,
                comment=comment,
                reporter=reporter,
                reason=reason,
                details=details,
            )
            audit_record(
                actor=reporter,
                action="flag.raised",
                target=comment if comment is not None else target,
                organisation=organisation,
                data={"flag": flag.pk, "reason": reason},
            )
            notify(
                recipients=selectors.moderator_ids(organisation=organisation),
                kind="flag.raised",
                title=f"Someone reported a {what} on ‘{_title(target)}’",
                body=str(FlagReason(reason).label),
                url=reverse("discussion:queue", kwargs={"slug": organisation.slug}),
                actor=reporter,
            )
    except IntegrityError as error:  # the same person reported it twice at the same moment
        raise ValidationError(already) from error
    return flag


def _decide(flags: Any, *, status: str, actor: Any, reason: str, now: datetime) -> int:
    return int(
        flags.update(
            status=status,
            decided_by=actor,
            decided_at=now,
            decision_reason=reason,
            updated_at=now,
        )
    )


def _same_object(flag: Flag) -> Any:
    """Return the flags about the same comment, or the same target, as ``flag``."""
    flags = Flag.objects.filter(target_type_id=flag.target_type_id, target_id=flag.target_id)
    if flag.comment_id is not None:
        return flags.filter(comment_id=flag.comment_id)
    return flags.filter(comment__isnull=True)


def flag_hide(*, actor: Any, flag: Flag, reason: str) -> Flag:
    """Uphold an open report: hide what it is about, and close the other reports of it."""
    _require_moderator(actor, flag.organisation)
    reason = _clean_reason(reason)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError(_("This report has already been decided."))
    if flag.comment is not None:
        if flag.comment.is_deleted:
            raise ValidationError(_("The author deleted this comment. Dismiss the report instead."))
        comment_hide(actor=actor, comment=flag.comment, reason=reason)
        flag.refresh_from_db()
        return flag
    return _moderate_target(actor=actor, flag=flag, reason=reason, hide=True)


def flag_restore(*, actor: Any, flag: Flag, reason: str) -> Flag:
    """Undo a report that was upheld: show what it is about again."""
    _require_moderator(actor, flag.organisation)
    reason = _clean_reason(reason)
    if flag.status != FlagStatus.HIDDEN:
        raise ValidationError(_("Only something a moderator hid can be restored."))
    if flag.comment is not None:
        if flag.comment.is_hidden:
            comment_restore(actor=actor, comment=flag.comment, reason=reason)
        else:  # restored already, from the thread; bring the report up to date
            _decide(
                Flag.objects.filter(pk=flag.pk),
                status=FlagStatus.RESTORED,
                actor=actor,
                reason=reason,
                now=timezone.now(),
            )
        flag.refresh_from_db()
        return flag
    return _moderate_target(actor=actor, flag=flag, reason=reason, hide=False)


def _moderate_target(*, actor: Any, flag: Flag, reason: str, hide: bool) -> Flag:
    """Hide (or show again) what a report about something other than a comment is about.

    Every report of the same thing still open (when hiding) or upheld (when restoring) is
    decided with it; the change is audited and the authors are told, in one transaction.
    """
    target = _flag_target(flag)
    rules = rules_for(target)
    set_hidden = rules.set_hidden
    if set_hidden is None:
        raise ValidationError(
            _("This cannot be hidden here.") if hide else _("This cannot be restored here.")
        )
    before, after = (
        (FlagStatus.OPEN, FlagStatus.HIDDEN) if hide else (FlagStatus.HIDDEN, FlagStatus.RESTORED)
    )
    verb = "hidden" if hide else "restored"
    with transaction.atomic():
        _call_set_hidden(set_hidden, target, hidden=hide, reason=reason, actor=actor)
        _decide(
            _same_object(flag).filter(status=before),
            status=after,
            actor=actor,
            reason=reason,
            now=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=f"moderation.{verb}",
            target=target,
            organisation=flag.organisation,
            reason=reason,
            data={"flag": flag.pk},
        )
        notify(
            recipients=rules.authors(target),
            kind=f"{target._meta.model_name}.{verb}",
            title=(
                f"A moderator hid ‘{_title(target)}’"
                if hide
                else f"A moderator restored ‘{_title(target)}’"
            ),
            body=f"The reason they gave: {reason}",
            url=_link(target),
            actor=actor,
        )
    flag.refresh_from_db()
    return flag


def flag_dismiss(*, actor: Any, flag: Flag, reason: str) -> Flag:
    """Decide that what an open report is about may stay; close every open report of it."""
    _require_moderator(actor, flag.organisation)
    reason = _clean_reason(reason)
    if flag.status != FlagStatus.OPEN:
        raise ValidationError(_("This report has already been decided."))
    about: Any = flag.comment if flag.comment is not None else _flag_target(flag)
    now = timezone.now()
    with transaction.atomic():
        _decide(
            _same_object(flag).filter(status=FlagStatus.OPEN),
            status=FlagStatus.DISMISSED,
            actor=actor,
            reason=reason,
            now=now,
        )
        audit_record(
            actor=actor,
            action="flag.dismissed",
            target=about,
            organisation=flag.organisation,
            reason=reason,
            data={"flag": flag.pk},
        )
    flag.refresh_from_db()
    return flag


def _call_set_hidden(
    set_hidden: Callable[..., None], target: Any, *, hidden: bool, reason: str, actor: Any
) -> None:
    """Ask the owning app to hide or restore ``target``; tell it who decided, if it asks."""
    try:
        accepts_actor = "actor" in inspect.signature(set_hidden).parameters
    except (TypeError, ValueError):
        accepts_actor = False
    if accepts_actor:
        set_hidden(target, hidden, reason, actor=actor)
    else:
        set_hidden(target, hidden, reason)


def _flag_target(flag: Flag) -> Any:
    target = selectors.target_of(flag)
    if target is None:
        raise ValidationError(_("What was reported no longer exists. Dismiss the report."))
    return target


# Moving comments when objects merge ----------------------------------------------------------


def comments_move(*, source: Any, target: Any, note: str = "", actor: Any = None) -> CommentMove:
    """Move every comment on ``source`` to ``target`` and say so in a note on ``target``.

    Used when one idea is merged into another. The move is recorded, so that
    ``comments_move_back`` can undo it. With no comments to move, no note is added.
    """
    source_type = ContentType.objects.get_for_model(source)
    target_type = ContentType.objects.get_for_model(target)
    if source_type.pk == target_type.pk and source.pk == target.pk:
        raise ValidationError(_("Comments cannot be moved to where they already are."))
    rules = rules_for(target)
    organisation = rules.organisation(target)
    note = _clean_text(note) or f"Comments moved here from ‘{source}’ when it was merged."
    if len(note) > BODY_LIMIT:
        raise ValidationError(
            {
                "note": _("The note must be %(limit)s characters or fewer.")
                % {"limit": f"{BODY_LIMIT:,}"}
            }
        )
    with transaction.atomic():
        on_source = Comment.objects.filter(target_type=source_type, target_id=source.pk)
        comment_ids = list(on_source.order_by("pk").values_list("pk", flat=True))
        flags = Flag.objects.filter(comment_id__in=comment_ids)
        flag_ids = list(flags.order_by("pk").values_list("pk", flat=True))
        now = timezone.now()
        on_source.update(
            target_type=target_type,
            target_id=target.pk,
            organisation=organisation,
            updated_at=now,
        )
        flags.update(
            target_type=target_type, target_id=target.pk, organisation=organisation, updated_at=now
        )
        note_comment = None
        if comment_ids:
            note_comment = Comment.objects.create(
                organisation=organisation,
                target_type=target_type,
                target_id=target.pk,
                kind=CommentKind.NOTE,
                body=note,
            )
            _place(note_comment, None)
        move = CommentMove.objects.create(
            source_type=source_type,
            source_id=source.pk,
            destination_type=target_type,
            destination_id=target.pk,
            comment_ids=comment_ids,
            flag_ids=flag_ids,
            note=note_comment,
            moved_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit_record(
            actor=actor,
            action="comment.moved",
            target=target,
            organisation=organisation,
            data={
                "from": f"{label_of(source)}:{source.pk}",
                "comments": len(comment_ids),
                "move": move.pk,
            },
        )
    return move


def comments_move_back(*, source: Any, target: Any, actor: Any = None) -> CommentMove | None:
    """Undo the last ``comments_move`` from ``source`` to ``target``, when a merge is undone.

    The moved comments go back, with any replies written to them since; the note goes.
    Return the move undone, or None if there was none.
    """
    source_type = ContentType.objects.get_for_model(source)
    target_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        move = (
            CommentMove.objects.select_for_update()
            .filter(
                source_type=source_type,
                source_id=source.pk,
                destination_type=target_type,
                destination_id=target.pk,
                moved_back_at__isnull=True,
            )
            .order_by("-moved_at", "-pk")
            .first()
        )
        if move is None:
            return None
        organisation = rules_for(source).organisation(source)
        ids = move.comment_ids
        moving = Comment.objects.filter(target_type=target_type, target_id=target.pk).filter(
            Q(pk__in=ids) | Q(root_id__in=ids)
        )
        moving_ids = list(moving.values_list("pk", flat=True))
        now = timezone.now()
        Comment.objects.filter(pk__in=moving_ids).update(
            target_type=source_type, target_id=source.pk, organisation=organisation, updated_at=now
        )
        Flag.objects.filter(comment_id__in=moving_ids).update(
            target_type=source_type, target_id=source.pk, organisation=organisation, updated_at=now
        )
        if move.note_id is not None:
            Comment.objects.filter(pk=move.note_id, kind=CommentKind.NOTE).delete()
        move.moved_back_at = now
        move.save(update_fields=["moved_back_at"])
        audit_record(
            actor=actor,
            action="comment.moved_back",
            target=source,
            organisation=organisation,
            data={
                "from": f"{label_of(target)}:{target.pk}",
                "comments": len(moving_ids),
                "move": move.pk,
            },
        )
    return move
