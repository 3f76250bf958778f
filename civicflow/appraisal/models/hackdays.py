"""Hack days: an event, who registered with which skills, teams around ideas, prototypes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel


class HackDay(TimeStampedModel):
    """A one- or two-day event where teams build prototypes, on a hack-day challenge."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="hack_day"
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    capacity = models.PositiveIntegerField(_("places"))

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="hack_day_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"Hack day for {self.challenge}"


class Registration(TimeStampedModel):
    """A person's place at a hack day, with the skills they bring."""

    hack_day = models.ForeignKey(HackDay, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hack_registrations"
    )
    skills = models.JSONField(default=list)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["hack_day", "user"], name="registration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.hack_day}"


class HackTeam(TimeStampedModel):
    """A team formed around an idea, and the skills it still needs."""

    hack_day = models.ForeignKey(HackDay, on_delete=models.CASCADE, related_name="teams")
    idea = models.OneToOneField("ideas.Idea", on_delete=models.CASCADE, related_name="hack_team")
    name = models.CharField(_("team name"), max_length=120)
    skills_needed = models.JSONField(default=list)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="hack_teams")

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hack_day", "name"], name="hack_team_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Prototype(TimeStampedModel):
    """What a team built: a description, a link, and links to screenshots."""

    team = models.OneToOneField(HackTeam, on_delete=models.CASCADE, related_name="prototype")
    description = models.TextField(_("description"), max_length=10_000)
    link = models.URLField(_("link to the prototype"), blank=True)
    screenshots = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"Prototype of {self.team}"
