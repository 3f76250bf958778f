"""Pages for initiatives: an organisation's portfolio board, an initiative with its lineage
and timeline, the pages that run it, the gate decision form, the decision register with its
exports, the public accountability page and the funnel.

An initiative someone may not see answers 404 (or the sign-in page, to someone not signed
in); a member who lacks the role gets 403. Every page works without JavaScript.
"""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import organisation_get, organisations_of
from civicflow.core.forms import apply_validation_error
from civicflow.core.pagination import paginate_request
from civicflow.core.signin import not_visible, sign_in_first
from civicflow.initiatives import permissions, selectors, services
from civicflow.initiatives.charts import funnel_chart
from civicflow.initiatives.forms import (
    CriterionForm,
    DecisionForm,
    EditForm,
    EvaluationForm,
    MilestoneForm,
    PortfolioFilterForm,
    RegisterFilterForm,
    StagePlanForm,
    StartForm,
    TeamForm,
    UpdateForm,
)
from civicflow.initiatives.models import DECISION_HINTS, STAGE_HINTS, Initiative

BOARD_LIMIT = 200
REGISTER_EXPORT_LIMIT = 10_000


def _organisation(slug: str) -> Organisation:
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _member_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, for pages only its members see."""
    organisation = _organisation(slug)
    if not permissions.can_see_portfolio(request.user, organisation):
        raise not_visible(request)
    return organisation


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    initiative = selectors.initiative_get(user=request.user, pk=pk)
    if initiative is None:
        raise not_visible(request)
    return initiative


def _run(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    if not permissions.can_run_initiative(request.user, initiative):
        raise PermissionDenied
    return initiative


def _crumbs(organisation: Organisation, *extra: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        {
            "text": _("Initiatives"),
            "href": reverse("initiatives:portfolio", args=[organisation.slug]),
        },
        *extra,
    ]


def _initiative_crumbs(initiative: Initiative) -> list[dict[str, str]]:
    return _crumbs(
        initiative.organisation,
        {"text": initiative.title, "href": initiative.get_absolute_url()},
    )


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Any
) -> HttpResponse:
    bad = any(form is not None and form.errors for form in forms)
    return render(request, template, context, status=400 if bad else 200)


# The portfolio -----------------------------------------------------------------------------


@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """Your organisations' portfolios, and every public initiative on the instance."""
    public = selectors.visible_initiatives(request.user).filter(public=True).order_by("-id")
    return render(
        request,
        "initiatives/index.html",
        {
            "organisations": organisations_of(request.user),
            "page": paginate_request(request, public),
        },
    )


@require_GET
def portfolio_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's initiatives on a board by stage, with filters and stalled ones."""
    organisation = _organisation(slug)
    form = PortfolioFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.PortfolioFilters(
        stage=data.get("stage") or "",
        status=data.get("status") or "",
        stalled_days=data.get("stalled"),
        q=data.get("q") or "",
    )
    found = selectors.portfolio(user=request.user, organisation=organisation, filters=filters)
    initiatives = list(found[:BOARD_LIMIT])
    stalled_ids = set(selectors.stalled(found).values_list("pk", flat=True)[:BOARD_LIMIT])
    return render(
        request,
        "initiatives/portfolio.html",
        {
            "organisation": organisation,
            "form": form,
            "columns": selectors.board(initiatives),
            "stalled_ids": stalled_ids,
            "stalled_days": selectors.STALLED_DAYS,
            "shown": len(initiatives),
            "limited": len(initiatives) == BOARD_LIMIT,
            "is_member": permissions.can_see_portfolio(request.user, organisation),
            "can_start": permissions.can_start_initiatives(request.user, organisation),
            "breadcrumbs": _crumbs(organisation)[:1],
        },
        status=200 if not form.errors else 400,
    )


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


# One initiative ----------------------------------------------------------------------------


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


