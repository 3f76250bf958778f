"""Ideas put forward in a challenge, their co-authors, edit history, supports and merges."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

TITLE_MAX = 150
SUMMARY_MAX = 300
DESCRIPTION_MAX = 20_000
AFFECTED_MAX = 2_000
FEEDBACK_MAX = 5_000
REASON_MAX = 1_000


class InnovationType(models.TextChoices):
    SERVICE = "service", _("Service or product")
    PROCESS = "process", _("Process")
    ORGANISATIONAL = "organisational", _("Organisational")
    COMMUNICATION = "communication", _("Communication")
    CONCEPTUAL = "conceptual", _("Conceptual")


class Scale(models.TextChoices):
    CONTINUOUS = "continuous", _("Continuous improvement")
    DISRUPTIVE = "disruptive", _("Disruptive")


class Benefit(models.TextChoices):
    SAVES_MONEY = "saves_money", _("Saves money")
    IMPROVES_QUALITY = "improves_quality", _("Improves quality")
    IMPROVES_COMMUNICATION = "improves_communication", _("Improves communication")
    STAFF_SATISFACTION = "staff_satisfaction", _("Staff satisfaction")
    OTHER = "other", _("Other")


# Each expected benefit is a boolean column, so filters are a plain indexed ``WHERE`` on SQLite
# and PostgreSQL alike, and a list page needs no join or prefetch to show them.
BENEFIT_FIELDS: dict[str, str] = {benefit.value: f"benefit_{benefit.value}" for benefit in Benefit}


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    UNDER_REVIEW = "under_review", _("Under review")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    MERGED = "merged", _("Merged")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The statuses a moderator gives with feedback; merged and withdrawn have their own services.
DECISION_STATUSES = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.SELECTED,
    IdeaStatus.NOT_SELECTED,
)
# Statuses in which an idea is closed to editing, support and new decisions.
CLOSED_STATUSES = (IdeaStatus.MERGED, IdeaStatus.WITHDRAWN)


class Idea(TimeStampedModel):
    """An idea that answers a challenge, by its author and any co-authors they invite."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="ideas"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="ideas"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX)
    description = models.TextField(_("description"))
    innovation_type = models.CharField(
        _("type of innovation"), max_length=20, choices=InnovationType.choices
    )
    scale = models.CharField(_("scale"), max_length=20, choices=Scale.choices)
    benefit_saves_money = models.BooleanField(_("saves money"), default=False)
    benefit_improves_quality = models.BooleanField(_("improves quality"), default=False)
    benefit_improves_communication = models.BooleanField(_("improves communication"), default=False)
    benefit_staff_satisfaction = models.BooleanField(_("staff satisfaction"), default=False)
    benefit_other = models.BooleanField(_("other benefit"), default=False)
    affected = models.TextField(_("who is affected"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ideas"
    )
    status = models.CharField(
        max_length=20, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED
    )
    feedback = models.TextField(_("official feedback"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feedback_at = models.DateTimeField(null=True, blank=True)
    # Kept exact by the support services, which change it in the transaction that adds or
    # removes the support, with the idea's row locked.
    supporters_count = models.PositiveIntegerField(default=0)
    # The number of the latest version; an edit names the version it started from.
    version = models.PositiveIntegerField(default=1)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_ideas"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["challenge", "-created_at"], name="idea_challenge_newest_idx"),
            models.Index(
                fields=["challenge", "-supporters_count"], name="idea_challenge_support_idx"
            ),
            # Covers the idea list's count (challenge, not merged, not hidden) without the rows.
            models.Index(
                fields=["challenge", "status", "hidden_at"], name="idea_challenge_listed_idx"
            ),
            models.Index(fields=["organisation", "status"], name="idea_org_status_idx"),
            models.Index(fields=["author", "-created_at"], name="idea_author_newest_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(merged_into=models.F("id")), name="idea_not_merged_into_self"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("ideas:detail", kwargs={"pk": self.pk})

    @property
    def benefits(self) -> list[str]:
        """Return the expected benefits ticked for this idea, in the order of ``Benefit``."""
        return [value for value, field in BENEFIT_FIELDS.items() if getattr(self, field)]

    @property
    def benefit_labels(self) -> list[str]:
        return [str(Benefit(value).label) for value in self.benefits]

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


class CoAuthorStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CoAuthor(TimeStampedModel):
    """A person the author invited to write an idea with them, and their answer."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coauthors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_coauthorships"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=CoAuthorStatus.choices, default=CoAuthorStatus.INVITED
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="coauthor_unique"),
        ]
        indexes = [models.Index(fields=["user", "status"], name="coauthor_user_status_idx")]

    def __str__(self) -> str:
        return f"{self.user} on {self.idea}"


class IdeaVersion(models.Model):
    """One saved version of an idea: who made it, when, and what it changed."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # [{"field": name, "before": text, "after": text}, ...]; empty for the first version.
    changes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "number"], name="idea_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.idea} version {self.number}"


class Support(models.Model):
    """One person backing one idea. A person supports an idea at most once."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="idea_supports"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idea", "user"], name="support_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.user} supports {self.idea}"


class Merge(models.Model):
    """A duplicate idea (source) merged into another (target), and what moved, for undo."""

    source = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_out")
    target = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="merges_in")
    reason = models.TextField()
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    source_status = models.CharField(max_length=20, choices=IdeaStatus.choices)
    moved_supports = models.JSONField(default=list, blank=True)
    moved_coauthors = models.JSONField(default=list, blank=True)
    added_coauthors = models.JSONField(default=list, blank=True)
    moved_comments = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source"],
                condition=models.Q(undone_at__isnull=True),
                name="merge_one_active_per_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source} merged into {self.target}"
