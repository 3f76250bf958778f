"""Editorial review: an editor publishes a submitted case once every item of the acceptance
checklist holds, or returns it to its author with reasons."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.library import permissions
from civicflow.library.models import (
    CHECKLIST,
    NOTE_MAX,
    CaseReview,
    CaseStatus,
    CaseStudy,
    ReviewDecision,
)
from civicflow.library.services.checks import HTML
from civicflow.notifications.services import notify
from civicflow.search.services import schedule_index


def case_review(
    *,
    actor: Any,
    case: CaseStudy,
    decision: str,
    checklist: dict[str, bool] | list[str] | None = None,
    reasons: str = "",
) -> CaseReview:
    """Publish ``case`` (every checklist item confirmed) or return it with reasons."""
    if not permissions.can_review_case(actor, case):
        raise PermissionDenied(
            _("Only the organisation's innovation leads and administrators review its cases.")
        )
    ticked = (
        {key: bool(checklist.get(key)) for key in CHECKLIST}
        if isinstance(checklist, dict)
        else {key: key in (checklist or []) for key in CHECKLIST}
    )
    reasons = (reasons or "").strip()
    errors: dict[str, str] = {}
    if case.status != CaseStatus.SUBMITTED:
        errors["decision"] = _("Only a case waiting for review can be reviewed.")
    elif decision == ReviewDecision.PUBLISHED:
        missing = [str(CHECKLIST[key]).lower() for key, ok in ticked.items() if not ok]
        if missing:
            errors["checklist"] = _(
                "Confirm every item of the checklist before publishing; not yet confirmed: "
                "%(missing)s. If one does not hold, return the case with your reasons."
            ) % {"missing": "; ".join(missing)}
    elif decision == ReviewDecision.RETURNED:
        if not reasons:
            errors["reasons"] = _("Say what the author needs to change before it can be published.")
    else:
        errors["decision"] = _("Choose whether to publish the case or return it.")
    if len(reasons) > NOTE_MAX:
        errors["reasons"] = _("The reasons must be 5,000 characters or fewer.")
    elif HTML.search(reasons):
        errors["reasons"] = _("Take the HTML out of the reasons: write plain text.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = CaseStudy.objects.select_for_update().get(pk=case.pk)
        if locked.status != CaseStatus.SUBMITTED:
            raise ValidationError({"decision": _("Someone else has reviewed this case already.")})
        review = CaseReview.objects.create(
            case=locked, decision=decision, checklist=ticked, reasons=reasons, reviewer=actor
        )
        if decision == ReviewDecision.PUBLISHED:
            locked.status = CaseStatus.PUBLISHED
            locked.published_at = locked.published_at or timezone.now()
        else:
            locked.status = CaseStatus.RETURNED
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit_record(
            actor=actor,
            action=f"case.{decision}",
            target=locked,
            organisation=locked.organisation,
            reason=reasons,
            data={"checklist": ticked},
        )
        schedule_index(locked)
        if locked.created_by_id and locked.created_by_id != getattr(actor, "pk", None):
            notify(
                recipients=[locked.created_by_id],
                kind=f"case.{decision}",
                title=(
                    _("Your case study ‘%(title)s’ is published")
                    if decision == ReviewDecision.PUBLISHED
                    else _("Your case study ‘%(title)s’ needs changes")
                )
                % {"title": locked.title},
                body=reasons,
                url=locked.get_absolute_url(),
                actor=actor,
            )
    case.status, case.published_at = locked.status, locked.published_at
    return review
