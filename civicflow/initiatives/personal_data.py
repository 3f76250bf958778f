"""What the initiatives app holds about a person, for their data download and for erasure.

A person's roles on initiatives (owner, delivery lead, team member with a role) and their
progress updates are theirs to download. Erasure takes them off teams and out of the owner
and delivery-lead places (an initiative without an owner needs a new one before its next
gate). Gate decisions and progress updates stay on the record, as official acts of the
organisation; the accounts app shows their author as a former participant.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from civicflow.core.personal_data import register_personal_data
from civicflow.initiatives.models import GateDecision, Initiative, ProgressUpdate, TeamMember


def _roles(user: Any) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for title, owner_id, lead_id in (
        Initiative.objects.filter(Q(business_owner=user) | Q(delivery_lead=user))
        .order_by("id")
        .values_list("title", "business_owner_id", "delivery_lead_id")
    ):
        if owner_id == user.pk:
            rows.append({"initiative": title, "role": "business owner"})
        if lead_id == user.pk:
            rows.append({"initiative": title, "role": "delivery lead"})
    rows.extend(
        {"initiative": title, "role": role}
        for title, role in TeamMember.objects.filter(user=user)
        .order_by("id")
        .values_list("initiative__title", "role")
    )
    return rows


def _updates(user: Any) -> list[dict[str, Any]]:
    return [
        {"initiative": title, "update": body, "posted_at": posted.isoformat()}
        for title, body, posted in ProgressUpdate.objects.filter(author=user)
        .order_by("id")
        .values_list("initiative__title", "body", "created_at")
    ]


def _decisions(user: Any) -> list[dict[str, Any]]:
    return [
        {"initiative": title, "decision": decision, "reason": reason, "decided_at": at.isoformat()}
        for title, decision, reason, at in GateDecision.objects.filter(decided_by=user)
        .order_by("id")
        .values_list("initiative__title", "decision", "reason", "decided_at")
    ]


def _erase_roles(user: Any) -> None:
    TeamMember.objects.filter(user=user).delete()
    Initiative.objects.filter(business_owner=user).update(business_owner=None)
    Initiative.objects.filter(delivery_lead=user).update(delivery_lead=None)


def register() -> None:
    """Tell accounts what the initiatives app holds about a person."""
    register_personal_data("initiative_roles", export=_roles, erase=_erase_roles)
    register_personal_data("initiative_updates", export=_updates)
    register_personal_data("gate_decisions", export=_decisions)
