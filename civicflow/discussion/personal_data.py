"""What the discussion app holds about a person, for their data download (ADR 0011).

Comments and flags stay when a person closes their account: a comment is part of a public
conversation that others replied to, and a flag is part of a moderation record. Pages show
their author as a former participant, so nothing here needs erasing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType

from civicflow.core.personal_data import register_personal_data
from civicflow.discussion.models import Comment, CommentKind, Flag


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _titles(rows: Iterable[Comment | Flag]) -> dict[tuple[int, int], str]:
    """Return the title of each object the rows are about, one query per kind of object."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for row in rows:
        wanted[row.target_type_id].add(row.target_id)
    titles: dict[tuple[int, int], str] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, target in model._default_manager.in_bulk(ids).items():
            titles[type_id, pk] = str(target)[:300]
    return titles


def _on(row: Comment | Flag, titles: dict[tuple[int, int], str]) -> dict[str, Any]:
    return {
        "type": row.target_label,
        "id": row.target_id,
        "title": titles.get((row.target_type_id, row.target_id)),
    }


def _comments(user: Any) -> list[dict[str, Any]]:
    comments = list(
        Comment.objects.filter(author=user, kind=CommentKind.COMMENT).order_by("created_at", "id")
    )
    titles = _titles(comments)
    return [
        {
            "id": comment.pk,
            "text": comment.body,
            "created_at": _date(comment.created_at),
            "edited_at": _date(comment.edited_at),
            "deleted_at": _date(comment.deleted_at),
            "hidden_at": _date(comment.hidden_at),
            "reply_to": comment.parent_id,
            "on": _on(comment, titles),
        }
        for comment in comments
    ]


def _flags(user: Any) -> list[dict[str, Any]]:
    flags = list(Flag.objects.filter(reporter=user).order_by("created_at", "id"))
    titles = _titles(flags)
    return [
        {
            "reason": flag.reason,
            "details": flag.details,
            "status": flag.status,
            "created_at": _date(flag.created_at),
            "decided_at": _date(flag.decided_at),
            "comment_id": flag.comment_id,
            "on": _on(flag, titles),
        }
        for flag in flags
    ]


def register() -> None:
    """Tell accounts what the discussion app holds about a person."""
    register_personal_data("comments", export=_comments)
    register_personal_data("flags", export=_flags)
