"""What opinion maps hold about a person, for their data download and for erasure (ADR 0011).

A person's statements stay in their conversations, no longer linked to them: other people
have voted on them, and the map depends on them. Their votes are removed, and the map is
worked out again without them.
"""

from __future__ import annotations

from typing import Any

from civicflow.core.personal_data import register_personal_data
from civicflow.opinions.models import Participant, Statement, Vote


def _date(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _statements(user: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": statement.pk,
            "conversation": statement.conversation.question,
            "challenge": statement.conversation.challenge.title,
            "text": statement.text,
            "status": statement.status,
            "created_at": _date(statement.created_at),
        }
        for statement in Statement.objects.filter(author__user=user)
        .select_related("conversation__challenge")
        .order_by("created_at", "id")
    ]


def _votes(user: Any) -> list[dict[str, Any]]:
    return [
        {"conversation": question, "statement": text, "vote": value, "at": _date(at)}
        for question, text, value, at in Vote.objects.filter(participant__user=user)
        .order_by("created_at", "id")
        .values_list("conversation__question", "statement__text", "value", "updated_at")
    ]


def _erase(user: Any) -> None:
    from civicflow.opinions.services import analysis_schedule

    conversations = set(
        Participant.objects.filter(user=user).values_list("conversation_id", flat=True)
    )
    Vote.objects.filter(participant__user=user).delete()
    Participant.objects.filter(user=user).update(user=None)
    for conversation_id in sorted(conversations):
        analysis_schedule(conversation_id=conversation_id)


def register() -> None:
    """Tell accounts what opinion maps hold about a person."""
    register_personal_data("opinion_statements", export=_statements)
    register_personal_data("opinion_votes", export=_votes, erase=_erase)
