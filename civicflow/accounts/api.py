"""API endpoints for the caller, organisations, members, teams, the audit log and tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from civicflow.accounts import permissions, selectors, services
from civicflow.accounts.models import ApiToken, Organisation, Role
from civicflow.api.auth import signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.core.selectors import audit_events_for_organisation

router = Router(tags=["Accounts and organisations"])


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
    email: str
    roles: list[str] = Field(default_factory=list, description="Roles beside staff.")
    reason: str = ""


class RolesIn(Schema):
    roles: list[str] = Field(default_factory=list, description="Roles beside staff.")
    reason: str = ""


class TeamOut(Schema):
    slug: str
    name: str
    description: str
    members: list[int]


class TeamIn(Schema):
    name: str
    description: str = ""


class AuditEventOut(Schema):
    occurred_at: datetime
    actor: str
    action: str
    target_type: str
    target_id: str
    target: str
    reason: str
    data: dict[str, Any]


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
        "prefix": f"cfp_{token.prefix}",
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


@router.get("/organisations", response=list[OrganisationOut], summary="List organisations")
@paginate(PageNumberPagination)
def organisation_list(request: HttpRequest) -> Any:
    return selectors.organisation_list().values("slug", "name", "kind", "description", "website")


@router.get("/organisations/{slug}", response=OrganisationOut, summary="One organisation")
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
def member_add(request: HttpRequest, slug: str, payload: MemberIn) -> tuple[int, Any]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    user = services.member_add(
        actor=request.user,
        organisation=organisation,
        email=payload.email,
        roles=payload.roles,
        reason=payload.reason,
    )
    rows = _member_rows(organisation, with_email=True)
    return 201, next(row for row in rows if row["id"] == user.pk)


@router.put(
    "/organisations/{slug}/members/{user_id}",
    response=MemberOut,
    summary="Set a member's roles (organisation administrators)",
)
def member_set_roles(
    request: HttpRequest, slug: str, user_id: int, payload: RolesIn
) -> dict[str, Any]:
    organisation = _private_organisation(request, slug)
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    services.member_set_roles(
        actor=request.user,
        organisation=organisation,
        user=member,
        roles=payload.roles,
        reason=payload.reason,
    )
    rows = _member_rows(organisation, with_email=True)
    return next(row for row in rows if row["id"] == member.pk)


@router.delete(
    "/organisations/{slug}/members/{user_id}",
    response={204: None},
    summary="Remove a member (organisation administrators)",
)
def member_remove(request: HttpRequest, slug: str, user_id: int) -> tuple[int, None]:
    organisation = _private_organisation(request, slug)
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    services.member_remove(actor=request.user, organisation=organisation, user=member)
    return 204, None


@router.get(
    "/organisations/{slug}/teams",
    response=list[TeamOut],
    summary="List an organisation's teams (members only)",
)
@paginate(PageNumberPagination)
def team_list(request: HttpRequest, slug: str) -> Any:
    organisation = _private_organisation(request, slug)
    teams = selectors.team_list(organisation=organisation).prefetch_related("team_memberships")
    return [
        {
            "slug": team.slug,
            "name": team.name,
            "description": team.description,
            "members": [tm.user_id for tm in team.team_memberships.all()],
        }
        for team in teams
    ]


@router.post(
    "/organisations/{slug}/teams",
    response={201: TeamOut},
    summary="Create a team (administrators and innovation leads)",
)
def team_create(request: HttpRequest, slug: str, payload: TeamIn) -> tuple[int, Any]:
    organisation = _private_organisation(request, slug)
    if not permissions.can_manage_teams(request.user, organisation):
        raise PermissionDenied
    team = services.team_create(
        actor=request.user,
        organisation=organisation,
        name=payload.name,
        description=payload.description,
    )
    return 201, {
        "slug": team.slug,
        "name": team.name,
        "description": team.description,
        "members": [],
    }


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
    return [
        {
            "occurred_at": event.occurred_at,
            "actor": event.actor_label,
            "action": event.action,
            "target_type": event.target_type,
            "target_id": event.target_id,
            "target": event.target_label,
            "reason": event.reason,
            "data": event.data,
        }
        for event in audit_events_for_organisation(organisation=organisation)
    ]


@router.get("/tokens", response=list[TokenOut], summary="List your API tokens")
@paginate(PageNumberPagination)
def token_list(request: HttpRequest) -> Any:
    user = signed_in_user(request)
    return [_token_out(token) for token in selectors.api_token_list(user=user)]


@router.post("/tokens", response={201: NewTokenOut}, summary="Create an API token")
def token_create(request: HttpRequest, payload: TokenIn) -> tuple[int, Any]:
    user = signed_in_user(request)
    token, secret = services.api_token_create(
        user=user, name=payload.name, expires_in_days=payload.expires_in_days
    )
    return 201, {**_token_out(token), "secret": secret}


@router.delete("/tokens/{token_id}", response={204: None}, summary="Revoke an API token")
def token_revoke(request: HttpRequest, token_id: int) -> tuple[int, None]:
    user = signed_in_user(request)
    token = selectors.api_token_list(user=user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=user, token=token)
    return 204, None
