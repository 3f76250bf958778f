"""Panels: assessors, assignments by hand or automatic, declarations of interest, scoring,
closing. Every refusal is a ``ValidationError`` or ``PermissionDenied`` and changes nothing."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.appraisal import permissions, selectors
from civicflow.appraisal.models import (
    Assignment,
    ConflictDeclaration,
    Panel,
    PanelMember,
    PanelStatus,
    Score,
)
from civicflow.appraisal.models.panels import COMMENT_MAX, RankBy
from civicflow.appraisal.scoring import AllocationError, allocate
from civicflow.appraisal.services.base import clean, require_runner
from civicflow.appraisal.services.notices import tell_assessors_assigned
from civicflow.core.audit import audit_record


def _audit(actor: Any, action: str, panel: Panel, target: Any = None, **kw: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        target=target or panel,
        organisation=panel.challenge.organisation,
        **kw,
    )


def panel_create(
    *,
    actor: Any,
    challenge: Any,
    reviews_per_submission: int = 2,
    blind: bool = False,
    rank_by: str = RankBy.STANDARDISED,
) -> Panel:
    """Set up the challenge's panel."""
    require_runner(actor, challenge)
    errors: dict[str, str] = {}
    if challenge.kind not in permissions.APPRAISED_KINDS:
        errors["reviews_per_submission"] = _("Team improvement boards have no panel.")
    if not 1 <= (reviews_per_submission or 0) <= 20:
        errors["reviews_per_submission"] = _("Ask for 1 to 20 reviews of each submission.")
    if rank_by not in RankBy.values:
        errors["rank_by"] = _("Choose how to rank the submissions.")
    if Panel.objects.filter(challenge=challenge).exists():
        errors["reviews_per_submission"] = _("This challenge already has a panel.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        panel = Panel.objects.create(
            challenge=challenge,
            reviews_per_submission=reviews_per_submission,
            blind=blind,
            rank_by=rank_by,
        )
        _audit(actor, "appraisal.panel_created", panel, data={"blind": blind})
    return panel


