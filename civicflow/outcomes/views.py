"""Pages for outcomes and evidence: an initiative's outcomes, a KPI with its chart and table,
the CSV import with its report, a challenge's KPIs, the appraisal editors and results, the
evidence page, savings, an organisation's benefits realisation, and surveys (set-up, answering
signed in or through an anonymous link, and results for staff).

Something a person may not see answers 404 (or the sign-in page, to someone not signed in); a
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
from django.views.decorators.http import require_GET, require_http_methods

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import organisation_get
from civicflow.challenges.models import Challenge
from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import not_visible, sign_in_first
from civicflow.initiatives import selectors as initiative_selectors
from civicflow.initiatives.models import Initiative
from civicflow.outcomes import permissions, selectors, services
from civicflow.outcomes.charts import kpi_chart
from civicflow.outcomes.forms import (
    AppraisalForm,
    EvidenceLevelForm,
    ImportForm,
    KpiForm,
    LinksForm,
    QuestionForm,
    ReadingForm,
    SavingsForm,
    StoryForm,
    SurveyForm,
    answer_form,
    appraisal_initial,
    rows_needed,
)
from civicflow.outcomes.models import (
    Appraisal,
    AppraisalKind,
    Kpi,
    Survey,
    SurveyLink,
    SurveyStatus,
)

MAX_ID = 2**63


def _status(*forms: Any) -> int:
    return 400 if any(form is not None and form.errors for form in forms) else 200


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    initiative = (
        initiative_selectors.initiative_get(user=request.user, pk=pk) if pk < MAX_ID else None
    )
    if initiative is None:
        raise not_visible(request)
    return initiative


def _recorded(request: HttpRequest, owner: Any) -> None:
    if not permissions.can_record_outcomes(request.user, owner):
        raise PermissionDenied


def _challenge(request: HttpRequest, challenge_id: int) -> Challenge:
    challenge = (
        Challenge.objects.select_related("organisation").filter(pk=challenge_id).first()
        if challenge_id < MAX_ID
        else None
    )
    if challenge is None or not permissions.can_view_outcomes(request.user, challenge):
        raise not_visible(request)
    return challenge


def _kpi(request: HttpRequest, kpi_id: int) -> tuple[Kpi, Any]:
    kpi = selectors.kpi_get(pk=kpi_id) if kpi_id < MAX_ID else None
    owner = permissions.kpi_owner(kpi) if kpi else None
    if kpi is None or not permissions.can_view_outcomes(request.user, owner):
        raise not_visible(request)
    return kpi, owner


def _appraisal(request: HttpRequest, appraisal_id: int) -> Appraisal:
    appraisal = selectors.appraisal_get(pk=appraisal_id) if appraisal_id < MAX_ID else None
    if appraisal is None or not permissions.can_view_outcomes(request.user, appraisal.initiative):
        raise not_visible(request)
    return appraisal


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    survey = selectors.survey_get(pk=survey_id) if survey_id < MAX_ID else None
    if survey is None or not permissions.can_view_outcomes(request.user, survey.owner):
        raise not_visible(request)
    return survey


def _owner_crumbs(owner: Any) -> list[dict[str, str]]:
    crumbs = [{"text": owner.organisation.name, "href": owner.organisation.get_absolute_url()}]
    if isinstance(owner, Challenge):
        crumbs.append({"text": owner.title, "href": owner.get_absolute_url()})
    else:
        crumbs.append(
            {
                "text": _("Initiatives"),
                "href": reverse("initiatives:portfolio", args=[owner.organisation.slug]),
            }
        )
        crumbs.append({"text": owner.title, "href": owner.get_absolute_url()})
        crumbs.append(
            {"text": _("Outcomes"), "href": reverse("outcomes:initiative", args=[owner.pk])}
        )
    return crumbs


def _may_post(request: HttpRequest, allowed: bool) -> None:
    """Ask someone not signed in to sign in first; refuse a member who lacks the role."""
    if not request.user.is_authenticated:
        raise not_visible(request)
    if not allowed:
        raise PermissionDenied


def _kpi_form_post(request: HttpRequest, owner: Any, form: KpiForm) -> Kpi | None:
    if not form.is_valid():
        return None
    try:
        return services.kpi_create(actor=request.user, owner=owner, **form.cleaned_data)
    except ValidationError as error:
        apply_validation_error(form, error)
    return None


# An initiative's outcomes -------------------------------------------------------------------


@sign_in_first
@require_http_methods(["GET", "POST"])
def initiative_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything measured about an initiative; those who run it add KPIs here."""
    initiative = _initiative(request, pk)
    can_record = permissions.can_record_outcomes(request.user, initiative)
    form = KpiForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _may_post(request, can_record)
        kpi = _kpi_form_post(request, initiative, form)
        if kpi is not None:
            messages.success(request, _("KPI added. Record its readings here."))
            return redirect(kpi)
    context = {
        **section_context(request.user, initiative),
        "form": form,
        "breadcrumbs": _owner_crumbs(initiative)[:-1],
    }
    return render(request, "outcomes/initiative.html", context, status=_status(form))


