"""Pages for the case library: browse and search with facets, a case with its outcomes first,
its spread across the network, writing and reviewing cases, adopting one, drafting one from a
finished initiative, and the open data exports and import.

A case someone may not read answers 404 (or the sign-in page, to someone not signed in); a
member who lacks the role gets 403. Every page works without JavaScript.
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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import organisation_get, organisations_of
from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import not_visible, sign_in_first
from civicflow.library import permissions, selectors, services
from civicflow.library.forms import (
    AdoptForm,
    CaseForm,
    ImportForm,
    LibraryFilterForm,
    MeasuresForm,
    ReviewForm,
)
from civicflow.library.models import CHECKLIST, CaseStudy
from civicflow.library.services.opendata import MAX_BYTES

LIST_LIMIT = 200


def _crumbs(*extra: dict[str, str]) -> list[dict[str, str]]:
    return [{"text": _("Case library"), "href": reverse("library:index")}, *extra]


def _case(request: HttpRequest, pk: int) -> CaseStudy:
    case = selectors.case_get(user=request.user, pk=pk)
    if case is None:
        raise not_visible(request)
    return case


def _organisation(slug: str) -> Organisation:
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], form: Any
) -> HttpResponse:
    return render(request, template, context, status=400 if form.errors else 200)


# Browsing ----------------------------------------------------------------------------------


def _facet_links(request: HttpRequest, facets: list[selectors.Facet]) -> list[dict[str, Any]]:
    """Each facet's values with their counts and a link that narrows (or widens) to them."""
    out = []
    for facet in facets:
        current = request.GET.get(facet.key, "")
        options = []
        for value, label, count in facet.options:
            query = request.GET.copy()
            query.pop("page", None)
            chosen = current == value
            if chosen:
                query.pop(facet.key, None)
            else:
                query[facet.key] = value
            if count or chosen:
                options.append(
                    {
                        "label": label,
                        "count": count,
                        "chosen": chosen,
                        "href": "?" + query.urlencode(),
                    }
                )
        out.append({"key": facet.key, "label": facet.label, "options": options})
    return out


@require_GET
def index_view(request: HttpRequest) -> HttpResponse:
    """Search and browse the published cases the person may read, with facets."""
    form = LibraryFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.CaseFilters(
        q=(data.get("q") or "").strip(),
        sector=data.get("sector") or "",
        innovation_type=data.get("innovation_type") or "",
        evidence_level=data.get("evidence_level"),
        outcome_area=data.get("outcome_area") or "",
        organisation=data.get("organisation") or "",
        year=data.get("year"),
        sort=data.get("sort") or "",
    )
    result = selectors.library(user=request.user, filters=filters)
    user = request.user
    return render(
        request,
        "library/index.html",
        {
            "form": form,
            "filters": filters,
            "result": result,
            "cases": result.cases[:LIST_LIMIT],
            "limited": len(result.cases) > LIST_LIMIT,
            "facets": _facet_links(request, result.facets),
            "my_organisations": organisations_of(user) if user.is_authenticated else [],
            "can_review": user.is_authenticated and selectors.review_queue(user=user).exists(),
        },
        status=400 if form.errors else 200,
    )


@sign_in_first
@require_GET
def case_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A case study: its outcomes first, then the story, and where it has spread."""
    case = _case(request, pk)
    user = request.user
    spread = selectors.spread(user=user, case=case)
    adopt_for = (
        [o for o in organisations_of(user) if permissions.can_adopt(user, o)]
        if (user.is_authenticated)
        else []
    )
    return render(
        request,
        "library/case.html",
        {
            "case": case,
            "outcomes": list(case.outcomes.all()),
            "measured": spread.measured,
            "spread": spread,
            "reviews": selectors.reviews_of(case)
            if permissions.is_editor(user, case.organisation)
            or permissions.can_edit_case(user, case)
            else [],
            "can_edit": permissions.can_edit_case(user, case),
            "can_choose_measures": case.source_initiative_id is not None
            and permissions.can_edit_case(user, case),
            "can_review": permissions.can_review_case(user, case),
            "can_adopt": case.is_published and any(o.pk != case.organisation_id for o in adopt_for),
            "breadcrumbs": _crumbs(),
        },
    )


@sign_in_first
@require_GET
def spread_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every adoption of a case the person may see, side by side with the original's
    results."""
    case = _case(request, pk)
    return render(
        request,
        "library/spread.html",
        {
            "case": case,
            "outcomes": list(case.outcomes.all()),
            "spread": selectors.spread(user=request.user, case=case),
            "breadcrumbs": _crumbs({"text": case.title, "href": case.get_absolute_url()}),
        },
    )


