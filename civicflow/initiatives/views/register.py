"""The decision register: every gate decision of an organisation, filterable, and
the same rows as CSV and JSON downloads."""

from __future__ import annotations

import csv
from datetime import datetime, time, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from civicflow.accounts.models import Organisation
from civicflow.core.pagination import paginate_request
from civicflow.core.signin import sign_in_first
from civicflow.initiatives import selectors
from civicflow.initiatives.forms import RegisterFilterForm
from civicflow.initiatives.views.common import _crumbs, _int, _member_organisation

REGISTER_EXPORT_LIMIT = 10_000


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