def section_context(user: Any, initiative: Initiative) -> dict[str, Any]:
    """What the outcomes section of an initiative shows, side by side."""
    return {
        "initiative": initiative,
        "organisation": initiative.organisation,
        "kpis": selectors.kpi_rows(initiative.kpis.all()),
        "appraisals": selectors.appraisals_of(initiative),
        "evidence": selectors.current_evidence(initiative),
        "stories": list(selectors.stories_of(initiative)[:3]),
        "surveys": list(selectors.surveys_of(initiative)),
        "savings": selectors.realised_savings(initiative),
        "can_record": permissions.can_record_outcomes(user, initiative),
        "is_member": permissions.can_see_benefits(user, initiative.organisation),
    }


# KPIs ---------------------------------------------------------------------------------------


@sign_in_first
@require_http_methods(["GET", "POST"])
def kpi_view(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """A KPI: its chart and its readings in a table beside it; record a reading."""
    kpi, owner = _kpi(request, kpi_id)
    can_record = permissions.can_record_outcomes(request.user, owner)
    form = ReadingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _may_post(request, can_record)
        if form.is_valid():
            try:
                services.reading_add(actor=request.user, kpi=kpi, **form.cleaned_data)
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, _("Reading recorded."))
                return redirect(kpi)
    readings = list(kpi.readings.order_by("taken_on", "id"))
    return render(
        request,
        "outcomes/kpi.html",
        {
            "kpi": kpi,
            "owner": owner,
            "row": selectors.kpi_row(kpi, readings),
            "chart": kpi_chart(kpi, readings),
            "form": form,
            "can_record": can_record,
            "corrections": selectors.reading_corrections(kpi) if can_record else [],
            "breadcrumbs": _owner_crumbs(owner),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def kpi_import_view(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """Import a KPI's readings from a CSV file, and say which rows were refused and why."""
    kpi, owner = _kpi(request, kpi_id)
    _recorded(request, owner)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = services.kpi_readings_import(
                actor=request.user, kpi=kpi, content=upload.read(services.kpis.IMPORT_MAX_BYTES + 1)
            )
        except ValidationError as error:
            apply_validation_error(form, error)
    return render(
        request,
        "outcomes/kpi_import.html",
        {"kpi": kpi, "form": form, "report": report, "breadcrumbs": _owner_crumbs(owner)},
        status=_status(form),
    )


@sign_in_first
@require_http_methods(["GET", "POST"])
def challenge_kpis_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """A challenge's KPIs: the problem's baseline, and where it should get to."""
    challenge = _challenge(request, challenge_id)
    can_record = permissions.can_record_outcomes(request.user, challenge)
    form = KpiForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        _may_post(request, can_record)
        kpi = _kpi_form_post(request, challenge, form)
        if kpi is not None:
            messages.success(request, _("KPI added."))
            return redirect(kpi)
    return render(
        request,
        "outcomes/challenge_kpis.html",
        {
            "challenge": challenge,
            "kpis": selectors.kpi_rows(challenge.kpis.all()),
            "surveys": list(selectors.surveys_of(challenge)),
            "form": form,
            "can_record": can_record,
            "breadcrumbs": _owner_crumbs(challenge)[:1],
        },
        status=_status(form),
    )


# Appraisals ---------------------------------------------------------------------------------


def _rows_asked(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("rows", "0"))
    except ValueError:
        return 0


def _appraisal_editor(
    request: HttpRequest, initiative: Initiative, kind: str, appraisal: Appraisal | None
) -> HttpResponse:
    inputs = appraisal.inputs if appraisal else {}
    rows, outcome_rows = rows_needed(kind, inputs, _rows_asked(request))
    initial = appraisal_initial(kind, inputs)
    if appraisal is not None:
        initial.update(title=appraisal.title, notes=appraisal.notes)
    form = AppraisalForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        kind=kind,
        rows=rows,
        outcome_rows=outcome_rows,
    )
    if request.method == "POST" and request.POST.get("action") == "delete" and appraisal:
        services.appraisal_delete(actor=request.user, appraisal=appraisal)
        messages.success(request, _("Appraisal deleted."))
        return redirect("outcomes:initiative", pk=initiative.pk)
    if request.method == "POST" and form.is_valid():
        inputs, places = form.inputs_and_places()
        try:
            saved = services.appraisal_save(
                actor=request.user,
                initiative=initiative,
                kind=kind,
                title=form.cleaned_data["title"],
                notes=form.cleaned_data["notes"],
                inputs=inputs,
                appraisal=appraisal,
            )
        except ValidationError as error:
            form.show_errors(error.message_dict, places)
        else:
            messages.success(request, _("Appraisal saved."))
            return redirect(saved)
    return render(
        request,
        "outcomes/appraisal_edit.html",
        {
            "initiative": initiative,
            "appraisal": appraisal,
            "kind": kind,
            "kind_label": AppraisalKind(kind).label,
            "form": form,
            "more_rows": min(rows + 10, 60),
            "breadcrumbs": _owner_crumbs(initiative),
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_new_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Start a cost-benefit analysis or an SROI of an initiative."""
    initiative = _initiative(request, pk)
    _recorded(request, initiative)
    if kind not in AppraisalKind.values:
        raise Http404
    return _appraisal_editor(request, initiative, kind, None)


@login_required
@require_http_methods(["GET", "POST"])
def appraisal_edit_view(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    """Change (or delete) an appraisal."""
    appraisal = _appraisal(request, appraisal_id)
    _recorded(request, appraisal.initiative)
    return _appraisal_editor(request, appraisal.initiative, appraisal.kind, appraisal)


@sign_in_first
@require_GET
def appraisal_view(request: HttpRequest, appraisal_id: int) -> HttpResponse:
    """An appraisal's results, with the table by year (or by outcome and year)."""
    appraisal = _appraisal(request, appraisal_id)
    return render(
        request,
        "outcomes/appraisal.html",
        {
            "view": selectors.appraisal_result(appraisal),
            "appraisal": appraisal,
            "initiative": appraisal.initiative,
            "can_record": permissions.can_record_outcomes(request.user, appraisal.initiative),
            "breadcrumbs": _owner_crumbs(appraisal.initiative),
        },
    )


# Evidence and savings -----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def evidence_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Set the evidence level, and add quotes and stories."""
    initiative = _initiative(request, pk)
    _recorded(request, initiative)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    level_form = EvidenceLevelForm(request.POST if action == "level" else None, prefix="level")
    story_form = StoryForm(request.POST if action == "story" else None, prefix="story")
    done = None
    if action == "level" and level_form.is_valid():
        try:
            services.evidence_assess(
                actor=request.user, initiative=initiative, **level_form.cleaned_data
            )
            done = _("Evidence level saved.")
        except ValidationError as error:
            apply_validation_error(level_form, error)
    elif action == "story" and story_form.is_valid():
        try:
            services.qualitative_evidence_add(
                actor=request.user, initiative=initiative, **story_form.cleaned_data
            )
            done = _("Evidence added.")
        except ValidationError as error:
            apply_validation_error(story_form, error)
    elif action and action not in ("level", "story"):
        level_form.add_error(None, _("Choose what to do."))
    if done:
        messages.success(request, done)
        return redirect("outcomes:evidence", pk=initiative.pk)
    return render(
        request,
        "outcomes/evidence.html",
        {
            "initiative": initiative,
            "level_form": level_form,
            "story_form": story_form,
            "history": initiative.evidence_assessments.select_related("assessed_by"),
            "stories": selectors.stories_of(initiative),
            "breadcrumbs": _owner_crumbs(initiative),
        },
        status=_status(level_form, story_form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def savings_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record cashable savings planned, realised and kept, by financial year."""
    initiative = _initiative(request, pk)
    _recorded(request, initiative)
    form = SavingsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.savings_set(actor=request.user, initiative=initiative, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Savings saved."))
            return redirect("outcomes:savings", pk=initiative.pk)
    return render(
        request,
        "outcomes/savings.html",
        {
            "initiative": initiative,
            "form": form,
            "savings": selectors.realised_savings(initiative),
            "breadcrumbs": _owner_crumbs(initiative),
        },
        status=_status(form),
    )


@sign_in_first
@require_GET
def benefits_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's benefits realisation: savings planned, realised and kept."""
    organisation: Organisation | None = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    if not permissions.can_see_benefits(request.user, organisation):
        raise not_visible(request)
    rows, totals = selectors.organisation_benefits(organisation)
    return render(
        request,
        "outcomes/benefits.html",
        {
            "organisation": organisation,
            "rows": rows,
            "totals": totals,
            "breadcrumbs": [{"text": organisation.name, "href": organisation.get_absolute_url()}],
        },
    )


# Surveys ------------------------------------------------------------------------------------


def _survey_new(request: HttpRequest, owner: Any) -> HttpResponse:
    _recorded(request, owner)
    form = SurveyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, owner=owner, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Survey created as a draft. Add its questions."))
            return redirect(survey)
    return render(
        request,
        "outcomes/survey_new.html",
        {"owner": owner, "form": form, "breadcrumbs": _owner_crumbs(owner)},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Create a survey about an initiative (a follow-up, if weeks are given)."""
    return _survey_new(request, _initiative(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def challenge_survey_new_view(request: HttpRequest, challenge_id: int) -> HttpResponse:
    """Create a survey about a challenge."""
    return _survey_new(request, _challenge(request, challenge_id))


@login_required
@require_http_methods(["GET", "POST"])
def survey_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Set a survey up: its questions, opening and closing, and anonymous links."""
    survey = _survey(request, survey_id)
    _recorded(request, survey.owner)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    question_form = QuestionForm(request.POST if action == "question" else None, prefix="q")
    links_form = LinksForm(request.POST if action == "links" else None, prefix="links")
    new_links: list[SurveyLink] = []
    try:
        if action == "question" and question_form.is_valid():
            data = question_form.cleaned_data
            services.question_add(
                actor=request.user,
                survey=survey,
                kind=data["kind"],
                text=data["text"],
                choices=data["choices"].splitlines(),
                required=data["required"],
            )
            messages.success(request, _("Question added."))
            return redirect(survey)
        if action in (SurveyStatus.OPEN, SurveyStatus.CLOSED):
            services.survey_set_status(actor=request.user, survey=survey, status=action)
            messages.success(
                request, _("Survey opened.") if action == "open" else _("Survey closed.")
            )
            return redirect(survey)
        if action == "links" and links_form.is_valid():
            new_links = services.survey_links_make(
                actor=request.user, survey=survey, count=links_form.cleaned_data["count"]
            )
    except ValidationError as error:
        apply_validation_error(links_form if action == "links" else question_form, error)
    responses = survey.responses.count()
    return render(
        request,
        "outcomes/survey.html",
        {
            "survey": survey,
            "questions": survey.questions.all(),
            "question_form": question_form,
            "links_form": links_form,
            "new_links": [
                request.build_absolute_uri(
                    reverse("outcomes:survey_link", args=[vars(link)["secret"]])
                )
                for link in new_links
            ],
            "links": selectors.survey_link_counts(survey),
            "responses": responses,
            "may_change_questions": not responses and survey.status != SurveyStatus.ARCHIVED,
            "breadcrumbs": _owner_crumbs(survey.owner),
        },
        status=_status(question_form, links_form),
    )


def _answer_page(
    request: HttpRequest, survey: Survey, *, user: Any = None, link: SurveyLink | None = None
) -> HttpResponse:
    questions = list(survey.questions.all())
    form = answer_form(questions, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        answers = {q.pk: form.cleaned_data.get(f"q{q.pk}") for q in questions}
        try:
            services.survey_answer(survey=survey, answers=answers, user=user, link=link)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return render(request, "outcomes/survey_thanks.html", {"survey": survey})
    return render(
        request,
        "outcomes/survey_answer.html",
        {"survey": survey, "form": form, "anonymous": link is not None},
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_answer_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Answer a survey, signed in, once."""
    survey = _survey(request, survey_id)
    if selectors.has_answered(survey, request.user):
        return render(request, "outcomes/survey_thanks.html", {"survey": survey, "already": True})
    if not permissions.can_answer(request.user, survey):
        return render(request, "outcomes/survey_closed.html", {"survey": survey}, status=403)
    return _answer_page(request, survey, user=request.user)


@require_http_methods(["GET", "POST"])
def survey_link_view(request: HttpRequest, key: str) -> HttpResponse:
    """Answer a survey through a single-use anonymous link."""
    link = services.survey_link_find(key)
    if link is None:
        raise Http404
    survey = link.survey
    if hasattr(link, "response"):
        return render(request, "outcomes/survey_thanks.html", {"survey": survey, "already": True})
    if survey.status != SurveyStatus.OPEN or link.revoked_at is not None:
        return render(request, "outcomes/survey_closed.html", {"survey": survey}, status=403)
    return _answer_page(request, survey, link=link)


@sign_in_first
@require_GET
def survey_results_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """A survey's results, for the organisation's staff."""
    survey = selectors.survey_get(pk=survey_id) if survey_id < MAX_ID else None
    if survey is None or not permissions.can_see_results(request.user, survey):
        raise not_visible(request)
    responses, results = selectors.survey_results(survey)
    return render(
        request,
        "outcomes/survey_results.html",
        {
            "survey": survey,
            "responses": responses,
            "results": results,
            "can_record": permissions.can_record_outcomes(request.user, survey.owner),
            "breadcrumbs": _owner_crumbs(survey.owner),
        },
    )
