"""The one service that writes the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from civicflow.core.models import AuditEvent

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

ACTION_LABELS: dict[str, StrOrPromise] = {}


def register_actions(labels: dict[str, StrOrPromise]) -> None:
    """Name, in plain English, the actions an app records (``{"team.created": "…"}``)."""
    ACTION_LABELS.update(labels)


def action_label(action: str) -> str:
    """Return the plain-English name of ``action``, or the code itself if it has none."""
    return str(ACTION_LABELS.get(action, action))


def audit_record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    organisation: Any = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` did ``action`` to ``target``, and why.

    Call it inside the transaction of the change it describes, so that the change and its
    record are written together or not at all.
    """
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_label=str(user) if user else "system",
        action=action,
        organisation=organisation,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        target_label=str(target)[:300],
        reason=reason,
        data=data or {},
    )
