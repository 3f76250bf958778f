"""Supporting ideas: once per person, with the idea's supporters count kept exact."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civicflow.core.audit import audit_record
from civicflow.ideas import listing
from civicflow.ideas.models import Idea, Support
from civicflow.ideas.permissions import can_withdraw_support, why_cannot_support

ALREADY_SUPPORTED = "already_supported"
NOT_SUPPORTED = "not_supported"


def idea_support(*, user: Any, idea: Idea) -> int:
    """Support ``idea`` as ``user``; return its supporters count, which counts them once."""
    with transaction.atomic():
        # Checked with the idea's row locked, so a merge or withdrawal cannot slip in between.
        locked = Idea.objects.select_for_update().get(pk=idea.pk)
        locked.challenge = idea.challenge
        if problem := why_cannot_support(user, locked):
            raise ValidationError(problem)
        if Support.objects.filter(idea=locked, user=user).exists():
            raise ValidationError(_("You already support this idea."), code=ALREADY_SUPPORTED)
        try:
            with transaction.atomic():
                Support.objects.create(idea=locked, user=user)
        except IntegrityError as error:  # a second request from the same person, at once
            raise ValidationError(
                _("You already support this idea."), code=ALREADY_SUPPORTED
            ) from error
        Idea.objects.filter(pk=locked.pk).update(supporters_count=F("supporters_count") + 1)
        listing.changed(locked.challenge_id)
        audit_record(
            actor=user, action="idea.supported", target=locked, organisation=idea.organisation
        )
        count = Idea.objects.values_list("supporters_count", flat=True).get(pk=locked.pk)
    idea.supporters_count = count
    return count


def idea_unsupport(*, user: Any, idea: Idea) -> int:
    """Withdraw ``user``'s support for ``idea`` while supporting is open; return the count."""
    if not can_withdraw_support(user, idea):
        raise ValidationError(
            _("Supporting has closed in this challenge, so supports can no longer change.")
        )
    with transaction.atomic():
        Idea.objects.select_for_update().filter(pk=idea.pk).first()
        deleted, _rows = Support.objects.filter(idea=idea, user=user).delete()
        if not deleted:
            raise ValidationError(_("You do not support this idea."), code=NOT_SUPPORTED)
        Idea.objects.filter(pk=idea.pk).update(supporters_count=F("supporters_count") - 1)
        listing.changed(idea.challenge_id)
        audit_record(
            actor=user,
            action="idea.support_withdrawn",
            target=idea,
            organisation=idea.organisation,
        )
        count = Idea.objects.values_list("supporters_count", flat=True).get(pk=idea.pk)
    idea.supporters_count = count
    return count


def supports_withdraw_all(*, user: Any, reason: str = "") -> int:
    """Withdraw every support ``user`` gave, whatever the phase; return how many.

    For a person who closes their account: a support is their opinion, so it goes with them.
    Each idea's row is locked first (in id order, as every support writer does), and its
    count drops by exactly the one support removed, since a person supports an idea once.
    """
    with transaction.atomic():
        idea_ids = list(
            Support.objects.filter(user=user).order_by("idea_id").values_list("idea_id", flat=True)
        )
        if not idea_ids:
            return 0
        ideas = list(
            Idea.objects.select_for_update(of=("self",))
            .filter(pk__in=idea_ids)
            .select_related("organisation")
            .order_by("pk")
        )
        # Read again under the locks: a support withdrawn in between must not count twice.
        supported = set(
            Support.objects.filter(user=user, idea_id__in=idea_ids).values_list(
                "idea_id", flat=True
            )
        )
        deleted, _rows = Support.objects.filter(user=user, idea_id__in=supported).delete()
        Idea.objects.filter(pk__in=supported).update(supporters_count=F("supporters_count") - 1)
        listing.changed(*(idea.challenge_id for idea in ideas if idea.pk in supported))
        for idea in (idea for idea in ideas if idea.pk in supported):
            audit_record(
                actor=None,
                action="idea.support_withdrawn",
                target=idea,
                organisation=idea.organisation,
                reason=reason,
            )
    return deleted
