"""Who may see and record outcomes and evidence, and who may answer and read surveys.

Everyone who may see an initiative sees its KPIs, appraisals, evidence and savings; those who
run it (its owner and delivery lead, innovation leads and administrators) record them. A
challenge's KPIs are seen by whoever sees the challenge and recorded by the organisation's
innovation leads and administrators. Survey results are for the organisation's staff (any
member). Anyone signed in who may see a survey's initiative or challenge answers it while it
is open; people without an account answer through a single-use anonymous link.
"""

from __future__ import annotations

from typing import Any

from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import is_member
from civicflow.challenges import permissions as challenge_rules
from civicflow.challenges.models import Challenge
from civicflow.initiatives import permissions as initiative_rules
from civicflow.outcomes.models import Kpi, Survey, SurveyStatus


def can_view_outcomes(user: Any, owner: Any) -> bool:
    """Whoever sees the initiative (or challenge) sees its outcomes."""
    if isinstance(owner, Challenge):
        return challenge_rules.can_view_challenge(user, owner)
    return initiative_rules.can_view_initiative(user, owner)


def can_record_outcomes(user: Any, owner: Any) -> bool:
    """Those who run the initiative record its outcomes; leads record a challenge's KPIs."""
    if isinstance(owner, Challenge):
        return challenge_rules.can_manage_challenges(user, owner.organisation)
    return initiative_rules.can_run_initiative(user, owner)


def kpi_owner(kpi: Kpi) -> Any:
    return kpi.initiative if kpi.initiative_id else kpi.challenge


def can_see_results(user: Any, survey: Survey) -> bool:
    """The organisation's staff read a survey's results."""
    return is_instance_admin(user) or is_member(user, survey.organisation)


def can_answer(user: Any, survey: Survey) -> bool:
    """Anyone signed in who sees the survey's subject answers it while it is open."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and survey.status == SurveyStatus.OPEN
        and can_view_outcomes(user, survey.owner)
    )


def can_see_benefits(user: Any, organisation: Any) -> bool:
    """Members see their organisation's benefits realisation."""
    return is_instance_admin(user) or is_member(user, organisation)
