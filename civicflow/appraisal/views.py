"""Pages for appraisal: the public criteria and results, the criteria editor, panel
management, the assessor's queue and scoring form, the lead's ranking with decisions, the
CSV export, and the business case form.

A challenge someone may not see answers 404 (or the sign-in page, to someone not signed in);
someone who sees it but may not do this gets 403. In blind mode, nobody on the panel sees a
submission's authors on any of these pages.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.accounts.models import Role, User
from civicflow.appraisal import permissions, selectors, services
from civicflow.appraisal.forms import (
    AssessorForm,
    BusinessCaseForm,
    CriterionForm,
    DecisionForm,
    DeclarationForm,
    PanelForm,
)
from civicflow.appraisal.models import Assignment, BusinessCase, Panel, Prize
from civicflow.challenges.models import Challenge
from civicflow.challenges.selectors import visible_challenges
from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import not_visible, sign_in_first
from civicflow.ideas.selectors import idea_get


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    challenge = (
        visible_challenges(request.user)
        .select_related("organisation")
        .filter(pk=challenge_id)
        .first()
    )
    if challenge is None:
        raise not_visible(request)
    return challenge


def _run(request: HttpRequest, challenge_id: int) -> Challenge:
    challenge = _challenge(request, challenge_id)
    if not permissions.can_run_appraisal(request.user, challenge):
        raise PermissionDenied
    return challenge


def _panel_or_404(challenge: Challenge) -> Panel:
    panel = selectors.panel_of(challenge)
    if panel is None:
        raise Http404
    return panel


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _base(challenge: Challenge, **extra: Any) -> dict[str, Any]:
    return {
        "challenge": challenge,
        "organisation": challenge.organisation,
        "breadcrumbs": [
            {
                "text": challenge.organisation.name,
                "href": challenge.organisation.get_absolute_url(),
            },
            {"text": challenge.title, "href": challenge.get_absolute_url()},
        ],
        **extra,
    }


@sign_in_first
@require_GET
def criteria_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The criteria submissions are judged against, with what each score means."""
    challenge = _challenge(request, challenge_id)
    criteria_set = selectors.criteria_of(challenge)
    if not permissions.can_view_criteria(request.user, challenge, criteria_set):
        raise Http404
    return render(
        request,
        "appraisal/criteria.html",
        _base(
            challenge,
            criteria_set=criteria_set,
            criteria=list(criteria_set.criteria.all()) if criteria_set else [],
            can_run=permissions.can_run_appraisal(request.user, challenge),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def criteria_edit_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads start from the default criteria, add or remove criteria, then publish."""
    challenge = _run(request, challenge_id)
    criteria_set = selectors.criteria_of(challenge)
    form = CriterionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "create" and criteria_set is None:
                services.criteria_set_create(actor=request.user, challenge=challenge)
                messages.success(request, _("The default criteria are ready to change."))
            elif criteria_set is None:
                raise ValidationError(_("Start the criteria first."))
            elif action == "add":
                form = CriterionForm(request.POST)
                if form.is_valid():
                    services.criterion_save(
                        actor=request.user, criteria_set=criteria_set, **form.cleaned_data
                    )
                    messages.success(request, _("Criterion added."))
                else:
                    return _criteria_edit(request, challenge, criteria_set, form, status=400)
            elif action == "remove":
                criterion = criteria_set.criteria.filter(pk=request.POST.get("criterion") or 0)
                if not criterion.exists():
                    raise ValidationError(_("Choose a criterion to remove."))
                services.criterion_remove(actor=request.user, criterion=criterion.get())
                messages.success(request, _("Criterion removed."))
            elif action == "publish":
                services.criteria_publish(actor=request.user, criteria_set=criteria_set)
                messages.success(request, _("Criteria published."))
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            if action == "add":
                apply_validation_error(form, error)
                return _criteria_edit(request, challenge, criteria_set, form, status=400)
            _refused(request, error)
        return redirect("appraisal:criteria_edit", challenge_id=challenge.pk)
    return _criteria_edit(request, challenge, criteria_set, form)


def _criteria_edit(
    request: HttpRequest, challenge: Challenge, criteria_set: Any, form: Any, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "appraisal/criteria_edit.html",
        _base(
            challenge,
            criteria_set=criteria_set,
            criteria=list(criteria_set.criteria.all()) if criteria_set else [],
            form=form,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def panel_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Leads set up the panel, put assessors on it, allocate reviews and follow progress."""
    challenge = _run(request, challenge_id)
    panel = selectors.panel_of(challenge)
    settings_form = PanelForm(
        initial={
            "reviews_per_submission": panel.reviews_per_submission,
            "blind": panel.blind,
            "rank_by": panel.rank_by,
        }
        if panel
        else None
    )
    candidates = (
        User.objects.filter(
            memberships__organisation=challenge.organisation, memberships__role=Role.ASSESSOR
        )
        .exclude(panel_memberships__panel=panel)
        .order_by("name", "email")
        .distinct()
        if panel
        else User.objects.none()
    )
    assessor_form = AssessorForm(people=list(candidates))
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "settings":
                settings_form = PanelForm(request.POST)
                if not settings_form.is_valid():
                    raise ValidationError(_("Check the panel's settings."))
                if panel is None:
                    services.panel_create(
                        actor=request.user, challenge=challenge, **settings_form.cleaned_data
                    )
                else:
                    services.panel_update(
                        actor=request.user, panel=panel, **settings_form.cleaned_data
                    )
                messages.success(request, _("Panel saved."))
            elif panel is None:
                raise ValidationError(_("Set up the panel first."))
            elif action == "add_assessor":
                assessor_form = AssessorForm(request.POST, people=list(candidates))
                if not assessor_form.is_valid():
                    raise ValidationError(_("Choose an assessor."))
                user = candidates.get(pk=assessor_form.cleaned_data["user"])
                services.panel_member_add(actor=request.user, panel=panel, user=user)
                messages.success(request, _("Assessor added."))
            elif action == "allocate":
                added = services.panel_allocate(actor=request.user, panel=panel)
                messages.success(request, _("%(count)s reviews allocated.") % {"count": added})
            elif action == "close":
                services.panel_close(actor=request.user, panel=panel)
                messages.success(request, _("Panel closed."))
            elif action == "reopen":
                services.panel_reopen(
                    actor=request.user, panel=panel, reason=request.POST.get("reason", "")
                )
                messages.success(request, _("Panel reopened."))
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            _refused(request, error)
        return redirect("appraisal:panel", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/panel.html",
        _base(
            challenge,
            panel=panel,
            settings_form=settings_form,
            assessor_form=assessor_form,
            has_candidates=bool(assessor_form.fields["user"].choices),  # type: ignore[attr-defined]
            progress=selectors.panel_progress(panel) if panel else [],
            entries=selectors.panel_entries(panel).count() if panel else 0,
        ),
    )


@login_required
@require_GET
def queue_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """An assessor's reviews on the panel, and whether each is declared and scored."""
    challenge = _challenge(request, challenge_id)
    panel = _panel_or_404(challenge)
    if not permissions.is_on_panel(request.user, panel):
        raise PermissionDenied
    declarations = selectors.declarations_of(panel=panel, assessor=request.user)
    rows = [
        {"assignment": a, "declaration": declarations.get(a.idea_id)}
        for a in selectors.assessor_queue(panel=panel, assessor=request.user)
    ]
    return render(
        request,
        "appraisal/queue.html",
        _base(
            challenge,
            panel=panel,
            rows=rows,
            sees_authors=permissions.sees_authors(request.user, panel),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_view(request: HttpRequest, challenge_id: int, assignment_id: int) -> HttpResponse:
    """Declare your interests in a submission, then score it on every criterion."""
    challenge = _challenge(request, challenge_id)
    panel = _panel_or_404(challenge)
    assignment = (
        Assignment.objects.select_related("idea", "panel__challenge__organisation")
        .filter(pk=assignment_id, panel=panel, assessor_id=request.user.pk)
        .first()
    )
    if assignment is None:
        raise Http404
    criteria_set = selectors.criteria_of(challenge)
    criteria = list(criteria_set.criteria.all()) if criteria_set else []
    declaration = selectors.declarations_of(panel=panel, assessor=request.user).get(
        assignment.idea_id
    )
    declaration_form = DeclarationForm()
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "declare":
                declaration_form = DeclarationForm(request.POST)
                if not declaration_form.is_valid():
                    raise ValidationError(_("Say whether you have a conflict of interest."))
                services.conflict_declare(
                    actor=request.user,
                    panel=panel,
                    idea=assignment.idea,
                    **declaration_form.cleaned_data,
                )
                messages.success(request, _("Declaration saved."))
                return redirect(
                    "appraisal:review", challenge_id=challenge.pk, assignment_id=assignment.pk
                )
            if action == "score":
                services.score_submit(
                    actor=request.user,
                    assignment=assignment,
                    scores={c.key: request.POST.get(f"score-{c.key}", "") for c in criteria},
                    comments={c.key: request.POST.get(f"comment-{c.key}", "") for c in criteria},
                    comment=request.POST.get("comment", ""),
                )
                messages.success(request, _("Scores saved."))
                return redirect("appraisal:queue", challenge_id=challenge.pk)
            raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            errors = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
            status = 400
    scores = selectors.scores_of(assignment)
    rows = [
        {
            "criterion": c,
            "value": request.POST.get(f"score-{c.key}")
            if request.method == "POST"
            else (str(scores[c.pk].value) if c.pk in scores else ""),
            "comment": request.POST.get(f"comment-{c.key}")
            if request.method == "POST"
            else (scores[c.pk].comment if c.pk in scores else ""),
            "points": list(zip(criteria_set.points, c.descriptors, strict=False))
            if criteria_set
            else [],
            "error": " ".join(errors.get(c.key, [])),
        }
        for c in criteria
    ]
    return render(
        request,
        "appraisal/review.html",
        _base(
            challenge,
            panel=panel,
            assignment=assignment,
            idea=assignment.idea,
            case=BusinessCase.objects.filter(idea=assignment.idea)
            .prefetch_related("barriers")
            .first(),
            declaration=declaration,
            declaration_form=declaration_form,
            rows=rows,
            general_errors=[
                m for key, ms in errors.items() if key not in {c.key for c in criteria} for m in ms
            ],
            sees_authors=permissions.sees_authors(request.user, panel),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def ranking_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The lead's ranking: raw mean beside standardised, disagreement, decisions, results."""
    challenge = _run(request, challenge_id)
    panel = _panel_or_404(challenge)
    rows = selectors.panel_ranking(panel)
    prize = Prize.objects.filter(challenge=challenge).first()
    tiers = list(prize.tiers.all()) if prize else []
    form = DecisionForm(ideas=[r.idea for r in rows], tiers=tiers)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "decide":
                form = DecisionForm(request.POST, ideas=[r.idea for r in rows], tiers=tiers)
                if form.is_valid():
                    data = form.cleaned_data
                    services.decision_record(
                        actor=request.user,
                        panel=panel,
                        idea=next(r.idea for r in rows if r.idea.pk == data["idea"]),
                        kind=data["kind"],
                        reason=data["reason"],
                        tier=next((t for t in tiers if t.pk == data["tier"]), None),
                    )
                    messages.success(request, _("Decision recorded."))
                    return redirect("appraisal:ranking", challenge_id=challenge.pk)
                status = 400
            elif action == "publish":
                services.results_publish(
                    actor=request.user, panel=panel, summary=request.POST.get("summary", "")
                )
                messages.success(request, _("Results published."))
                return redirect("appraisal:results", challenge_id=challenge.pk)
            else:
                raise ValidationError(_("Choose what to do."))
        except ValidationError as error:
            if action == "decide":
                apply_validation_error(form, error)
                status = 400
            else:
                _refused(request, error)
                return redirect("appraisal:ranking", challenge_id=challenge.pk)
    return render(
        request,
        "appraisal/ranking.html",
        _base(
            challenge,
            panel=panel,
            rows=rows,
            form=form,
            sees_authors=permissions.sees_authors(request.user, panel),
        ),
        status=status,
    )


@login_required
@require_GET
def export_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Every score and every decision as CSV, for leads. Blind panels' members get no names."""
    challenge = _run(request, challenge_id)
    panel = _panel_or_404(challenge)
    show = permissions.sees_authors(request.user, panel)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="appraisal-{challenge.pk}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "record",
            "idea_id",
            "idea",
            "author",
            "assessor",
            "criterion",
            "value",
            "comment",
            "decided_by",
            "reason",
        ]
    )
    for row in selectors.export_rows(panel):
        writer.writerow([row[0], row[1], row[2], row[3] if show else "", *row[4:]])
    return response


@sign_in_first
@require_GET
def results_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """The published results, with the panel's reasons."""
    challenge = _challenge(request, challenge_id)
    panel = _panel_or_404(challenge)
    if not permissions.can_view_results(request.user, panel):
        raise Http404
    return render(
        request,
        "appraisal/results.html",
        _base(
            challenge,
            panel=panel,
            results=selectors.published_results(panel),
            sees_authors=permissions.sees_authors(request.user, panel),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def business_case_view(request: HttpRequest, idea_id: int) -> HttpResponse:
    """The idea's authors write its business case."""
    idea = idea_get(user=request.user, pk=idea_id)
    if idea is None:
        raise Http404
    if not permissions.is_author(request.user, idea):
        raise PermissionDenied
    case = BusinessCase.objects.filter(idea=idea).prefetch_related("barriers").first()
    initial: dict[str, Any] = {}
    if case is not None:
        initial = {field: getattr(case, field) for field in BusinessCaseForm.base_fields}
        initial.update({f"barrier_{b.kind}": b.counter_measure for b in case.barriers.all()})
    form = BusinessCaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if not k.startswith("barrier_")}
        try:
            services.business_case_save(
                actor=request.user, idea=idea, barriers=form.barriers(), **data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Business case saved."))
            return redirect(idea.get_absolute_url())
    return render(
        request,
        "appraisal/business_case.html",
        {"idea": idea, "form": form},
        status=400 if form.errors else 200,
    )
