"""Reads of comments, threads and flags, limited to what the requesting person may see."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from civicflow.accounts.models import Membership
from civicflow.core.pagination import PageRequest, paginate
from civicflow.discussion import permissions
from civicflow.discussion.models import Comment, Flag, FlagStatus
from civicflow.discussion.permissions import MODERATORS
from civicflow.discussion.registry import label_of, rules_for

TARGET_REF = re.compile(r"(?P<label>[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*):(?P<id>[0-9]{1,18})")
# How many conversations a thread shows before it offers a link to all of them.
THREAD_LIMIT = 20


# Targets -------------------------------------------------------------------------------------


def parse_target_ref(ref: str) -> tuple[str, int] | None:
    """Return the label and id in ``ref`` (``app.model:id``), or None if it is not one."""
    match = TARGET_REF.fullmatch(ref.strip().lower())
    if match is None:
        return None
    return match["label"], int(match["id"])


def target_get(*, label: str, object_id: int) -> Any | None:
    """Return the object ``label`` ``object_id``, or None if no such kind or object exists."""
    try:
        rules = rules_for(label)
    except LookupError:
        return None
    return rules.model._default_manager.filter(pk=object_id).first()


def target_ref(target: Any) -> str:
    """Return ``app.model:id`` for ``target``, as the API names it."""
    return f"{label_of(target)}:{target.pk}"


def target_of(comment: Comment | Flag) -> Any | None:
    """Return the object ``comment`` (or a flag) is about, or None if it has gone."""
    model = ContentType.objects.get_for_id(comment.target_type_id).model_class()
    if model is None:
        return None
    return model._default_manager.filter(pk=comment.target_id).first()


def _on(target: Any) -> dict[str, Any]:
    return {
        "target_type": ContentType.objects.get_for_model(target),
        "target_id": target.pk,
    }


# Comments ------------------------------------------------------------------------------------


def comment_get(*, comment_id: int) -> Comment | None:
    """Return the comment ``comment_id`` with its author, or None."""
    return Comment.objects.select_related("author").filter(pk=comment_id).first()


def comments_on(*, target: Any) -> QuerySet[Comment]:
    """Return every comment on ``target`` in thread order: newest conversation first, each
    followed by its replies, oldest first."""
    return (
        Comment.objects.filter(**_on(target))
        .select_related("author")
        .order_by("-root_id", "path", "pk")
    )


def comment_body_for(user: Any, comment: Comment, *, moderator: bool) -> str:
    """Return what ``user`` may read of ``comment``: nothing once deleted, and of a hidden
    comment, only what moderators see."""
    if comment.is_deleted:
        return ""
    if comment.is_hidden and not moderator:
        return ""
    return comment.body


@dataclass
class ThreadNode:
    """One comment as one person sees it, with what they may do to it, and its replies."""

    comment: Comment
    body: str
    can_reply: bool
    can_edit: bool
    can_delete: bool
    can_flag: bool
    can_moderate: bool
    # Who wrote it, as this person may see it ("" for notes and deleted comments).
    author_name: str = ""
    replies: list[ThreadNode] = field(default_factory=list)


@dataclass
class Thread:
    """The discussion on one target, as one person sees it."""

    target: Any
    label: str
    object_id: int
    conversations: list[ThreadNode]
    conversation_count: int
    comment_count: int
    can_comment: bool
    can_flag_target: bool
    can_moderate: bool
    page: Page | None = None

    @property
    def has_more(self) -> bool:
        return self.page is None and self.conversation_count > len(self.conversations)

    @property
    def dom_id(self) -> str:
        return f"comments-{self.label.replace('.', '-')}-{self.object_id}"


def thread_for(*, user: Any, target: Any, page_request: PageRequest | None = None) -> Thread:
    """Return the thread on ``target`` for ``user``, who must be able to see it.

    Without ``page_request``, the newest ``THREAD_LIMIT`` conversations; with it, that page
    of conversations. Either way a fixed number of queries, however many comments there are.
    """
    on = _on(target)
    roots = Comment.objects.filter(parent__isnull=True, **on).select_related("author")
    roots = roots.order_by("-pk")
    page: Page | None = None
    if page_request is not None:
        page = paginate(roots, page_request)
        root_list = list(page.object_list)
        conversation_count = page.paginator.count
    else:
        root_list = list(roots[:THREAD_LIMIT])
        conversation_count = (
            len(root_list) if len(root_list) < THREAD_LIMIT else roots.order_by().count()
        )
    replies = (
        Comment.objects.filter(root_id__in=[root.pk for root in root_list], **on)
        .exclude(parent__isnull=True)
        .select_related("author")
        .order_by("path")
    )
    comment_count = Comment.objects.filter(**on).count()
    moderator = permissions.can_moderate_target(user, target)
    may_comment = permissions.can_comment(user, target)
    may_flag = permissions.can_flag(user, target)
    hidden = names_hidden(user, target)

    def node(comment: Comment) -> ThreadNode:
        return ThreadNode(
            comment=comment,
            author_name=author_name_for(user, comment, hidden=hidden),
            body=comment_body_for(user, comment, moderator=moderator),
            can_reply=permissions.can_reply(user, comment, may_comment=may_comment),
            can_edit=permissions.can_edit_comment(user, comment),
            can_delete=permissions.can_delete_comment(user, comment),
            can_flag=permissions.can_flag_comment(user, comment, may_flag=may_flag),
            can_moderate=moderator and not comment.is_deleted and not comment.is_note,
        )

    nodes = {root.pk: node(root) for root in root_list}
    for reply in replies:
        nodes[reply.pk] = node(reply)
        parent = nodes.get(reply.parent_id or 0)
        if parent is not None:
            parent.replies.append(nodes[reply.pk])
    return Thread(
        target=target,
        label=label_of(target),
        object_id=target.pk,
        conversations=[nodes[root.pk] for root in root_list],
        conversation_count=conversation_count,
        comment_count=comment_count,
        can_comment=may_comment,
        can_flag_target=permissions.can_flag_target(user, target),
        can_moderate=moderator,
        page=page,
    )


def names_hidden(user: Any, target: Any) -> bool:
    """Whether the names of those who comment on ``target`` are hidden from ``user`` (see
    ``Commentable.names_hidden``)."""
    if target is None:
        return False
    try:
        rules = rules_for(target)
    except LookupError:
        return False
    return bool(rules.names_hidden(user, target))


def author_name_for(user: Any, comment: Comment, *, hidden: bool) -> str:
    """The name ``user`` sees for whoever wrote ``comment``: "" for notes and deleted
    comments; "Someone" where the names are hidden (a person still sees their own)."""
    if comment.is_note or comment.is_deleted:
        return ""
    if comment.author is None:
        return str(_("Someone"))
    if hidden and comment.author_id != getattr(user, "pk", None):
        return str(_("Someone"))
    return str(comment.author)


def comment_page_number(*, comment: Comment, page_size: int) -> int:
    """Return the page of the thread (newest conversation first) that holds ``comment``."""
    newer = Comment.objects.filter(
        target_type_id=comment.target_type_id,
        target_id=comment.target_id,
        parent__isnull=True,
        pk__gt=comment.root_id or comment.pk,
    ).count()
    return newer // page_size + 1


def recent_comment_count(*, author: Any, since: Any) -> int:
    """Return how many comments ``author`` has posted since ``since``."""
    return Comment.objects.filter(author=author, kind="comment", created_at__gte=since).count()


# Flags ---------------------------------------------------------------------------------------


def flag_get(*, flag_id: int) -> Flag | None:
    """Return the flag ``flag_id`` with what it is about, or None."""
    return (
        Flag.objects.select_related("organisation", "reporter", "comment", "comment__author")
        .filter(pk=flag_id)
        .first()
    )


def has_flagged(*, user: Any, target: Any, comment: Comment | None = None) -> bool:
    """Return whether ``user`` has already reported ``comment`` (or ``target`` itself)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if comment is not None:
        return Flag.objects.filter(reporter=user, comment=comment).exists()
    return Flag.objects.filter(reporter=user, comment__isnull=True, **_on(target)).exists()


