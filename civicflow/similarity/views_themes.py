"""Pages for a challenge's possible duplicates (moderators) and its themes (everyone who may
see the challenge).

Each view parses input, checks a permission predicate, calls one service or selector and
renders. A challenge someone may not see answers 404 (or the sign-in page).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.core.pagination import paginate_request
from civicflow.core.signin import not_visible, sign_in_first
from civicflow.similarity import selectors_themes as selectors
from civicflow.similarity import services_themes as services
from civicflow.similarity.forms_themes import PairForm
from civicflow.similarity.permissions_themes import can_recompute_themes, can_review_duplicates


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = challenge_selectors.challenge_get(
        user=request.user, organisation_slug=slug, slug=challenge_slug
    )
    if challenge is None:
        raise not_visible(request)
    return challenge


def _moderated(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    challenge = _challenge(request, slug, challenge_slug)
    if not can_review_duplicates(request.user, challenge):
        raise PermissionDenied
    return challenge


def _crumbs(challenge: Challenge) -> list[dict[str, str]]:
    organisation = challenge.organisation
    return [
        {"text": _("Challenges"), "href": reverse("challenges:list")},
        {
            "text": organisation.name,
            "href": reverse("challenges:organisation", args=[organisation.slug]),
        },
        {"text": challenge.title, "href": challenge.get_absolute_url()},
        {
            "text": _("Ideas"),
            "href": reverse("ideas:list", args=[organisation.slug, challenge.slug]),
        },
    ]


@login_required
@sign_in_first
@require_GET
def duplicates_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """List possible duplicates among a challenge's ideas, to merge or dismiss (moderators)."""
    challenge = _moderated(request, slug, challenge_slug)
    report = selectors.duplicate_report(challenge=challenge)
    return render(
        request,
        "similarity/themes/duplicates.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "report": report,
            "pairs": paginate_request(request, report.pairs),
            "breadcrumbs": _crumbs(challenge),
        },
    )


def _pair_from(request: HttpRequest, challenge: Challenge) -> tuple[PairForm, tuple | None]:
    form = PairForm(request.POST)
    if not form.is_valid():
        return form, None
    try:
        pair = services.ideas_for_pair(
            challenge=challenge,
            first_id=form.cleaned_data["first"],
            second_id=form.cleaned_data["second"],
        )
    except ValidationError:
        return form, None
    return form, pair


@login_required
@sign_in_first
@require_POST
def pair_dismiss_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Say two ideas are not duplicates, so they are not suggested again (moderators)."""
    challenge = _moderated(request, slug, challenge_slug)
    back = redirect("themes:duplicates", slug, challenge_slug)
    form, pair = _pair_from(request, challenge)
    if pair is None:
        messages.error(request, _("Those ideas are not a pair in this challenge."))
        return back
    try:
        services.pair_dismiss(
            actor=request.user,
            challenge=challenge,
            first=pair[0],
            second=pair[1],
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back
    messages.success(
        request,
        _("‘%(first)s’ and ‘%(second)s’ will not be suggested as duplicates again.")
        % {"first": pair[0].title, "second": pair[1].title},
    )
    return back


@login_required
@sign_in_first
@require_POST
def pair_restore_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Let two dismissed ideas be suggested as duplicates again (moderators)."""
    challenge = _moderated(request, slug, challenge_slug)
    back = redirect("themes:duplicates", slug, challenge_slug)
    _form, pair = _pair_from(request, challenge)
    if pair is None:
        messages.error(request, _("Those ideas are not a pair in this challenge."))
        return back
    if services.pair_restore(
        actor=request.user, challenge=challenge, first=pair[0], second=pair[1]
    ):
        messages.success(
            request,
            _("‘%(first)s’ and ‘%(second)s’ may be suggested as duplicates again.")
            % {"first": pair[0].title, "second": pair[1].title},
        )
    return back


@sign_in_first
@require_GET
def themes_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Show a challenge's ideas grouped into themes, with sizes and example ideas."""
    challenge = _challenge(request, slug, challenge_slug)
    view = selectors.challenge_themes(user=request.user, challenge=challenge)
    return render(
        request,
        "similarity/themes/themes.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "view": view,
            "can_recompute": can_recompute_themes(request.user, challenge),
            "can_review": can_review_duplicates(request.user, challenge),
            "breadcrumbs": _crumbs(challenge),
        },
    )


@login_required
@sign_in_first
@require_POST
def themes_recompute_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Compute a challenge's themes again, in the background (moderators)."""
    challenge = _challenge(request, slug, challenge_slug)
    if not can_recompute_themes(request.user, challenge):
        raise PermissionDenied
    services.themes_request(actor=request.user, challenge=challenge)
    messages.success(
        request, _("The themes are being computed again. Reload this page in a minute.")
    )
    return redirect("themes:themes", slug, challenge_slug)
