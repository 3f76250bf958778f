"""Challenges: problems worth solving, with the phases they run through."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.challenges.phases import PhaseDates
from civicflow.core.models import TimeStampedModel


class Kind(models.TextChoices):
    OPEN_CALL = "open_call", _("Open call for ideas")
    PRIZE = "prize", _("Challenge prize")
    HACK_DAY = "hack_day", _("Hack day")
    FUND_ROUND = "fund_round", _("Fund round")
    IMPROVEMENT_BOARD = "improvement_board", _("Team improvement board")


class Driver(models.TextChoices):
    STRATEGIC_OBJECTIVE = "strategic_objective", _("A strategic objective")
    COST_PRESSURE = "cost_pressure", _("Cost pressure")
    DEMAND = "demand", _("Rising demand")
    RESIDENTS_CONCERN = "residents_concern", _("A concern raised by residents")


class Audience(models.TextChoices):
    STAFF = "staff", _("Staff only")
    PUBLIC = "public", _("The public")
    BOTH = "both", _("Staff and the public")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Archived")


class PhaseName(models.TextChoices):
    DISCOVER = "discover", _("Discover")
    DEFINE = "define", _("Define")
    DEVELOP = "develop", _("Develop")
    DELIVER = "deliver", _("Deliver")


class Challenge(TimeStampedModel):
    """A problem an organisation wants solved, and the call for ideas about it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="challenges"
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
        help_text=_("For a team improvement board: whose board."),
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.CharField(_("summary"), max_length=300)
    problem = models.TextField(_("problem statement"))
    evidence = models.TextField(_("evidence"), blank=True)
    driver = models.CharField(_("driver"), max_length=30, choices=Driver.choices)
    audience = models.CharField(_("who can take part"), max_length=10, choices=Audience.choices)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    allow_self_support = models.BooleanField(
        _("authors may support their own ideas"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="challenge_unique_slug"),
        ]
        indexes = [
            models.Index(fields=["status", "audience"], name="challenge_status_audience_idx"),
            models.Index(fields=["organisation", "status"], name="challenge_org_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "challenges:detail",
            kwargs={"slug": self.organisation.slug, "challenge_slug": self.slug},
        )

    def phase_dates(self) -> list[PhaseDates]:
        """Return the dates of this challenge's phases, in order.

        Uses the dates ``challenge_get`` read with the challenge, or prefetched phases, if
        present.
        """
        known = self.__dict__.get("_phase_dates")
        if known is not None:
            return list(known)
        return [
            PhaseDates(key=phase.key, starts_at=phase.starts_at, ends_at=phase.ends_at)
            for phase in self.phases.all()
        ]


class Phase(models.Model):
    """When one phase of a challenge runs."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="phases")
    key = models.CharField(max_length=10, choices=PhaseName.choices)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["challenge", "key"], name="phase_unique_key"),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True)
                | models.Q(ends_at__gt=models.F("starts_at")),
                name="phase_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.get_key_display()}"


class Follow(models.Model):
    """A person who wants to hear about new ideas in a challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="challenge_follows"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["challenge", "user"], name="follow_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} follows {self.challenge}"
