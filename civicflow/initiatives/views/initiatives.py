"""One initiative: its page with lineage, stages, decisions and timeline, and changing
its title, owner, delivery lead and visibility."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import sign_in_first
from civicflow.initiatives import permissions, selectors, services
from civicflow.initiatives.forms import EditForm
from civicflow.initiatives.views.common import (
    _crumbs,
    _initiative,
    _initiative_crumbs,
    _render_form,
    _run,
)


@sign_in_first
@require_GET
def detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An initiative: where it came from, its owner and team, stages, timeline and
    decisions."""
    from civicflow.library.selectors import where_it_went

    initiative = _initiative(request, pk)
    decisions = selectors.decisions_of(initiative)
    user = request.user
    return render(
        request,
        "initiatives/detail.html",
        {
            "initiative": initiative,
            "organisation": initiative.organisation,
            "idea": initiative.idea,
            "challenge": initiative.idea.challenge if initiative.idea else None,
            "team": selectors.team_of(initiative),
            "stages": selectors.stage_rows(initiative),
            "decisions": decisions,
            "timeline": selectors.timeline(initiative, decisions),
            "evaluation": getattr(initiative, "evaluation_plan", None),
            "can_run": permissions.can_run_initiative(user, initiative),
            "can_decide": permissions.can_decide(user, initiative.organisation),
            "is_member": permissions.can_see_portfolio(user, initiative.organisation),
            "where_it_went": where_it_went(user=user, initiative=initiative),
            "award_source": selectors.award_source(user=user, initiative=initiative),
            "breadcrumbs": _crumbs(initiative.organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an initiative's title, summary, owner, delivery lead and visibility."""
    initiative = _run(request, pk)
    initial = {
        "title": initiative.title,
        "summary": initiative.summary,
        "public": initiative.public,
        "business_owner": initiative.business_owner_id,
        "delivery_lead": initiative.delivery_lead_id,
    }
    form = EditForm(
        request.POST or None,
        initial=initial,
        members=selectors.members_of(initiative.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_edit(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Initiative changed."))
            return redirect(initiative)
    return _render_form(
        request,
        "initiatives/edit.html",
        {"initiative": initiative, "form": form, "breadcrumbs": _initiative_crumbs(initiative)},
        form,
    )
