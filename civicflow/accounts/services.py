"""Writes about people, organisations, memberships, teams and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from civicflow.accounts.models import (
    ERASED_EMAIL_DOMAIN,
    ApiToken,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    Team,
    TeamMembership,
    User,
)
from civicflow.accounts.selectors import forget_user_roles
from civicflow.core.audit import audit_record, register_actions
from civicflow.core.models import AuditEvent
from civicflow.core.personal_data import personal_data_erase, personal_data_export

RESERVED_SLUGS = {"new"}

register_actions(
    {
        "organisation.created": _("Organisation added"),
        "membership.joined": _("Became a member"),
        "membership.roles_changed": _("Roles changed"),
        "membership.removed": _("Removed from the organisation"),
        "team.created": _("Team created"),
        "team.member_added": _("Added to a team"),
        "team.member_removed": _("Taken out of a team"),
        "api_token.created": _("API token created"),
        "api_token.revoked": _("API token revoked"),
        "account.erased": _("Account closed and personal data erased"),
    }
)
TOKEN_PREFIX = "cfp_"  # noqa: S105 - a public marker, not a secret


# Organisations -------------------------------------------------------------------------------


def organisation_create(
    *,
    actor: Any,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    slug: str = "",
    administrator_email: str = "",
) -> Organisation:
    """Create an organisation; its slug comes from its name unless given.

    With ``administrator_email``, the person with that account becomes its first
    administrator, so that someone can run it from the start.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the organisation's name."})
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": "Select the kind of organisation."})
    slug = slugify(slug or name)[:80]
    if not slug or slug in RESERVED_SLUGS:
        raise ValidationError({"name": "Use letters or numbers in the organisation's name."})
    administrator = None
    if administrator_email:
        administrator = User.objects.filter(email__iexact=administrator_email.strip()).first()
        if administrator is None:
            raise ValidationError(
                {
                    "administrator_email": "No account uses this email address. Ask the person "
                    "to create an account first."
                }
            )
    if Organisation.objects.filter(name__iexact=name).exists():
        raise ValidationError({"name": "An organisation with this name already exists."})
    if Organisation.objects.filter(slug=slug).exists():
        raise ValidationError({"name": "An organisation with a name like this already exists."})
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name, slug=slug, kind=kind, description=description, website=website
        )
        audit_record(
            actor=actor,
            action="organisation.created",
            target=organisation,
            organisation=organisation,
        )
        if administrator is not None:
            member_set_roles(
                actor=actor,
                organisation=organisation,
                user=administrator,
                roles=[Role.ADMIN],
                reason="First administrator",
            )
    return organisation


# Memberships ---------------------------------------------------------------------------------


def _clean_roles(roles: Iterable[str]) -> set[str]:
    chosen = set(roles)
    unknown = chosen - set(Role.values)
    if unknown:
        raise ValidationError({"roles": "Select roles from the list."})
    chosen.add(Role.STAFF)
    return chosen


def member_set_roles(
    *,
    actor: Any,
    organisation: Organisation,
    user: User,
    roles: Iterable[str],
    reason: str = "",
) -> set[str]:
    """Give ``user`` exactly ``roles`` in ``organisation`` (staff is always included).

    Refuse to remove the organisation's last administrator.
    """
    wanted = _clean_roles(roles)
    with transaction.atomic():
        _lock_membership_changes(organisation, user)
        current = set(
            Membership.objects.filter(organisation=organisation, user=user).values_list(
                "role", flat=True
            )
        )
        removed = current - wanted
        if Role.ADMIN in removed and _is_last_admin(organisation, user):
            raise ValidationError(
                {
                    "roles": "This person is the organisation's only administrator. "
                    "Make someone else an administrator first."
                }
            )
        added = wanted - current
        Membership.objects.filter(organisation=organisation, user=user, role__in=removed).delete()
        Membership.objects.bulk_create(
            [Membership(organisation=organisation, user=user, role=role) for role in added],
            ignore_conflicts=True,
        )
        if added or removed:
            audit_record(
                actor=actor,
                action="membership.joined" if not current else "membership.roles_changed",
                target=user,
                organisation=organisation,
                reason=reason,
                data={"added": sorted(added), "removed": sorted(removed)},
            )
    forget_user_roles(user)
    return wanted


