"""Writes about opinion maps: start and change conversations, add and moderate statements,
vote, and bring the map up to date.

Every service checks who is acting (``PermissionDenied`` with the reason if they may not),
validates its input (``ValidationError`` saying how to put it right), then changes the data in
one transaction, recording decisions in the audit log. The map itself is never worked out in
a request: a vote or a moderation decision queues ``analyse_conversation`` after the commit,
and at most one analysis of a conversation waits in the queue at a time.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from typing import Any

import numpy as np
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.challenges.models import Challenge
from civicflow.core.audit import audit_record, register_actions
from civicflow.notifications.kinds import OTHER, register_kinds
from civicflow.notifications.services import notify
from civicflow.opinions import permissions, selectors
from civicflow.opinions.analysis import NotEnoughVotes, VoteTable, analyse
from civicflow.opinions.analysis.summary import summarise
from civicflow.opinions.models import (
    STATEMENT_LIMIT,
    Analysis,
    Conversation,
    ConversationState,
    ModerationMode,
    Participant,
    Statement,
    StatementStatus,
    Vote,
    VoteValue,
)

register_actions(
    {
        "opinion_conversation.started": _("Opinion map conversation started"),
        "opinion_conversation.changed": _("Opinion map conversation changed"),
        "opinion_conversation.closed": _("Opinion map conversation closed"),
        "opinion_conversation.reopened": _("Opinion map conversation reopened"),
        "opinion_conversation.imported": _("Opinion map conversation imported from Pol.is"),
        "opinion_statement.accepted": _("Opinion map statement accepted"),
        "opinion_statement.rejected": _("Opinion map statement rejected"),
    }
)

register_kinds(
    {
        "opinion_statement.waiting": _("A statement in an opinion map waits for moderation"),
        "opinion_statement.rejected": _("A moderator rejected your statement in an opinion map"),
    },
    group=OTHER,
)

QUESTION_LIMIT = 300
DESCRIPTION_LIMIT = 5000
REASON_LIMIT = 500
#: A queued analysis older than this is taken to have been lost, and another is queued.
STALE_QUEUE = timedelta(minutes=10)
#: Where the queue can run tasks later, analyses of one conversation are at least this far apart.
MIN_INTERVAL = timedelta(seconds=15)
#: Seed of the analysis: the same votes always give the same map.
ANALYSIS_SEED = 0

_SPACES = re.compile(r"\s+")
_END_PUNCTUATION = ".!?;:,…"


def normalise(text: str) -> str:
    """Return ``text`` as duplicates are compared: case-folded, spaces and end punctuation
    tidied, compatibility characters folded (so "Bins  weekly." matches "bins weekly")."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACES.sub(" ", folded).strip().rstrip(_END_PUNCTUATION).strip()


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError({"reason": f"The reason must be {REASON_LIMIT} characters or fewer."})
    return reason


