"""Who may see an opinion map, take part in it, and run it.

A conversation is as visible as its challenge. Innovation leads and administrators of the
challenge's organisation start and run conversations, write seed statements, moderate, import
and export. Everyone in the challenge's audience votes and adds statements while the
conversation is open and the challenge's current phase lets people comment or put things
forward. The ``why_cannot_…`` functions say, in words for people, why something is refused
now ("" when it is allowed), so that pages and services give the same reason.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicflow.challenges.models import Audience, Challenge
from civicflow.challenges.permissions import (
    can_act,
    can_manage_challenges,
    can_view_challenge,
    is_eligible,
)
from civicflow.challenges.phases import Action
from civicflow.opinions.models import Conversation

#: A challenge phase that allows any of these lets people vote and add statements.
TAKING_PART = (Action.COMMENT, Action.SUBMIT)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_conversations(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators start, run, moderate, import and export."""
    return can_manage_challenges(user, organisation)


def can_start_conversation(user: Any, challenge: Challenge) -> bool:
    """The challenge's managers start conversations on it."""
    return can_manage_conversations(user, challenge.organisation) and can_view_challenge(
        user, challenge
    )


def can_view_conversation(user: Any, conversation: Conversation) -> bool:
    """Whoever may see the challenge sees its conversations and their reports."""
    return can_view_challenge(user, conversation.challenge)


def can_run_conversation(user: Any, conversation: Conversation) -> bool:
    """The organisation's innovation leads and administrators run a conversation."""
    return can_manage_conversations(user, conversation.organisation)


def phase_allows_taking_part(user: Any, challenge: Challenge) -> bool:
    """Whether the challenge's open phase lets ``user`` comment or put things forward now."""
    return any(can_act(user, challenge, action) for action in TAKING_PART)


def why_cannot_take_part(user: Any, conversation: Conversation) -> str:
    """Return why ``user`` cannot vote or add statements now, or "" if they can."""
    if not conversation.is_open:
        return _("This conversation is closed, so it no longer takes votes or statements.")
    challenge = conversation.challenge
    if not _signed_in(user):
        return _("Sign in to take part in this conversation.")
    if not is_eligible(user, challenge):
        if challenge.audience == Audience.STAFF:
            return _("Only staff of %(organisation)s can take part in this conversation.") % {
                "organisation": challenge.organisation.name
            }
        return _("Your account cannot take part in this conversation.")
    if not phase_allows_taking_part(user, challenge):
        return _(
            "The challenge is not open for comments or ideas now, so you cannot vote or add "
            "statements."
        )
    return ""


def can_take_part(user: Any, conversation: Conversation) -> bool:
    """Whether ``user`` may vote and add statements now."""
    return not why_cannot_take_part(user, conversation)


def why_cannot_add_statement(user: Any, conversation: Conversation) -> str:
    """Return why ``user`` cannot add a statement now, or "".

    The conversation's managers add seed statements whatever the phase, while it is open.
    """
    if can_run_conversation(user, conversation):
        return "" if conversation.is_open else why_cannot_take_part(user, conversation)
    return why_cannot_take_part(user, conversation)
