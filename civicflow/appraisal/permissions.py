"""Who may see and run appraisal: criteria, panels, scoring, results, prizes, funds, hack days.

A round is as visible as its challenge. The organisation's innovation leads and
administrators run it; assessors on its panel score the submissions assigned to them; the
authors of an idea write its business case and its application. In blind mode nobody on the
panel sees who wrote a submission, whatever else they may do.
"""

from __future__ import annotations

from typing import Any

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role
from civicflow.appraisal.models import Panel
from civicflow.challenges.models import Challenge, Kind
from civicflow.challenges.permissions import can_manage_challenges, can_view_challenge
from civicflow.ideas.selectors import author_ids

APPRAISED_KINDS = (Kind.OPEN_CALL, Kind.PRIZE, Kind.HACK_DAY, Kind.FUND_ROUND)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_run_appraisal(user: Any, challenge: Challenge) -> bool:
    """The organisation's innovation leads and administrators run a challenge's appraisal."""
    return can_view_challenge(user, challenge) and can_manage_challenges(
        user, challenge.organisation
    )


def can_view_criteria(user: Any, challenge: Challenge, criteria_set: Any) -> bool:
    """Published criteria are as visible as the challenge; drafts only to those who run it."""
    if criteria_set is None:
        return False
    if criteria_set.is_published:
        return can_view_challenge(user, challenge)
    return can_run_appraisal(user, challenge)


def may_assess(user: Any, challenge: Challenge) -> bool:
    """Whether ``user`` can be put on the challenge's panel: assessors of its organisation."""
    return _signed_in(user) and (
        has_role(user, challenge.organisation, Role.ASSESSOR) or is_instance_admin(user)
    )


def is_on_panel(user: Any, panel: Panel) -> bool:
    return _signed_in(user) and panel.members.filter(user=user).exists()


def sees_authors(user: Any, panel: Panel | None) -> bool:
    """Whether ``user`` may see who wrote a panel's submissions.

    In blind mode, nobody on the panel does, even a lead who sits on it; leads who are not
    on the panel do (they run the round and publish its results).
    """
    if panel is None or not panel.blind:
        return True
    return not is_on_panel(user, panel)


def can_view_results(user: Any, panel: Panel) -> bool:
    """Published results are as visible as the challenge; before that, only for those who
    run it."""
    if panel.results_published:
        return can_view_challenge(user, panel.challenge)
    return can_run_appraisal(user, panel.challenge)


def is_author(user: Any, idea: Any) -> bool:
    """The idea's author and accepted co-authors."""
    return _signed_in(user) and user.pk in author_ids(idea)
