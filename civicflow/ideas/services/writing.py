"""Putting ideas forward, changing them (keeping every version) and withdrawing them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from civicflow.accounts.models import User
from civicflow.challenges.models import Challenge
from civicflow.challenges.models import Status as ChallengeStatus
from civicflow.challenges.selectors import challenge_followers
from civicflow.core.audit import audit_record
from civicflow.ideas import listing, selectors
from civicflow.ideas.history import field_changes
from civicflow.ideas.models import (
    AFFECTED_MAX,
    BENEFIT_FIELDS,
    DESCRIPTION_MAX,
    REASON_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    Idea,
    IdeaStatus,
    IdeaVersion,
    InnovationType,
    Scale,
)
from civicflow.ideas.permissions import can_edit_idea, can_withdraw_idea, why_cannot_submit
from civicflow.ideas.services.base import audience, check_open, short
from civicflow.notifications.services import notify
from civicflow.search.services import schedule_index

EDITABLE = ("title", "summary", "description", "innovation_type", "scale", "benefits", "affected")
DEFAULT_LIMIT_PER_HOUR = 5


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    """Return ``fields`` (any of EDITABLE) tidied, or raise ValidationError saying what to fix."""
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    texts = {
        "title": (TITLE_MAX, _("Enter a title for your idea.")),
        "summary": (SUMMARY_MAX, _("Enter a short summary of your idea.")),
        "description": (DESCRIPTION_MAX, _("Describe your idea.")),
        "affected": (AFFECTED_MAX, ""),
    }
    for name, (limit, missing) in texts.items():
        if name not in cleaned:
            continue
        value = (cleaned[name] or "").strip()
        cleaned[name] = value
        if not value and missing:
            errors[name] = missing
        elif len(value) > limit:
            errors[name] = _("This must be %(limit)s characters or fewer. It has %(count)s.") % {
                "limit": f"{limit:,}",
                "count": f"{len(value):,}",
            }
    if "innovation_type" in cleaned and cleaned["innovation_type"] not in InnovationType.values:
        errors["innovation_type"] = _("Select the type of innovation.")
    if "scale" in cleaned and cleaned["scale"] not in Scale.values:
        errors["scale"] = _("Select whether it is a continuous improvement or disruptive.")
    if "benefits" in cleaned:
        benefits = list(dict.fromkeys(cleaned["benefits"] or []))
        if not benefits:
            errors["benefits"] = _("Select at least one expected benefit.")
        elif any(benefit not in BENEFIT_FIELDS for benefit in benefits):
            errors["benefits"] = _("Select expected benefits from the list.")
        cleaned["benefits"] = sorted(benefits)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _current(idea: Idea) -> dict[str, Any]:
    """Return the editable values of ``idea``, as EDITABLE names them."""
    values = {name: getattr(idea, name) for name in EDITABLE if name != "benefits"}
    values["benefits"] = sorted(idea.benefits)
    return values


def _assign(idea: Idea, values: dict[str, Any]) -> None:
    for name, value in values.items():
        if name == "benefits":
            for benefit, field in BENEFIT_FIELDS.items():
                setattr(idea, field, benefit in value)
        else:
            setattr(idea, name, value)


def idea_submit(
    *,
    author: Any,
    challenge: Challenge,
    title: str,
    summary: str,
    description: str,
    innovation_type: str,
    scale: str,
    benefits: Iterable[str],
    affected: str = "",
) -> Idea:
    """Put forward an idea in ``challenge``, if its phase allows it and the author may."""
    if problem := why_cannot_submit(author, challenge):
        raise ValidationError(problem)
    values = _clean(
        {
            "title": title,
            "summary": summary,
            "description": description,
            "innovation_type": innovation_type,
            "scale": scale,
            "benefits": list(benefits),
            "affected": affected,
        }
    )
    limit = getattr(settings, "CIVICFLOW_IDEA_LIMIT_PER_HOUR", DEFAULT_LIMIT_PER_HOUR)
    with transaction.atomic():
        if limit is not None:
            # One person's posts are counted one at a time, so parallel posts cannot pass it.
            User.objects.select_for_update().filter(pk=author.pk).first()
            _check_posting_limit(author, limit)
        idea = Idea(
            organisation_id=challenge.organisation_id,
            challenge=challenge,
            author=author,
        )
        _assign(idea, values)
        idea.save()
        IdeaVersion.objects.create(idea=idea, number=1, edited_by=author)
        schedule_index(idea)
        listing.changed(idea.challenge_id)
        audit_record(
            actor=author,
            action="idea.submitted",
            target=idea,
            organisation=challenge.organisation,
        )
        notify(
            recipients=list(challenge_followers(challenge=challenge)),
            kind="idea.new",
            title=_("New idea in %(challenge)s: %(title)s")
            % {"challenge": short(challenge.title), "title": idea.title},
            body=idea.summary,
            url=idea.get_absolute_url(),
            actor=author,
        )
    return idea


def _check_posting_limit(author: Any, limit: int) -> None:
    now = timezone.now()
    recent = list(
        Idea.objects.filter(author=author, created_at__gte=now - timedelta(hours=1))
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )
    if len(recent) >= limit:
        next_at = timezone.localtime(recent[len(recent) - limit] + timedelta(hours=1))
        raise ValidationError(
            _(
                "You have put forward %(count)s ideas in the last hour, which is the most "
                "allowed. You can put forward another after %(time)s."
            )
            % {"count": len(recent), "time": formats.time_format(next_at, "H:i")}
        )


def idea_update(
    *, actor: Any, idea: Idea, expected_version: int | None = None, **changes: Any
) -> Idea:
    """Change an idea's text or classification, and keep the old values as a version.

    Only the author and accepted co-authors may. With ``expected_version``, refuse if someone
    else saved a newer version since the editor opened it, so nobody overwrites another's work.
    """
    if not can_edit_idea(actor, idea):
        raise PermissionDenied(_("Only the idea's author and its co-authors can change it."))
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise ValidationError(
            _("These cannot be changed: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}
        )
    check_open(idea, _("change it"))
    if idea.challenge.status == ChallengeStatus.ARCHIVED:
        raise ValidationError(_("The challenge is archived, so its ideas cannot be changed."))
    values = _clean(changes)
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        check_open(locked, _("change it"))
        if expected_version is not None and expected_version != locked.version:
            raise ValidationError(
                _(
                    "Someone else changed this idea while you were editing it, so your changes "
                    "were not saved. Open the idea again to see their changes, then make yours."
                ),
                code="stale",
            )
        changed = field_changes(_current(locked), {**_current(locked), **values}, EDITABLE)
        if not changed:
            return locked
        _assign(locked, values)
        locked.version += 1
        locked.save()
        IdeaVersion.objects.create(
            idea=locked, number=locked.version, edited_by=actor, changes=changed
        )
        schedule_index(locked)
        listing.changed(locked.challenge_id)
        audit_record(
            actor=actor,
            action="idea.edited",
            target=locked,
            organisation=idea.organisation,
            data={"version": locked.version, "changed": [change["field"] for change in changed]},
        )
        notify(
            recipients=selectors.author_ids(locked),
            kind="idea.edited",
            title=_("%(person)s changed your idea ‘%(title)s’")
            % {"person": actor, "title": short(locked.title)},
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return locked


def idea_withdraw(*, actor: Any, idea: Idea, reason: str = "") -> Idea:
    """Withdraw an idea (its author only); it stays visible, marked withdrawn."""
    if not can_withdraw_idea(actor, idea):
        raise PermissionDenied(_("Only the idea's author can withdraw it."))
    reason = (reason or "").strip()
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("The reason must be 1,000 characters or fewer.")})
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        check_open(locked, _("withdraw it"))
        locked.status = IdeaStatus.WITHDRAWN
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["status", "withdrawn_at", "updated_at"])
        schedule_index(locked)
        listing.changed(locked.challenge_id)
        audit_record(
            actor=actor,
            action="idea.withdrawn",
            target=locked,
            organisation=idea.organisation,
            reason=reason,
        )
        notify(
            recipients=audience(locked),
            kind="idea.withdrawn",
            title=_("‘%(title)s’ was withdrawn by its author") % {"title": short(locked.title)},
            body=reason,
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return locked
