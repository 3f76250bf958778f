"""Initiatives: a selected idea (or a direct start) carried through test, implement, evaluate
and scale, with a named business owner, a team, plans, a timeline and gate decisions.

An initiative moves stage only through a gate decision. Gate decisions are append-only: the
database rows can be added, never changed or deleted through the ORM, and a correction is a
new decision that names the one it corrects (see ``services.gate_decide``).

Money is held as exact decimals in the organisation's currency (pounds and pence).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import AppendOnlyError, TimeStampedModel

TITLE_MAX = 200
SUMMARY_MAX = 2_000
REASON_MAX = 5_000
MONEY_DIGITS = 14


class SourceKind(models.TextChoices):
    DIRECT = "direct", _("Started directly")
    IDEA = "idea", _("A selected idea")
    AWARD = "award", _("An award or grant")
    CASE = "case", _("An adopted case study")


class Stage(models.TextChoices):
    TEST = "test", _("Test")
    IMPLEMENT = "implement", _("Implement")
    EVALUATE = "evaluate", _("Evaluate")
    SCALE = "scale", _("Scale")


STAGE_ORDER: list[str] = [Stage.TEST, Stage.IMPLEMENT, Stage.EVALUATE, Stage.SCALE]
STAGE_HINTS = {
    Stage.TEST: _("A pilot or prototype, to learn whether the idea works here."),
    Stage.IMPLEMENT: _("Rolling the change out across the service."),
    Stage.EVALUATE: _("Measuring what the change did, against the evaluation plan."),
    Stage.SCALE: _("Spreading what worked to more places, teams or organisations."),
}


def next_stage(stage: str) -> str | None:
    """Return the stage after ``stage``, or None after the last."""
    index = STAGE_ORDER.index(stage)
    return STAGE_ORDER[index + 1] if index + 1 < len(STAGE_ORDER) else None


class Status(models.TextChoices):
    ACTIVE = "active", _("Active")
    ON_HOLD = "on_hold", _("On hold")
    STOPPED = "stopped", _("Stopped")


class Decision(models.TextChoices):
    GO = "go", _("Go")
    HOLD = "hold", _("Hold")
    STOP = "stop", _("Stop")
    PIVOT = "pivot", _("Pivot")


DECISION_HINTS = {
    Decision.GO: _("Move on to the next stage."),
    Decision.HOLD: _("Pause in this stage until the conditions are met."),
    Decision.STOP: _("End the initiative. It can only be restarted by correcting this decision."),
    Decision.PIVOT: _("Stay in this stage and change the approach, as the conditions say."),
}


class EvaluationDesign(models.TextChoices):
    BEFORE_AFTER = "before_after", _("Before and after")
    COMPARISON = "comparison", _("Comparison group")
    RANDOMISED = "randomised", _("Randomised controlled trial")


class Initiative(TimeStampedModel):
    """A change an organisation tests, implements, evaluates and scales.

    The business owner is a member of the organisation who is accountable for the change (in
    practice the manager of the service it changes, whatever their roles here): a gate needs
    one. ``last_update_at`` moves with every progress update, milestone and decision, so
    stalled initiatives are found with an indexed filter.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="initiatives"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    summary = models.TextField(_("summary"), blank=True)
    source_kind = models.CharField(
        _("where it came from"),
        max_length=10,
        choices=SourceKind.choices,
        default=SourceKind.DIRECT,
    )
    idea = models.ForeignKey(
        "ideas.Idea",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    # The fund round's grant or the panel's award (appraisal) an initiative comes from; its
    # ``idea`` is then the idea awarded, so an award carries on as one initiative at most.
    source_grant = models.OneToOneField(
        "appraisal.Grant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative",
    )
    source_award = models.OneToOneField(
        "appraisal.Decision",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="initiative",
    )
    # The adopted case study (library) an initiative may come from, by id.
    source_case_id = models.PositiveBigIntegerField(null=True, blank=True)
    public = models.BooleanField(
        _("show on the public accountability page"),
        default=False,
    )
    business_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_initiatives",
    )
    delivery_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_initiatives",
    )
    stage = models.CharField(max_length=10, choices=Stage.choices, default=Stage.TEST)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    stage_entered_at = models.DateTimeField()
    last_update_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "stage", "status"], name="initiative_board_idx"),
            models.Index(fields=["organisation", "last_update_at"], name="initiative_stalled_idx"),
            models.Index(fields=["public", "organisation"], name="initiative_public_idx"),
        ]
        constraints = [
            # One initiative carries an idea forward; a restart is a correction of its stop.
            models.UniqueConstraint(
                fields=["idea"], condition=Q(idea__isnull=False), name="initiative_one_per_idea"
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="idea") | Q(idea__isnull=False),
                name="initiative_idea_source_has_idea",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="direct")
                | Q(
                    idea__isnull=True,
                    source_grant__isnull=True,
                    source_award__isnull=True,
                    source_case_id__isnull=True,
                ),
                name="initiative_direct_has_no_source",
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="award")
                | Q(idea__isnull=False, source_grant__isnull=False, source_award__isnull=True)
                | Q(idea__isnull=False, source_grant__isnull=True, source_award__isnull=False),
                name="initiative_award_source_has_award",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("initiatives:detail", args=[self.pk])

    @property
    def is_stopped(self) -> bool:
        return self.status == Status.STOPPED

    @property
    def stage_number(self) -> int:
        return STAGE_ORDER.index(self.stage) + 1


