"""Team improvement boards: the kaizen post-it board, one for each team.

A card says what problem someone noticed and what change they propose. It moves from New to
Trying, then to Adopted or Dropped; an adopted card records its effect as a before and an
after figure with their unit, so the organisation can add up what its teams have changed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from civicflow.boards import effects
from civicflow.core.models import TimeStampedModel


class Status(models.TextChoices):
    NEW = "new", _("New")
    TRYING = "trying", _("Trying")
    ADOPTED = "adopted", _("Adopted")
    DROPPED = "dropped", _("Dropped")


# Figures are kept exactly: up to 10 digits before the point and 4 after.
FIGURE_DIGITS = 14
FIGURE_PLACES = 4


class Board(TimeStampedModel):
    """A team's improvement board. Each team has at most one, made when it is first used."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="improvement_boards"
    )
    team = models.OneToOneField(
        "accounts.Team", on_delete=models.CASCADE, related_name="improvement_board"
    )
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="BoardLead",
        through_fields=("board", "user"),
        related_name="led_boards",
    )

    class Meta:
        ordering = ["organisation", "team"]

    def __str__(self) -> str:
        return f"Improvement board of {self.team}"


class BoardLead(TimeStampedModel):
    """A team member who leads the board: approves quick wins, moves any card, records effects.

    Innovation leads and administrators of the organisation lead every board without a row.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="board_leads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_leads"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="board_lead_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} leads {self.board}"


class Card(TimeStampedModel):
    """One post-it: a problem noticed, the change proposed, and what came of it."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="improvement_cards"
    )
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="cards")
    title = models.CharField(_("short name"), max_length=120)
    problem = models.TextField(_("problem noticed"))
    change = models.TextField(_("change proposed"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="raised_cards",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    effect_before = models.DecimalField(
        _("before"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_PLACES,
        null=True,
        blank=True,
    )
    effect_after = models.DecimalField(
        _("after"),
        max_digits=FIGURE_DIGITS,
        decimal_places=FIGURE_PLACES,
        null=True,
        blank=True,
    )
    effect_unit = models.CharField(_("unit"), max_length=60, blank=True)
    effect_measured_on = models.DateField(_("measured on"), null=True, blank=True)
    effect_note = models.TextField(_("note on the effect"), blank=True)
    effect_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    effect_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["board", "status"], name="card_board_status_idx"),
            models.Index(
                fields=["organisation", "status", "adopted_at"], name="card_org_adopted_idx"
            ),
        ]
        constraints = [
            # An effect is whole or absent: both figures, the unit and when it was measured.
            models.CheckConstraint(
                condition=(
                    Q(
                        effect_before__isnull=True,
                        effect_after__isnull=True,
                        effect_measured_on__isnull=True,
                        effect_unit="",
                    )
                    | (
                        Q(
                            effect_before__isnull=False,
                            effect_after__isnull=False,
                            effect_measured_on__isnull=False,
                        )
                        & ~Q(effect_unit="")
                    )
                ),
                name="card_effect_whole_or_absent",
            ),
            # An adopted change says what it did, and when it was adopted.
            models.CheckConstraint(
                condition=~Q(status="adopted")
                | Q(effect_before__isnull=False, adopted_at__isnull=False),
                name="card_adopted_has_effect",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "boards:card",
            kwargs={
                "slug": self.organisation.slug,
                "team_slug": self.board.team.slug,
                "card_id": self.pk,
            },
        )

    @property
    def effect(self) -> effects.Effect | None:
        """Return the effect recorded for the change, or None."""
        if self.effect_before is None or self.effect_after is None:
            return None
        return effects.Effect(
            before=self.effect_before, after=self.effect_after, unit=self.effect_unit
        )

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None