def member_add(
    *,
    actor: Any,
    organisation: Organisation,
    email: str,
    roles: Iterable[str],
    reason: str = "",
) -> User:
    """Add the person with account ``email`` to ``organisation`` with ``roles``."""
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError({"email": "Enter the email address of the person's account."})
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        raise ValidationError(
            {
                "email": "No account uses this email address. Ask the person to create an "
                "account first, then add them."
            }
        )
    if Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"email": "This person is already a member."})
    member_set_roles(actor=actor, organisation=organisation, user=user, roles=roles, reason=reason)
    return user


def member_remove(*, actor: Any, organisation: Organisation, user: User, reason: str = "") -> None:
    """Remove ``user`` from ``organisation`` and its teams."""
    with transaction.atomic():
        _lock_membership_changes(organisation, user)
        if _is_last_admin(organisation, user):
            raise ValidationError(
                {
                    "user": "This person is the organisation's only administrator. "
                    "Make someone else an administrator first."
                }
            )
        Membership.objects.filter(organisation=organisation, user=user).delete()
        TeamMembership.objects.filter(team__organisation=organisation, user=user).delete()
        audit_record(
            actor=actor,
            action="membership.removed",
            target=user,
            organisation=organisation,
            reason=reason,
        )
    forget_user_roles(user)


def _lock_membership_changes(organisation: Organisation, user: User) -> None:
    """Queue parallel changes to an organisation's members behind one another.

    Locking the organisation keeps two administrators from demoting each other at once and
    leaving nobody in charge; locking the person makes each change see the last one's result,
    so the audit log records it once. (SQLite takes a database-wide write lock instead.)
    """
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    User.objects.select_for_update().filter(pk=user.pk).first()


def _is_last_admin(organisation: Organisation, user: User) -> bool:
    admins = set(
        Membership.objects.filter(organisation=organisation, role=Role.ADMIN).values_list(
            "user_id", flat=True
        )
    )
    return admins == {user.pk}


# Teams ---------------------------------------------------------------------------------------


def team_create(
    *, actor: Any, organisation: Organisation, name: str, description: str = ""
) -> Team:
    """Create a team in ``organisation``."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter the team's name."})
    if len(name) > 150:
        raise ValidationError({"name": "Team name must be 150 characters or fewer."})
    slug = slugify(name)[:80]
    if not slug:
        raise ValidationError({"name": "Use letters or numbers in the team's name."})
    try:
        with transaction.atomic():
            team = Team.objects.create(
                organisation=organisation, name=name, slug=slug, description=description
            )
            audit_record(actor=actor, action="team.created", target=team, organisation=organisation)
    except IntegrityError as error:
        raise ValidationError({"name": "A team with this name already exists."}) from error
    return team


def team_add_member(*, actor: Any, team: Team, user: User) -> None:
    """Put ``user``, who must be a member of the team's organisation, in ``team``."""
    if not Membership.objects.filter(organisation_id=team.organisation_id, user=user).exists():
        raise ValidationError({"user": "Only members of the organisation can join its teams."})
    with transaction.atomic():
        _, created = TeamMembership.objects.get_or_create(team=team, user=user)
        if created:
            audit_record(
                actor=actor,
                action="team.member_added",
                target=team,
                organisation=team.organisation,
                data={"user": user.pk},
            )


def team_remove_member(*, actor: Any, team: Team, user: User) -> None:
    """Take ``user`` out of ``team``."""
    with transaction.atomic():
        deleted, _ = TeamMembership.objects.filter(team=team, user=user).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="team.member_removed",
                target=team,
                organisation=team.organisation,
                data={"user": user.pk},
            )


# Profile -------------------------------------------------------------------------------------


def user_update_profile(*, user: User, name: str) -> User:
    """Change the name ``user`` is shown by."""
    name = name.strip()
    if len(name) > 150:
        raise ValidationError({"name": "Name must be 150 characters or fewer."})
    user.name = name
    user.save(update_fields=["name"])
    return user


