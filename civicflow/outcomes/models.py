"""Outcomes and evidence: KPIs with their readings, cost-benefit analyses and social return on
investment, the evidence level and qualitative evidence, savings planned and realised, and
surveys.

A KPI belongs to an initiative, or to a challenge (the problem's baseline). Appraisals store
their inputs in the shape the analysts' command reads (``appraise``), with every number as
exact decimal text; their results are computed from them when shown, by the same module.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

NAME_MAX = 200
VALUE_DIGITS = 18
VALUE_PLACES = 4
MONEY_DIGITS = 14


class Direction(models.TextChoices):
    HIGHER = "higher", _("Higher is better")
    LOWER = "lower", _("Lower is better")


def _one_owner(prefix: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(initiative__isnull=False, challenge__isnull=True)
        | Q(initiative__isnull=True, challenge__isnull=False),
        name=f"{prefix}_initiative_or_challenge",
    )


class Kpi(TimeStampedModel):
    """A key performance indicator: where it started, where it should get to, and by when."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="kpis"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="kpis",
    )
    name = models.CharField(_("name"), max_length=NAME_MAX)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(_("which way is better"), max_length=6, choices=Direction.choices)
    baseline_value = models.DecimalField(
        _("baseline"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    baseline_on = models.DateField(_("baseline date"))
    target_value = models.DecimalField(
        _("target"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES
    )
    target_on = models.DateField(_("target date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("KPI")
        constraints = [
            _one_owner("kpi"),
            models.CheckConstraint(
                condition=Q(target_on__gt=F("baseline_on")), name="kpi_target_after_baseline"
            ),
            models.UniqueConstraint(
                fields=["initiative", "name"],
                condition=Q(initiative__isnull=False),
                name="kpi_name_unique_initiative",
            ),
            models.UniqueConstraint(
                fields=["challenge", "name"],
                condition=Q(challenge__isnull=False),
                name="kpi_name_unique_challenge",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("outcomes:kpi", args=[self.pk])


class KpiReading(TimeStampedModel):
    """A KPI's value on a day, where it came from, and a note. One reading a day."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="readings")
    value = models.DecimalField(_("value"), max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    taken_on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=NAME_MAX, blank=True)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["taken_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "taken_on"], name="kpi_reading_one_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.kpi}: {self.value} on {self.taken_on}"


class AppraisalKind(models.TextChoices):
    CBA = "cba", _("Cost-benefit analysis")
    SROI = "sroi", _("Social return on investment")


class Appraisal(TimeStampedModel):
    """A cost-benefit analysis or an SROI of an initiative. ``inputs`` holds what the analysts'
    command reads, numbers as decimal text; the results are computed from it when shown."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="appraisals"
    )
    kind = models.CharField(_("kind"), max_length=4, choices=AppraisalKind.choices)
    title = models.CharField(_("title"), max_length=NAME_MAX)
    notes = models.TextField(_("assumptions and sources"), blank=True)
    inputs = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["kind", "-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:appraisal", args=[self.pk])


class NestaLevel(models.IntegerChoices):
    LOGIC = 1, _("Level 1: a logical reason why it should work")
    CHANGE = 2, _("Level 2: data show a positive change")
    CAUSAL = 3, _("Level 3: a comparison shows it caused the change")
    EXPLAINED = 4, _("Level 4: independent evaluations explain why and how it works")
    REPLICATED = 5, _("Level 5: it can be replicated elsewhere with the same impact")


class EvidenceAssessment(TimeStampedModel):
    """The Nesta Standards of Evidence level an initiative has reached, and why. The newest
    is the current one; earlier ones stay as its history."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="evidence_assessments"
    )
    level = models.PositiveSmallIntegerField(_("evidence level"), choices=NestaLevel.choices)
    justification = models.TextField(_("justification"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=5), name="evidence_level_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return self.get_level_display()


class StoryKind(models.TextChoices):
    QUOTE = "quote", _("Quote")
    STORY = "story", _("Story")


class QualitativeEvidence(TimeStampedModel):
    """A quote or a story about what an initiative did, beside the numbers."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="qualitative_evidence"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=StoryKind.choices)
    text = models.TextField(_("what was said or what happened"))
    attributed_to = models.CharField(_("who said it, or whose story it is"), max_length=200)
    collected_on = models.DateField(_("date"), null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("qualitative evidence")

    def __str__(self) -> str:
        return self.text[:60]


class SavingsLine(TimeStampedModel):
    """Cashable savings an initiative planned and realised in one financial year, and how much
    of what was realised the service that made them kept."""

    initiative = models.ForeignKey(
        "initiatives.Initiative", on_delete=models.CASCADE, related_name="savings"
    )
    financial_year = models.PositiveSmallIntegerField(
        _("financial year"), help_text=_("The year it starts in: 2025 for 2025 to 2026.")
    )
    planned = models.DecimalField(_("planned"), max_digits=MONEY_DIGITS, decimal_places=2)
    realised = models.DecimalField(
        _("realised"), max_digits=MONEY_DIGITS, decimal_places=2, null=True, blank=True
    )
    kept_by_service = models.DecimalField(
        _("kept by the service"), max_digits=MONEY_DIGITS, decimal_places=2, default=0
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["initiative", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "financial_year"], name="savings_one_line_a_year"
            ),
            models.CheckConstraint(
                condition=Q(planned__gte=0, kept_by_service__gte=0), name="savings_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(realised__isnull=True, kept_by_service=0)
                | Q(realised__gte=F("kept_by_service")),
                name="savings_kept_within_realised",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.year_label}"

    @property
    def year_label(self) -> str:
        return f"{self.financial_year} to {self.financial_year + 1}"


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")
    ARCHIVED = "archived", _("Withdrawn, answers kept")


class Survey(TimeStampedModel):
    """Questions for the people an initiative or a challenge affects. A follow-up survey (with
    ``follow_up_weeks``) is sent that many weeks after its initiative is implemented."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="surveys"
    )
    initiative = models.ForeignKey(
        "initiatives.Initiative",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=NAME_MAX)
    introduction = models.TextField(_("introduction"), blank=True)
    status = models.CharField(
        max_length=8, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        _("send it this many weeks after the initiative is implemented"), null=True, blank=True
    )
    follow_up_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            _one_owner("survey"),
            models.CheckConstraint(
                condition=Q(follow_up_weeks__isnull=True) | Q(initiative__isnull=False),
                name="survey_follow_up_needs_initiative",
            ),
        ]
        indexes = [
            models.Index(fields=["follow_up_sent_at", "status"], name="survey_follow_up_idx")
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("outcomes:survey", args=[self.pk])

    @property
    def owner(self) -> Any:
        return self.initiative or self.challenge


class QuestionKind(models.TextChoices):
    SATISFACTION = "satisfaction", _("Satisfaction, from 1 (very dissatisfied) to 5")
    YES_NO = "yes_no", _("Yes or no")
    CHOICE = "choice", _("One of several choices")
    TEXT = "text", _("Free text")


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind of answer"), max_length=12, choices=QuestionKind.choices)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("an answer is needed"), default=True)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text


class SurveyLink(models.Model):
    """A single-use anonymous link to a survey, for someone without an account.

    ``key`` is the SHA-256 digest of the secret in the link's address: the secret itself is
    shown once, when the link is made, and never stored. A revoked link takes no answer.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="links")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.survey}: anonymous link"


class SurveyResponse(models.Model):
    """One person's answers: a signed-in participant, or whoever used an anonymous link.
    Each answers once: the database refuses a second response from either."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="survey_responses",
    )
    link = models.OneToOneField(
        SurveyLink, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "respondent"],
                condition=Q(respondent__isnull=False),
                name="survey_response_once_per_person",
            ),
            models.CheckConstraint(
                condition=Q(respondent__isnull=False, link__isnull=True)
                | Q(respondent__isnull=True, link__isnull=False),
                name="survey_response_person_or_link",
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60] or str(self.rating)
