"""API endpoints for the caller, organisations, members, teams, the audit log and tokens."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from civicflow.accounts import permissions, selectors, services
from civicflow.accounts.models import ApiToken, Organisation, Role, Team, User
from civicflow.api.auth import PUBLIC, signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.core.selectors import audit_events_for_organisation

router = Router(tags=["Accounts and organisations"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    description: str
    website: str


class MembershipOut(Schema):
    organisation: str = Field(description="The organisation's slug.")
    roles: list[str]


class MeOut(Schema):
    id: int
    email: str
    name: str
    memberships: list[MembershipOut]


class MemberOut(Schema):
    id: int
    name: str
    email: str | None = Field(None, description="Shown to organisation administrators only.")
    roles: list[str]
    teams: list[str]


class MemberIn(Schema):
    email: str = Field(max_length=254, description="The email address of the person's account.")
    roles: list[Role] = Field(default_factory=list, description="Roles beside staff.")
    reason: str = Field("", description="Why, for the audit log.")


class RolesIn(Schema):
    roles: list[Role] = Field(default_factory=list, description="Roles beside staff.")
    reason: str = Field("", description="Why, for the audit log.")


class TeamOut(Schema):
    slug: str
    name: str
    description: str
    members: list[int] = Field(description="The ids of the team's members.")

    @staticmethod
    def resolve_members(team: Team) -> list[int]:
        return [team_membership.user_id for team_membership in team.team_memberships.all()]


class TeamIn(Schema):
    name: str = Field(max_length=150)
    description: str = ""


class AuditEventOut(Schema):
    """One thing somebody did in the organisation: who, what, when and why."""

    occurred_at: datetime
    actor: str = Field(validation_alias="actor_label", description="Who did it.")
    action: str
    target_type: str
    target_id: str
    target: str = Field(validation_alias="target_label", description="What it was done to.")
    reason: str
    data: dict[str, Any]


# The columns an AuditEventOut is read from; the list pages in the database, so big logs are cheap.
AUDIT_EVENT_COLUMNS = (
    "occurred_at",
    "actor_label",
    "action",
    "target_type",
    "target_id",
    "target_label",
    "reason",
    "data",
)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    revoked_at: datetime | None
    active: bool


class TokenIn(Schema):
    name: str
    expires_in_days: int | None = Field(90, description="1 to 366, or null for never.")


class NewTokenOut(TokenOut):
    secret: str = Field(description="The token itself. Shown once; keep it secret.")


def _organisation(slug: str) -> Organisation:
    if not SLUG.fullmatch(slug):
        raise Http404  # no organisation has such a slug; the database need not be asked
    organisation = selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _private_organisation(request: HttpRequest, slug: str) -> Organisation:
    user = signed_in_user(request)
    organisation = _organisation(slug)
    if not permissions.can_see_organisation_private(user, organisation):
        raise Http404
    return organisation


def _organisation_out(organisation: Organisation) -> dict[str, Any]:
    return {
        "slug": organisation.slug,
        "name": organisation.name,
        "kind": organisation.kind,
        "description": organisation.description,
        "website": organisation.website,
    }


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": f"{services.TOKEN_PREFIX}{token.prefix}",
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


def _member_rows(organisation: Organisation, *, with_email: bool) -> list[dict[str, Any]]:
    return [
        {
            "id": row["user"].pk,
            "name": str(row["user"]),
            "email": row["user"].email if with_email else None,
            "roles": row["roles"],
            "teams": [team.slug for team in row["teams"]],
        }
        for row in selectors.organisation_members(organisation=organisation)
    ]


def _member_out(organisation: Organisation, user: User) -> dict[str, Any]:
    """Return one member as an administrator sees them, without reading every member."""
    roles = selectors.roles_in(user, organisation)
    teams = (
        selectors.team_list(organisation=organisation)
        .filter(team_memberships__user=user)
        .order_by("name")
    )
    return {
        "id": user.pk,
        "name": str(user),
        "email": user.email,
        "roles": [role for role in Role.values if role in roles],
        "teams": list(teams.values_list("slug", flat=True)),
    }


def _role_values(roles: list[Role]) -> list[str]:
    return [Role(role).value for role in roles]


@router.get("/me", response=MeOut, summary="Who you are, and your roles")
def me(request: HttpRequest) -> dict[str, Any]:
    user = signed_in_user(request)
    roles = selectors.user_roles(user)
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "memberships": [
            {
                "organisation": organisation.slug,
                "roles": [role for role in Role.values if role in roles[organisation.pk]],
            }
            for organisation in selectors.organisations_of(user)
        ],
    }


@router.get(
    "/organisations",
    response=list[OrganisationOut],
    summary="List organisations",
    **PUBLIC,
)
@paginate(PageNumberPagination)
def organisation_list(request: HttpRequest) -> Any:
    # Pages need a total order, or they overlap and skip: names are unique, pk breaks no ties
    # but keeps the order total whatever the selector does.
    return (
        selectors.organisation_list()
        .order_by("name", "pk")
        .values("slug", "name", "kind", "description", "website")
    )


@router.get(
    "/organisations/{slug}",
    response=OrganisationOut,
    summary="One organisation",
    **PUBLIC,
)
def organisation_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    return _organisation_out(_organisation(slug))


@router.get(
    "/organisations/{slug}/members",
    response=list[MemberOut],
    summary="List an organisation's members (members only)",
)
@paginate(PageNumberPagination)
def member_list(request: HttpRequest, slug: str) -> Any:
    organisation = _private_organisation(request, slug)
    return _member_rows(
        organisation, with_email=permissions.can_manage_members(request.user, organisation)
    )


@router.post(
    "/organisations/{slug}/members",
    response={201: MemberOut},
    summary="Add a member (organisation administrators)",
)
def member_add(request: HttpRequest, slug: str, payload: MemberIn) -> Status[Any]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    user = services.member_add(
        actor=request.user,
        organisation=organisation,
        email=payload.email,
        roles=_role_values(payload.roles),
        reason=payload.reason,
    )
    return Status(201, _member_out(organisation, user))


@router.put(
    "/organisations/{slug}/members/{user_id}",
    response=MemberOut,
    summary="Set a member's roles (organisation administrators)",
)
def member_set_roles(
    request: HttpRequest, slug: str, user_id: int, payload: RolesIn
) -> dict[str, Any]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    services.member_set_roles(
        actor=request.user,
        organisation=organisation,
        user=member,
        roles=_role_values(payload.roles),
        reason=payload.reason,
    )
    return _member_out(organisation, member)


@router.delete(
    "/organisations/{slug}/members/{user_id}",
    response={204: None},
    summary="Remove a member (organisation administrators)",
)
def member_remove(
    request: HttpRequest,
    slug: str,
    user_id: int,
    reason: str = Query("", description="Why, for the audit log."),
) -> Status[None]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    services.member_remove(
        actor=request.user, organisation=organisation, user=member, reason=reason
    )
    return Status(204, None)


@router.get(
    "/organisations/{slug}/teams",
    response=list[TeamOut],
    summary="List an organisation's teams (members only)",
)
@paginate(PageNumberPagination)
def team_list(request: HttpRequest, slug: str) -> Any:
    organisation = _private_organisation(request, slug)
    # The selector counts members, and Django leaves Meta.ordering out of grouped queries:
    # without an explicit order, pages would overlap and skip teams.
    return (
        selectors.team_list(organisation=organisation)
        .order_by("name", "pk")
        .prefetch_related("team_memberships")
    )


@router.post(
    "/organisations/{slug}/teams",
    response={201: TeamOut},
    summary="Create a team (administrators and innovation leads)",
)
def team_create(request: HttpRequest, slug: str, payload: TeamIn) -> Status[Team]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_teams(request.user, organisation):
        raise PermissionDenied
    team = services.team_create(
        actor=request.user,
        organisation=organisation,
        name=payload.name,
        description=payload.description,
    )
    return Status(201, team)


@router.get(
    "/organisations/{slug}/audit",
    response=list[AuditEventOut],
    summary="An organisation's audit log (organisation administrators)",
)
@paginate(PageNumberPagination)
def audit_log(request: HttpRequest, slug: str) -> Any:
    organisation = _private_organisation(request, slug)
    if not permissions.can_view_audit_log(request.user, organisation):
        raise PermissionDenied
    # Rows, not instances, and only the page asked for: an audit log grows without end.
    return audit_events_for_organisation(organisation=organisation).values(*AUDIT_EVENT_COLUMNS)


@router.get("/tokens", response=list[TokenOut], summary="List your API tokens")
@paginate(PageNumberPagination)
def token_list(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    return [_token_out(token) for token in selectors.api_token_list(user=user)]


@router.post("/tokens", response={201: NewTokenOut}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> Status[Any]:
    user = signed_in_user(request)
    token, secret = services.api_token_create(
        user=user, name=payload.name, expires_in_days=payload.expires_in_days
    )
    return Status(201, {**_token_out(token), "secret": secret})


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int) -> Status[None]:
    user = signed_in_user(request)
    token = selectors.api_token_list(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=user, token=token)
    return Status(204, None)
