"""Reads about people, organisations, roles and teams."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from civicflow.accounts.models import (
    ApiToken,
    Membership,
    Organisation,
    Role,
    Team,
    TeamMembership,
    User,
)

_ROLE_CACHE = "_civicflow_roles"


def user_roles(user: Any) -> dict[int, frozenset[str]]:
    """Return the roles ``user`` holds, by organisation id (one query, then cached on user)."""
    if not getattr(user, "is_authenticated", False):
        return {}
    cached = getattr(user, _ROLE_CACHE, None)
    if cached is None:
        found: dict[int, set[str]] = defaultdict(set)
        for organisation_id, role in Membership.objects.filter(user=user).values_list(
            "organisation_id", "role"
        ):
            found[organisation_id].add(role)
        cached = {org_id: frozenset(roles) for org_id, roles in found.items()}
        setattr(user, _ROLE_CACHE, cached)
    return cached


def forget_user_roles(user: Any) -> None:
    """Drop the roles cached on ``user`` after they change."""
    if hasattr(user, _ROLE_CACHE):
        delattr(user, _ROLE_CACHE)


def roles_in(user: Any, organisation: Organisation) -> frozenset[str]:
    """Return the roles ``user`` holds in ``organisation``."""
    return user_roles(user).get(organisation.pk, frozenset())


def is_member(user: Any, organisation: Organisation) -> bool:
    """Return whether ``user`` belongs to ``organisation``."""
    return bool(roles_in(user, organisation))


def has_role(user: Any, organisation: Organisation, *roles: str) -> bool:
    """Return whether ``user`` holds any of ``roles`` in ``organisation``."""
    return bool(roles_in(user, organisation) & set(roles))


def organisation_list() -> QuerySet[Organisation]:
    """Return every organisation on the instance (their names and purpose are public)."""
    return Organisation.objects.annotate(
        member_count=Count("memberships__user", distinct=True)
    ).order_by("name")


def organisation_get(*, slug: str) -> Organisation | None:
    """Return the organisation with ``slug``, or None."""
    return Organisation.objects.filter(slug=slug).first()


def organisations_of(user: Any) -> QuerySet[Organisation]:
    """Return the organisations ``user`` belongs to."""
    return Organisation.objects.filter(pk__in=list(user_roles(user))).order_by("name")


def organisation_members(*, organisation: Organisation) -> list[dict[str, Any]]:
    """Return each member of ``organisation`` with their roles and teams, by name."""
    rows: dict[int, dict[str, Any]] = {}
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__name", "user__email", "role")
    )
    order = {value: index for index, value in enumerate(Role.values)}
    for membership in memberships:
        row = rows.setdefault(
            membership.user_id, {"user": membership.user, "roles": [], "teams": []}
        )
        row["roles"].append(membership.role)
    for team_membership in TeamMembership.objects.filter(
        team__organisation=organisation, user_id__in=list(rows)
    ).select_related("team"):
        rows[team_membership.user_id]["teams"].append(team_membership.team)
    for row in rows.values():
        row["roles"].sort(key=order.__getitem__)
        row["role_labels"] = [Role(role).label for role in row["roles"]]
    return list(rows.values())


def organisation_member_get(*, organisation: Organisation, user_id: int) -> User | None:
    """Return the member of ``organisation`` with ``user_id``, or None."""
    return User.objects.filter(pk=user_id, memberships__organisation=organisation).first()


def team_list(*, organisation: Organisation) -> QuerySet[Team]:
    """Return the teams of ``organisation`` with their member counts."""
    return (
        Team.objects.filter(organisation=organisation)
        .annotate(member_count=Count("team_memberships"))
        .order_by("name")
    )


def team_get(*, organisation: Organisation, slug: str) -> Team | None:
    """Return the team ``slug`` of ``organisation`` with its members, or None."""
    return (
        Team.objects.filter(organisation=organisation, slug=slug)
        .prefetch_related(
            Prefetch(
                "team_memberships",
                queryset=TeamMembership.objects.select_related("user").order_by(
                    "user__name", "user__email"
                ),
            )
        )
        .first()
    )


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """Return ``user``'s API tokens, newest first."""
    return ApiToken.objects.filter(user=user)
