"""Who may see an initiative, run it, and take its gate decisions.

Members of the organisation see all its initiatives and its decision register; everyone sees
the initiatives it marks public. Innovation leads and administrators start initiatives and
run any of them; the business owner and delivery lead run their own. Gate decisions are
taken by the organisation's decision makers (and its administrators). Instance
administrators may do everything an organisation administrator may.
"""

from __future__ import annotations

from typing import Any

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role, is_member
from civicflow.initiatives.models import Initiative

LEADS = (Role.ADMIN, Role.INNOVATION_LEAD)
DECIDERS = (Role.ADMIN, Role.DECISION_MAKER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_see_portfolio(user: Any, organisation: Any) -> bool:
    """Members see the whole portfolio and the decision register of their organisation."""
    return is_instance_admin(user) or is_member(user, organisation)


def can_start_initiatives(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators start initiatives (from an idea or directly)."""
    return is_instance_admin(user) or has_role(user, organisation, *LEADS)


def can_view_initiative(user: Any, initiative: Initiative) -> bool:
    """Members see every initiative of their organisation; everyone sees public ones."""
    return initiative.public or can_see_portfolio(user, initiative.organisation)


def is_accountable(user: Any, initiative: Initiative) -> bool:
    """Whether ``user`` is the initiative's business owner or delivery lead."""
    if not _signed_in(user):
        return False
    return user.pk in (initiative.business_owner_id, initiative.delivery_lead_id)


def can_run_initiative(user: Any, initiative: Initiative) -> bool:
    """Leads and administrators, and the initiative's owner and delivery lead (while they are
    members), change it, its team, plans, progress and evaluation plan."""
    organisation = initiative.organisation
    if can_start_initiatives(user, organisation):
        return True
    return is_accountable(user, initiative) and is_member(user, organisation)


def can_decide(user: Any, organisation: Any) -> bool:
    """Decision makers and administrators of the organisation take gate decisions."""
    return is_instance_admin(user) or has_role(user, organisation, *DECIDERS)