class TeamMember(TimeStampedModel):
    """A member of the organisation on an initiative's team, with their role on it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="team")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="initiative_roles"
    )
    role = models.CharField(_("role on the initiative"), max_length=120)

    class Meta:
        ordering = ["user__name", "user__email", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "user"], name="initiative_team_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role})"


class StagePlan(TimeStampedModel):
    """The planned dates, budget and spend to date of one stage of an initiative."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="plans")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    spent = models.DecimalField(
        _("spend to date"), max_digits=MONEY_DIGITS, decimal_places=2, default=0
    )

    class Meta:
        ordering = ["initiative", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "stage"], name="initiative_plan_unique"),
            models.CheckConstraint(condition=Q(spent__gte=0), name="initiative_plan_spent_gte_0"),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="initiative_plan_budget_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(planned_start__isnull=True)
                | Q(planned_end__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="initiative_plan_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.get_stage_display()}"


class EntryCriterion(TimeStampedModel):
    """Something that must be true before an initiative may enter a stage."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="criteria")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    text = models.CharField(_("criterion"), max_length=300)
    met_at = models.DateTimeField(null=True, blank=True)
    met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["initiative", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "stage", "text"], name="initiative_criterion_unique"
            )
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_met(self) -> bool:
        return self.met_at is not None


class ProgressUpdate(TimeStampedModel):
    """A note on how an initiative is going, on its timeline."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="initiative_updates",
    )
    body = models.TextField(_("update"))

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class Milestone(TimeStampedModel):
    """A dated step in an initiative's plan, and when it was reached."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("reached"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title


class GateDecisionQuerySet(models.QuerySet["GateDecision"]):
    """Gate decisions may be read and added, never changed or removed."""

    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("Gate decisions cannot be changed; record a correction instead.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Gate decisions cannot be deleted; record a correction instead.")

    def effective(self) -> GateDecisionQuerySet:
        """Return the decisions no later decision corrects."""
        return self.filter(corrected_by__isnull=True)


class GateDecision(models.Model):
    """A go, hold, stop or pivot decision at an initiative's gate, with who took it and why.

    ``from_stage``/``from_status`` and ``to_stage``/``to_status`` say what the decision did,
    so the register shows moves and a correction knows the state to start from. Append-only.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.PROTECT, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gate_decisions"
    )
    decided_at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.TextField(_("reason"))
    conditions = models.TextField(_("conditions"), blank=True)
    evidence_links = models.JSONField(_("evidence considered"), default=list, blank=True)
    from_stage = models.CharField(max_length=10, choices=Stage.choices)
    to_stage = models.CharField(max_length=10, choices=Stage.choices)
    from_status = models.CharField(max_length=10, choices=Status.choices)
    to_status = models.CharField(max_length=10, choices=Status.choices)
    corrects = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )

    objects = GateDecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_at", "-id"]
        indexes = [
            models.Index(fields=["initiative", "-decided_at"], name="gate_decision_latest_idx"),
        ]
        verbose_name = _("gate decision")

    def __str__(self) -> str:
        return f"{self.get_decision_display()}: {self.initiative}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Gate decisions cannot be changed; record a correction instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Gate decisions cannot be deleted; record a correction instead.")

    @property
    def moved_stage(self) -> bool:
        return self.from_stage != self.to_stage


class EvaluationPlan(TimeStampedModel):
    """How a pilot will be evaluated: the question, the design, the sample and the measures."""

    initiative = models.OneToOneField(
        Initiative, on_delete=models.CASCADE, related_name="evaluation_plan"
    )
    question = models.TextField(_("evaluation question"))
    design = models.CharField(_("design"), max_length=20, choices=EvaluationDesign.choices)
    sample = models.TextField(_("sample"), blank=True)
    measures = models.TextField(_("measures"), blank=True)

    def __str__(self) -> str:
        return f"Evaluation of {self.initiative}"


class ReviewDate(TimeStampedModel):
    """A date the evaluation is reviewed; its owner and delivery lead are reminded on the day.

    ``reminded_at`` is claimed in one statement before the reminder is sent, so each review
    date is reminded at most once however many workers run.
    """

    plan = models.ForeignKey(EvaluationPlan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField(_("review date"))
    label = models.CharField(_("what is reviewed"), max_length=200, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["reminded_at", "due_on"], name="review_due_idx")]

    def __str__(self) -> str:
        return f"{self.due_on}: {self.label}"
