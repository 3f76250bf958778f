"""A business case on an idea: the seeds' point, justification and illustration; benefits;
barriers with how each will be countered; costs; and who was involved in making it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

CASE_TEXT_MAX = 5_000


class BarrierKind(models.TextChoices):
    POLITICAL_PRESSURE = "political_pressure", _("Political pressure")
    DISTRACTED_BY_CUTS = "distracted_by_cuts", _("Too distracted by cuts")
    TOP_DOWN = "top_down", _("Top-down design without users or frontline staff")
    NEW_OVER_PROVEN = "new_over_proven", _("Preferring the new over the proven")
    EVALUATION_MISSES_VALUE = "evaluation_misses_value", _("Evaluation that misses the value")


class BusinessCase(TimeStampedModel):
    """The case for an idea, written by its authors for rounds that ask for one."""

    idea = models.OneToOneField(
        "ideas.Idea", on_delete=models.CASCADE, related_name="business_case"
    )
    point = models.TextField(_("point"), max_length=CASE_TEXT_MAX)
    justification = models.TextField(_("justification"), max_length=CASE_TEXT_MAX)
    illustration = models.TextField(_("illustration"), blank=True, max_length=CASE_TEXT_MAX)
    benefits = models.TextField(_("benefits"), blank=True, max_length=CASE_TEXT_MAX)
    costs = models.TextField(_("costs"), blank=True, max_length=CASE_TEXT_MAX)
    cost_total = models.PositiveBigIntegerField(_("total cost"), null=True, blank=True)
    involved_frontline_staff = models.BooleanField(
        _("frontline staff were involved"), default=False
    )
    involved_service_users = models.BooleanField(_("service users were involved"), default=False)
    involvement = models.TextField(_("who was involved, and how"), blank=True)

    def __str__(self) -> str:
        return f"Business case for {self.idea}"


class Barrier(models.Model):
    """A barrier the idea faces, and how it will be countered."""

    business_case = models.ForeignKey(
        BusinessCase, on_delete=models.CASCADE, related_name="barriers"
    )
    kind = models.CharField(max_length=30, choices=BarrierKind.choices)
    counter_measure = models.TextField(_("how it will be countered"), max_length=CASE_TEXT_MAX)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "kind"], name="barrier_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
