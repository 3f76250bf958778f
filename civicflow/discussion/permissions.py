"""Who may read, write, flag and moderate comments.

Whether a person may see or comment on a target is the owning app's rule, given in the
registry; this module adds the rules about comments themselves.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role
from civicflow.discussion.models import Comment
from civicflow.discussion.registry import rules_for

MODERATORS = (Role.ADMIN, Role.INNOVATION_LEAD)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def edit_minutes() -> int:
    """Return how many minutes after posting an author may still change a comment."""
    return int(getattr(settings, "CIVICFLOW_COMMENT_EDIT_MINUTES", 15))


def can_moderate(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators of the organisation, and instance administrators."""
    return is_instance_admin(user) or has_role(user, organisation, *MODERATORS)


def can_moderate_target(user: Any, target: Any) -> bool:
    """Whether ``user`` moderates the discussion on ``target`` (its organisation's moderators)."""
    return can_moderate(user, rules_for(target).organisation(target))


def can_view_target(user: Any, target: Any) -> bool:
    """Whether ``user`` may see ``target``, and so its comments (the owning app decides)."""
    return bool(rules_for(target).can_view(user, target))


def can_comment(user: Any, target: Any) -> bool:
    """Whether ``user`` may comment on ``target`` now: signed in, and the owning app agrees."""
    return (
        _signed_in(user)
        and can_view_target(user, target)
        and rules_for(target).can_comment(user, target)
    )


def can_flag(user: Any, target: Any) -> bool:
    """Anyone signed in who can see ``target`` may report it or its comments."""
    return _signed_in(user) and can_view_target(user, target)


def can_flag_target(user: Any, target: Any) -> bool:
    """Report the target itself: only kinds a moderator can hide."""
    return can_flag(user, target) and rules_for(target).set_hidden is not None


def is_author(user: Any, comment: Comment) -> bool:
    """Whether ``user`` wrote ``comment``."""
    return _signed_in(user) and comment.author_id == user.pk


def edit_window_open(comment: Comment, now: datetime | None = None) -> bool:
    """Whether it is still soon enough after posting for ``comment`` to be changed."""
    now = now or timezone.now()
    return now < comment.created_at + timedelta(minutes=edit_minutes())


def can_edit_comment(user: Any, comment: Comment, now: datetime | None = None) -> bool:
    """Authors change their own comment for a short while after posting it."""
    return (
        is_author(user, comment)
        and not comment.is_deleted
        and not comment.is_hidden
        and edit_window_open(comment, now)
    )


def can_delete_comment(user: Any, comment: Comment) -> bool:
    """Authors delete their own comment at any time."""
    return is_author(user, comment) and not comment.is_deleted


def can_reply(user: Any, comment: Comment, *, may_comment: bool) -> bool:
    """Reply to a live comment by a person, where ``user`` may comment on the target."""
    return may_comment and not (comment.is_deleted or comment.is_hidden or comment.is_note)


def can_flag_comment(user: Any, comment: Comment, *, may_flag: bool) -> bool:
    """Report someone else's live comment, where ``user`` may flag on the target."""
    return (
        may_flag
        and comment.author_id != getattr(user, "pk", None)
        and not (comment.is_deleted or comment.is_hidden or comment.is_note)
    )
