"""Gate decisions: go, hold, stop or pivot, with the reason, by decision makers."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicflow.core.forms import apply_validation_error
from civicflow.initiatives import permissions, selectors, services
from civicflow.initiatives.forms import DecisionForm
from civicflow.initiatives.models import DECISION_HINTS, STAGE_HINTS
from civicflow.initiatives.views.common import _initiative, _initiative_crumbs, _render_form


@login_required
@require_http_methods(["GET", "POST"])
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a gate decision: go, hold, stop or pivot, with the reason (decision makers)."""
    initiative = _initiative(request, pk)
    if not permissions.can_decide(request.user, initiative.organisation):
        raise PermissionDenied
    decisions = selectors.decisions_of(initiative)
    latest = decisions[0] if decisions else None
    correctable = latest if latest is not None and not hasattr(latest, "corrected_by") else None
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["correct_latest"] and correctable is None:
                raise ValidationError({"correct_latest": _("There is no decision to correct yet.")})
            services.gate_decide(
                actor=request.user,
                initiative=initiative,
                decision=data["decision"],
                reason=data["reason"],
                conditions=data["conditions"],
                evidence_links=data["evidence_links"],
                corrects=correctable if data["correct_latest"] else None,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect(initiative)
    return _render_form(
        request,
        "initiatives/decide.html",
        {
            "initiative": initiative,
            "form": form,
            "latest": correctable,
            "stage_hints": STAGE_HINTS,
            "decision_hints": DECISION_HINTS,
            "breadcrumbs": _initiative_crumbs(initiative),
        },
        form,
    )
