"""Fund rounds: a budget, applications with milestones, grants that never exceed what is
left, milestone reports and the payments made against each grant.

Money is in whole currency units. The grants of a round are awarded with the round's row
locked, so two leads awarding at once can never take the fund past its budget.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

TEXT_MAX = 10_000


class FundRound(TimeStampedModel):
    """A round of an innovation fund, on a fund-round challenge."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="fund_round"
    )
    budget = models.PositiveBigIntegerField(_("budget"))
    currency = models.CharField(max_length=3, default="GBP")
    max_award = models.PositiveBigIntegerField(_("largest single grant"), null=True, blank=True)
    outcome_based = models.BooleanField(_("payments are tied to outcomes achieved"), default=False)

    def __str__(self) -> str:
        return f"Fund round for {self.challenge}"


class Application(TimeStampedModel):
    """An application for a grant: an idea in the round, with the money and the plan."""

    fund_round = models.ForeignKey(FundRound, on_delete=models.CASCADE, related_name="applications")
    idea = models.OneToOneField("ideas.Idea", on_delete=models.CASCADE, related_name="application")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fund_applications"
    )
    organisation_name = models.CharField(_("applying organisation"), max_length=200, blank=True)
    amount_requested = models.PositiveBigIntegerField(_("amount requested"))
    plan = models.TextField(_("plan"), max_length=TEXT_MAX)
    outcomes = models.TextField(_("outcomes you will achieve"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fund_round", "applicant"], name="application_one_per_applicant"
            ),
        ]

    def __str__(self) -> str:
        return f"Application {self.pk} to {self.fund_round_id}"


class Milestone(models.Model):
    """A step in an application's plan, with the payment due when it is met."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    payment = models.PositiveBigIntegerField(_("payment when met"), default=0)
    outcome = models.CharField(_("outcome that triggers payment"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Grant(models.Model):
    """Money awarded to an application, with the award letter and the reason. Append-only."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="grant")
    amount = models.PositiveBigIntegerField(_("amount"))
    reason = models.TextField(_("reason"), max_length=TEXT_MAX)
    letter = models.TextField(_("award letter"), max_length=TEXT_MAX)
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["awarded_at", "id"]

    def __str__(self) -> str:
        return f"Grant of {self.amount} to application {self.application_id}"


class MilestoneReport(models.Model):
    """What a grant holder reported about a milestone, and whether its outcome was met."""

    milestone = models.ForeignKey(Milestone, on_delete=models.CASCADE, related_name="reports")
    report = models.TextField(_("report"), max_length=TEXT_MAX)
    outcome_achieved = models.BooleanField(_("the milestone's outcome was achieved"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reported_at", "id"]

    def __str__(self) -> str:
        return f"Report on {self.milestone}"


class Payment(models.Model):
    """Money paid against a grant, for a milestone where there is one. Append-only."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    milestone = models.ForeignKey(
        Milestone, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    amount = models.PositiveBigIntegerField(_("amount"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_at", "id"]

    def __str__(self) -> str:
        return f"Payment of {self.amount} on grant {self.grant_id}"