def _int(value: Any) -> int:
    """A positive id read from a form, or 0 (which matches nothing) if it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0


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
            "review_dates": "\n".join(r.due_on.isoformat() for r in plan.reviews.all()),
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


# The decision register ---------------------------------------------------------------------


def _register_filters(request: HttpRequest) -> tuple[RegisterFilterForm, selectors.RegisterFilters]:
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}

    def moment(day: Any, *, end: bool = False) -> datetime | None:
        if not day:
            return None
        start = timezone.make_aware(datetime.combine(day, time.min))
        return start + timedelta(days=1) if end else start

    return form, selectors.RegisterFilters(
        decision=data.get("decision") or "",
        stage=data.get("stage") or "",
        initiative=_int(request.GET.get("initiative")),
        since=moment(data.get("since")),
        until=moment(data.get("until"), end=True),
    )


@sign_in_first
@require_GET
def register_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Every gate decision of the organisation, filterable, with CSV and JSON downloads."""
    organisation = _member_organisation(request, slug)
    form, filters = _register_filters(request)
    page = paginate_request(request, selectors.register(organisation=organisation, filters=filters))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/register.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "breadcrumbs": _crumbs(organisation),
        },
        status=400 if form.errors else 200,
    )


def _export_rows(request: HttpRequest, slug: str) -> tuple[Organisation, list[dict[str, Any]]]:
    organisation = _member_organisation(request, slug)
    _form, filters = _register_filters(request)
    decisions = selectors.register(organisation=organisation, filters=filters)
    return organisation, [selectors.register_row(d) for d in decisions[:REGISTER_EXPORT_LIMIT]]


EXPORT_FIELDS = [
    "id",
    "decided_at",
    "initiative_id",
    "initiative",
    "decision",
    "decided_by",
    "reason",
    "conditions",
    "evidence_links",
    "from_stage",
    "to_stage",
    "from_status",
    "to_status",
    "corrects",
    "corrected_by",
]


def _safe_cell(value: Any) -> Any:
    """Keep a spreadsheet from running text that starts like a formula."""
    if isinstance(value, list):
        value = " ".join(value)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@sign_in_first
@require_GET
def register_csv_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The register, as the page filters it, as CSV."""
    organisation, rows = _export_rows(request, slug)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-gate-decisions.csv"'
    )
    writer = csv.DictWriter(response, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _safe_cell(value) for key, value in row.items()})
    return response


@sign_in_first
@require_GET
def register_json_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The register, as the page filters it, as JSON."""
    organisation, rows = _export_rows(request, slug)
    response = JsonResponse(
        {"organisation": organisation.slug, "decisions": rows},
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{organisation.slug}-gate-decisions.json"'
    )
    return response


# Public pages ------------------------------------------------------------------------------


@require_GET
def accountability_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's public initiatives, each with every gate decision and its reason."""
    organisation = _organisation(slug)
    initiatives = list(
        selectors.visible_initiatives(request.user)
        .filter(organisation=organisation, public=True)
        .order_by("title", "id")
    )
    decisions = selectors.register(
        organisation=organisation, filters=selectors.RegisterFilters(public_only=True)
    )
    by_initiative: dict[int, list[Any]] = {}
    for decision in decisions:
        by_initiative.setdefault(decision.initiative_id, []).append(decision)
    return render(
        request,
        "initiatives/accountability.html",
        {
            "organisation": organisation,
            "rows": [(i, by_initiative.get(i.pk, [])) for i in initiatives],
            "breadcrumbs": _crumbs(organisation)[:1],
        },
    )


@sign_in_first
@require_GET
def funnel_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Ideas to pilots, implemented, evaluated and scaled, with the median days in each stage."""
    organisation = _member_organisation(request, slug)
    steps = selectors.funnel(user=request.user, organisation=organisation)
    return render(
        request,
        "initiatives/funnel.html",
        {
            "organisation": organisation,
            "steps": steps,
            "chart": funnel_chart(steps),
            "breadcrumbs": _crumbs(organisation),
        },
    )
