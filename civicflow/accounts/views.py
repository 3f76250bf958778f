"""Pages for organisations, members, teams, the audit log, the profile and API tokens.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. Private pages answer 404 to people outside the organisation, so that they cannot
learn what it holds.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.accounts import permissions, selectors, services
from civicflow.accounts.forms import (
    AccountEraseForm,
    ApiTokenForm,
    MemberAddForm,
    MemberRolesForm,
    OrganisationForm,
    ProfileForm,
    TeamForm,
    TeamMemberForm,
)
from civicflow.accounts.models import ApiToken, Organisation, Role
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import paginate_request as _page
from civicflow.core.selectors import audit_csv_lines, audit_events_for_organisation


def _organisation(slug: str) -> Organisation:
    organisation = selectors.organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _private_organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the user may see its private pages, else 404."""
    organisation = _organisation(slug)
    if not permissions.can_see_organisation_private(request.user, organisation):
        raise Http404
    return organisation


def _crumbs(organisation: Organisation | None = None) -> list[dict[str, str]]:
    from django.urls import reverse

    crumbs = [{"text": _("Organisations"), "href": reverse("accounts:organisations")}]
    if organisation is not None:
        crumbs.append({"text": organisation.name, "href": organisation.get_absolute_url()})
    return crumbs


# Organisations -------------------------------------------------------------------------------


