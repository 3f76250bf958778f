"""Opinion maps: a conversation on a challenge, its short statements, and the votes on them.

A participant is one person's place in one conversation: a signed-in person, or someone from
a conversation imported from Pol.is, known there only by a number. Statements and votes
belong to participants, so an imported conversation and a live one are stored the same way,
and erasing a person only has to break the link from their participant to their account.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

#: The longest a new statement may be: one idea, said briefly (Pol.is allows the same).
STATEMENT_LIMIT = 140


class ModerationMode(models.TextChoices):
    POST = "post", _("Post-moderation: statements appear at once and can be removed after")
    PRE = "pre", _("Pre-moderation: a moderator accepts each statement before people see it")


class ConversationState(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class StatementStatus(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    PENDING = "pending", _("Waiting for moderation")
    REJECTED = "rejected", _("Rejected")


class VoteValue(models.IntegerChoices):
    AGREE = 1, _("Agree")
    PASS = 0, _("Pass or unsure")
    DISAGREE = -1, _("Disagree")


class Conversation(TimeStampedModel):
    """A question put to the people taking part in a challenge, answered by votes."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="opinion_conversations"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="conversations"
    )
    question = models.CharField(_("question"), max_length=300)
    description = models.TextField(_("more about the question"), blank=True)
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=ModerationMode.choices, default=ModerationMode.POST
    )
    state = models.CharField(
        max_length=6, choices=ConversationState.choices, default=ConversationState.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Where an imported conversation came from (its Pol.is address), if known.
    source_url = models.CharField(max_length=500, blank=True)
    #: When an analysis was queued and has not started yet; None when none is waiting.
    analysis_queued_at = models.DateTimeField(null=True, blank=True)
    #: When the map was last worked out.
    analysed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["challenge", "state"], name="conversation_challenge_idx"),
        ]

    def __str__(self) -> str:
        return self.question

    def get_absolute_url(self) -> str:
        return reverse("opinions:conversation", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.state == ConversationState.OPEN


class Participant(models.Model):
    """Someone taking part in one conversation: a person here, or one imported from Pol.is."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="opinion_participations",
    )
    #: The participant's number in the Pol.is export it was imported from.
    external_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"],
                condition=Q(user__isnull=False),
                name="participant_unique_user",
            ),
            models.UniqueConstraint(
                fields=["conversation", "external_id"],
                condition=Q(external_id__isnull=False),
                name="participant_unique_external_id",
            ),
        ]

    def __str__(self) -> str:
        return f"Participant {self.pk} in {self.conversation_id}"


class Statement(TimeStampedModel):
    """One short statement, one idea, that people agree with, disagree with or pass on."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="opinion_statements"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="statements"
    )
    # Statements written here are at most STATEMENT_LIMIT characters; imported ones may be
    # longer, so the column is not limited.
    text = models.TextField(_("statement"))
    #: The text in lower case with its spaces and end punctuation tidied: duplicates match.
    normalised = models.TextField()
    author = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    is_seed = models.BooleanField(
        default=False, help_text=_("Written by the conversation's leads to start it off.")
    )
    status = models.CharField(
        max_length=8, choices=StatementStatus.choices, default=StatementStatus.ACCEPTED
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderation_reason = models.TextField(blank=True)
    #: The statement's number in the Pol.is export it was imported from.
    external_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # An imported conversation may hold two statements that differ only in case;
            # everything written here is checked against every statement, imported or not.
            models.UniqueConstraint(
                fields=["conversation", "normalised"],
                condition=Q(external_id__isnull=True),
                name="statement_unique_text",
            ),
        ]
        indexes = [
            models.Index(fields=["conversation", "status"], name="statement_status_idx"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_visible(self) -> bool:
        """Whether people other than moderators see it and may vote on it."""
        return self.status == StatementStatus.ACCEPTED


class Vote(models.Model):
    """A participant's current vote on a statement; changing it replaces the value."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=VoteValue.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_unique"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value_valid"),
        ]
        indexes = [
            models.Index(fields=["statement", "value"], name="vote_statement_idx"),
            models.Index(fields=["conversation"], name="vote_conversation_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class Analysis(models.Model):
    """The last opinion map of a conversation, worked out in the background.

    ``ready`` is False while there are not enough votes to draw a map; ``message`` says why.
    ``result`` holds the map (see ``civicflow.opinions.analysis.summary``).
    """

    conversation = models.OneToOneField(
        Conversation, on_delete=models.CASCADE, related_name="analysis"
    )
    computed_at = models.DateTimeField()
    ready = models.BooleanField(default=False)
    message = models.CharField(max_length=500, blank=True)
    participants = models.PositiveIntegerField(default=0)
    grouped_participants = models.PositiveIntegerField(default=0)
    statements = models.PositiveIntegerField(default=0)
    votes = models.PositiveIntegerField(default=0)
    groups = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name_plural = "analyses"

    def __str__(self) -> str:
        return f"Opinion map of {self.conversation_id}"
