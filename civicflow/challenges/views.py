"""Pages for challenges: the list, one challenge, creating and editing, lifecycle and follows.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. A challenge someone may not see answers as if it did not exist, except that a person
who is not signed in is asked to sign in, and a member of the organisation who lacks the role
(a draft, for a member of staff) is refused with 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import is_member, organisation_get
from civicflow.challenges import permissions, selectors, services
from civicflow.challenges.forms import (
    KIND_HINTS,
    ChallengeFilterForm,
    ChallengeForm,
    ChallengeKindForm,
    ChallengeMoveForm,
    FollowForm,
)
from civicflow.challenges.models import Challenge, Kind, Status
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import paginate_request as _page
from civicflow.core.signin import SignInFirst as _SignInFirst
from civicflow.core.signin import sign_in_first as _sign_in_first

HISTORY_LIMIT = 50


def _organisation(slug: str) -> Organisation:
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    """Return the challenge if ``request.user`` may see it.

    Otherwise: ask an anonymous person to sign in, refuse a member of the organisation with
    403 (only drafts are hidden from members), and answer 404 to everyone else, whether or
    not the challenge exists.
    """
    user = request.user
    challenge = selectors.challenge_get(user=user, organisation_slug=slug, slug=challenge_slug)
    if challenge is not None:
        return challenge
    organisation = _organisation(slug)
    if not user.is_authenticated:
        raise _SignInFirst
    if (
        is_member(user, organisation)
        and Challenge.objects.filter(organisation=organisation, slug=challenge_slug).exists()
    ):
        raise PermissionDenied
    raise Http404


def _managed_organisation(request: HttpRequest, slug: str) -> Organisation:
    """Return the organisation if the person manages its challenges.

    404 to people outside it, 403 to members who are not innovation leads or administrators.
    """
    organisation = _organisation(slug)
    user = request.user
    if permissions.can_manage_challenges(user, organisation):
        return organisation
    if is_member(user, organisation):
        raise PermissionDenied
    raise Http404


def _managed_challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    """Return the challenge for a manager's page, refusing others as ``_managed_organisation``."""
    _managed_organisation(request, slug)
    challenge = selectors.challenge_get(
        user=request.user, organisation_slug=slug, slug=challenge_slug
    )
    if challenge is None:
        raise Http404
    return challenge


def _crumbs(organisation: Organisation | None = None) -> list[dict[str, str]]:
    crumbs = [{"text": _("Challenges"), "href": reverse("challenges:list")}]
    if organisation is not None:
        crumbs.append(
            {
                "text": organisation.name,
                "href": reverse("challenges:organisation", args=[organisation.slug]),
            }
        )
    return crumbs


# Lists ---------------------------------------------------------------------------------------


def _list(request: HttpRequest, organisation: Organisation | None) -> HttpResponse:
    organisations = (
        None
        if organisation is not None
        else [(o.slug, o.name) for o in selectors.filter_organisations()]
    )
    form = ChallengeFilterForm(request.GET or None, organisations=organisations)
    values: dict[str, Any] = {}
    if form.is_bound:
        form.is_valid()
        values = {name: value for name, value in form.cleaned_data.items() if value}
    filtered = bool(values)
    if organisation is not None:
        values["organisation"] = organisation.slug
    now = timezone.now()
    challenges = selectors.challenge_list(
        user=request.user, filters=selectors.ChallengeFilters(**values), now=now
    )
    page = _page(request, challenges)
    can_create = organisation is not None and permissions.can_manage_challenges(
        request.user, organisation
    )
    return render(
        request,
        "challenges/challenge_list.html",
        {
            "organisation": organisation,
            "form": form,
            "filtered": filtered,
            "page": page,
            "rows": selectors.challenge_rows(page.object_list, now),
            "can_create": can_create,
            "breadcrumbs": _crumbs() if organisation is not None else [],
        },
        status=400 if form.errors else 200,
    )


@require_GET
def challenge_list_view(request: HttpRequest) -> HttpResponse:
    """List every challenge the person may see, with filters."""
    return _list(request, None)


@require_GET
def organisation_challenges_view(request: HttpRequest, slug: str) -> HttpResponse:
    """List one organisation's challenges; its managers see drafts here too."""
    return _list(request, _organisation(slug))


# One challenge -------------------------------------------------------------------------------