# API tokens ----------------------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, user: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Make a personal API token for ``user``; return it and its secret, shown only once."""
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Enter a name that says what the token is for."})
    if len(name) > 100:
        raise ValidationError({"name": "Name must be 100 characters or fewer."})
    if expires_in_days is not None and not 1 <= expires_in_days <= 366:
        raise ValidationError({"expires_in_days": "Expiry must be between 1 and 366 days."})
    if ApiToken.objects.filter(user=user).active().count() >= 20:
        raise ValidationError({"name": "You have 20 active tokens. Revoke one you no longer use."})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    expires_at = timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name, prefix=prefix, digest=_digest(secret), expires_at=expires_at
        )
        audit_record(actor=user, action="api_token.created", target=token)
    return token, secret


def api_token_revoke(*, user: User, token: ApiToken) -> None:
    """Revoke ``token`` so it no longer works."""
    if token.user_id != user.pk:
        raise ValidationError("You can only revoke your own tokens.")
    if token.revoked_at is not None:
        return
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=user, action="api_token.revoked", target=token)


def api_token_authenticate(secret: str) -> User | None:
    """Return the active user whose live token is ``secret``, or None."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(digest=_digest(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# Personal data -------------------------------------------------------------------------------


def user_export_data(*, user: User) -> dict[str, Any]:
    """Return everything civicflow holds about ``user`` as plain data, for a download.

    The account, memberships, teams, tokens and actions come from here; each domain app adds
    what it holds through ``core.personal_data``.
    """
    data: dict[str, Any] = {
        "account": {
            "email": user.email,
            "name": user.name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
        "memberships": [
            {"organisation": organisation, "role": role}
            for organisation, role in Membership.objects.filter(user=user)
            .order_by("organisation__name", "role")
            .values_list("organisation__name", "role")
        ],
        "teams": [
            {"organisation": organisation, "team": team}
            for organisation, team in TeamMembership.objects.filter(user=user)
            .order_by("team__organisation__name", "team__name")
            .values_list("team__organisation__name", "team__name")
        ],
        "api_tokens": [
            {
                "name": token.name,
                "created_at": token.created_at.isoformat(),
                "revoked_at": token.revoked_at.isoformat() if token.revoked_at else None,
            }
            for token in ApiToken.objects.filter(user=user)
        ],
        "actions": [
            {
                "occurred_at": occurred_at.isoformat(),
                "action": action,
                "target": target,
                "reason": reason,
            }
            for occurred_at, action, target, reason in AuditEvent.objects.filter(actor=user)
            .order_by("occurred_at", "id")
            .values_list("occurred_at", "action", "target_label", "reason")
        ],
    }
    from_apps = personal_data_export(user)
    if clash := sorted(data.keys() & from_apps.keys()):
        raise ValueError(f"Personal data registered under a name accounts uses: {clash}")
    return data | from_apps


def user_erase(*, user: User, reason: str = "") -> None:
    """Erase ``user``'s personal data and close the account.

    The account row stays, anonymised, so that what the person did (ideas, decisions) keeps
    its place in the record without saying who they were: pages show them as a former
    participant. Each domain app erases what it registered in ``core.personal_data`` first,
    in the same transaction (ADR 0011). Refuse while they are the only administrator of an
    organisation.
    """

    sole_admin_of = [
        membership.organisation.name
        for membership in Membership.objects.filter(user=user, role=Role.ADMIN).select_related(
            "organisation"
        )
        if _is_last_admin(membership.organisation, user)
    ]
    if sole_admin_of:
        raise ValidationError(
            "You are the only administrator of "
            + ", ".join(sole_admin_of)
            + ". Make someone else an administrator first."
        )
    with transaction.atomic():
        personal_data_erase(user)
        Membership.objects.filter(user=user).delete()
        TeamMembership.objects.filter(user=user).delete()
        ApiToken.objects.filter(user=user).delete()
        EmailAddress.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        user.email = f"erased-{user.pk}@{ERASED_EMAIL_DOMAIN}"
        user.name = ""
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.set_unusable_password()
        user.save()
        audit_record(actor=None, action="account.erased", target=user, reason=reason)
        # The log tells erased people apart, where pages call each a former participant.
        label = f"Erased person {user.pk}"
        AuditEvent.objects.pseudonymise_person(user_id=user.pk, label=label)
    forget_user_roles(user)
