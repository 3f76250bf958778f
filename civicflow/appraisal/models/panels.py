"""Panels of assessors, who reviews what, declarations of interest, scores and decisions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

COMMENT_MAX = 5_000
REASON_MAX = 5_000


class PanelStatus(models.TextChoices):
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", _("Closed")


class RankBy(models.TextChoices):
    STANDARDISED = "standardised", _("Standardised score (corrects for lenient assessors)")
    RAW = "raw", _("Raw mean of weighted scores")


class Panel(TimeStampedModel):
    """The assessors who judge a challenge's submissions, and how they judge them."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="panel"
    )
    reviews_per_submission = models.PositiveSmallIntegerField(
        _("reviews for each submission"), default=2
    )
    blind = models.BooleanField(
        _("blind: assessors do not see authors or organisations"), default=False
    )
    rank_by = models.CharField(max_length=12, choices=RankBy.choices, default=RankBy.STANDARDISED)
    status = models.CharField(max_length=6, choices=PanelStatus.choices, default=PanelStatus.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True)
    results_summary = models.TextField(_("what the panel said"), blank=True)
    # The review window's start and end that assessors were last told about (see
    # ``services.notices``): a notice is due again only if the phase's dates move.
    window_opened_notice_for = models.DateTimeField(null=True, blank=True, editable=False)
    window_closing_notice_for = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(reviews_per_submission__gte=1) & Q(reviews_per_submission__lte=20),
                name="panel_reviews_1_20",
            ),
        ]

    def __str__(self) -> str:
        return f"Panel for {self.challenge}"

    @property
    def is_open(self) -> bool:
        return self.status == PanelStatus.OPEN

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None


class PanelMember(TimeStampedModel):
    """An assessor on a panel."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panel_memberships"
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "user"], name="panel_member_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.panel}"


class Assignment(TimeStampedModel):
    """One assessor asked to review one submission (an idea) for a panel."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="assignments")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="assignments")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    # Set when the assessor declares a conflict: the review is blocked and not counted.
    conflict_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("overall comment"), blank=True, max_length=COMMENT_MAX)
    automatic = models.BooleanField(default=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "idea", "assessor"], name="assignment_unique"),
        ]
        indexes = [models.Index(fields=["assessor", "panel"], name="assignment_assessor_idx")]

    def __str__(self) -> str:
        return f"{self.assessor} reviews {self.idea_id}"

    @property
    def is_blocked(self) -> bool:
        return self.conflict_at is not None


class ConflictDeclaration(TimeStampedModel):
    """What an assessor declared about their interests in one submission, before scoring."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="declarations")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conflict_declarations"
    )
    has_conflict = models.BooleanField()
    details = models.TextField(blank=True, max_length=COMMENT_MAX)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "idea", "assessor"], name="declaration_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} on {self.idea_id}: {'conflict' if self.has_conflict else 'none'}"


class Score(models.Model):
    """An assessor's score on one criterion for one submission, with their comment."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "appraisal.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.SmallIntegerField()
    comment = models.TextField(blank=True, max_length=COMMENT_MAX)

    class Meta:
        ordering = ["criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.value} for {self.criterion_id}"


class DecisionKind(models.TextChoices):
    SHORTLISTED = "shortlisted", _("Shortlisted")
    NOT_SHORTLISTED = "not_shortlisted", _("Not shortlisted")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


PUBLIC_DECISIONS = (DecisionKind.SHORTLISTED, DecisionKind.AWARDED)


class Decision(models.Model):
    """A decision on a submission, with who made it and why. Append-only: a correction is a
    new decision, and the latest for a submission is the one that stands."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="decisions")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=DecisionKind.choices)
    tier = models.ForeignKey(
        "appraisal.PrizeTier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount = models.PositiveBigIntegerField(null=True, blank=True)
    reason = models.TextField(max_length=REASON_MAX)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [models.Index(fields=["panel", "idea", "-id"], name="decision_latest_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.idea_id}"
