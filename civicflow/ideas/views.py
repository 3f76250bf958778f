"""Pages for ideas: the list of a challenge's ideas, putting one forward, reading, changing,
supporting, co-writing, deciding on and merging them.

Each view parses input, checks a permission predicate, calls one service or selector and
renders. An idea someone may not see answers 404 (or the sign-in page, to someone not signed
in), whether or not it exists.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.challenges import selectors as challenge_selectors
from civicflow.challenges.models import Challenge
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import paginate_request as _page
from civicflow.core.signin import not_visible as _not_visible
from civicflow.core.signin import sign_in_first as _sign_in_first
from civicflow.ideas import listing, permissions, selectors, services, theme_filter
from civicflow.ideas.blind import authors_hidden
from civicflow.ideas.forms import (
    CoAuthorInviteForm,
    IdeaEditForm,
    IdeaFilterForm,
    IdeaForm,
    MergeForm,
    StatusForm,
    WithdrawForm,
)
from civicflow.ideas.models import Idea, IdeaStatus


def _challenge(request: HttpRequest, slug: str, challenge_slug: str) -> Challenge:
    """Return the challenge if the person may see it; otherwise 404 or the sign-in page."""
    challenge = challenge_selectors.challenge_get(
        user=request.user, organisation_slug=slug, slug=challenge_slug
    )
    if challenge is None:
        raise _not_visible(request)
    return challenge


def _idea(request: HttpRequest, pk: int) -> Idea:
    """Return the idea if the person may see it; otherwise 404 or the sign-in page."""
    idea = selectors.idea_get(user=request.user, pk=pk)
    if idea is None:
        raise _not_visible(request)
    return idea


def _crumbs(challenge: Challenge, idea: Idea | None = None) -> list[dict[str, str]]:
    organisation = challenge.organisation
    crumbs = [
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
    if idea is not None:
        crumbs.append({"text": idea.title, "href": idea.get_absolute_url()})
    return crumbs


def _status_code(*forms: Form | None) -> int:
    return 400 if any(form is not None and form.errors for form in forms) else 200


def _idea_fields(form: Form) -> dict[str, Any]:
    return {name: form.cleaned_data[name] for name in services.EDITABLE}


# The list, and putting an idea forward ------------------------------------------------------


@_sign_in_first
@require_GET
def idea_list_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """List a challenge's ideas, filtered and sorted, a page at a time."""
    challenge = _challenge(request, slug, challenge_slug)
    chosen = IdeaFilterForm.filters_in(request.GET)
    if theme := theme_filter.chosen(challenge.pk, request.GET):
        chosen["theme"] = theme
    filtered = any(name != "sort" for name in chosen)
    return render(
        request,
        "ideas/idea_list.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "results": listing.results(
                request=request,
                challenge=challenge,
                form_class=IdeaFilterForm,
                filters=chosen,
                filtered=filtered,
            ),
            "filtered": filtered,
            "cannot_submit": permissions.why_cannot_submit(request.user, challenge),
            "breadcrumbs": _crumbs(challenge)[:-1],
        },
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def idea_create_view(request: HttpRequest, slug: str, challenge_slug: str) -> HttpResponse:
    """Put forward an idea, while the challenge's phase allows it."""
    challenge = _challenge(request, slug, challenge_slug)
    cannot = permissions.why_cannot_submit(request.user, challenge)
    form = IdeaForm(request.POST or None) if not cannot else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            idea = services.idea_submit(
                author=request.user, challenge=challenge, **_idea_fields(form)
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your idea has been put forward."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {
            "challenge": challenge,
            "organisation": challenge.organisation,
            "form": form,
            "cannot": cannot,
            "breadcrumbs": _crumbs(challenge),
        },
        status=_status_code(form),
    )


# One idea ------------------------------------------------------------------------------------