def panel_update(
    *, actor: Any, panel: Panel, reviews_per_submission: int, blind: bool, rank_by: str
) -> Panel:
    """Change the panel's settings; blind mode is fixed once the first review is assigned."""
    require_runner(actor, panel.challenge)
    errors: dict[str, str] = {}
    if not 1 <= (reviews_per_submission or 0) <= 20:
        errors["reviews_per_submission"] = _("Ask for 1 to 20 reviews of each submission.")
    if rank_by not in RankBy.values:
        errors["rank_by"] = _("Choose how to rank the submissions.")
    if blind != panel.blind and panel.assignments.exists():
        errors["blind"] = _(
            "Assessors already have reviews, so blind mode can no longer be changed."
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        panel.reviews_per_submission = reviews_per_submission
        panel.blind = blind
        panel.rank_by = rank_by
        panel.save()
        _audit(actor, "appraisal.panel_changed", panel)
    return panel


def panel_member_add(*, actor: Any, panel: Panel, user: Any) -> PanelMember:
    """Put an assessor of the organisation on the panel."""
    require_runner(actor, panel.challenge)
    if not permissions.may_assess(user, panel.challenge):
        raise ValidationError({"user": _("Choose someone with the assessor role here.")})
    if panel.members.filter(user=user).exists():
        raise ValidationError({"user": _("This assessor is already on the panel.")})
    with transaction.atomic():
        member = PanelMember.objects.create(panel=panel, user=user)
        _audit(actor, "appraisal.assessor_added", panel, data={"assessor": user.pk})
    return member


def panel_member_remove(*, actor: Any, panel: Panel, user: Any) -> None:
    """Take an assessor off the panel, with their reviews, unless they have scored any."""
    require_runner(actor, panel.challenge)
    if panel.assignments.filter(assessor=user, submitted_at__isnull=False).exists():
        raise ValidationError(_("This assessor has scored submissions, so they stay on the panel."))
    with transaction.atomic():
        panel.assignments.filter(assessor=user).delete()
        panel.members.filter(user=user).delete()
        _audit(actor, "appraisal.assessor_removed", panel, data={"assessor": user.pk})


def _why_not_assign(panel: Panel, idea: Any, assessor: Any) -> str:
    if not panel.members.filter(user=assessor).exists():
        return _("Put the assessor on the panel first.")
    if not selectors.panel_entries(panel).filter(pk=idea.pk).exists():
        return _("Choose a submission to this challenge.")
    people = selectors.entry_people([idea])
    mine = selectors.parties({0: {assessor.pk}})[0]
    theirs = selectors.parties(people)[idea.pk]
    if f"user:{assessor.pk}" in theirs:
        return _("Assessors cannot review their own or co-authored work.")
    if mine & theirs:
        return _("Assessors cannot review work from their own team.")
    if (assessor.pk, idea.pk) in selectors.declared_conflicts(panel):
        return _("The assessor declared a conflict of interest with this submission.")
    return ""


def assignment_add(*, actor: Any, panel: Panel, idea: Any, assessor: Any) -> Assignment:
    """Ask an assessor to review a submission, if the allocation rules allow it."""
    require_runner(actor, panel.challenge)
    if not panel.is_open:
        raise ValidationError(_("The panel is closed."))
    if problem := _why_not_assign(panel, idea, assessor):
        raise ValidationError(problem)
    try:
        with transaction.atomic():
            assignment = Assignment.objects.create(panel=panel, idea=idea, assessor=assessor)
            _audit(
                actor, "appraisal.assigned", panel, data={"idea": idea.pk, "assessor": assessor.pk}
            )
            tell_assessors_assigned(actor=actor, panel=panel, assessor_ids=[assessor.pk])
    except IntegrityError as error:
        raise ValidationError(_("The assessor already reviews this submission.")) from error
    return assignment


def panel_allocate(*, actor: Any, panel: Panel) -> int:
    """Give each submission its reviews automatically; keep the existing ones. Return how
    many reviews were added."""
    require_runner(actor, panel.challenge)
    if not panel.is_open:
        raise ValidationError(_("The panel is closed."))
    entries = list(selectors.panel_entries(panel))
    assessors = selectors.panel_assessor_ids(panel)
    if not entries:
        raise ValidationError(_("There are no submissions to allocate yet."))
    if not assessors:
        raise ValidationError(_("Put assessors on the panel first."))
    submission_parties = selectors.parties(selectors.entry_people(entries))
    assessor_parties = selectors.parties({a: {a} for a in assessors})
    existing = [
        (a, i)
        for a, i in panel.assignments.filter(conflict_at__isnull=True).values_list(
            "assessor_id", "idea_id"
        )
    ]
    try:
        allocation = allocate(
            submissions=submission_parties,
            assessors=assessor_parties,
            k=panel.reviews_per_submission,
            conflicts=selectors.declared_conflicts(panel),
            existing=existing,
        )
    except AllocationError as error:
        raise ValidationError(str(error)) from error
    already = set(existing) | set(
        panel.assignments.filter(conflict_at__isnull=False).values_list("assessor_id", "idea_id")
    )
    new = [
        Assignment(panel=panel, idea_id=idea_id, assessor_id=assessor_id, automatic=True)
        for idea_id, members in sorted(allocation.items())
        for assessor_id in sorted(members)
        if (assessor_id, idea_id) not in already
    ]
    with transaction.atomic():
        Assignment.objects.bulk_create(new)
        _audit(actor, "appraisal.allocated", panel, data={"added": len(new)})
        tell_assessors_assigned(actor=actor, panel=panel, assessor_ids=[a.assessor_id for a in new])
    return len(new)


def conflict_declare(
    *, actor: Any, panel: Panel, idea: Any, has_conflict: bool, details: str = ""
) -> ConflictDeclaration:
    """Record the assessor's declaration for a submission. A conflict blocks the review and
    cannot be taken back; "no conflict" can later become a conflict."""
    if not permissions.is_on_panel(actor, panel):
        raise PermissionDenied(_("Only assessors on the panel declare their interests."))
    if not panel.is_open:
        raise ValidationError(_("The panel is closed."))
    if not selectors.panel_entries(panel).filter(pk=idea.pk).exists():
        raise ValidationError(_("Choose a submission to this challenge."))
    details = clean(details)
    if has_conflict and not details:
        raise ValidationError({"details": _("Say what the conflict of interest is.")})
    if len(details) > COMMENT_MAX:
        raise ValidationError({"details": _("Keep the details under 5,000 characters.")})
    existing = ConflictDeclaration.objects.filter(panel=panel, idea=idea, assessor=actor).first()
    if existing is not None and existing.has_conflict:
        raise ValidationError(_("You declared a conflict with this submission; it stands."))
    with transaction.atomic():
        declaration, _created = ConflictDeclaration.objects.update_or_create(
            panel=panel,
            idea=idea,
            assessor=actor,
            defaults={"has_conflict": has_conflict, "details": details},
        )
        if has_conflict:
            panel.assignments.filter(idea=idea, assessor=actor).update(conflict_at=timezone.now())
        _audit(
            actor,
            "appraisal.conflict_declared",
            panel,
            data={"idea": idea.pk, "conflict": has_conflict},
        )
    return declaration


def _whole(raw: Any) -> int | None:
    """Return ``raw`` as a whole number, or None if it is not one (True is not 1)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str) and re.fullmatch(r"-?\d{1,3}", raw.strip()):
        return int(raw.strip())
    return None


def score_submit(
    *,
    actor: Any,
    assignment: Assignment,
    scores: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    comment: str = "",
) -> Assignment:
    """Score a submission on every criterion (scores by criterion key); change it while the
    panel is open."""
    panel = assignment.panel
    if assignment.assessor_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assessor asked to review this can score it."))
    if not panel.is_open:
        raise ValidationError(_("The panel is closed, so scores can no longer change."))
    if assignment.is_blocked:
        raise ValidationError(_("You declared a conflict with this submission."))
    declared = ConflictDeclaration.objects.filter(
        panel=panel, idea_id=assignment.idea_id, assessor=actor, has_conflict=False
    ).exists()
    if not declared:
        raise ValidationError(_("Declare your interests in this submission before scoring it."))
    criteria_set = selectors.criteria_of(panel.challenge)
    if criteria_set is None or not criteria_set.is_published:
        raise ValidationError(_("The criteria must be published before scoring."))
    criteria = list(criteria_set.criteria.all())
    comments = comments or {}
    errors: dict[str, str] = {}
    values: dict[int, int] = {}
    unknown = set(scores) - {c.key for c in criteria}
    if unknown:
        errors["scores"] = _("There is no criterion called %(key)s.") % {"key": sorted(unknown)[0]}
    for criterion in criteria:
        value = _whole(scores.get(criterion.key))
        if value is None:
            errors[criterion.key] = _("Give %(name)s a whole-number score.") % {
                "name": criterion.name
            }
        elif not criteria_set.scale_min <= value <= criteria_set.scale_max:
            errors[criterion.key] = _("Score %(name)s from %(low)s to %(high)s.") % {
                "name": criterion.name,
                "low": criteria_set.scale_min,
                "high": criteria_set.scale_max,
            }
        else:
            values[criterion.pk] = value
    if len(clean(comment)) > COMMENT_MAX or any(
        len(clean(text)) > COMMENT_MAX for text in comments.values()
    ):
        errors["comment"] = _("Keep each comment under 5,000 characters.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Panel.objects.select_for_update().get(pk=panel.pk)
        if locked.status != PanelStatus.OPEN:
            raise ValidationError(_("The panel is closed, so scores can no longer change."))
        for criterion in criteria:
            Score.objects.update_or_create(
                assignment=assignment,
                criterion=criterion,
                defaults={
                    "value": values[criterion.pk],
                    "comment": clean(comments.get(criterion.key, "")),
                },
            )
        assignment.comment = clean(comment)
        assignment.submitted_at = timezone.now()
        assignment.save(update_fields=["comment", "submitted_at", "updated_at"])
        _audit(actor, "appraisal.scored", panel, target=assignment)
    return assignment


def panel_close(*, actor: Any, panel: Panel, reason: str = "") -> Panel:
    """Close the panel: no more scores or declarations."""
    require_runner(actor, panel.challenge)
    if not panel.is_open:
        raise ValidationError(_("The panel is already closed."))
    with transaction.atomic():
        panel.status = PanelStatus.CLOSED
        panel.closed_at = timezone.now()
        panel.save(update_fields=["status", "closed_at", "updated_at"])
        _audit(actor, "appraisal.panel_closed", panel, reason=clean(reason))
    return panel


def panel_reopen(*, actor: Any, panel: Panel, reason: str) -> Panel:
    """Reopen a closed panel, with a reason, until its results are published."""
    require_runner(actor, panel.challenge)
    if panel.is_open:
        raise ValidationError(_("The panel is already open."))
    if panel.results_published:
        raise ValidationError(_("The results are published, so the panel stays closed."))
    if not clean(reason):
        raise ValidationError({"reason": _("Say why the panel is reopened.")})
    with transaction.atomic():
        panel.status = PanelStatus.OPEN
        panel.closed_at = None
        panel.save(update_fields=["status", "closed_at", "updated_at"])
        _audit(actor, "appraisal.panel_reopened", panel, reason=clean(reason))
    return panel
