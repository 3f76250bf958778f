"""Who may see a participatory budget, vote in it, and run it.

A budget on a challenge is as visible as the challenge; a budget of an organisation is public,
as residents vote in it. Innovation leads and administrators of the organisation run budgets:
projects, phases, paper ballots, import, export, counting and publishing results.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from civicflow.budgets.models import Budget, Eligibility
from civicflow.challenges.permissions import can_manage_challenges, can_view_challenge


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_manage_budgets(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators create and run budgets."""
    return can_manage_challenges(user, organisation)


def can_view_budget(user: Any, budget: Budget) -> bool:
    """Anyone sees an organisation's budget; a challenge's budget is as visible as it."""
    if budget.challenge is None:
        return True
    return can_view_challenge(user, budget.challenge)


def can_run_budget(user: Any, budget: Budget) -> bool:
    """The organisation's innovation leads and administrators run its budgets."""
    return can_view_budget(user, budget) and can_manage_budgets(user, budget.organisation)


def why_cannot_vote(user: Any, budget: Budget) -> str:
    """Return why ``user`` cannot vote online now, or "" if they can."""
    if not budget.voting_is_open():
        return _("Voting is not open for this budget.")
    if not _signed_in(user):
        return _("Sign in to vote.")
    if budget.eligibility == Eligibility.CODES:
        return _("This vote takes paper voting codes: use the code you were given.")
    if budget.eligibility == Eligibility.LIST:
        email = (getattr(user, "email", "") or "").lower()
        if not budget.eligible_voters.filter(email__iexact=email).exists():
            return _("You are not on the list of people who may vote in this budget.")
    return ""