@_sign_in_first
@require_GET
def idea_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an idea: its status and feedback, authors, supporters count and comments.

    A merged idea sends people on to the idea it was merged into, and says so.
    """
    idea = _idea(request, pk)
    if idea.status == IdeaStatus.MERGED and idea.merged_into is not None:
        messages.info(
            request,
            _("‘%(title)s’ was merged into this idea, because it was a duplicate.")
            % {"title": idea.title},
        )
        return redirect(idea.merged_into)
    user = request.user
    blind = authors_hidden(user, idea.challenge)
    coauthors = [] if blind else selectors.idea_coauthors(idea=idea)
    can_moderate = permissions.can_moderate_ideas(user, idea.organisation)
    is_the_author = permissions.can_manage_coauthors(user, idea)
    return render(
        request,
        "ideas/idea_detail.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "coauthors": coauthors,
            "blind": blind,
            "invitation": selectors.coauthor_invitation(user=user, idea=idea),
            "supporting": selectors.supports_idea(user=user, idea=idea),
            "cannot_support": permissions.why_cannot_support(user, idea),
            "can_unsupport": permissions.can_withdraw_support(user, idea),
            "merged_here": selectors.merges_into(idea=idea),
            "can_edit": permissions.can_edit_idea(user, idea) and not idea.is_closed,
            "can_withdraw": permissions.can_withdraw_idea(user, idea) and not idea.is_closed,
            "can_manage_coauthors": is_the_author and not idea.is_closed,
            "can_moderate": can_moderate,
            "breadcrumbs": _crumbs(idea.challenge),
        },
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def idea_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an idea (its author and accepted co-authors)."""
    idea = _idea(request, pk)
    if not permissions.can_edit_idea(request.user, idea):
        raise PermissionDenied
    if idea.is_closed:
        messages.error(
            request,
            _("This idea is %(status)s, so it cannot be changed.")
            % {"status": idea.get_status_display().lower()},
        )
        return redirect(idea)
    initial = {name: getattr(idea, name) for name in services.EDITABLE if name != "benefits"}
    initial |= {"benefits": idea.benefits, "version": idea.version}
    form = IdeaEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_update(
                actor=request.user,
                idea=idea,
                expected_version=form.cleaned_data["version"],
                **_idea_fields(form),
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_form.html",
        {
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "idea": idea,
            "form": form,
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
        status=_status_code(form),
    )


@_sign_in_first
@require_GET
def idea_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Show every version of an idea: who changed what, and when."""
    idea = _idea(request, pk)
    page = _page(request, selectors.idea_versions(idea=idea))
    return render(
        request,
        "ideas/idea_history.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "page": page,
            "versions": selectors.describe_versions(list(page.object_list)),
            "blind": authors_hidden(request.user, idea.challenge),
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
    )


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def idea_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an idea, after confirming (its author)."""
    idea = _idea(request, pk)
    if not permissions.can_withdraw_idea(request.user, idea):
        raise PermissionDenied
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_withdraw(
                actor=request.user, idea=idea, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your idea has been withdrawn."))
            return redirect(idea)
    return render(
        request,
        "ideas/idea_withdraw.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "form": form,
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
        status=_status_code(form),
    )


# Support -------------------------------------------------------------------------------------


@login_required
@_sign_in_first
@require_POST
def idea_support_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Support an idea."""
    idea = _idea(request, pk)
    try:
        services.idea_support(user=request.user, idea=idea)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You support this idea."))
    return redirect(idea)


@login_required
@_sign_in_first
@require_POST
def idea_unsupport_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw your support for an idea."""
    idea = _idea(request, pk)
    try:
        services.idea_unsupport(user=request.user, idea=idea)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You no longer support this idea."))
    return redirect(idea)


# Decisions -----------------------------------------------------------------------------------


def _moderated_idea(request: HttpRequest, pk: int) -> Idea:
    idea = _idea(request, pk)
    if not permissions.can_moderate_ideas(request.user, idea.organisation):
        raise PermissionDenied
    return idea


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def idea_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Give an idea a new status with feedback (innovation leads and administrators)."""
    idea = _moderated_idea(request, pk)
    form = StatusForm(request.POST or None, initial={"status": idea.status})
    if request.method == "POST" and form.is_valid():
        try:
            services.idea_set_status(actor=request.user, idea=idea, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The idea is now %(status)s. Its authors and supporters have been told.")
                % {"status": IdeaStatus(form.cleaned_data["status"]).label.lower()},
            )
            return redirect(idea)
    return render(
        request,
        "ideas/idea_status.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "form": form,
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
        status=_status_code(form),
    )


def _chosen_target(request: HttpRequest) -> dict[str, int]:
    value = request.GET.get("target", "")
    return {"target": int(value)} if value.isdigit() else {}


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def idea_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this idea, a duplicate, into another (innovation leads and administrators)."""
    idea = _moderated_idea(request, pk)
    targets = [(other.pk, other.title) for other in selectors.merge_candidates(idea=idea)]
    # ?target= pre-selects an idea, as the list of possible duplicates links here.
    form = MergeForm(request.POST or None, targets=targets, initial=_chosen_target(request))
    if request.method == "POST" and form.is_valid():
        chosen = (
            selectors.merge_candidates(idea=idea).filter(pk=form.cleaned_data["target"]).first()
        )
        if chosen is None:  # merged or withdrawn since the form was drawn
            form.add_error("target", _("Select an open idea in the same challenge"))
        else:
            try:
                services.idea_merge(
                    actor=request.user,
                    source=idea,
                    target=chosen,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(
                    request,
                    _("‘%(source)s’ has been merged into this idea.") % {"source": idea.title},
                )
                return redirect(chosen)
    return render(
        request,
        "ideas/idea_merge.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "form": form,
            "has_targets": bool(targets),
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
        status=_status_code(form),
    )


@login_required
@_sign_in_first
@require_POST
def idea_merge_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo the merge of this idea into another (innovation leads and administrators)."""
    idea = _moderated_idea(request, pk)
    try:
        merge = services.idea_merge_undo(actor=request.user, source=idea)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(idea.merged_into or idea)
    messages.success(
        request,
        _("The merge is undone: ‘%(title)s’ has its own supporters and co-authors again.")
        % {"title": merge.source.title},
    )
    return redirect(merge.source)


# Co-authors ----------------------------------------------------------------------------------


@login_required
@_sign_in_first
@require_http_methods(["GET", "POST"])
def coauthor_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    """List an idea's co-authors and invitations, and invite someone (its author)."""
    idea = _idea(request, pk)
    if not permissions.can_manage_coauthors(request.user, idea):
        raise PermissionDenied
    form = CoAuthorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = services.coauthor_invite(
                actor=request.user, idea=idea, email=form.cleaned_data["email"]
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s has been invited to co-write this idea.") % {"name": invited.user},
            )
            return redirect("ideas:coauthors", pk=idea.pk)
    return render(
        request,
        "ideas/coauthor_list.html",
        {
            "idea": idea,
            "challenge": idea.challenge,
            "organisation": idea.organisation,
            "coauthors": selectors.idea_coauthors(idea=idea, include_open=True),
            "form": form if not idea.is_closed else None,
            "breadcrumbs": _crumbs(idea.challenge, idea),
        },
        status=_status_code(form),
    )


@login_required
@_sign_in_first
@require_POST
def coauthor_withdraw_view(request: HttpRequest, pk: int, user_id: int) -> HttpResponse:
    """Withdraw an invitation to co-write, or take a co-author off (the idea's author)."""
    idea = _idea(request, pk)
    if not permissions.can_manage_coauthors(request.user, idea):
        raise PermissionDenied
    coauthor = selectors.coauthor_get(idea=idea, user_id=user_id)
    if coauthor is None:
        raise Http404
    try:
        services.coauthor_withdraw(actor=request.user, idea=idea, user_id=user_id)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is no longer a co-author or invited.") % {"name": coauthor.user}
        )
    return redirect("ideas:coauthors", pk=idea.pk)


def _answer(request: HttpRequest, pk: int, *, accept: bool) -> HttpResponse:
    idea = _idea(request, pk)
    if selectors.coauthor_invitation(user=request.user, idea=idea) is None:
        raise Http404
    try:
        if accept:
            services.coauthor_accept(user=request.user, idea=idea)
        else:
            services.coauthor_decline(user=request.user, idea=idea)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("You are now a co-author of this idea.")
            if accept
            else _("You have declined to co-write this idea."),
        )
    return redirect(idea)


@login_required
@_sign_in_first
@require_POST
def invitation_accept_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept your invitation to co-write an idea."""
    return _answer(request, pk, accept=True)


@login_required
@_sign_in_first
@require_POST
def invitation_decline_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Decline your invitation to co-write an idea."""
    return _answer(request, pk, accept=False)
