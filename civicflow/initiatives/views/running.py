"""Running an initiative: its team, stage plans and entry criteria, progress updates
and milestones, and its evaluation plan."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicflow.core.forms import apply_validation_error
from civicflow.initiatives import selectors, services
from civicflow.initiatives.forms import (
    CriterionForm,
    EvaluationForm,
    MilestoneForm,
    StagePlanForm,
    TeamForm,
    UpdateForm,
)
from civicflow.initiatives.views.common import _initiative_crumbs, _int, _render_form, _run


@login_required
@require_http_methods(["GET", "POST"])
def team_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The initiative's team: add members with their roles, or take them off."""
    initiative = _run(request, pk)
    members = selectors.members_of(initiative.organisation)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = TeamForm(request.POST if action == "add" else None, members=members)
    if action == "add" and form.is_valid():
        try:
            services.team_member_add(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Added to the team."))
            return redirect("initiatives:team", pk=initiative.pk)
    elif action == "remove":
        person = members.filter(pk=_int(request.POST.get("user"))).first()
        try:
            services.team_member_remove(actor=request.user, initiative=initiative, user=person)
        except (ValidationError, AttributeError):
            form.add_error(None, _("That person is not on the team."))
        else:
            messages.success(request, _("Taken off the team."))
            return redirect("initiatives:team", pk=initiative.pk)
    elif action:
        form.add_error(None, _("Choose what to do."))
    return _render_form(
        request,
        "initiatives/team.html",
        {
            "initiative": initiative,
            "form": form,
            "team": selectors.team_of(initiative),
            "breadcrumbs": _initiative_crumbs(initiative),
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Stage plans (dates, budget, spend to date) and entry criteria."""
    initiative = _run(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    plan_form = StagePlanForm(
        request.POST if action == "plan" else None,
        initial={"stage": initiative.stage},
        prefix="plan",
    )
    criterion_form = CriterionForm(request.POST if action == "criterion" else None)
    if action == "plan" and plan_form.is_valid():
        try:
            services.stage_plan_set(
                actor=request.user, initiative=initiative, **plan_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(plan_form, error)
        else:
            messages.success(request, _("Stage plan saved."))
            return redirect("initiatives:plan", pk=initiative.pk)
    elif action == "criterion" and criterion_form.is_valid():
        try:
            services.criterion_add(
                actor=request.user, initiative=initiative, **criterion_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(criterion_form, error)
        else:
            messages.success(request, _("Entry criterion added."))
            return redirect("initiatives:plan", pk=initiative.pk)
    elif action in ("met", "unmet"):
        criterion = initiative.criteria.filter(pk=_int(request.POST.get("criterion"))).first()
        if criterion is None:
            criterion_form.add_error(None, _("Choose an entry criterion of this initiative."))
        else:
            services.criterion_set_met(actor=request.user, criterion=criterion, met=action == "met")
            messages.success(request, _("Entry criterion updated."))
            return redirect("initiatives:plan", pk=initiative.pk)
    elif action:
        plan_form.add_error(None, _("Choose what to do."))
    return _render_form(
        request,
        "initiatives/plan.html",
        {
            "initiative": initiative,
            "plan_form": plan_form,
            "criterion_form": criterion_form,
            "stages": selectors.stage_rows(initiative),
            "breadcrumbs": _initiative_crumbs(initiative),
        },
        plan_form,
        criterion_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Post a progress update, add a milestone, or mark one reached."""
    initiative = _run(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    update_form = UpdateForm(request.POST if action == "update" else None)
    milestone_form = MilestoneForm(request.POST if action == "milestone" else None, prefix="m")
    if action == "update" and update_form.is_valid():
        try:
            services.progress_update_add(
                actor=request.user, initiative=initiative, body=update_form.cleaned_data["body"]
            )
        except ValidationError as error:
            apply_validation_error(update_form, error)
        else:
            messages.success(request, _("Update posted."))
            return redirect(initiative)
    elif action == "milestone" and milestone_form.is_valid():
        try:
            services.milestone_add(
                actor=request.user, initiative=initiative, **milestone_form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(milestone_form, error)
        else:
            messages.success(request, _("Milestone added."))
            return redirect("initiatives:progress", pk=initiative.pk)
    elif action == "reached":
        milestone = initiative.milestones.filter(pk=_int(request.POST.get("milestone"))).first()
        if milestone is None:
            milestone_form.add_error(None, _("Choose a milestone of this initiative."))
        else:
            services.milestone_reach(actor=request.user, milestone=milestone)
            messages.success(request, _("Milestone marked as reached."))
            return redirect("initiatives:progress", pk=initiative.pk)
    elif action:
        update_form.add_error(None, _("Choose what to do."))
    return _render_form(
        request,
        "initiatives/progress.html",
        {
            "initiative": initiative,
            "update_form": update_form,
            "milestone_form": milestone_form,
            "milestones": list(initiative.milestones.order_by("due_on", "id")),
            "breadcrumbs": _initiative_crumbs(initiative),
        },
        update_form,
        milestone_form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation plan: question, design, sample, measures and review dates."""
    initiative = _run(request, pk)
    plan = getattr(initiative, "evaluation_plan", None)
    initial = {}
    if plan is not None:
        initial = {
            "question": plan.question,
            "design": plan.design,
            "sample": plan.sample,
            "measures": plan.measures,
            "review_dates": "\n".join(
                f"{r.due_on.day} {r.due_on.month} {r.due_on.year}" for r in plan.reviews.all()
            ),
        }
    form = EvaluationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_plan_set(
                actor=request.user, initiative=initiative, **form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Evaluation plan saved."))
            return redirect(initiative)
    return _render_form(
        request,
        "initiatives/evaluation.html",
        {"initiative": initiative, "form": form, "breadcrumbs": _initiative_crumbs(initiative)},
        form,
    )
