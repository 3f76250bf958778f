"""Writes about challenges: create, edit, move through their lifecycle, follow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import Organisation, Team
from civicflow.challenges.models import (
    Audience,
    Challenge,
    Driver,
    Follow,
    Kind,
    Phase,
    Status,
)
from civicflow.challenges.phases import PhaseDates, check_dates
from civicflow.core.audit import audit_record, register_actions

register_actions(
    {
        "challenge.created": _("Challenge drafted"),
        "challenge.updated": _("Challenge changed"),
        "challenge.published": _("Challenge published"),
        "challenge.closed": _("Challenge closed"),
        "challenge.reopened": _("Challenge reopened"),
        "challenge.archived": _("Challenge archived"),
    }
)

TEXT_LIMITS = {"title": 200, "summary": 300, "problem": 20_000, "evidence": 20_000}
EDITABLE = ("title", "summary", "problem", "evidence", "driver", "audience", "allow_self_support")

# Which lifecycle moves are allowed: from status -> to status.
MOVES = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.CLOSED},
    Status.CLOSED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    for name, limit in TEXT_LIMITS.items():
        if name not in cleaned:
            continue
        value = (cleaned[name] or "").strip()
        cleaned[name] = value
        if not value and name != "evidence":
            errors[name] = f"Enter the {name.replace('_', ' ')}."
        elif len(value) > limit:
            errors[name] = f"The {name} must be {limit:,} characters or fewer."
    if "driver" in cleaned and cleaned["driver"] not in Driver.values:
        errors["driver"] = "Select what is driving this challenge."
    if "audience" in cleaned and cleaned["audience"] not in Audience.values:
        errors["audience"] = "Select who can take part."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_phases(kind: str, phases: Sequence[PhaseDates]) -> None:
    problems = check_dates(kind, phases)
    if problems:
        raise ValidationError({"phases": problems})


def _unique_slug(organisation: Organisation, title: str) -> str:
    base = slugify(title)[:70] or "challenge"
    slug, number = base, 1
    while Challenge.objects.filter(organisation=organisation, slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def challenge_create(
    *,
    actor: Any,
    organisation: Organisation,
    kind: str,
    phases: Sequence[PhaseDates],
    title: str,
    summary: str,
    problem: str,
    driver: str,
    audience: str,
    evidence: str = "",
    team: Team | None = None,
    allow_self_support: bool = False,
) -> Challenge:
    """Draft a challenge with its phase dates. It is visible only to managers until published."""
    if kind not in Kind.values:
        raise ValidationError({"kind": "Select the kind of challenge."})
    fields = _clean_text(
        {
            "title": title,
            "summary": summary,
            "problem": problem,
            "evidence": evidence,
            "driver": driver,
            "audience": audience,
        }
    )
    if kind == Kind.IMPROVEMENT_BOARD and team is None:
        raise ValidationError({"team": "Select the team whose board this is."})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": "Select a team of this organisation."})
    _check_phases(kind, phases)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                challenge = Challenge.objects.create(
                    organisation=organisation,
                    team=team,
                    kind=kind,
                    slug=_unique_slug(organisation, fields["title"]),
                    created_by=actor,
                    allow_self_support=allow_self_support,
                    **fields,
                )
                Phase.objects.bulk_create(
                    [
                        Phase(
                            challenge=challenge,
                            key=phase.key,
                            starts_at=phase.starts_at,
                            ends_at=phase.ends_at,
                        )
                        for phase in phases
                    ]
                )
                audit_record(
                    actor=actor,
                    action="challenge.created",
                    target=challenge,
                    organisation=organisation,
                )
            return challenge
        except IntegrityError:
            continue  # another request took the same slug at the same moment: try again
    raise ValidationError({"title": "Could not save the challenge. Try again."})


def challenge_update(
    *,
    actor: Any,
    challenge: Challenge,
    phases: Sequence[PhaseDates] | None = None,
    reason: str = "",
    **changes: Any,
) -> Challenge:
    """Change a challenge's text, audience or phase dates; archived challenges are frozen."""
    if challenge.status == Status.ARCHIVED:
        raise ValidationError("An archived challenge cannot be changed.")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    cleaned = _clean_text(changes)
    if phases is not None:
        _check_phases(challenge.kind, phases)
    changed = sorted(name for name, value in cleaned.items() if getattr(challenge, name) != value)
    with transaction.atomic():
        for name in changed:
            setattr(challenge, name, cleaned[name])
        challenge.save()
        if phases is not None:
            challenge.phases.all().delete()
            Phase.objects.bulk_create(
                [
                    Phase(
                        challenge=challenge,
                        key=phase.key,
                        starts_at=phase.starts_at,
                        ends_at=phase.ends_at,
                    )
                    for phase in phases
                ]
            )
            changed.append("phases")
        if changed:
            audit_record(
                actor=actor,
                action="challenge.updated",
                target=challenge,
                organisation=challenge.organisation,
                reason=reason,
                data={"changed": changed},
            )
    return challenge


def challenge_move(*, actor: Any, challenge: Challenge, to: str, reason: str = "") -> Challenge:
    """Move a challenge through draft → published → closed → archived (or reopen it)."""
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        current = Status(locked.status)
        if to not in MOVES[current]:
            raise ValidationError(
                f"A {current.label.lower()} challenge cannot be "
                f"{Status(to).label.lower() if to in Status.values else to}."
            )
        now = timezone.now()
        action = {
            Status.PUBLISHED: "challenge.reopened"
            if current == Status.CLOSED
            else "challenge.published",
            Status.CLOSED: "challenge.closed",
            Status.ARCHIVED: "challenge.archived",
        }[Status(to)]
        locked.status = to
        if to == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = now
        if to == Status.CLOSED:
            locked.closed_at = now
        if to == Status.ARCHIVED:
            locked.archived_at = now
        locked.save()
        audit_record(
            actor=actor,
            action=action,
            target=locked,
            organisation=locked.organisation,
            reason=reason,
        )
    challenge.refresh_from_db()
    return challenge


def challenge_follow(*, user: Any, challenge: Challenge) -> None:
    """Follow ``challenge``; following twice changes nothing."""
    Follow.objects.get_or_create(user=user, challenge=challenge)


def challenge_unfollow(*, user: Any, challenge: Challenge) -> None:
    """Stop following ``challenge``."""
    Follow.objects.filter(user=user, challenge=challenge).delete()
