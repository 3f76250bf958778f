"""Starting an initiative, changing it, and its team."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.accounts.selectors import is_member
from civicflow.core.audit import audit_record
from civicflow.ideas.models import IdeaStatus
from civicflow.initiatives import permissions
from civicflow.initiatives.models import (
    SUMMARY_MAX,
    TITLE_MAX,
    Initiative,
    SourceKind,
    Stage,
    StagePlan,
    TeamMember,
)
from civicflow.notifications.services import notify

ROLE_MAX = 120


def require_runner(actor: Any, initiative: Initiative) -> None:
    if not permissions.can_run_initiative(actor, initiative):
        raise PermissionDenied(
            _(
                "Only the initiative's owner and delivery lead, innovation leads and "
                "administrators change an initiative."
            )
        )


def _check_text(errors: dict[str, str], *, title: str, summary: str) -> None:
    if not title:
        errors["title"] = _("Enter the initiative's title.")
    elif len(title) > TITLE_MAX:
        errors["title"] = _("The title must be 200 characters or fewer.")
    if len(summary) > SUMMARY_MAX:
        errors["summary"] = _("The summary must be 2,000 characters or fewer.")


def _check_people(
    errors: dict[str, str], organisation: Any, *, business_owner: Any, delivery_lead: Any
) -> None:
    if business_owner is not None and not is_member(business_owner, organisation):
        errors["business_owner"] = _(
            "The business owner must be a member of %(organisation)s: choose the manager of "
            "the service that changes."
        ) % {"organisation": organisation.name}
    if delivery_lead is not None and not is_member(delivery_lead, organisation):
        errors["delivery_lead"] = _("The delivery lead must be a member of %(organisation)s.") % {
            "organisation": organisation.name
        }


def _tell_owner(initiative: Initiative, actor: Any) -> None:
    if initiative.business_owner_id is None:
        return
    notify(
        recipients=[initiative.business_owner_id],
        kind="initiative.owner_named",
        title=_("You are the business owner of ‘%(title)s’") % {"title": initiative.title},
        body=_("You are accountable for this change and for its benefits."),
        url=initiative.get_absolute_url(),
        actor=actor,
    )


def initiative_start(
    *,
    actor: Any,
    organisation: Any,
    title: str,
    summary: str = "",
    idea: Any = None,
    public: bool = False,
    business_owner: Any = None,
    delivery_lead: Any = None,
    source_case_id: int | None = None,
    award: Any = None,
) -> Initiative:
    """Start an initiative in the test stage, from a selected idea, from an award or grant
    made to an idea (``award``, through ``initiative_start_from_award``), from a case study
    another organisation published (``source_case_id``, set by the library's adoption), or
    directly. An award sets the test stage's budget to the amount awarded."""
    if not permissions.can_start_initiatives(actor, organisation):
        raise PermissionDenied(_("Only innovation leads and administrators start initiatives."))
    title = (title or "").strip()
    summary = (summary or "").strip()
    errors: dict[str, str] = {}
    _check_text(errors, title=title, summary=summary)
    _check_people(errors, organisation, business_owner=business_owner, delivery_lead=delivery_lead)
    if idea is not None:
        if idea.organisation_id != organisation.pk:
            errors["idea"] = _("Choose an idea put forward to %(organisation)s.") % {
                "organisation": organisation.name
            }
        elif award is None and idea.status != IdeaStatus.SELECTED:
            errors["idea"] = _(
                "Only a selected idea can become an initiative. Select the idea first, with "
                "feedback to its authors."
            )
        elif Initiative.objects.filter(idea=idea).exists():
            errors["idea"] = _("This idea already has an initiative.")
    if idea is not None and source_case_id is not None:
        errors["idea"] = _("An initiative comes from an idea or from a case study, not both.")
    if award is not None and idea is None:
        errors["idea"] = _("An initiative from an award carries on the idea awarded.")
    if errors:
        raise ValidationError(errors)
    source = SourceKind.DIRECT
    if award is not None:
        source = SourceKind.AWARD
    elif idea is not None:
        source = SourceKind.IDEA
    elif source_case_id is not None:
        source = SourceKind.CASE
    grant, panel_award = _award_links(award)
    now = timezone.now()
    try:
        with transaction.atomic():
            initiative = Initiative.objects.create(
                organisation=organisation,
                title=title,
                summary=summary,
                source_kind=source,
                idea=idea,
                source_grant=grant,
                source_award=panel_award,
                source_case_id=source_case_id,
                public=public,
                business_owner=business_owner,
                delivery_lead=delivery_lead,
                stage_entered_at=now,
                last_update_at=now,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            audit_record(
                actor=actor,
                action="initiative.started",
                target=initiative,
                organisation=organisation,
                data={
                    "source": initiative.source_kind,
                    "idea": getattr(idea, "pk", None),
                    "case": source_case_id,
                    "grant": getattr(grant, "pk", None),
                    "award": getattr(panel_award, "pk", None),
                    "amount": getattr(award, "amount", None),
                },
            )
            if award is not None and award.amount is not None:
                StagePlan.objects.create(
                    initiative=initiative, stage=Stage.TEST, budget=Decimal(award.amount)
                )
            _tell_owner(initiative, actor)
    except IntegrityError as error:  # two leads started the same idea at once
        raise ValidationError({"idea": _("This idea already has an initiative.")}) from error
    return initiative


def _award_links(award: Any) -> tuple[Any, Any]:
    """The grant or the panel's award decision ``award`` is, as the initiative's two links."""
    if award is None:
        return None, None
    from civicflow.appraisal.models import Grant

    return (award, None) if isinstance(award, Grant) else (None, award)


def initiative_edit(
    *,
    actor: Any,
    initiative: Initiative,
    title: str,
    summary: str = "",
    public: bool = False,
    business_owner: Any = None,
    delivery_lead: Any = None,
    reason: str = "",
) -> Initiative:
    """Change an initiative's title, summary, visibility, owner and delivery lead."""
    require_runner(actor, initiative)
    title = (title or "").strip()
    summary = (summary or "").strip()
    errors: dict[str, str] = {}
    _check_text(errors, title=title, summary=summary)
    _check_people(
        errors,
        initiative.organisation,
        business_owner=business_owner,
        delivery_lead=delivery_lead,
    )
    if errors:
        raise ValidationError(errors)
    before = {
        "title": initiative.title,
        "public": initiative.public,
        "business_owner": initiative.business_owner_id,
        "delivery_lead": initiative.delivery_lead_id,
    }
    new_owner = getattr(business_owner, "pk", None)
    with transaction.atomic():
        initiative.title = title
        initiative.summary = summary
        initiative.public = public
        initiative.business_owner = business_owner
        initiative.delivery_lead = delivery_lead
        initiative.save()
        audit_record(
            actor=actor,
            action="initiative.edited",
            target=initiative,
            organisation=initiative.organisation,
            reason=(reason or "").strip(),
            data={"before": before},
        )
        if new_owner is not None and new_owner != before["business_owner"]:
            _tell_owner(initiative, actor)
    return initiative


def team_member_add(*, actor: Any, initiative: Initiative, user: Any, role: str) -> TeamMember:
    """Put a member of the organisation on the initiative's team, with their role on it."""
    require_runner(actor, initiative)
    role = (role or "").strip()
    errors: dict[str, str] = {}
    if user is None or not is_member(user, initiative.organisation):
        errors["user"] = _("Choose a member of %(organisation)s.") % {
            "organisation": initiative.organisation.name
        }
    elif initiative.team.filter(user=user).exists():
        errors["user"] = _("%(person)s is on the team already.") % {"person": user}
    if not role:
        errors["role"] = _("Enter their role on the initiative, for example ‘data analyst’.")
    elif len(role) > ROLE_MAX:
        errors["role"] = _("The role must be 120 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            member = TeamMember.objects.create(initiative=initiative, user=user, role=role)
            audit_record(
                actor=actor,
                action="initiative.team_added",
                target=initiative,
                organisation=initiative.organisation,
                data={"user": user.pk, "role": role},
            )
    except IntegrityError as error:
        already = _("%(person)s is on the team already.") % {"person": user}
        raise ValidationError({"user": already}) from error
    return member


def team_member_remove(*, actor: Any, initiative: Initiative, user: Any) -> None:
    """Take a person off the initiative's team."""
    require_runner(actor, initiative)
    with transaction.atomic():
        removed, _kinds = initiative.team.filter(user=user).delete()
        if not removed:
            raise ValidationError({"user": _("That person is not on the team.")})
        audit_record(
            actor=actor,
            action="initiative.team_removed",
            target=initiative,
            organisation=initiative.organisation,
            data={"user": user.pk},
        )
