"""Pages for participatory budgets: an organisation's budgets, a budget and its projects, the
ballot, the results side by side, and the pages innovation leads run a budget from.

A budget someone may not see answers 404 (or the sign-in page, to someone not signed in); a
member who lacks the role gets 403. Every form works without JavaScript: the ballot shows its
running total when it is checked or refused.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.accounts.selectors import organisation_get
from civicflow.budgets import permissions, selectors, services
from civicflow.budgets.forms import (
    BudgetEditForm,
    BudgetForm,
    CodesForm,
    EligibleVotersForm,
    ImportForm,
    PaperBallotForm,
    PhaseForm,
    ProjectForm,
    PublishForm,
)
from civicflow.budgets.models import BallotKind, Budget, Phase, Project
from civicflow.core.forms import apply_validation_error as _apply_errors
from civicflow.core.pagination import paginate_request as _page
from civicflow.core.signin import SignInFirst as _SignInFirst
from civicflow.core.signin import sign_in_first as _sign_in_first

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _budget(request: HttpRequest, pk: int) -> Budget:
    budget = selectors.budget_get(user=request.user, pk=pk)
    if budget is None:
        raise _SignInFirst() if not request.user.is_authenticated else Http404()
    return budget


def _run(request: HttpRequest, pk: int) -> Budget:
    budget = _budget(request, pk)
    if not permissions.can_run_budget(request.user, budget):
        raise PermissionDenied
    return budget


def _crumbs(budget: Budget) -> list[dict[str, Any]]:
    organisation = budget.organisation
    return [
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        {
            "text": _("Budgets"),
            "href": reverse("budgets:list", args=[organisation.slug]),
        },
        {"text": budget.title, "href": budget.get_absolute_url()},
    ]


def _context(request: HttpRequest, budget: Budget, **extra: Any) -> dict[str, Any]:
    return {
        "budget": budget,
        "organisation": budget.organisation,
        "can_run": permissions.can_run_budget(request.user, budget),
        "breadcrumbs": _crumbs(budget),
        **extra,
    }


@require_GET
def budget_list_view(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's participatory budgets, newest first."""
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    page = _page(request, selectors.budgets_of(user=request.user, organisation=organisation))
    return render(
        request,
        "budgets/budget_list.html",
        {
            "organisation": organisation,
            "page": page,
            "can_create": permissions.can_manage_budgets(request.user, organisation),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Start a participatory budget (innovation leads and administrators)."""
    organisation = organisation_get(slug=slug)
    if organisation is None or not (
        permissions.can_manage_budgets(request.user, organisation)
        or _is_member(request.user, organisation)
    ):
        raise Http404
    if not permissions.can_manage_budgets(request.user, organisation):
        raise PermissionDenied
    form = BudgetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            budget = services.budget_create(
                actor=request.user,
                organisation=organisation,
                title=data["title"],
                description=data["description"],
                total=data["total"],
                ballot_kind=data["ballot_kind"],
                max_choices=data["max_choices"],
                points=data["points"],
                eligibility=data["eligibility"],
                min_choices=data["min_choices"] or 0,
                max_points_per_project=data["max_points_per_project"],
                voting_opens_at=data["voting_opens_at"],
                voting_closes_at=data["voting_closes_at"],
                areas=data["districts"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Budget created. Add its projects."))
            return redirect("budgets:manage", pk=budget.pk)
    return render(
        request,
        "budgets/budget_form.html",
        {"organisation": organisation, "form": form},
        status=400 if form.errors else 200,
    )


def _is_member(user: Any, organisation: Any) -> bool:
    from civicflow.accounts.selectors import is_member

    return is_member(user, organisation)


@_sign_in_first
@require_GET
def budget_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A budget, its districts and its projects."""
    budget = _budget(request, pk)
    page = _page(request, selectors.projects_of(budget=budget))
    return render(
        request,
        "budgets/budget.html",
        _context(
            request,
            budget,
            page=page,
            areas=list(budget.areas.all()),
            voting_open=budget.voting_is_open(),
            has_results=budget.phase == Phase.RESULTS,
            can_edit_projects=budget.phase in (Phase.PROPOSALS, Phase.REVIEW)
            and permissions.can_run_budget(request.user, budget),
        ),
    )


def _ballot_rows(
    projects: list[Project], choices: dict[str, Any], kind: str
) -> list[dict[str, Any]]:
    return [
        {
            "project": project,
            "name": f"p-{project.pk}",
            "value": choices.get(str(project.pk), ""),
            "checked": bool(choices.get(str(project.pk))),
        }
        for project in projects
    ]


def _read_choices(request: HttpRequest, projects: list[Project]) -> dict[str, str]:
    return {
        str(p.pk): request.POST.get(f"p-{p.pk}", "").strip()
        for p in projects
        if request.POST.get(f"p-{p.pk}", "").strip()
    }


def _running_total(projects: list[Project], choices: dict[str, Any]) -> int:
    return sum(p.cost for p in projects if choices.get(str(p.pk)) not in (None, "", "0"))


@login_required
@require_http_methods(["GET", "POST"])
def ballot_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The ballot: tick, score or rank projects; ‘Check my total’ shows the total unsaved."""
    budget = _budget(request, pk)
    projects = list(selectors.projects_of(budget=budget))
    reason = permissions.why_cannot_vote(request.user, budget)
    mine = services.my_ballot(user=request.user, budget=budget)
    choices: dict[str, Any] = dict(mine.choices) if mine else {}
    errors: list[str] = []
    checked = False
    if request.method == "POST":
        choices = _read_choices(request, projects)
        if reason:
            errors.append(reason)
        elif request.POST.get("action") == "check":
            checked = True
            try:
                services.ballot_check(budget=budget, choices=choices, projects=projects)
            except ValidationError as error:
                errors.extend(error.messages)
        else:
            try:
                services.ballot_cast(actor=request.user, budget=budget, choices=choices)
            except (ValidationError, PermissionDenied) as error:
                errors.extend(
                    error.messages if isinstance(error, ValidationError) else [str(error)]
                )
            else:
                messages.success(
                    request,
                    _("Your ballot has been changed.") if mine else _("Your ballot has been cast."),
                )
                return redirect("budgets:ballot", pk=budget.pk)
    return render(
        request,
        "budgets/ballot.html",
        _context(
            request,
            budget,
            rows=_ballot_rows(projects, choices, budget.ballot_kind),
            reason=reason,
            errors=errors,
            mine=mine,
            checked=checked,
            total=_running_total(projects, choices),
            approval=budget.ballot_kind in (BallotKind.APPROVAL, BallotKind.APPROVAL_BUDGET),
            action_url=reverse("budgets:ballot", args=[budget.pk]),
        ),
        status=400 if errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def paper_ballot_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Officials enter a paper ballot; each entry is audited with who entered it."""
    budget = _run(request, pk)
    projects = list(selectors.projects_of(budget=budget))
    form = PaperBallotForm(request.POST or None)
    choices: dict[str, Any] = {}
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        choices = _read_choices(request, projects)
        try:
            services.paper_ballot_enter(
                actor=request.user,
                budget=budget,
                choices=choices,
                code=form.cleaned_data["code"],
                reference=form.cleaned_data["reference"],
            )
        except ValidationError as error:
            errors.extend(error.messages)
        else:
            messages.success(request, _("Paper ballot entered."))
            return redirect("budgets:paper", pk=budget.pk)
    return render(
        request,
        "budgets/paper.html",
        _context(
            request,
            budget,
            form=form,
            rows=_ballot_rows(projects, choices, budget.ballot_kind),
            errors=errors,
            total=_running_total(projects, choices),
            approval=budget.ballot_kind in (BallotKind.APPROVAL, BallotKind.APPROVAL_BUDGET),
        ),
        status=400 if errors else 200,
    )


@_sign_in_first
@require_GET
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The published results: greedy and the Method of Equal Shares side by side."""
    budget = _budget(request, pk)
    return render(
        request,
        "budgets/results.html",
        _context(request, budget, areas=selectors.results_of(budget=budget)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a budget: add projects, move its phase, count and publish the results."""
    budget = _run(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    project_form = ProjectForm(request.POST if action == "project" else None, prefix="project")
    phase_form = PhaseForm(
        request.POST if action == "phase" else None, initial={"phase": budget.phase}
    )
    publish_form = PublishForm(request.POST if action == "publish" else None)
    eligible_form = EligibleVotersForm(
        request.POST if action == "eligible" else None,
        initial={"emails": "\n".join(budget.eligible_voters.values_list("email", flat=True))},
    )
    codes_form = CodesForm(request.POST if action == "codes" else None)
    codes: list[str] = []
    if action == "project" and project_form.is_valid():
        data = dict(project_form.cleaned_data)
        try:
            data["idea"] = _idea(request, data.get("idea"))
            services.project_add(actor=request.user, budget=budget, **data)
        except ValidationError as error:
            _apply_errors(project_form, error)
        else:
            messages.success(request, _("Project added."))
            return redirect("budgets:manage", pk=budget.pk)
    elif action == "phase" and phase_form.is_valid():
        try:
            services.budget_move_phase(
                actor=request.user, budget=budget, phase=phase_form.cleaned_data["phase"]
            )
        except ValidationError as error:
            _apply_errors(phase_form, error)
        else:
            messages.success(request, _("The budget's phase has changed."))
            return redirect("budgets:manage", pk=budget.pk)
    elif action == "publish" and publish_form.is_valid():
        try:
            queued = services.results_publish_request(
                actor=request.user, budget=budget, **publish_form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(publish_form, error)
        else:
            if queued:
                messages.success(
                    request,
                    _(
                        "The ballots are being counted. The results are published when the "
                        "count is done."
                    ),
                )
                return redirect("budgets:manage", pk=budget.pk)
            messages.success(request, _("Results published."))
            return redirect("budgets:results", pk=budget.pk)
    elif action == "eligible" and eligible_form.is_valid():
        try:
            listed = services.eligible_voters_set(
                actor=request.user,
                budget=budget,
                emails=eligible_form.cleaned_data["emails"].splitlines(),
            )
        except ValidationError as error:
            _apply_errors(eligible_form, error)
        else:
            messages.success(request, _("%(count)s people may vote.") % {"count": listed})
            return redirect("budgets:manage", pk=budget.pk)
    elif action == "codes" and codes_form.is_valid():
        try:
            codes = services.codes_issue(
                actor=request.user, budget=budget, how_many=codes_form.cleaned_data["how_many"]
            )
        except ValidationError as error:
            _apply_errors(codes_form, error)
    elif action not in ("", "project", "phase", "publish", "eligible", "codes"):
        project_form.add_error(None, _("Choose what to do."))
    bad = any(f.errors for f in (project_form, phase_form, publish_form, eligible_form, codes_form))
    return render(
        request,
        "budgets/manage.html",
        _context(
            request,
            budget,
            project_form=project_form,
            phase_form=phase_form,
            publish_form=publish_form,
            eligible_form=eligible_form,
            codes_form=codes_form,
            codes=codes,
            ballot_count=budget.ballots.count(),
            project_count=budget.projects.count(),
        ),
        status=400 if bad else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def budget_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a budget's title, description and voting window (leads, until the results)."""
    budget = _run(request, pk)
    initial = {
        "title": budget.title,
        "description": budget.description,
        "voting_opens_at": budget.voting_opens_at,
        "voting_closes_at": budget.voting_closes_at,
    }
    form = BudgetEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.budget_edit(actor=request.user, budget=budget, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Budget changed."))
            return redirect("budgets:budget", pk=budget.pk)
    return render(
        request,
        "budgets/budget_edit.html",
        _context(request, budget, form=form),
        status=400 if form.errors else 200,
    )


def _idea(request: HttpRequest, idea_id: int | None) -> Any:
    """The idea a project came from, read through the ideas app, if the person may see it."""
    if not idea_id:
        return None
    from civicflow.ideas.selectors import idea_get

    idea = idea_get(user=request.user, pk=idea_id)
    if idea is None:
        raise ValidationError({"idea": _("There is no idea with this number that you can see.")})
    return idea


@login_required
@require_http_methods(["GET", "POST"])
def project_edit_view(request: HttpRequest, pk: int, project_id: int) -> HttpResponse:
    """Change a project before voting starts (innovation leads and administrators)."""
    budget = _run(request, pk)
    project = selectors.project_get(budget=budget, pk=project_id)
    if project is None:
        raise Http404
    initial = {
        "title": project.title,
        "description": project.description,
        "cost": project.cost,
        "category": project.category,
        "location": project.location,
        "idea": project.idea_id,
    }
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            data["idea"] = _idea(request, data.get("idea"))
            services.project_edit(actor=request.user, project=project, **data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Project changed."))
            return redirect("budgets:budget", pk=budget.pk)
    return render(
        request,
        "budgets/project_form.html",
        _context(request, budget, form=form, project=project),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Import a pabulib ``.pb`` file's projects and ballots into an empty budget."""
    budget = _run(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise ValidationError({"file": _("The file must be smaller than 50 MB.")})
            try:
                text = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise ValidationError({"file": _("The file must be UTF-8 text.")}) from error
            projects, ballots = services.pb_import(actor=request.user, budget=budget, text=text)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Imported %(projects)s projects and %(ballots)s ballots.")
                % {"projects": projects, "ballots": ballots},
            )
            return redirect("budgets:manage", pk=budget.pk)
    return render(
        request,
        "budgets/import.html",
        _context(request, budget, form=form),
        status=400 if form.errors else 200,
    )


@_sign_in_first
@require_GET
def export_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The budget's projects and anonymised ballots as a ``.pb`` file anyone may recount."""
    budget = _budget(request, pk)
    if budget.phase != Phase.RESULTS and not permissions.can_run_budget(request.user, budget):
        raise PermissionDenied
    response = HttpResponse(
        services.export_pb(budget=budget), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="budget-{budget.pk}.pb"'
    return response
