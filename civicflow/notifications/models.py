"""Notifications: what someone should hear about, shown in the service and sent by email."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from civicflow.core.models import TimeStampedModel
from civicflow.notifications import kinds


class Notification(TimeStampedModel):
    """One thing one person should hear about.

    ``emailed_at`` is set when the notification is claimed for an email, alone or in a digest,
    before the email is sent: a notification is emailed at most once.
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=60, db_index=True)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            models.Index(
                fields=["recipient", "-created_at", "-id"], name="notification_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    """How a person hears about a group of notifications."""

    IMMEDIATE = kinds.IMMEDIATE, _("Email straight away")
    DIGEST = kinds.DIGEST, _("Weekly email digest")
    IN_APP = kinds.IN_APP, _("Only in civicflow")


class Preference(TimeStampedModel):
    """How one person chose to hear about one group of notifications.

    A group without a row gets the group's default.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preferences",
    )
    group = models.CharField(max_length=40)
    delivery = models.CharField(max_length=20, choices=Delivery.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "group"], name="notification_pref_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.group} by {self.get_delivery_display()}"
