"""Hack days: the event, registration with skills (up to capacity), teams around ideas,
prototypes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.appraisal.models import HackDay, HackTeam, Prototype, Registration
from civicflow.appraisal.services.base import clean, require_runner
from civicflow.challenges.models import Kind
from civicflow.challenges.permissions import can_view_challenge, is_eligible
from civicflow.core.audit import audit_record

MAX_SKILLS = 20


def _skills(values: Sequence[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        skill = clean(value)[:60]
        if skill and skill.lower() not in seen:
            seen[skill.lower()] = skill
    return list(seen.values())[:MAX_SKILLS]


def _is_url(value: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return False
    return True


def hack_day_create(
    *,
    actor: Any,
    challenge: Any,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
    place: str = "",
    online_link: str = "",
) -> HackDay:
    """Set up the event of a hack-day challenge: a place or an online link, and capacity."""
    require_runner(actor, challenge)
    errors: dict[str, str] = {}
    if challenge.kind != Kind.HACK_DAY:
        errors["starts_at"] = _("Only a hack-day challenge has a hack day.")
    if not starts_at or not ends_at or ends_at <= starts_at:
        errors["ends_at"] = _("The hack day must end after it starts.")
    if capacity is None or capacity < 1:
        errors["capacity"] = _("Enter how many people can come, 1 or more.")
    place, online_link = clean(place), clean(online_link)
    if not place and not online_link:
        errors["place"] = _("Enter a place, an online link, or both.")
    if online_link and not _is_url(online_link):
        errors["online_link"] = _("Enter the online link as a web address starting https://")
    if HackDay.objects.filter(challenge=challenge).exists():
        errors["starts_at"] = _("This challenge already has a hack day.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        hack_day = HackDay.objects.create(
            challenge=challenge,
            starts_at=starts_at,
            ends_at=ends_at,
            capacity=capacity,
            place=place[:300],
            online_link=online_link,
        )
        audit_record(
            actor=actor,
            action="appraisal.hack_day_created",
            target=hack_day,
            organisation=challenge.organisation,
        )
    return hack_day


def hack_day_register(*, actor: Any, hack_day: HackDay, skills: Sequence[str]) -> Registration:
    """Take a place at the hack day, with the skills you bring, while places are left."""
    challenge = hack_day.challenge
    if not is_eligible(actor, challenge) or not can_view_challenge(actor, challenge):
        raise PermissionDenied(_("Sign in as someone who may take part in this challenge."))
    skills = _skills(skills)
    if not skills:
        raise ValidationError({"skills": _("Say at least one skill you bring.")})
    try:
        with transaction.atomic():
            locked = HackDay.objects.select_for_update().get(pk=hack_day.pk)
            if locked.registrations.filter(user=actor).exists():
                raise ValidationError(_("You are already registered."))
            if locked.registrations.count() >= locked.capacity:
                raise ValidationError(_("The hack day is full."))
            registration = Registration.objects.create(hack_day=locked, user=actor, skills=skills)
            audit_record(
                actor=actor,
                action="appraisal.hack_day_registered",
                target=locked,
                organisation=challenge.organisation,
            )
    except IntegrityError as error:
        raise ValidationError(_("You are already registered.")) from error
    return registration


def _require_registered(actor: Any, hack_day: HackDay) -> None:
    if not hack_day.registrations.filter(user_id=getattr(actor, "pk", 0) or 0).exists():
        raise PermissionDenied(_("Register for the hack day first."))


def _in_a_team(actor: Any, hack_day: HackDay) -> bool:
    return hack_day.teams.filter(members=actor).exists()


def hack_team_form(
    *, actor: Any, hack_day: HackDay, idea: Any, name: str, skills_needed: Sequence[str] = ()
) -> HackTeam:
    """Form a team around an idea of the hack day, saying which skills it still needs."""
    _require_registered(actor, hack_day)
    errors: dict[str, str] = {}
    name = clean(name)
    if not name:
        errors["name"] = _("Give the team a name.")
    if idea.challenge_id != hack_day.challenge_id:
        errors["idea"] = _("Choose an idea pitched for this hack day.")
    elif HackTeam.objects.filter(idea=idea).exists():
        errors["idea"] = _("A team is already working on this idea: join it instead.")
    if hack_day.teams.filter(name__iexact=name).exists():
        errors["name"] = _("Another team has this name.")
    if _in_a_team(actor, hack_day):
        errors["name"] = _("You are already in a team.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            team = HackTeam.objects.create(
                hack_day=hack_day, idea=idea, name=name[:120], skills_needed=_skills(skills_needed)
            )
            team.members.add(actor)
            audit_record(
                actor=actor,
                action="appraisal.hack_team_formed",
                target=team,
                organisation=hack_day.challenge.organisation,
            )
    except IntegrityError as error:
        raise ValidationError({"idea": _("A team is already working on this idea.")}) from error
    return team


def hack_team_join(*, actor: Any, team: HackTeam) -> HackTeam:
    """Join a team; your skills come off the list it still needs."""
    hack_day = team.hack_day
    _require_registered(actor, hack_day)
    if _in_a_team(actor, hack_day):
        raise ValidationError(_("You are already in a team."))
    skills = {s.lower() for s in hack_day.registrations.get(user=actor).skills}
    with transaction.atomic():
        team.members.add(actor)
        team.skills_needed = [s for s in team.skills_needed if s.lower() not in skills]
        team.save(update_fields=["skills_needed", "updated_at"])
        audit_record(
            actor=actor,
            action="appraisal.hack_team_joined",
            target=team,
            organisation=hack_day.challenge.organisation,
        )
    return team


def membership_fixed(hack_day: HackDay) -> str:
    """Why people can no longer leave teams or give up places, or "" while they can."""
    if timezone.now() >= hack_day.ends_at:
        return _("The hack day is over, so its teams and places stay as they were.")
    panel = getattr(hack_day.challenge, "panel", None)
    if panel is not None and not panel.is_open:
        return _("Judging is over, so the teams stay as they were judged.")
    return ""


def _leave(actor: Any, team: HackTeam) -> str:
    """Take ``actor`` out of ``team`` (in the caller's transaction); return what became of
    the team: "left", "kept" (the last member left; its prototype stays to be judged and
    anyone registered may join to carry on) or "dissolved" (the last member left a team with
    no prototype: it is gone and its idea is free for a new team)."""
    team.members.remove(actor)
    organisation = team.hack_day.challenge.organisation
    outcome = "left"
    if not team.members.exists():
        outcome = "kept" if Prototype.objects.filter(team=team).exists() else "dissolved"
    audit_record(
        actor=actor,
        action="appraisal.hack_team_left",
        target=team.idea if outcome == "dissolved" else team,
        organisation=organisation,
        data={"team": team.name, "outcome": outcome},
    )
    if outcome == "dissolved":
        team.delete()
    return outcome


def hack_team_leave(*, actor: Any, team: HackTeam) -> str:
    """Leave your team while the hack day runs and judging is open. The last member leaving
    dissolves a team without a prototype; a team with one is kept, prototype and all, for
    judging and for anyone who joins to carry on. Returns "left", "kept" or "dissolved"."""
    if not team.members.filter(pk=getattr(actor, "pk", None)).exists():
        raise ValidationError(_("You are not in this team."))
    if why := membership_fixed(team.hack_day):
        raise ValidationError(why)
    with transaction.atomic():
        HackTeam.objects.select_for_update().filter(pk=team.pk).first()
        return _leave(actor, team)


def hack_day_unregister(*, actor: Any, hack_day: HackDay) -> str:
    """Give up your place at the hack day before it ends, so someone else can have it. If you
    are in a team you leave it too (see ``hack_team_leave``). Returns what became of your
    team: "", "left", "kept" or "dissolved"."""
    registration = hack_day.registrations.filter(user_id=getattr(actor, "pk", 0) or 0).first()
    if registration is None:
        raise ValidationError(_("You are not registered for this hack day."))
    if why := membership_fixed(hack_day):
        raise ValidationError(why)
    with transaction.atomic():
        HackDay.objects.select_for_update().filter(pk=hack_day.pk).first()
        team = hack_day.teams.filter(members=actor).first()
        outcome = _leave(actor, team) if team is not None else ""
        registration.delete()
        audit_record(
            actor=actor,
            action="appraisal.hack_day_unregistered",
            target=hack_day,
            organisation=hack_day.challenge.organisation,
        )
    return outcome


def prototype_submit(
    *, actor: Any, team: HackTeam, description: str, link: str = "", screenshots: Sequence[str] = ()
) -> Prototype:
    """A team member submits (or updates) the team's prototype while the panel is open."""
    if not team.members.filter(pk=getattr(actor, "pk", None)).exists():
        raise PermissionDenied(_("Only the team's members submit its prototype."))
    panel = getattr(team.hack_day.challenge, "panel", None)
    if panel is not None and not panel.is_open:
        raise ValidationError(_("Judging is over, so prototypes can no longer change."))
    description, link = clean(description), clean(link)
    shots = [clean(s) for s in screenshots if clean(s)]
    errors: dict[str, str] = {}
    if not description:
        errors["description"] = _("Describe the prototype.")
    if link and not _is_url(link):
        errors["link"] = _("Enter the link as a web address starting https://")
    if any(not _is_url(s) for s in shots) or len(shots) > 10:
        errors["screenshots"] = _("Enter up to 10 screenshot links, each starting https://")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        prototype, _created = Prototype.objects.update_or_create(
            team=team,
            defaults={"description": description[:10_000], "link": link, "screenshots": shots},
        )
        audit_record(
            actor=actor,
            action="appraisal.prototype_submitted",
            target=team,
            organisation=team.hack_day.challenge.organisation,
        )
    return prototype
