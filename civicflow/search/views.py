"""The search page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from civicflow.core.pagination import paginate_request
from civicflow.search.registry import searchables
from civicflow.search.selectors import SearchQueryError, search

FILTER_KEYS = ("organisation", "kind", "phase", "audience", "status", "open_now")


@require_GET
def search_view(request: HttpRequest) -> HttpResponse:
    """Search challenges and ideas the person may see, with the list pages' filters."""
    query = request.GET.get("q", "").strip()
    kind = request.GET.get("type", "")
    kinds = {rules.key: rules.name for rules in searchables().values()}
    filters = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key)}
    error = ""
    results: list = []
    if query:
        try:
            results = search(
                user=request.user,
                query=query,
                kinds=[kind] if kind in kinds else None,
                filters=filters,
            )
        except SearchQueryError as problem:
            error = str(problem)
    page = paginate_request(request, results)
    return render(
        request,
        "search/search.html",
        {
            "query": query,
            "kind": kind,
            "kinds": sorted(kinds.items()),
            "page": page,
            "count": len(results),
            "error": error,
            "error_summary": [{"href": "#q", "text": error}] if error else [],
            "page_title": _("Search"),
        },
        status=400 if error else 200,
    )