@require_GET
def organisation_list_view(request: HttpRequest) -> HttpResponse:
    """List every organisation on the instance."""
    page = _page(request, selectors.organisation_list())
    return render(
        request,
        "accounts/organisation_list.html",
        {"page": page, "can_create": permissions.can_create_organisation(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create_view(request: HttpRequest) -> HttpResponse:
    """Add an organisation to the instance, with its first administrator."""
    if not permissions.can_create_organisation(request.user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s has been added.") % {"name": organisation})
            return redirect(organisation)
    return render(
        request,
        "accounts/organisation_create.html",
        {"form": form, "breadcrumbs": _crumbs()},
        status=400 if form.errors else 200,
    )


@require_GET
def organisation_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Show an organisation's public page, with links to its private pages for members."""
    organisation = _organisation(slug)
    user = request.user
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "breadcrumbs": _crumbs(),
            "is_member": permissions.can_see_organisation_private(user, organisation),
            "my_roles": [
                Role(role).label
                for role in Role.values
                if role in selectors.roles_in(user, organisation)
            ],
            "can_view_audit": permissions.can_view_audit_log(user, organisation),
            "can_moderate": permissions.can_manage_teams(user, organisation),
        },
    )


# Members -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def member_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List the members of an organisation; administrators add members here."""
    organisation = _private_organisation(request, slug)
    can_manage = permissions.can_manage_members(request.user, organisation)
    form = MemberAddForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                added = services.member_add(
                    actor=request.user,
                    organisation=organisation,
                    email=form.cleaned_data["email"],
                    roles=form.cleaned_data["roles"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("%(name)s is now a member.") % {"name": added})
                return redirect("accounts:members", slug=organisation.slug)
    members = selectors.organisation_members(organisation=organisation)
    return render(
        request,
        "accounts/member_list.html",
        {
            "organisation": organisation,
            "page": _page(request, members),
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": _crumbs(organisation),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_edit_view(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Change a member's roles (organisation administrators)."""
    organisation = _private_organisation(request, slug)
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    current = sorted(selectors.roles_in(member, organisation) - {Role.STAFF})
    form = MemberRolesForm(request.POST or None, initial={"roles": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.member_set_roles(
                actor=request.user,
                organisation=organisation,
                user=member,
                roles=form.cleaned_data["roles"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Roles changed for %(name)s.") % {"name": member})
            return redirect("accounts:members", slug=organisation.slug)
    crumbs = [
        *_crumbs(organisation),
        {"text": _("Members"), "href": f"{organisation.get_absolute_url()}members/"},
    ]
    return render(
        request,
        "accounts/member_edit.html",
        {"organisation": organisation, "member": member, "form": form, "breadcrumbs": crumbs},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def member_remove_view(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    """Remove a member from the organisation (organisation administrators)."""
    organisation = _private_organisation(request, slug)
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if member is None:
        raise Http404
    if not permissions.can_manage_members(request.user, organisation):
        raise PermissionDenied
    try:
        services.member_remove(actor=request.user, organisation=organisation, user=member)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:member_edit", slug=organisation.slug, user_id=member.pk)
    messages.success(request, _("%(name)s is no longer a member.") % {"name": member})
    return redirect("accounts:members", slug=organisation.slug)


# Teams ---------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def team_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List an organisation's teams; administrators and innovation leads create them."""
    organisation = _private_organisation(request, slug)
    can_manage = permissions.can_manage_teams(request.user, organisation)
    form = TeamForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                team = services.team_create(
                    actor=request.user, organisation=organisation, **form.cleaned_data
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("Team %(name)s created.") % {"name": team.name})
                return redirect("accounts:team", slug=organisation.slug, team_slug=team.slug)
    return render(
        request,
        "accounts/team_list.html",
        {
            "organisation": organisation,
            "teams": selectors.team_list(organisation=organisation),
            "form": form,
            "breadcrumbs": _crumbs(organisation),
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def team_detail_view(request: HttpRequest, slug: str, team_slug: str) -> HttpResponse:
    """Show a team and its members; administrators and innovation leads add members."""
    organisation = _private_organisation(request, slug)
    team = selectors.team_get(organisation=organisation, slug=team_slug)
    if team is None:
        raise Http404
    can_manage = permissions.can_manage_teams(request.user, organisation)
    in_team = {tm.user_id for tm in team.team_memberships.all()}
    choices = [
        (row["user"].pk, f"{row['user']} ({row['user'].email})")
        for row in selectors.organisation_members(organisation=organisation)
        if row["user"].pk not in in_team
    ]
    form = TeamMemberForm(request.POST or None, members=choices) if can_manage else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            member = selectors.organisation_member_get(
                organisation=organisation, user_id=form.cleaned_data["user"]
            )
            assert member is not None  # the choices only hold members
            services.team_add_member(actor=request.user, team=team, user=member)
            messages.success(request, _("%(name)s added to the team.") % {"name": member})
            return redirect("accounts:team", slug=organisation.slug, team_slug=team.slug)
    crumbs = [
        *_crumbs(organisation),
        {"text": _("Teams"), "href": f"{organisation.get_absolute_url()}teams/"},
    ]
    return render(
        request,
        "accounts/team_detail.html",
        {
            "organisation": organisation,
            "team": team,
            "form": form,
            "can_manage": can_manage,
            "breadcrumbs": crumbs,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
@require_POST
def team_member_remove_view(
    request: HttpRequest, slug: str, team_slug: str, user_id: int
) -> HttpResponse:
    """Take a member out of a team."""
    organisation = _private_organisation(request, slug)
    team = selectors.team_get(organisation=organisation, slug=team_slug)
    member = selectors.organisation_member_get(organisation=organisation, user_id=user_id)
    if team is None or member is None:
        raise Http404
    if not permissions.can_manage_teams(request.user, organisation):
        raise PermissionDenied
    services.team_remove_member(actor=request.user, team=team, user=member)
    messages.success(request, _("%(name)s taken out of the team.") % {"name": member})
    return redirect("accounts:team", slug=organisation.slug, team_slug=team.slug)


# Audit log -----------------------------------------------------------------------------------


def _audit_organisation(request: HttpRequest, slug: str) -> Organisation:
    organisation = _private_organisation(request, slug)
    if not permissions.can_view_audit_log(request.user, organisation):
        raise PermissionDenied
    return organisation


@login_required
@require_GET
def audit_log_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the organisation's audit log, newest first (organisation administrators)."""
    organisation = _audit_organisation(request, slug)
    events = audit_events_for_organisation(organisation=organisation)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "organisation": organisation,
            "page": _page(request, events),
            "breadcrumbs": _crumbs(organisation),
        },
    )


@login_required
@require_GET
def audit_log_csv_view(request: HttpRequest, slug: str) -> StreamingHttpResponse:
    """Download the organisation's whole audit log as CSV."""
    organisation = _audit_organisation(request, slug)
    events = audit_events_for_organisation(organisation=organisation).iterator(chunk_size=500)
    response = StreamingHttpResponse(audit_csv_lines(events), content_type="text/csv")
    stamp = timezone.now().strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-audit-log-{stamp}.csv"'
    )
    return response


# Your account --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def profile_view(request: HttpRequest) -> HttpResponse:
    """Show your account: your name, organisations and roles, and links to security settings."""
    user = request.user
    form = ProfileForm(request.POST or None, initial={"name": user.name})  # type: ignore[union-attr]
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update_profile(user=user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your name has been saved."))
            return redirect("accounts:profile")
    roles = selectors.user_roles(user)
    organisations = [
        {
            "organisation": organisation,
            "roles": [Role(role).label for role in Role.values if role in roles[organisation.pk]],
        }
        for organisation in selectors.organisations_of(user)
    ]
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "organisations": organisations},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_list_view(request: HttpRequest) -> HttpResponse:
    """List your API tokens and make a new one, whose secret is shown once."""
    form = ApiTokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.api_token_create(
                user=request.user,  # type: ignore[arg-type]
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            form = ApiTokenForm()
    response = render(
        request,
        "accounts/token_list.html",
        {
            "form": form,
            "secret": secret,
            "tokens": selectors.api_token_list(user=request.user),  # type: ignore[arg-type]
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of your API tokens."""
    token = get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.api_token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, _("Token ‘%(name)s’ revoked.") % {"name": token.name})
    return redirect("accounts:tokens")


@login_required
@require_GET
def data_export_view(request: HttpRequest) -> HttpResponse:
    """Download everything civicflow holds about you, as JSON."""
    data = services.user_export_data(user=request.user)  # type: ignore[arg-type]
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = 'attachment; filename="civicflow-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def account_erase_view(request: HttpRequest) -> HttpResponse:
    """Close your account and erase your personal data, after confirming your password."""
    form = AccountEraseForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_erase(user=request.user)  # type: ignore[arg-type]
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is closed and your personal data erased."))
            return redirect("web:home")
    return render(
        request,
        "accounts/account_erase.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
