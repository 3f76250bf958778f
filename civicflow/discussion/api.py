"""API endpoints for comments, reports and moderation.

A target is named ``app.model:id``, for example ``ideas.idea:42``. Whether a caller may see it
is the owning app's rule: one who cannot gets 404 (401 if not signed in), as if it did not exist.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.accounts import selectors as account_selectors
from civicflow.accounts.models import Organisation
from civicflow.accounts.permissions import can_see_organisation_private
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.discussion import permissions, selectors, services
from civicflow.discussion.models import BODY_LIMIT, DETAILS_LIMIT, Comment, Flag, FlagReason
from civicflow.discussion.services import REASON_LIMIT

router = Router(tags=["Comments and moderation"])

TARGET_HELP = "What the discussion is about, as app.model:id, for example ideas.idea:42."


class CommentOut(Schema):
    id: int
    target: str = Field(description=TARGET_HELP)
    parent: int | None = Field(description="The comment this replies to; null at the top.")
    depth: int = Field(description="0 for a top-level comment, up to 2 for replies.")
    kind: str = Field(description="comment, or note for notes civicflow writes itself.")
    author: str | None = Field(description="Who wrote it; null for notes and once deleted.")
    author_id: int | None
    body: str = Field(description="Empty once deleted, and when hidden from the caller.")
    state: str = Field(description="visible, deleted or hidden.")
    hidden_reason: str | None = Field(description="Why it was hidden: for moderators only.")
    created_at: datetime
    edited_at: datetime | None
    edited: bool


class CommentIn(Schema):
    target: str = Field(max_length=120, description=TARGET_HELP)
    body: str = Field(max_length=BODY_LIMIT * 2, description="Up to 5,000 characters.")
    parent: int | None = Field(None, description="The comment to reply to.")


class CommentEditIn(Schema):
    body: str = Field(max_length=BODY_LIMIT * 2, description="Up to 5,000 characters.")


class FlagIn(Schema):
    reason: FlagReason
    details: str = Field("", max_length=DETAILS_LIMIT * 2, description="Needed for 'other'.")


class TargetFlagIn(FlagIn):
    target: str = Field(max_length=120, description=TARGET_HELP)


class ReasonIn(Schema):
    reason: str = Field(max_length=REASON_LIMIT * 2, description="Why: the author is told.")


class FlagOut(Schema):
    id: int
    target: str = Field(description=TARGET_HELP)
    target_title: str = Field(description="What the discussion is about, in words.")
    comment: int | None = Field(description="The comment reported; null for the target itself.")
    comment_body: str | None = Field(description="Its text, for moderators.")
    reason: str
    details: str
    status: str = Field(description="open, hidden, dismissed or restored.")
    reporter: str | None = Field(description="Who reported it: for moderators only.")
    created_at: datetime
    decided_at: datetime | None
    decision_reason: str


# Looking things up ---------------------------------------------------------------------------


def _target(request: HttpRequest, ref: str) -> Any:
    """Return the target ``ref`` names if the caller may see it; else 404 (401 if anonymous)."""
    parsed = selectors.parse_target_ref(ref)
    if parsed is None:
        raise ValidationError({"target": "Give the target as app.model:id, like ideas.idea:42."})
    target = selectors.target_get(label=parsed[0], object_id=parsed[1])
    user = request.user
    if target is None or not permissions.can_view_target(user, target):
        if not user.is_authenticated:
            signed_in_user(request)  # answers 401
        raise Http404
    return target


def _comment(request: HttpRequest, comment_id: int) -> tuple[Comment, Any]:
    user = signed_in_user(request)
    comment = selectors.comment_get(comment_id=comment_id)
    if comment is None:
        raise Http404
    target = selectors.target_of(comment)
    if target is None or not permissions.can_view_target(user, target):
        raise Http404
    return comment, target


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    user = signed_in_user(request)
    organisation = account_selectors.organisation_get(slug=slug[:80])
    if organisation is None or not can_see_organisation_private(user, organisation):
        raise Http404
    if not permissions.can_moderate(user, organisation):
        raise PermissionDenied
    return organisation


def _flag(request: HttpRequest, flag_id: int) -> Flag:
    user = signed_in_user(request)
    flag = selectors.flag_get(flag_id=flag_id)
    if flag is None or not can_see_organisation_private(user, flag.organisation):
        raise Http404
    if not permissions.can_moderate(user, flag.organisation):
        raise PermissionDenied
    return flag


def _comment_out(
    comment: Comment, *, user: Any, moderator: bool, names_hidden: bool = False
) -> dict[str, Any]:
    state = "deleted" if comment.is_deleted else "hidden" if comment.is_hidden else "visible"
    author_shown = comment.author is not None and not comment.is_deleted
    # Where names are hidden from the caller (a blind appraisal panel), only their own.
    if names_hidden and comment.author_id != getattr(user, "pk", None):
        author_shown = False
    return {
        "id": comment.pk,
        "target": f"{comment.target_label}:{comment.target_id}",
        "parent": comment.parent_id,
        "depth": comment.depth,
        "kind": comment.kind,
        # A deleted comment keeps its place in the thread, not who wrote it.
        "author": str(comment.author) if author_shown else None,
        "author_id": comment.author_id if author_shown else None,
        "body": selectors.comment_body_for(user, comment, moderator=moderator),
        "state": state,
        "hidden_reason": comment.hidden_reason if moderator and comment.is_hidden else None,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "edited": comment.edited,
    }


def _flag_out(flag: Flag, target: Any) -> dict[str, Any]:
    comment = flag.comment
    return {
        "id": flag.pk,
        "target": f"{flag.target_label}:{flag.target_id}",
        "target_title": str(target) if target is not None else "",
        "comment": flag.comment_id,
        "comment_body": comment.body if comment is not None else None,
        "reason": flag.reason,
        "details": flag.details,
        "status": flag.status,
        "reporter": str(flag.reporter),
        "created_at": flag.created_at,
        "decided_at": flag.decided_at,
        "decision_reason": flag.decision_reason,
    }


class _Rows:
    """Rows shaped for one caller, a page at a time: sliced like a QuerySet, so the
    pagination fetches one page of rows and counts once."""

    def __init__(self, queryset: Any, shape: Any) -> None:
        self.queryset = queryset
        self.shape = shape

    def all(self) -> _Rows:
        return self

    def count(self) -> int:
        return int(self.queryset.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [self.shape(row) for row in self.queryset[window]]


# Comments ------------------------------------------------------------------------------------


@router.get(
    "/comments",
    response=list[CommentOut],
    summary="List the comments on something, in thread order",
    description=(
        "Newest conversation first; each top-level comment is followed by its replies, "
        "oldest first. Anyone who can see the target may read them."
    ),
    **PUBLIC,
)
@paginate(PageNumberPagination)
def comment_list(
    request: HttpRequest, target: str = Query(..., max_length=120, description=TARGET_HELP)
) -> Any:
    found = _target(request, target)
    moderator = permissions.can_moderate_target(request.user, found)
    hidden = selectors.names_hidden(request.user, found)
    return _Rows(
        selectors.comments_on(target=found),
        lambda comment: _comment_out(
            comment, user=request.user, moderator=moderator, names_hidden=hidden
        ),
    )


@router.post("/comments", response={201: CommentOut}, summary="Comment on something, or reply")
def comment_create(request: HttpRequest, payload: CommentIn) -> Status[Any]:
    user = signed_in_user(request)
    target = _target(request, payload.target)
    parent = None
    if payload.parent is not None:
        parent = selectors.comment_get(comment_id=payload.parent)
        if parent is None:
            raise ValidationError({"parent": "There is no such comment on this target."})
        if not permissions.can_reply(user, parent, may_comment=True):
            raise ValidationError({"parent": "You cannot reply to this comment."})
    if not permissions.can_comment(user, target):
        raise PermissionDenied("You cannot comment on this at the moment.")
    comment = services.comment_create(author=user, target=target, body=payload.body, parent=parent)
    moderator = permissions.can_moderate_target(user, target)
    return Status(
        201,
        _comment_out(
            comment,
            user=user,
            moderator=moderator,
            names_hidden=selectors.names_hidden(user, target),
        ),
    )


@router.patch("/comments/{comment_id}", response=CommentOut, summary="Change your comment")
def comment_edit(request: HttpRequest, comment_id: int, payload: CommentEditIn) -> dict[str, Any]:
    comment, target = _comment(request, comment_id)
    if not permissions.is_author(request.user, comment):
        raise PermissionDenied("You can only change your own comments.")
    services.comment_edit(actor=request.user, comment=comment, body=payload.body)
    moderator = permissions.can_moderate_target(request.user, target)
    return _comment_out(comment, user=request.user, moderator=moderator)


@router.delete("/comments/{comment_id}", response={204: None}, summary="Delete your comment")
def comment_delete(request: HttpRequest, comment_id: int) -> Status[None]:
    comment, _target_obj = _comment(request, comment_id)
    if not permissions.is_author(request.user, comment):
        raise PermissionDenied("You can only delete your own comments.")
    services.comment_delete(actor=request.user, comment=comment)
    return Status(204, None)


@router.post(
    "/comments/{comment_id}/flags",
    response={201: FlagOut},
    summary="Report a comment to the moderators",
)
def comment_flag(request: HttpRequest, comment_id: int, payload: FlagIn) -> Status[Any]:
    comment, target = _comment(request, comment_id)
    flag = services.flag_raise(
        reporter=request.user,
        target=target,
        comment=comment,
        reason=payload.reason,
        details=payload.details,
    )
    return Status(201, _flag_out(flag, target))


@router.post(
    "/comments/{comment_id}/hide",
    response=CommentOut,
    summary="Hide a comment (moderators)",
)
def comment_hide(request: HttpRequest, comment_id: int, payload: ReasonIn) -> dict[str, Any]:
    comment, target = _comment(request, comment_id)
    if not permissions.can_moderate(request.user, comment.organisation):
        raise PermissionDenied
    services.comment_hide(actor=request.user, comment=comment, reason=payload.reason)
    hidden = selectors.names_hidden(request.user, target)
    return _comment_out(comment, user=request.user, moderator=True, names_hidden=hidden)


@router.post(
    "/comments/{comment_id}/restore",
    response=CommentOut,
    summary="Show a hidden comment again (moderators)",
)
def comment_restore(request: HttpRequest, comment_id: int, payload: ReasonIn) -> dict[str, Any]:
    comment, target = _comment(request, comment_id)
    if not permissions.can_moderate(request.user, comment.organisation):
        raise PermissionDenied
    services.comment_restore(actor=request.user, comment=comment, reason=payload.reason)
    hidden = selectors.names_hidden(request.user, target)
    return _comment_out(comment, user=request.user, moderator=True, names_hidden=hidden)


# Reports and moderation ----------------------------------------------------------------------


@router.post(
    "/flags",
    response={201: FlagOut},
    summary="Report something itself (an idea, say) to the moderators",
)
def target_flag(request: HttpRequest, payload: TargetFlagIn) -> Status[Any]:
    user = signed_in_user(request)
    target = _target(request, payload.target)
    flag = services.flag_raise(
        reporter=user, target=target, reason=payload.reason, details=payload.details
    )
    return Status(201, _flag_out(flag, target))


@router.get(
    "/organisations/{slug}/moderation",
    response=list[FlagOut],
    summary="An organisation's reports (moderators)",
)
@paginate(PageNumberPagination)
def moderation_queue(
    request: HttpRequest,
    slug: str,
    status: str = Query(
        "open",
        pattern="^(open|hidden|decided)$",
        description=("open: waiting for a decision; hidden: upheld; decided: every decision."),
    ),
) -> Any:
    organisation = _organisation(request, slug)
    return _Rows(
        selectors.moderation_queue(organisation=organisation, show=status),
        lambda flag: _flag_out(flag, flag.target),
    )


def _decide(request: HttpRequest, flag_id: int, payload: ReasonIn, decision: str) -> Any:
    flag = _flag(request, flag_id)
    service = {
        "hide": services.flag_hide,
        "restore": services.flag_restore,
        "dismiss": services.flag_dismiss,
    }[decision]
    flag = service(actor=request.user, flag=flag, reason=payload.reason)
    return _flag_out(flag, selectors.target_of(flag))


@router.post("/flags/{flag_id}/hide", response=FlagOut, summary="Uphold a report: hide it")
def flag_hide(request: HttpRequest, flag_id: int, payload: ReasonIn) -> Any:
    return _decide(request, flag_id, payload, "hide")


@router.post("/flags/{flag_id}/restore", response=FlagOut, summary="Show again what a report hid")
def flag_restore(request: HttpRequest, flag_id: int, payload: ReasonIn) -> Any:
    return _decide(request, flag_id, payload, "restore")


@router.post(
    "/flags/{flag_id}/dismiss", response=FlagOut, summary="Dismiss a report: nothing is hidden"
)
def flag_dismiss(request: HttpRequest, flag_id: int, payload: ReasonIn) -> Any:
    return _decide(request, flag_id, payload, "dismiss")
