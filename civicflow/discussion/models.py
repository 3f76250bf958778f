"""Comments on any registered object, the flags people raise, and moves between objects.

A comment points at its target through a content type and an object id, so any app that
registers a model in ``civicflow.discussion.registry`` gets threaded comments and moderation.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

BODY_LIMIT = 5000
DETAILS_LIMIT = 1000
# A comment's place in its thread is the ids of its ancestors and itself, zero-padded so that
# ordering by the text orders the thread: each conversation, then its replies depth first.
PATH_WIDTH = 12
# Top-level comments are depth 0; replies to the deepest allowed attach beside it.
MAX_DEPTH = 2


class CommentKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    NOTE = "note", _("Note from civicflow")


class Comment(TimeStampedModel):
    """What one person wrote about a target, or a reply to another comment."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="comments"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
        help_text=_("Empty for notes civicflow writes itself."),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    # The top-level comment of the conversation; a top-level comment is its own root.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)
    path = models.CharField(max_length=80, db_index=True, blank=True)
    body = models.TextField(_("comment"), blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(
                fields=["target_type", "target_id", "root"], name="comment_target_root_idx"
            ),
            models.Index(fields=["author", "created_at"], name="comment_author_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(depth__lte=MAX_DEPTH), name="comment_depth_limit"
            ),
        ]

    def __str__(self) -> str:
        # Never the text: this label is kept in the audit log, which outlives the comment.
        return f"Comment {self.pk}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_note(self) -> bool:
        return self.kind == CommentKind.NOTE

    @property
    def edited(self) -> bool:
        return self.edited_at is not None

    @property
    def anchor(self) -> str:
        return f"comment-{self.pk}"

    @property
    def target_label(self) -> str:
        """Return the ``app.model`` label of the target (content types are cached)."""
        content_type = ContentType.objects.get_for_id(self.target_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class FlagReason(models.TextChoices):
    SPAM = "spam", _("Spam or advertising")
    OFFENSIVE = "offensive", _("Offensive, abusive or hateful")
    OFF_TOPIC = "off_topic", _("Off topic")
    PERSONAL_INFORMATION = "personal_information", _("It shares personal information")
    OTHER = "other", _("Something else")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Waiting for a moderator")
    HIDDEN = "hidden", _("Hidden by a moderator")
    DISMISSED = "dismissed", _("Dismissed: left as it was")
    RESTORED = "restored", _("Hidden, then restored")


class Flag(TimeStampedModel):
    """A person's report that a comment, or the target itself, breaks the rules.

    ``target`` is always the object the discussion is about; ``comment`` is set when the
    report is about one comment on it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="flags"
    )
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="flags"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags_raised"
    )
    reason = models.CharField(_("reason"), max_length=30, choices=FlagReason.choices)
    details = models.TextField(_("details"), blank=True)
    status = models.CharField(max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["organisation", "status"], name="flag_org_status_idx"),
            models.Index(fields=["target_type", "target_id"], name="flag_target_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=models.Q(comment__isnull=False),
                name="flag_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "target_type", "target_id"],
                condition=models.Q(comment__isnull=True),
                name="flag_once_per_target",
            ),
        ]

    def __str__(self) -> str:
        return f"Flag {self.pk}"

    @property
    def is_about_comment(self) -> bool:
        return self.comment_id is not None

    @property
    def target_label(self) -> str:
        """Return the ``app.model`` label of the target (content types are cached)."""
        content_type = ContentType.objects.get_for_id(self.target_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class CommentMove(models.Model):
    """The comments moved from one object to another (when ideas merge), so it can be undone."""

    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    source_id = models.PositiveBigIntegerField()
    destination_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    destination_id = models.PositiveBigIntegerField()
    comment_ids = models.JSONField(default=list)
    flag_ids = models.JSONField(default=list)
    note = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moved_at = models.DateTimeField(auto_now_add=True)
    moved_back_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-moved_at", "-id"]
        indexes = [
            models.Index(
                fields=["source_type", "source_id", "destination_type", "destination_id"],
                name="comment_move_pair_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"Comment move {self.pk}"
