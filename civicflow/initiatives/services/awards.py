"""Starting an initiative from an award or grant: a fund round's grant, or a panel's standing
decision to award a prize or an open call's submission. An award carries on as one initiative
at most: a second start returns the initiative it already has."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from civicflow.initiatives import permissions
from civicflow.initiatives.models import Initiative
from civicflow.initiatives.selectors import (
    Award,
    award_idea,
    award_is_standing,
    initiative_of_award,
)
from civicflow.initiatives.services.starting import initiative_start


def initiative_start_from_award(
    *,
    actor: Any,
    award: Award,
    title: str = "",
    summary: str = "",
    public: bool = False,
    business_owner: Any = None,
    delivery_lead: Any = None,
) -> tuple[Initiative, bool]:
    """Start an initiative in the test stage from ``award``, its title and summary from the
    idea unless given, the test stage's budget set to the amount awarded.

    Returns the initiative and whether it was started now: an award (or its idea) that
    already has an initiative returns that one and changes nothing.
    """
    idea = award_idea(award)
    organisation = idea.organisation
    if not permissions.can_start_initiatives(actor, organisation):
        raise PermissionDenied(_("Only innovation leads and administrators start initiatives."))
    existing = initiative_of_award(award)
    if existing is not None:
        return existing, False
    if not award_is_standing(award):
        raise ValidationError(
            {"award": _("A later decision changed this award: start from the award that stands.")}
        )
    try:
        initiative = initiative_start(
            actor=actor,
            organisation=organisation,
            title=(title or "").strip() or idea.title,
            summary=(summary or "").strip() or idea.summary,
            idea=idea,
            award=award,
            public=public,
            business_owner=business_owner,
            delivery_lead=delivery_lead,
        )
    except ValidationError:
        existing = initiative_of_award(award)  # another lead started it a moment ago
        if existing is not None:
            return existing, False
        raise
    return initiative, True
