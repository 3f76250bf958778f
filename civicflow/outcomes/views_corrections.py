"""Pages for putting mistakes right: correct or delete a KPI reading, change or remove a survey
question before anyone has answered, and withdraw a survey. Each deletion asks first on a
page of its own, so it works without JavaScript.

They are for those who record the outcomes; anyone else who may see the KPI or the survey gets
403, and anyone who may not see it gets 404 (or the sign-in page).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from civicflow.challenges.models import Challenge
from civicflow.core.forms import apply_validation_error
from civicflow.core.signin import not_visible
from civicflow.outcomes import permissions, selectors, services
from civicflow.outcomes.forms import QuestionForm, ReadingCorrectForm, ReasonForm
from civicflow.outcomes.models import KpiReading, Question
from civicflow.outcomes.views import MAX_ID, _owner_crumbs, _recorded, _status, _survey


def _reading(request: HttpRequest, reading_id: int) -> tuple[KpiReading, Any]:
    reading = (
        KpiReading.objects.select_related(
            "kpi__organisation", "kpi__initiative__organisation", "kpi__challenge__organisation"
        )
        .filter(pk=reading_id)
        .first()
        if reading_id < MAX_ID
        else None
    )
    owner = permissions.kpi_owner(reading.kpi) if reading is not None else None
    if reading is None or not permissions.can_view_outcomes(request.user, owner):
        raise not_visible(request)
    _recorded(request, owner)
    return reading, owner


def _question(request: HttpRequest, question_id: int) -> Question:
    found = (
        Question.objects.filter(pk=question_id).values_list("survey_id", flat=True).first()
        if question_id < MAX_ID
        else None
    )
    if found is None:
        raise not_visible(request)
    survey = _survey(request, found)
    _recorded(request, survey.owner)
    question = survey.questions.get(pk=question_id)
    question.survey = survey
    return question


@login_required
@require_http_methods(["GET", "POST"])
def reading_edit_view(request: HttpRequest, reading_id: int) -> HttpResponse:
    """Correct a reading's value, date, source or note; the old figures stay in the log."""
    reading, owner = _reading(request, reading_id)
    initial = {
        "value": reading.value.normalize(),
        "taken_on": reading.taken_on.isoformat(),
        "source": reading.source,
        "note": reading.note,
    }
    form = ReadingCorrectForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.reading_correct(actor=request.user, reading=reading, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Reading corrected. The old figures are in the log."))
            return redirect(reading.kpi)
    return render(
        request,
        "outcomes/reading_edit.html",
        {
            "reading": reading,
            "kpi": reading.kpi,
            "form": form,
            "history": selectors.reading_corrections(reading.kpi, reading.pk),
            "breadcrumbs": [
                *_owner_crumbs(owner),
                {"text": reading.kpi.name, "href": reading.kpi.get_absolute_url()},
            ],
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def reading_delete_view(request: HttpRequest, reading_id: int) -> HttpResponse:
    """Ask, then delete a reading entered by mistake."""
    reading, owner = _reading(request, reading_id)
    kpi = reading.kpi
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.reading_delete(actor=request.user, reading=reading, **form.cleaned_data)
        messages.success(request, _("Reading deleted. Its figures are kept in the log."))
        return redirect(kpi)
    return render(
        request,
        "outcomes/confirm_delete.html",
        {
            "form": form,
            "heading": _("Delete the reading of %(date)s?") % {"date": reading.taken_on},
            "caption": kpi.name,
            "explanation": _(
                "The reading (%(value)s) will no longer count towards the KPI's progress. "
                "Its figures are kept in the audit log."
            )
            % {"value": reading.value.normalize()},
            "button": _("Delete the reading"),
            "back": kpi.get_absolute_url(),
            "breadcrumbs": [
                *_owner_crumbs(owner),
                {"text": kpi.name, "href": kpi.get_absolute_url()},
            ],
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_edit_view(request: HttpRequest, question_id: int) -> HttpResponse:
    """Change a question while nobody has answered its survey."""
    question = _question(request, question_id)
    survey = question.survey
    initial = {
        "text": question.text,
        "kind": question.kind,
        "choices": "\n".join(question.choices or []),
        "required": question.required,
    }
    form = QuestionForm(request.POST if request.method == "POST" else None, initial=initial)
    answered = survey.responses.exists()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_edit(
                actor=request.user,
                question=question,
                kind=data["kind"],
                text=data["text"],
                choices=data["choices"].splitlines(),
                required=data["required"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Question changed."))
            return redirect(survey)
    return render(
        request,
        "outcomes/question_edit.html",
        {
            "question": question,
            "survey": survey,
            "form": form,
            "answered": answered,
            "breadcrumbs": [
                *_owner_crumbs(survey.owner),
                {"text": survey.title, "href": survey.get_absolute_url()},
            ],
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def question_delete_view(request: HttpRequest, question_id: int) -> HttpResponse:
    """Ask, then remove a question while nobody has answered its survey."""
    question = _question(request, question_id)
    survey = question.survey
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_delete(actor=request.user, question=question)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Question removed."))
            return redirect(survey)
    return render(
        request,
        "outcomes/confirm_delete.html",
        {
            "form": form,
            "heading": _("Remove this question?"),
            "caption": survey.title,
            "quote": question.text,
            "explanation": _("The questions after it move up one place."),
            "button": _("Remove the question"),
            "back": survey.get_absolute_url(),
            "ask_reason": False,
            "breadcrumbs": [
                *_owner_crumbs(survey.owner),
                {"text": survey.title, "href": survey.get_absolute_url()},
            ],
        },
        status=_status(form),
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_withdraw_view(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Ask, then withdraw a survey: deleted if nobody answered, else archived with answers."""
    survey = _survey(request, survey_id)
    _recorded(request, survey.owner)
    owner = survey.owner
    responses = survey.responses.count()
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            kept = services.survey_withdraw(actor=request.user, survey=survey, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if kept is None:
                messages.success(request, _("Survey deleted."))
                if isinstance(owner, Challenge):
                    return redirect("outcomes:challenge_kpis", owner.pk)
                return redirect("outcomes:initiative", owner.pk)
            messages.success(request, _("Survey withdrawn. Its answers are kept."))
            return redirect("outcomes:survey_results", survey.pk)
    if responses:
        explanation = _(
            "People have answered it, so it will be closed for good and archived: nobody can "
            "answer it any more, and its %(count)s responses stay in its results."
        ) % {"count": responses}
    else:
        explanation = _("Nobody has answered it, so it will be deleted with its questions.")
    return render(
        request,
        "outcomes/confirm_delete.html",
        {
            "form": form,
            "heading": _("Withdraw this survey?"),
            "caption": owner.title,
            "quote": survey.title,
            "explanation": explanation,
            "button": _("Withdraw the survey"),
            "back": survey.get_absolute_url(),
            "breadcrumbs": _owner_crumbs(owner),
        },
        status=_status(form),
    )
