"""Published criteria: what a challenge's submissions are judged against, and how."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel

# The default scale: 0 to 4, with what each point means.
DEFAULT_SCALE = (0, 4)

# The default criteria, from the seeds' benefits of innovation and their warning against
# judging it "narrowly focused on financial measures": (key, name, description, weight).
DEFAULT_CRITERIA: tuple[tuple[str, str, str, int], ...] = (
    ("strategic_fit", "Strategic fit", "How well it serves the challenge and our aims.", 3),
    ("saves_money", "Saves money", "Avoids waste or duplication; better value for money.", 2),
    ("improves_quality", "Improves quality", "Better, more tailored services.", 3),
    (
        "improves_communication",
        "Improves communication",
        "Shares knowledge and good ideas between teams, services and people.",
        1,
    ),
    ("staff_satisfaction", "Staff satisfaction", "More autonomy and better work for staff.", 1),
    (
        "service_users_involved",
        "Service users involved",
        "Designed with the people who use the service and the staff who run it.",
        2,
    ),
    ("feasibility", "Feasibility", "Can be done with the time, skills and money there are.", 2),
    ("risk", "Risk", "Risks are understood and can be managed (4: low risk).", 1),
)

DEFAULT_DESCRIPTORS = (
    "No evidence",
    "Weak",
    "Adequate",
    "Good",
    "Excellent",
)


class CriteriaSet(TimeStampedModel):
    """A challenge's criteria and their shared scale; frozen once published."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="criteria_set"
    )
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=DEFAULT_SCALE[0])
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=DEFAULT_SCALE[1])
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="criteria_scale_in_order"
            ),
            models.CheckConstraint(condition=Q(scale_max__lte=10), name="criteria_scale_small"),
        ]

    def __str__(self) -> str:
        return f"Criteria for {self.challenge}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def points(self) -> list[int]:
        return list(range(self.scale_min, self.scale_max + 1))


class Criterion(TimeStampedModel):
    """One criterion: its weight, and what each point of the scale means for it."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    weight = models.PositiveSmallIntegerField(_("weight"), default=1)
    position = models.PositiveSmallIntegerField(default=0)
    # One descriptor per point of the scale, lowest first.
    descriptors = models.JSONField(default=list)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "key"], name="criterion_unique_key"),
            models.CheckConstraint(
                condition=Q(weight__gte=1) & Q(weight__lte=10), name="criterion_weight_1_10"
            ),
        ]

    def __str__(self) -> str:
        return self.name