def _clean_conversation(question: str, description: str, moderation: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    question = _SPACES.sub(" ", question or "").strip()
    description = (description or "").strip()
    if not question:
        errors["question"] = "Enter the question people will answer."
    elif len(question) > QUESTION_LIMIT:
        errors["question"] = f"The question must be {QUESTION_LIMIT} characters or fewer."
    if len(description) > DESCRIPTION_LIMIT:
        errors["description"] = (
            f"The description must be {DESCRIPTION_LIMIT:,} characters or fewer."
        )
    if moderation not in ModerationMode.values:
        errors["moderation"] = "Choose pre-moderation or post-moderation."
    if errors:
        raise ValidationError(errors)
    return {"question": question, "description": description, "moderation": moderation}


# Conversations -------------------------------------------------------------------------------


def conversation_create(
    *,
    actor: Any,
    challenge: Challenge,
    question: str,
    description: str = "",
    moderation: str = ModerationMode.POST,
) -> Conversation:
    """Start a conversation on ``challenge`` (its innovation leads and administrators)."""
    if not permissions.can_start_conversation(actor, challenge):
        raise PermissionDenied("Only the challenge's innovation leads can start a conversation.")
    cleaned = _clean_conversation(question, description, moderation)
    with transaction.atomic():
        conversation = Conversation.objects.create(
            organisation_id=challenge.organisation_id,
            challenge=challenge,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            **cleaned,
        )
        audit_record(
            actor=actor,
            action="opinion_conversation.started",
            target=conversation,
            organisation=challenge.organisation,
        )
    return conversation


def conversation_update(
    *,
    actor: Any,
    conversation: Conversation,
    question: str,
    description: str,
    moderation: str,
    state: str,
    reason: str = "",
) -> Conversation:
    """Change a conversation's question, moderation or state (open or closed)."""
    if not permissions.can_run_conversation(actor, conversation):
        raise PermissionDenied("Only the organisation's innovation leads can change this.")
    cleaned = _clean_conversation(question, description, moderation)
    if state not in ConversationState.values:
        raise ValidationError({"state": "Choose open or closed."})
    reason = _clean_reason(reason)
    with transaction.atomic():
        before = conversation.state
        for name, value in cleaned.items():
            setattr(conversation, name, value)
        conversation.state = state
        conversation.save(update_fields=[*cleaned, "state", "updated_at"])
        action = "opinion_conversation.changed"
        if before != state:
            action = (
                "opinion_conversation.closed"
                if state == ConversationState.CLOSED
                else "opinion_conversation.reopened"
            )
        audit_record(
            actor=actor,
            action=action,
            target=conversation,
            organisation=conversation.organisation,
            reason=reason,
        )
    return conversation


# Statements ----------------------------------------------------------------------------------


def _participant(conversation: Conversation, user: Any) -> Participant:
    participant, _created = Participant.objects.get_or_create(conversation=conversation, user=user)
    return participant


def clean_statement(conversation: Conversation, text: str) -> tuple[str, str]:
    """Return the statement's text and its normalised form; raise if it cannot be added."""
    text = _SPACES.sub(" ", text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your statement."})
    if len(text) > STATEMENT_LIMIT:
        raise ValidationError(
            {
                "text": f"Your statement must be {STATEMENT_LIMIT} characters or fewer: keep it "
                f"to one idea. It has {len(text)}."
            }
        )
    normalised = normalise(text)
    if not normalised:
        raise ValidationError({"text": "Enter your statement in words."})
    if Statement.objects.filter(conversation=conversation, normalised=normalised).exists():
        raise ValidationError(
            {"text": "This conversation already has that statement. Vote on it instead."}
        )
    return text, normalised


def statement_add(*, actor: Any, conversation: Conversation, text: str) -> Statement:
    """Add a statement to ``conversation``.

    The conversation's leads add seed statements, accepted at once. Other people add
    statements while they may take part; under pre-moderation theirs wait for a moderator.
    """
    if problem := permissions.why_cannot_add_statement(actor, conversation):
        raise PermissionDenied(problem)
    text, normalised = clean_statement(conversation, text)
    is_seed = permissions.can_run_conversation(actor, conversation)
    pending = not is_seed and conversation.moderation == ModerationMode.PRE
    try:
        with transaction.atomic():
            statement = Statement.objects.create(
                organisation_id=conversation.organisation_id,
                conversation=conversation,
                text=text,
                normalised=normalised,
                author=_participant(conversation, actor),
                is_seed=is_seed,
                status=StatementStatus.PENDING if pending else StatementStatus.ACCEPTED,
            )
            if pending:
                notify(
                    recipients=selectors.lead_ids(organisation=conversation.organisation),
                    kind="opinion_statement.waiting",
                    title=f"A statement waits for moderation: {text}",
                    body=conversation.question,
                    url=reverse("opinions:moderation", args=[conversation.pk]),
                    actor=actor,
                )
    except IntegrityError:
        # Someone added the same statement a moment ago.
        raise ValidationError(
            {"text": "This conversation already has that statement. Vote on it instead."}
        ) from None
    return statement


def statement_moderate(*, actor: Any, statement: Statement, status: str, reason: str = "") -> None:
    """Accept or reject a statement (the conversation's moderators), saying why.

    A rejected statement disappears from voting and leaves the map; its votes are kept, so
    accepting it again brings them back.
    """
    conversation = statement.conversation
    if not permissions.can_run_conversation(actor, conversation):
        raise PermissionDenied("Only the organisation's innovation leads can moderate.")
    if status not in (StatementStatus.ACCEPTED, StatementStatus.REJECTED):
        raise ValidationError({"status": "Choose accept or reject."})
    reason = _clean_reason(reason)
    if status == StatementStatus.REJECTED and not reason:
        raise ValidationError({"reason": "Say why the statement is rejected."})
    with transaction.atomic():
        changed = Statement.objects.filter(pk=statement.pk).exclude(status=status)
        now = timezone.now()
        if not changed.update(
            status=status,
            moderated_by=actor,
            moderated_at=now,
            moderation_reason=reason,
            updated_at=now,
        ):
            return
        statement.refresh_from_db()
        audit_record(
            actor=actor,
            action=f"opinion_statement.{status}",
            target=statement,
            organisation=conversation.organisation,
            reason=reason,
            data={"conversation": conversation.pk},
        )
        author = statement.author.user_id if statement.author is not None else None
        if status == StatementStatus.REJECTED and author is not None:
            notify(
                recipients=[author],
                kind="opinion_statement.rejected",
                title=f"Your statement was not accepted: {statement.text}",
                body=reason,
                url=conversation.get_absolute_url(),
                actor=actor,
            )
        analysis_schedule(conversation_id=conversation.pk)


# Votes ---------------------------------------------------------------------------------------


def vote_cast(*, user: Any, statement: Statement, value: int) -> Vote:
    """Record ``user``'s vote on ``statement``: agree (1), disagree (-1) or pass (0).

    A person has one vote on each statement; voting again changes it. Votes on statements
    that are waiting for moderation or were rejected are refused.
    """
    conversation = statement.conversation
    if problem := permissions.why_cannot_take_part(user, conversation):
        raise PermissionDenied(problem)
    if value not in VoteValue.values:
        raise ValidationError({"value": "Vote 1 to agree, -1 to disagree or 0 to pass."})
    if not statement.is_visible:
        raise ValidationError(
            {"statement": "This statement is not open for votes: a moderator has not accepted it."}
        )
    with transaction.atomic():
        participant = _participant(conversation, user)
        vote, _created = Vote.objects.update_or_create(
            participant=participant,
            statement=statement,
            defaults={"value": value, "conversation": conversation},
        )
        analysis_schedule(conversation_id=conversation.pk)
    return vote


# The map -------------------------------------------------------------------------------------


def analysis_schedule(*, conversation_id: int) -> None:
    """Queue the conversation's analysis once the current transaction commits.

    Only one waits at a time: while one is queued and has not started, more votes add
    nothing to the queue (the queued one will count them). Where the queue can delay tasks,
    an analysis runs at least ``MIN_INTERVAL`` after the last one.
    """

    def enqueue() -> None:
        from civicflow.opinions.tasks import analyse_conversation

        now = timezone.now()
        claimed = Conversation.objects.filter(
            Q(analysis_queued_at__isnull=True) | Q(analysis_queued_at__lt=now - STALE_QUEUE),
            pk=conversation_id,
        ).update(analysis_queued_at=now)
        if not claimed:
            return
        task = analyse_conversation
        if task.get_backend().supports_defer:
            last = (
                Conversation.objects.filter(pk=conversation_id)
                .values_list("analysed_at", flat=True)
                .first()
            )
            if last is not None and now - last < MIN_INTERVAL:
                task = task.using(run_after=last + MIN_INTERVAL)
        task.enqueue(conversation_id)

    transaction.on_commit(enqueue)


def conversation_votes(conversation_id: int) -> VoteTable:
    """Return every current vote of a conversation as the analysis reads them."""
    rows = np.array(
        list(
            Vote.objects.filter(conversation_id=conversation_id)
            .order_by()
            .values_list("participant_id", "statement_id", "value")
        ),
        dtype=np.int64,
    ).reshape(-1, 3)
    return VoteTable(
        participant_ids=rows[:, 0].copy(),
        statement_ids=rows[:, 1].copy(),
        votes=rows[:, 2].astype(np.int8),
    )


def analysis_refresh(*, conversation_id: int) -> Analysis | None:
    """Work out the conversation's map from its votes now and store it (in the background).

    Returns None if the conversation no longer exists.
    """
    # Whatever is voted after this line queues another analysis.
    Conversation.objects.filter(pk=conversation_id).update(analysis_queued_at=None)
    if not Conversation.objects.filter(pk=conversation_id).exists():
        return None
    votes = conversation_votes(conversation_id)
    rejected = Statement.objects.filter(
        conversation_id=conversation_id, status=StatementStatus.REJECTED
    ).values_list("pk", flat=True)
    result = analyse(votes, moderated_out=set(rejected), seed=ANALYSIS_SEED)
    now = timezone.now()
    if isinstance(result, NotEnoughVotes):
        fields: dict[str, Any] = {
            "ready": False,
            "message": result.message,
            "participants": result.participants,
            "grouped_participants": result.grouped_participants,
            "statements": result.statements,
            "votes": result.votes,
            "groups": 0,
            "result": {},
        }
    else:
        fields = {
            "ready": True,
            "message": "",
            "participants": len(result.participant_ids),
            "grouped_participants": sum(result.group_sizes),
            "statements": len(result.statement_ids),
            "votes": len(votes),
            "groups": result.k,
            "result": summarise(result),
        }
    with transaction.atomic():
        analysis, _created = Analysis.objects.update_or_create(
            conversation_id=conversation_id, defaults={"computed_at": now, **fields}
        )
        Conversation.objects.filter(pk=conversation_id).update(analysed_at=now)
    return analysis