# Writing and review ------------------------------------------------------------------------


def _measure_choices(initiative: Any) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    kpis = []
    for kpi in initiative.kpis.order_by("name", "id"):
        unit = f" {kpi.unit}" if kpi.unit else ""
        kpis.append(
            (
                kpi.pk,
                _("%(name)s: baseline %(baseline)s%(unit)s, target %(target)s%(unit)s")
                % {
                    "name": kpi.name,
                    "baseline": f"{kpi.baseline_value.normalize():f}",
                    "target": f"{kpi.target_value.normalize():f}",
                    "unit": unit,
                },
            )
        )
    appraisals = [
        (a.pk, f"{a.title} ({a.get_kind_display()})")
        for a in initiative.appraisals.order_by("kind", "title", "id")
    ]
    return kpis, appraisals


@login_required
@require_http_methods(["GET", "POST"])
def measures_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Choose which of the initiative's measured results the case publishes."""
    from civicflow.initiatives.permissions import can_view_initiative

    case = _case(request, pk)
    initiative = case.source_initiative
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied
    if initiative is None:
        raise Http404
    if not can_view_initiative(request.user, initiative):
        raise PermissionDenied
    kpis, appraisals = _measure_choices(initiative)
    initial = {
        "kpis": list(case.published_kpis.values_list("pk", flat=True)),
        "appraisals": list(case.published_appraisals.values_list("pk", flat=True)),
    }
    form = MeasuresForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        kpis=kpis,
        appraisals=appraisals,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_measures_publish(
                actor=request.user,
                case=case,
                kpis=form.cleaned_data["kpis"],
                appraisals=form.cleaned_data["appraisals"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("The case now publishes the measured results you chose."))
            return redirect(case)
    return _render_form(
        request,
        "library/measures.html",
        {
            "form": form,
            "case": case,
            "initiative": initiative,
            "public": case.sharing == "public",
            "breadcrumbs": _crumbs({"text": case.title, "href": case.get_absolute_url()}),
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_view(request: HttpRequest, slug: str) -> HttpResponse:
    """Write a case study for an organisation (its members)."""
    organisation = _organisation(slug)
    if not permissions.can_write_cases(request.user, organisation):
        raise Http404
    form = CaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                actor=request.user, organisation=organisation, **form.case_fields()
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Draft saved. Submit it for review when it is ready."))
            return redirect(case)
    return _render_form(
        request,
        "library/edit.html",
        {"form": form, "organisation": organisation, "case": None, "breadcrumbs": _crumbs()},
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a case study and its outcomes."""
    case = _case(request, pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied
    initial = CaseForm.initial_from(services.case_fields(case))
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_edit(actor=request.user, case=case, **form.case_fields())
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Case study saved."))
            return redirect(case)
    return _render_form(
        request,
        "library/edit.html",
        {
            "form": form,
            "organisation": case.organisation,
            "case": case,
            "breadcrumbs": _crumbs({"text": case.title, "href": case.get_absolute_url()}),
        },
        form,
    )


@login_required
@require_POST
def submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a draft to the organisation's editors."""
    case = _case(request, pk)
    if not permissions.can_edit_case(request.user, case):
        raise PermissionDenied
    try:
        services.case_submit(actor=request.user, case=case)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Submitted. An editor will review it against the checklist."))
    return redirect(case)


@login_required
@require_http_methods(["GET", "POST"])
def review_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An editor publishes a submitted case against the checklist, or returns it."""
    case = _case(request, pk)
    if not permissions.can_review_case(request.user, case):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_review(
                actor=request.user,
                case=case,
                decision=data["decision"],
                checklist=data["checklist"],
                reasons=data["reasons"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Review recorded."))
            return redirect(case)
    return _render_form(
        request,
        "library/review.html",
        {
            "form": form,
            "case": case,
            "outcomes": list(case.outcomes.all()),
            "checklist": CHECKLIST,
            "breadcrumbs": _crumbs({"text": case.title, "href": case.get_absolute_url()}),
        },
        form,
    )


@login_required
@require_GET
def queue_view(request: HttpRequest) -> HttpResponse:
    """Cases waiting for the person to review, and their organisations' own cases."""
    return render(
        request,
        "library/queue.html",
        {
            "queue": list(selectors.review_queue(user=request.user)[:LIST_LIMIT]),
            "own": list(selectors.own_cases(user=request.user)[:LIST_LIMIT]),
            "writable": organisations_of(request.user),
            "breadcrumbs": _crumbs(),
        },
    )


# Adoption ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def adopt_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Adopt a case: start a challenge or an initiative in your organisation, linked to it."""
    case = _case(request, pk)
    user = request.user
    organisations = [
        o
        for o in organisations_of(user)
        if permissions.can_adopt(user, o) and o.pk != case.organisation_id
    ]
    if not organisations or not case.is_published:
        raise PermissionDenied
    form = AdoptForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = next(o for o in organisations if o.slug == data["organisation"])
        try:
            adoption = services.case_adopt(
                actor=user,
                case=case,
                organisation=chosen,
                kind=data["kind"],
                adaptations=data["adaptations"],
                sharing=data["sharing"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("Adopted. Your %(kind)s is linked to the case and listed on its spread page.")
                % {"kind": adoption.get_kind_display().split(",")[0].lower()},
            )
            return redirect(adoption.started)
    return _render_form(
        request,
        "library/adopt.html",
        {
            "form": form,
            "case": case,
            "breadcrumbs": _crumbs({"text": case.title, "href": case.get_absolute_url()}),
        },
        form,
    )


@login_required
@require_http_methods(["GET", "POST"])
def from_initiative_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Draft a case study from a finished initiative, for its owner to complete."""
    from civicflow.initiatives.permissions import can_run_initiative
    from civicflow.initiatives.selectors import initiative_get

    initiative = initiative_get(user=request.user, pk=pk)
    if initiative is None:
        raise Http404
    if not can_run_initiative(request.user, initiative):
        raise PermissionDenied
    error = ""
    if request.method == "POST":
        try:
            case = services.case_draft_from_initiative(actor=request.user, initiative=initiative)
        except ValidationError as problem:
            error = " ".join(problem.messages)
        else:
            messages.success(request, _("Draft filled in from the initiative. Complete it here."))
            return redirect("library:edit", case.pk)
    return render(
        request,
        "library/from_initiative.html",
        {
            "initiative": initiative,
            "fields": services.initiative_draft_fields(initiative),
            "error": error,
            "breadcrumbs": [
                {"text": initiative.title, "href": initiative.get_absolute_url()},
            ],
        },
        status=400 if error else 200,
    )


# Open data ---------------------------------------------------------------------------------


@require_GET
def export_json_view(request: HttpRequest) -> HttpResponse:
    """Public cases under an open licence, as JSON, without personal data."""
    response = HttpResponse(services.export_json(), content_type="application/json")
    response["Content-Disposition"] = 'attachment; filename="case-studies.json"'
    return response


@require_GET
def export_csv_view(request: HttpRequest) -> HttpResponse:
    """Public cases under an open licence, as CSV, without personal data."""
    response = HttpResponse(services.export_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="case-studies.csv"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest) -> HttpResponse:
    """Import cases from a JSON or CSV file, with a report of every problem; all or none."""
    user = request.user
    if not permissions.can_import(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        parse = services.parse_csv if upload.name.lower().endswith(".csv") else services.parse_json
        try:
            report = services.cases_import(actor=user, records=parse(data))
        except services.ImportFormatError as error:
            form.add_error("file", str(error))
        else:
            if report.ok:
                messages.success(
                    request, _("Imported %(count)s cases.") % {"count": len(report.created)}
                )
                return redirect("library:index")
    return render(
        request,
        "library/import.html",
        {"form": form, "report": report, "breadcrumbs": _crumbs()},
        status=400 if form.errors or (report and not report.ok) else 200,
    )