@require_GET
@_sign_in_first
def challenge_detail_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Show a challenge, its phases and what the person can do in it now."""
    challenge = _challenge(request, slug, challenge_slug)
    user = request.user
    now = timezone.now()
    can_manage = permissions.can_manage_challenges(user, challenge.organisation)
    following = selectors.is_following(user=user, challenge=challenge)
    return render(
        request,
        "challenges/challenge_detail.html",
        {
            "organisation": challenge.organisation,
            "challenge": challenge,
            "participation": selectors.participation(user, challenge, now),
            "timeline": selectors.phase_timeline(challenge, now),
            "following": following,
            "can_follow": following or permissions.can_follow(user, challenge),
            "can_manage": can_manage,
            "can_edit": permissions.can_edit_challenge(user, challenge),
            "moves": permissions.available_moves(user, challenge),
            "move_form": ChallengeMoveForm(),
            "history": list(selectors.challenge_history(challenge=challenge)[:HISTORY_LIMIT])
            if can_manage
            else [],
            "breadcrumbs": _crumbs(challenge.organisation),
        },
    )


def _teams(organisation: Organisation) -> list[Any]:
    return list(selectors.organisation_teams(organisation=organisation))


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Draft a new challenge: first choose its kind, then fill in the rest."""
    organisation = _managed_organisation(request, slug)
    context: dict[str, Any] = {"organisation": organisation, "breadcrumbs": _crumbs(organisation)}
    chosen = request.POST if request.method == "POST" else request.GET
    kind_form = ChallengeKindForm(chosen if "kind" in chosen or request.method == "POST" else None)
    if not kind_form.is_valid():
        return render(
            request,
            "challenges/challenge_kind.html",
            {
                **context,
                "form": kind_form,
                "kinds": [(value, label, KIND_HINTS[value]) for value, label in Kind.choices],
            },
            status=400 if kind_form.errors else 200,
        )
    kind = kind_form.cleaned_data["kind"]
    form = ChallengeForm(
        request.POST if request.method == "POST" else None,
        kind=kind,
        teams=_teams(organisation) if kind == Kind.IMPROVEMENT_BOARD else [],
    )
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(
                actor=request.user,
                organisation=organisation,
                kind=kind,
                **form.service_arguments(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(title)s has been saved as a draft. Only managers can see it until you "
                    "publish it."
                )
                % {"title": challenge.title},
            )
            return redirect(challenge)
    return render(
        request,
        "challenges/challenge_form.html",
        {**context, "form": form, "kind": kind, "kind_label": Kind(kind).label, "creating": True},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Change a challenge's text, audience, team and phase dates (managers)."""
    challenge = _managed_challenge(request, slug, challenge_slug)
    if challenge.status == Status.ARCHIVED:
        messages.error(request, _("An archived challenge cannot be changed."))
        return redirect(challenge)
    organisation = challenge.organisation
    form = ChallengeForm(
        request.POST if request.method == "POST" else None,
        initial=ChallengeForm.initial_for(challenge),
        kind=challenge.kind,
        teams=_teams(organisation) if challenge.kind == Kind.IMPROVEMENT_BOARD else [],
        with_reason=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                actor=request.user,
                challenge=challenge,
                reason=form.cleaned_data["reason"],
                **form.service_arguments(),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(challenge)
    crumbs = [
        *_crumbs(organisation),
        {"text": challenge.title, "href": challenge.get_absolute_url()},
    ]
    return render(
        request,
        "challenges/challenge_form.html",
        {
            "organisation": organisation,
            "challenge": challenge,
            "form": form,
            "kind": challenge.kind,
            "kind_label": challenge.get_kind_display(),
            "creating": False,
            "breadcrumbs": crumbs,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def challenge_move_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Publish, close, reopen or archive a challenge (managers)."""
    challenge = _managed_challenge(request, slug, challenge_slug)
    before = challenge.status
    form = ChallengeMoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(challenge)
    try:
        services.challenge_move(
            actor=request.user,
            challenge=challenge,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(challenge)
    done = {
        Status.PUBLISHED: _("%(title)s is reopened.")
        if before == Status.CLOSED
        else _("%(title)s is published. Everyone it is for can now see it."),
        Status.CLOSED: _("%(title)s is closed."),
        Status.ARCHIVED: _("%(title)s is archived."),
    }[Status(challenge.status)]
    messages.success(request, done % {"title": challenge.title})
    return redirect(challenge)


@login_required
@require_POST
@_sign_in_first
def challenge_follow_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Follow a challenge, or stop following it."""
    challenge = _challenge(request, slug, challenge_slug)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to follow the challenge."))
        return redirect(challenge)
    if form.cleaned_data["action"] == "unfollow":
        services.challenge_unfollow(user=request.user, challenge=challenge)
        messages.success(request, _("You have stopped following this challenge."))
        return redirect(challenge)
    try:
        services.challenge_follow(user=request.user, challenge=challenge)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("You are following this challenge. We will tell you what happens in it.")
        )
    return redirect(challenge)
