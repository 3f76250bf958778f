"""Themes of a challenge's ideas as last computed, and pairs moderators said are not duplicates.

Imported by ``models.py``, so these are models of the ``similarity`` app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DismissedPair", "Theme", "ThemeMembership", "ThemeSet"]

LABEL_MAX = 200
REASON_MAX = 1_000


class ThemeSet(models.Model):
    """The themes of one challenge: when and how they were computed, and whether that is stale.

    ``signature`` is a hash of what the computation read (the ideas, their versions and
    statuses, and the embedder), so a task asked to recompute skips when nothing changed.
    ``stale_since`` is set when an idea changes and cleared when a computation starts, so a
    burst of changes queues one computation, not one each.
    """

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="theme_set"
    )
    computed_at = models.DateTimeField(null=True, blank=True)
    embedder = models.CharField(max_length=100, blank=True)
    embedder_version = models.CharField(max_length=100, blank=True)
    signature = models.CharField(max_length=64, blank=True)
    ideas_count = models.PositiveIntegerField(default=0)
    ungrouped_count = models.PositiveIntegerField(default=0)
    stale_since = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"Themes of {self.challenge}"


class Theme(models.Model):
    """One theme: its label, keywords and member ideas, ranked within its challenge."""

    theme_set = models.ForeignKey(ThemeSet, on_delete=models.CASCADE, related_name="themes")
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="themes"
    )
    position = models.PositiveIntegerField()
    label = models.CharField(_("label"), max_length=LABEL_MAX)
    keywords = models.JSONField(default=list, blank=True)
    size = models.PositiveIntegerField()
    cohesion = models.FloatField(default=0.0)
    # The ideas closest to the theme's centre, most typical first.
    example_ids = models.JSONField(default=list, blank=True)
    ideas = models.ManyToManyField(
        "ideas.Idea", through="ThemeMembership", related_name="themes", blank=True
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["theme_set", "position"], name="similarity_theme_position"
            )
        ]
        indexes = [models.Index(fields=["challenge", "position"], name="similarity_theme_chal")]

    def __str__(self) -> str:
        return self.label


class ThemeMembership(models.Model):
    """An idea in a theme; ``rank`` 0 is the most typical."""

    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="memberships")
    idea = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "idea"], name="similarity_theme_member")
        ]
        indexes = [models.Index(fields=["idea"], name="similarity_member_idea")]

    def __str__(self) -> str:
        return f"{self.idea_id} in {self.theme_id}"


class DismissedPair(models.Model):
    """Two ideas a moderator said are not duplicates, so they are not suggested again.

    ``first`` is always the idea with the smaller id, so each pair has one row.
    """

    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.CASCADE, related_name="dismissed_pairs"
    )
    first = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey("ideas.Idea", on_delete=models.CASCADE, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="similarity_dismissed_once"),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="similarity_dismissed_ordered",
            ),
        ]
        indexes = [models.Index(fields=["challenge"], name="similarity_dismissed_chal")]

    def __str__(self) -> str:
        return f"{self.first_id} and {self.second_id} are not duplicates"
