"""Participatory budgets: residents share out a real budget between projects, and the count
is published with its parameters and a checksum of the anonymised ballots.

Money is held in whole currency units (integers), as pabulib files hold it; the counting
package (``civicflow.budgets.counting``) works in exact fractions and never sees the database.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel


class Phase(models.TextChoices):
    PROPOSALS = "proposals", _("Proposals")
    REVIEW = "review", _("Review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")


PHASE_ORDER = [Phase.PROPOSALS, Phase.REVIEW, Phase.VOTING, Phase.RESULTS]


class BallotKind(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose projects")
    APPROVAL_BUDGET = "approval_budget", _("Approval within the budget")
    CUMULATIVE = "cumulative", _("Cumulative: spread points")
    RANKED = "ranked", _("Ranked: put projects in order")


class Eligibility(models.TextChoices):
    RESIDENTS = "residents", _("Anyone signed in")
    LIST = "list", _("People on a list of eligible voters")
    CODES = "codes", _("People with a voting code on paper")


class AreaKind(models.TextChoices):
    DISTRICT = "district", _("District")
    CATEGORY = "category", _("Category")


class Budget(TimeStampedModel):
    """A sum of money residents decide how to spend, on a challenge or for an organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="budgets"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="budgets",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    total = models.PositiveBigIntegerField(_("total budget"))
    currency = models.CharField(_("currency"), max_length=3, default="GBP")
    ballot_kind = models.CharField(
        max_length=20, choices=BallotKind.choices, default=BallotKind.APPROVAL_BUDGET
    )
    min_choices = models.PositiveIntegerField(default=0)
    max_choices = models.PositiveIntegerField(null=True, blank=True)
    points = models.PositiveIntegerField(null=True, blank=True)
    max_points_per_project = models.PositiveIntegerField(null=True, blank=True)
    eligibility = models.CharField(
        max_length=12, choices=Eligibility.choices, default=Eligibility.RESIDENTS
    )
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    phase = models.CharField(max_length=10, choices=Phase.choices, default=Phase.PROPOSALS)
    #: When a count of many ballots was queued to run in the background (None when none is).
    counting_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=models.F("min_choices")),
                name="budget_choices_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("budgets:budget", args=[self.pk])

    def voting_is_open(self, now: datetime | None = None) -> bool:
        """Whether ballots are taken now: the voting phase, inside the window if one is set."""
        moment = now or timezone.now()
        if self.phase != Phase.VOTING:
            return False
        if self.voting_opens_at and moment < self.voting_opens_at:
            return False
        return not (self.voting_closes_at and moment >= self.voting_closes_at)


class Area(TimeStampedModel):
    """A district or category with its own part of the budget."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="areas")
    kind = models.CharField(max_length=10, choices=AreaKind.choices, default=AreaKind.DISTRICT)
    name = models.CharField(_("name"), max_length=120)
    amount = models.PositiveBigIntegerField(_("budget"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="budget_area_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class Project(TimeStampedModel):
    """A project residents may vote for."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="projects")
    code = models.CharField(_("project id"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    cost = models.PositiveBigIntegerField(_("cost"))
    category = models.CharField(_("category"), max_length=120, blank=True)
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="projects"
    )
    location = models.CharField(_("location"), max_length=200, blank=True)
    idea_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "code"], name="budget_project_code_unique"),
        ]

    def __str__(self) -> str:
        return self.title


class EligibleVoter(TimeStampedModel):
    """An email address on a budget's list of eligible voters."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="eligible_voters")
    email = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "email"], name="budget_eligible_unique"),
        ]


class VotingCode(TimeStampedModel):
    """A code handed out on paper; only its hash is kept, and it is used once."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "code_hash"], name="budget_code_unique"),
        ]


class Ballot(TimeStampedModel):
    """One voter's ballot, changeable until voting closes.

    ``choices`` maps each chosen project's id (as text) to its points (1 for approval) or its
    rank (1 is first, ranked ballots). A ballot belongs to a signed-in voter, to a paper voting
    code, or (imported or paper ballots) to a reference string; the constraints keep one per
    voter and per code.
    """

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="ballots"
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pb_ballots",
    )
    code = models.OneToOneField(
        VotingCode, null=True, blank=True, on_delete=models.SET_NULL, related_name="ballot"
    )
    reference = models.CharField(max_length=64, blank=True)
    choices = models.JSONField(default=dict)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "voter"],
                condition=Q(voter__isnull=False),
                name="budget_ballot_one_per_voter",
            ),
            models.UniqueConstraint(
                fields=["budget", "reference"],
                condition=~Q(reference=""),
                name="budget_ballot_reference_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"Ballot {self.pk} in {self.budget_id}"


class Result(TimeStampedModel):
    """A published count: the rule and its parameters, the projects chosen, and a checksum of
    the anonymised ballots so anyone can recount the exported ``.pb`` file."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="results")
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.CASCADE, related_name="results"
    )
    rule = models.CharField(max_length=10)
    utility = models.CharField(max_length=10)
    completion = models.CharField(max_length=20)
    tie_break = models.CharField(max_length=10)
    selected = models.JSONField(default=list)
    total_cost = models.PositiveBigIntegerField()
    amount = models.PositiveBigIntegerField()
    explanation = models.JSONField(default=dict)
    checksum = models.CharField(max_length=64)
    ballots_counted = models.PositiveIntegerField(default=0)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["budget", "area", "rule", "id"]

    def __str__(self) -> str:
        return f"{self.rule} result of {self.budget_id}"