QUEUE_STATUSES = {
    "open": [FlagStatus.OPEN],
    "hidden": [FlagStatus.HIDDEN],
    "decided": [FlagStatus.HIDDEN, FlagStatus.DISMISSED, FlagStatus.RESTORED],
}


def moderation_queue(*, organisation: Any, show: str = "open") -> QuerySet[Flag]:
    """Return the organisation's flags in state ``show`` (open, hidden or decided).

    Open flags come oldest first, so the longest waiting are dealt with first; decided ones
    newest decision first. Each flag comes with its reporter, comment and target.
    """
    queryset = (
        Flag.objects.filter(organisation=organisation, status__in=QUEUE_STATUSES[show])
        .select_related("reporter", "comment", "comment__author", "decided_by")
        .prefetch_related("target")
    )
    if show == "open":
        return queryset.order_by("created_at", "pk")
    return queryset.order_by("-decided_at", "-pk")


def open_flag_counts(*, organisation: Any) -> dict[str, int]:
    """Return how many flags the organisation has in each queue."""
    rows = (
        Flag.objects.filter(organisation=organisation)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    return dict(rows)


def moderator_ids(*, organisation: Any) -> list[int]:
    """Return the ids of the organisation's moderators (innovation leads and administrators)."""
    return list(
        Membership.objects.filter(organisation=organisation, role__in=MODERATORS)
        .values_list("user_id", flat=True)
        .distinct()
    )
