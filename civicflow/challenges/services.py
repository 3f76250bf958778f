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
from civicflow.notifications.kinds import register_kinds
from civicflow.notifications.services import notify
from civicflow.search.services import schedule_index

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
register_kinds(
    {
        "challenge.dates_changed": _("The dates of a challenge you follow changed"),
        "challenge.closed": _("A challenge you follow closed"),
        "challenge.reopened": _("A challenge you follow reopened"),
        "challenge.archived": _("A challenge you follow was archived"),
    }
)

TEXT_LIMITS = {"title": 200, "summary": 300, "problem": 20_000, "evidence": 20_000}
TEXT_NAMES = {
    "title": "title",
    "summary": "summary",
    "problem": "problem statement",
    "evidence": "evidence",
}
REASON_LIMIT = 1000
EDITABLE = (
    "title",
    "summary",
    "problem",
    "evidence",
    "driver",
    "audience",
    "allow_self_support",
    "team",
)
# Slugs that are addresses of pages of their own under /organisations/<slug>/challenges/.
RESERVED_SLUGS = {"new"}

# Which lifecycle moves are allowed: from status -> to status.
MOVES = {
    Status.DRAFT: {Status.PUBLISHED},
    Status.PUBLISHED: {Status.CLOSED},
    Status.CLOSED: {Status.PUBLISHED, Status.ARCHIVED},
    Status.ARCHIVED: set(),
}
MOVE_ACTIONS = {
    (Status.DRAFT, Status.PUBLISHED): "challenge.published",
    (Status.PUBLISHED, Status.CLOSED): "challenge.closed",
    (Status.CLOSED, Status.PUBLISHED): "challenge.reopened",
    (Status.CLOSED, Status.ARCHIVED): "challenge.archived",
}
# What followers are told after each move (a draft has no followers).
MOVE_NEWS = {
    "challenge.closed": "{title} has closed",
    "challenge.reopened": "{title} has reopened",
    "challenge.archived": "{title} has been archived",
}


