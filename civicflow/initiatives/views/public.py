"""The public accountability page: an organisation's public initiatives, each with every
gate decision and its reason."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicflow.initiatives import selectors
from civicflow.initiatives.views.common import _crumbs, _organisation


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
