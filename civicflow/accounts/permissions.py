"""Who may do what with organisations, memberships, teams and tokens."""

from __future__ import annotations

from typing import Any

from civicflow.accounts.models import Organisation, Role
from civicflow.accounts.selectors import has_role, is_member


def is_instance_admin(user: Any) -> bool:
    """Return whether ``user`` administers the whole instance."""
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


def can_see_organisation_private(user: Any, organisation: Organisation) -> bool:
    """Members see their organisation's private pages; so do instance administrators."""
    return is_instance_admin(user) or is_member(user, organisation)


def can_manage_members(user: Any, organisation: Organisation) -> bool:
    """Organisation administrators add and remove members and change their roles."""
    return is_instance_admin(user) or has_role(user, organisation, Role.ADMIN)


def can_manage_teams(user: Any, organisation: Organisation) -> bool:
    """Administrators and innovation leads create teams and change who is in them."""
    return is_instance_admin(user) or has_role(user, organisation, Role.ADMIN, Role.INNOVATION_LEAD)


def can_view_audit_log(user: Any, organisation: Organisation) -> bool:
    """Organisation administrators read and export their organisation's audit log."""
    return is_instance_admin(user) or has_role(user, organisation, Role.ADMIN)


def can_create_organisation(user: Any) -> bool:
    """Only instance administrators create organisations."""
    return is_instance_admin(user)