def _clean_text(fields: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    for name, limit in TEXT_LIMITS.items():
        if name not in cleaned:
            continue
        value = cleaned[name]
        value = value.strip() if isinstance(value, str) else ""
        cleaned[name] = value
        if not value and name != "evidence":
            errors[name] = f"Enter the {TEXT_NAMES[name]}."
        elif len(value) > limit:
            errors[name] = f"The {TEXT_NAMES[name]} must be {limit:,} characters or fewer."
    if "driver" in cleaned and cleaned["driver"] not in Driver.values:
        errors["driver"] = "Select what is driving this challenge."
    if "audience" in cleaned and cleaned["audience"] not in Audience.values:
        errors["audience"] = "Select who can take part."
    if "allow_self_support" in cleaned and not isinstance(cleaned["allow_self_support"], bool):
        errors["allow_self_support"] = "Say whether authors may support their own ideas."
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > REASON_LIMIT:
        raise ValidationError(
            {"reason": f"The reason must be {REASON_LIMIT:,} characters or fewer."}
        )
    return reason


def _check_team(kind: str, organisation: Organisation, team: Team | None) -> None:
    if kind == Kind.IMPROVEMENT_BOARD and team is None:
        raise ValidationError({"team": "Select the team whose board this is."})
    if team is not None and team.organisation_id != organisation.pk:
        raise ValidationError({"team": "Select a team of this organisation."})


def _check_phases(kind: str, phases: Sequence[PhaseDates]) -> None:
    problems = check_dates(kind, phases)
    if problems:
        raise ValidationError({"phases": problems})


def _unique_slug(organisation: Organisation, title: str) -> str:
    base = slugify(title)[:70] or "challenge"
    taken = set(
        Challenge.objects.filter(organisation=organisation, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    taken |= RESERVED_SLUGS
    slug, number = base, 1
    while slug in taken:
        number += 1
        slug = f"{base}-{number}"
    return slug


def _save_phases(challenge: Challenge, phases: Sequence[PhaseDates]) -> None:
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


def _same_dates(old: Sequence[PhaseDates], new: Sequence[PhaseDates]) -> bool:
    def normal(phases: Sequence[PhaseDates]) -> list[tuple[str, Any, Any]]:
        return sorted((phase.key, phase.starts_at, phase.ends_at) for phase in phases)

    return normal(old) == normal(new)


def _tell_followers(*, challenge: Challenge, kind: str, title: str, actor: Any) -> None:
    followers = Follow.objects.filter(challenge=challenge).values_list("user_id", flat=True)
    notify(
        recipients=list(followers),
        kind=kind,
        title=title.format(title=challenge.title),
        url=challenge.get_absolute_url(),
        actor=actor,
    )


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
            "allow_self_support": allow_self_support,
        }
    )
    _check_team(kind, organisation, team)
    _check_phases(kind, phases)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                challenge = Challenge.objects.create(
                    organisation=organisation,
                    team=team,
                    kind=kind,
                    slug=_unique_slug(organisation, fields["title"]),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                    **fields,
                )
                _save_phases(challenge, phases)
                audit_record(
                    actor=actor,
                    action="challenge.created",
                    target=challenge,
                    organisation=organisation,
                )
                schedule_index(challenge)
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
    """Change a challenge's text, audience, team or phase dates; archived ones are frozen.

    The kind is fixed when the challenge is created. Followers hear when the dates of a
    challenge that is under way change.
    """
    if challenge.status == Status.ARCHIVED:
        raise ValidationError("An archived challenge cannot be changed.")
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(f"These cannot be changed: {', '.join(sorted(unknown))}.")
    team = changes.pop("team", challenge.team)
    cleaned = _clean_text(changes)
    reason = _clean_reason(reason)
    _check_team(challenge.kind, challenge.organisation, team)
    if phases is not None:
        _check_phases(challenge.kind, phases)
    changed = sorted(name for name, value in cleaned.items() if getattr(challenge, name) != value)
    if team != challenge.team:
        changed.append("team")
    dates_changed = phases is not None and not _same_dates(challenge.phase_dates(), phases)
    if not changed and not dates_changed:
        return challenge
    with transaction.atomic():
        for name in changed:
            setattr(challenge, name, team if name == "team" else cleaned[name])
        challenge.save(update_fields=[*changed, "updated_at"])
        if dates_changed:
            assert phases is not None
            challenge.phases.all().delete()
            _save_phases(challenge, phases)
            changed.append("phases")
            if challenge.status == Status.PUBLISHED:
                _tell_followers(
                    challenge=challenge,
                    kind="challenge.dates_changed",
                    title="The dates of {title} have changed",
                    actor=actor,
                )
        audit_record(
            actor=actor,
            action="challenge.updated",
            target=challenge,
            organisation=challenge.organisation,
            reason=reason,
            data={"changed": sorted(changed)},
        )
        schedule_index(challenge)
    if dates_changed:
        challenge.__dict__.pop("_phase_dates", None)
        if hasattr(challenge, "_prefetched_objects_cache"):
            challenge._prefetched_objects_cache.pop("phases", None)
    return challenge


def _move_refused(current: Status, to: str) -> str:
    """Return why a challenge cannot move from ``current`` to ``to``, and what to do instead."""
    if current == Status.ARCHIVED:
        return "An archived challenge cannot be changed."
    if to not in Status.values:
        return "Choose published, closed or archived."
    if to == Status.DRAFT:
        return "A challenge cannot go back to being a draft."
    if to == current:
        return f"This challenge is already {current.label.lower()}."
    if to == Status.ARCHIVED:
        return "Only a closed challenge can be archived. Close it first."
    return "A draft challenge cannot be closed. Publish it first."


def challenge_move(*, actor: Any, challenge: Challenge, to: str, reason: str = "") -> Challenge:
    """Move a challenge through draft → published → closed → archived (or reopen it)."""
    reason = _clean_reason(reason)
    with transaction.atomic():
        locked = (
            Challenge.objects.select_for_update()
            .select_related("organisation")
            .get(pk=challenge.pk)
        )
        current = Status(locked.status)
        if to not in MOVES[current]:
            raise ValidationError({"status": _move_refused(current, to)})
        target = Status(to)
        action = MOVE_ACTIONS[(current, target)]
        now = timezone.now()
        locked.status = target
        if target == Status.PUBLISHED and locked.published_at is None:
            locked.published_at = now
        if target == Status.CLOSED:
            locked.closed_at = now
        if target == Status.ARCHIVED:
            locked.archived_at = now
        locked.save()
        audit_record(
            actor=actor,
            action=action,
            target=locked,
            organisation=locked.organisation,
            reason=reason,
        )
        if action in MOVE_NEWS:
            _tell_followers(challenge=locked, kind=action, title=MOVE_NEWS[action], actor=actor)
        schedule_index(locked)
    for name in ("status", "published_at", "closed_at", "archived_at", "updated_at"):
        setattr(challenge, name, getattr(locked, name))
    return challenge


def challenge_follow(*, user: Any, challenge: Challenge) -> None:
    """Follow ``challenge`` to hear about it; following twice changes nothing."""
    if challenge.status == Status.DRAFT:
        raise ValidationError("A draft challenge cannot be followed.")
    if challenge.status == Status.ARCHIVED:
        raise ValidationError("This challenge is archived, so there is nothing more to hear.")
    Follow.objects.get_or_create(user=user, challenge=challenge)


def challenge_unfollow(*, user: Any, challenge: Challenge) -> None:
    """Stop following ``challenge``; stopping twice changes nothing."""
    Follow.objects.filter(user=user, challenge=challenge).delete()
