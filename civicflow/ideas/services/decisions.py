"""Moderators' decisions on ideas: a status with official feedback, and hiding."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.ideas import listing
from civicflow.ideas.models import DECISION_STATUSES, FEEDBACK_MAX, Idea, IdeaStatus
from civicflow.ideas.permissions import can_moderate_ideas
from civicflow.ideas.services.base import audience, check_open, short
from civicflow.notifications.services import notify
from civicflow.search.services import schedule_index


def idea_set_status(*, actor: Any, idea: Idea, status: str, feedback: str) -> Idea:
    """Give an idea a new status with official feedback, and tell its authors and supporters."""
    if not can_moderate_ideas(actor, idea.organisation):
        raise PermissionDenied(_("Only innovation leads and administrators decide on ideas."))
    errors: dict[str, str] = {}
    if status not in DECISION_STATUSES:
        errors["status"] = _("Select the idea's new status.")
    feedback = (feedback or "").strip()
    if not feedback:
        errors["feedback"] = _("Enter feedback that explains the decision to the authors.")
    elif len(feedback) > FEEDBACK_MAX:
        errors["feedback"] = _("Feedback must be 5,000 characters or fewer.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        check_open(locked, _("change its status"))
        before = locked.status
        locked.status = status
        locked.feedback = feedback
        locked.feedback_by = actor
        locked.feedback_at = timezone.now()
        locked.save(
            update_fields=["status", "feedback", "feedback_by", "feedback_at", "updated_at"]
        )
        schedule_index(locked)
        listing.changed(locked.challenge_id)
        audit_record(
            actor=actor,
            action="idea.status_changed",
            target=locked,
            organisation=idea.organisation,
            reason=feedback,
            data={"from": before, "to": status},
        )
        notify(
            recipients=audience(locked),
            kind="idea.status_changed",
            title=_("‘%(title)s’ is now %(status)s")
            % {"title": short(locked.title), "status": str(IdeaStatus(status).label).lower()},
            body=feedback,
            url=locked.get_absolute_url(),
            actor=actor,
        )
    return locked


def idea_set_hidden(*, actor: Any, idea: Idea, hidden: bool, reason: str = "") -> Idea:
    """Hide an idea from everyone but moderators and its authors, or restore it.

    Called by the discussion app's moderation, which has checked who may; it tells the
    authors itself.
    """
    with transaction.atomic():
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        if hidden == locked.is_hidden and (not hidden or reason == locked.hidden_reason):
            return locked
        locked.hidden_at = timezone.now() if hidden else None
        locked.hidden_reason = (reason or "").strip() if hidden else ""
        locked.save(update_fields=["hidden_at", "hidden_reason", "updated_at"])
        schedule_index(locked)
        listing.changed(locked.challenge_id)
        audit_record(
            actor=actor,
            action="idea.hidden" if hidden else "idea.restored",
            target=locked,
            organisation=idea.organisation,
            reason=reason,
        )
    return locked
