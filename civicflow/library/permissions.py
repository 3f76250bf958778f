"""Who may see a case study, write it, review it, and adopt it.

Published cases are seen according to their sharing: public ones by everyone, network ones by
members of any organisation on the instance, private ones by members of the publishing
organisation only. Unpublished cases (drafts, submitted, returned) are seen by the members of
their organisation. Members draft cases; the author and the organisation's editors change and
submit them. Editors are the organisation's innovation leads and administrators (and instance
administrators): they review submitted cases and import open data. Innovation leads and
administrators of another organisation adopt a published case they can see.
"""

from __future__ import annotations

from typing import Any

from civicflow.accounts.models import Role
from civicflow.accounts.permissions import is_instance_admin
from civicflow.accounts.selectors import has_role, is_member, user_roles
from civicflow.library.models import Adoption, CaseStatus, CaseStudy, Sharing

EDITORS = (Role.ADMIN, Role.INNOVATION_LEAD)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def in_network(user: Any) -> bool:
    """Whether ``user`` is a member of any organisation on the instance."""
    return is_instance_admin(user) or bool(user_roles(user))


def can_view_case(user: Any, case: CaseStudy) -> bool:
    """Whether ``user`` may read ``case`` at all."""
    if is_instance_admin(user) or is_member(user, case.organisation):
        return True
    if case.status != CaseStatus.PUBLISHED:
        return False
    if case.sharing == Sharing.PUBLIC:
        return True
    return case.sharing == Sharing.NETWORK and in_network(user)


def can_write_cases(user: Any, organisation: Any) -> bool:
    """Members of an organisation draft case studies for it."""
    return is_instance_admin(user) or is_member(user, organisation)


def is_editor(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators review, publish and import the organisation's
    cases."""
    return is_instance_admin(user) or has_role(user, organisation, *EDITORS)


def can_edit_case(user: Any, case: CaseStudy) -> bool:
    """The author (while a member) changes a draft or returned case; the organisation's
    editors change any of its cases, published or waiting for review."""
    if is_editor(user, case.organisation):
        return True
    if case.status not in (CaseStatus.DRAFT, CaseStatus.RETURNED) or not _signed_in(user):
        return False
    return case.created_by_id == user.pk and is_member(user, case.organisation)


def can_review_case(user: Any, case: CaseStudy) -> bool:
    return is_editor(user, case.organisation)


def can_adopt(user: Any, organisation: Any) -> bool:
    """Innovation leads and administrators adopt cases for their organisation (they start
    its challenges and initiatives)."""
    return is_instance_admin(user) or has_role(user, organisation, *EDITORS)


def can_view_adoption(user: Any, adoption: Adoption) -> bool:
    """Whether ``user`` sees the adoption on its source case's spread page."""
    if is_instance_admin(user) or is_member(user, adoption.organisation):
        return True
    if adoption.sharing == Sharing.PUBLIC:
        return True
    return adoption.sharing == Sharing.NETWORK and in_network(user)


def can_import(user: Any) -> bool:
    """Editors of at least one organisation (and instance administrators) import open data;
    each imported case must belong to an organisation they edit."""
    if is_instance_admin(user):
        return True
    return any(roles & set(EDITORS) for roles in user_roles(user).values())
