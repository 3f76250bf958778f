"""Starting an initiative: from a selected idea, from a grant or award, or directly."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicflow.accounts.models import Organisation
from civicflow.core.forms import apply_validation_error
from civicflow.initiatives import permissions, selectors, services
from civicflow.initiatives.forms import StartForm
from civicflow.initiatives.views.common import _crumbs, _int, _member_organisation, _render_form


@login_required
@require_http_methods(["GET", "POST"])
def start_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Start an initiative: from a selected idea (``?idea=``), from a fund round's grant
    (``?grant=``) or a panel's award (``?award=``), or directly (leads). An award that
    already has an initiative sends the person to it."""
    organisation = _member_organisation(request, slug)
    if not permissions.can_start_initiatives(request.user, organisation):
        raise PermissionDenied
    award = _award(request, organisation)
    if award is not None:
        existing = selectors.initiative_of_award(award)
        if existing is not None:
            messages.info(request, _("This award already has an initiative."))
            return redirect(existing)
        idea = selectors.award_idea(award)
        initial: dict[str, Any] = {
            "title": idea.title,
            "summary": idea.summary,
            "grant": request.GET.get("grant") or request.POST.get("grant"),
            "award": request.GET.get("award") or request.POST.get("award"),
        }
    else:
        idea = _idea(request, request.POST.get("idea") or request.GET.get("idea"))
        initial = {"title": idea.title, "summary": idea.summary, "idea": idea.pk} if idea else {}
    form = StartForm(
        request.POST or None, initial=initial, members=selectors.members_of(organisation)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        people = {
            "public": data["public"],
            "business_owner": data["business_owner"],
            "delivery_lead": data["delivery_lead"],
        }
        try:
            if award is not None:
                initiative, started = services.initiative_start_from_award(
                    actor=request.user,
                    award=award,
                    title=data["title"],
                    summary=data["summary"],
                    **people,
                )
            else:
                initiative = services.initiative_start(
                    actor=request.user,
                    organisation=organisation,
                    title=data["title"],
                    summary=data["summary"],
                    idea=idea,
                    **people,
                )
                started = True
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if started:
                messages.success(request, _("Initiative started in the test stage."))
            else:
                messages.info(request, _("This award already has an initiative."))
            return redirect(initiative)
    return _render_form(
        request,
        "initiatives/start.html",
        {
            "organisation": organisation,
            "form": form,
            "idea": idea,
            "award": award,
            "award_amount": _award_amount(award),
            "breadcrumbs": _crumbs(organisation),
        },
        form,
    )


def _award(request: HttpRequest, organisation: Organisation) -> Any:
    """The grant (``grant=``) or panel award (``award=``) the request names, made to an idea
    of ``organisation``; 404 for any other."""
    from civicflow.appraisal.models import Decision as AppraisalDecision
    from civicflow.appraisal.models import Grant

    grant = request.POST.get("grant") or request.GET.get("grant")
    award = request.POST.get("award") or request.GET.get("award")
    if not grant and not award:
        return None
    if grant:
        found: Any = (
            Grant.objects.select_related("application__idea__challenge", "application__fund_round")
            .filter(pk=_int(grant), application__idea__organisation=organisation)
            .first()
        )
    else:
        found = (
            AppraisalDecision.objects.select_related("idea__challenge", "tier__prize")
            .filter(pk=_int(award), idea__organisation=organisation, kind="awarded")
            .first()
        )
    if found is None:
        raise Http404
    return found


def _award_amount(award: Any) -> str:
    from civicflow.appraisal.models import Grant
    from civicflow.core.money import format_money

    if award is None or award.amount is None:
        return ""
    if isinstance(award, Grant):
        return format_money(award.amount, award.application.fund_round.currency)
    return format_money(award.amount, award.tier.prize.currency if award.tier else "GBP")


def _idea(request: HttpRequest, value: str | None) -> Any:
    """The idea ``?idea=`` names, read through the ideas app, if the person may see it."""
    if not value:
        return None
    from civicflow.ideas.selectors import idea_get

    try:
        pk = int(value)
    except ValueError as error:
        raise Http404 from error
    idea = idea_get(user=request.user, pk=pk) if 0 < pk < 2**63 else None
    if idea is None:
        raise Http404
    return idea
