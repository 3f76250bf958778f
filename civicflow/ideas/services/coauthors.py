"""Co-authors: the author invites, the invitee accepts or declines, the author withdraws."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from civicflow.accounts.models import User
from civicflow.challenges.permissions import is_eligible
from civicflow.core.audit import audit_record
from civicflow.ideas import selectors
from civicflow.ideas.models import CoAuthor, CoAuthorStatus, Idea
from civicflow.ideas.permissions import can_manage_coauthors
from civicflow.ideas.services.base import check_open, short
from civicflow.notifications.services import notify

MAX_COAUTHORS = 10

CANNOT_INVITE = gettext_lazy(
    "We could not invite this person. Check the email address: they need a civicflow account "
    "and must be able to take part in this challenge."
)


def coauthor_invite(*, actor: Any, idea: Idea, email: str) -> CoAuthor:
    """Invite the person with ``email`` to write ``idea`` with its author."""
    if not can_manage_coauthors(actor, idea):
        raise PermissionDenied(_("Only the idea's author can invite co-authors."))
    check_open(idea, _("invite co-authors"))
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": _("Enter the email address of the person to invite.")})
    invitee = User.objects.filter(email__iexact=email, is_active=True).first()
    if invitee is None or not is_eligible(invitee, idea.challenge):
        raise ValidationError({"email": str(CANNOT_INVITE)})
    if invitee.pk == idea.author_id:
        raise ValidationError({"email": _("The author cannot be their own co-author.")})
    existing = selectors.coauthor_get(idea=idea, user_id=invitee.pk)
    if existing is not None and existing.status == CoAuthorStatus.ACCEPTED:
        raise ValidationError({"email": _("%(name)s is already a co-author.") % {"name": invitee}})
    if existing is not None and existing.status == CoAuthorStatus.INVITED:
        raise ValidationError(
            {"email": _("%(name)s has been invited already.") % {"name": invitee}}
        )
    open_count = CoAuthor.objects.filter(
        idea=idea, status__in=[CoAuthorStatus.INVITED, CoAuthorStatus.ACCEPTED]
    ).count()
    if open_count >= MAX_COAUTHORS:
        raise ValidationError(
            {"email": _("An idea can have at most %(max)s co-authors.") % {"max": MAX_COAUTHORS}}
        )
    with transaction.atomic():
        coauthor, _created = CoAuthor.objects.update_or_create(
            idea=idea,
            user=invitee,
            defaults={
                "status": CoAuthorStatus.INVITED,
                "invited_by": actor,
                "responded_at": None,
            },
        )
        audit_record(
            actor=actor,
            action="idea.coauthor_invited",
            target=idea,
            organisation=idea.organisation,
            data={"user": invitee.pk},
        )
        notify(
            recipients=[invitee],
            kind="idea.coauthor_invited",
            title=_("%(person)s invited you to co-write ‘%(title)s’")
            % {"person": actor, "title": short(idea.title)},
            body=_("Open the idea to accept or decline."),
            url=idea.get_absolute_url(),
            actor=actor,
        )
    return coauthor


def _answer_invitation(*, user: Any, idea: Idea, accept: bool) -> CoAuthor:
    with transaction.atomic():
        invitation = (
            CoAuthor.objects.select_for_update()
            .filter(idea=idea, user=user, status=CoAuthorStatus.INVITED)
            .first()
        )
        if invitation is None:
            raise ValidationError(_("You have no open invitation to co-write this idea."))
        if accept:
            check_open(idea, _("become a co-author"))
        invitation.status = CoAuthorStatus.ACCEPTED if accept else CoAuthorStatus.DECLINED
        invitation.responded_at = timezone.now()
        invitation.save(update_fields=["status", "responded_at", "updated_at"])
        selectors.forget_coauthors(idea)
        audit_record(
            actor=user,
            action="idea.coauthor_accepted" if accept else "idea.coauthor_declined",
            target=idea,
            organisation=idea.organisation,
            data={"user": user.pk},
        )
        title = (
            _("%(person)s is now a co-author of ‘%(title)s’")
            if accept
            else _("%(person)s declined to co-write ‘%(title)s’")
        )
        notify(
            recipients=[idea.author_id],
            kind="idea.coauthor_answered",
            title=title % {"person": user, "title": short(idea.title)},
            url=idea.get_absolute_url(),
            actor=user,
        )
    return invitation


def coauthor_accept(*, user: Any, idea: Idea) -> CoAuthor:
    """Accept ``user``'s invitation to co-write ``idea``; from now on they may edit it."""
    return _answer_invitation(user=user, idea=idea, accept=True)


def coauthor_decline(*, user: Any, idea: Idea) -> CoAuthor:
    """Decline ``user``'s invitation to co-write ``idea``."""
    return _answer_invitation(user=user, idea=idea, accept=False)


def coauthor_withdraw(*, actor: Any, idea: Idea, user_id: int) -> CoAuthor:
    """Withdraw an invitation, or take a co-author off the idea (its author only)."""
    if not can_manage_coauthors(actor, idea):
        raise PermissionDenied(_("Only the idea's author can change its co-authors."))
    with transaction.atomic():
        coauthor = (
            CoAuthor.objects.select_for_update()
            .filter(
                idea=idea,
                user_id=user_id,
                status__in=[CoAuthorStatus.INVITED, CoAuthorStatus.ACCEPTED],
            )
            .select_related("user")
            .first()
        )
        if coauthor is None:
            raise ValidationError(_("That person is not invited to co-write this idea."))
        coauthor.status = CoAuthorStatus.WITHDRAWN
        coauthor.responded_at = timezone.now()
        coauthor.save(update_fields=["status", "responded_at", "updated_at"])
        selectors.forget_coauthors(idea)
        audit_record(
            actor=actor,
            action="idea.coauthor_withdrawn",
            target=idea,
            organisation=idea.organisation,
            data={"user": user_id},
        )
        notify(
            recipients=[user_id],
            kind="idea.coauthor_withdrawn",
            title=_("You are no longer invited to co-write ‘%(title)s’")
            % {"title": short(idea.title)},
            url=idea.get_absolute_url(),
            actor=actor,
        )
    return coauthor
