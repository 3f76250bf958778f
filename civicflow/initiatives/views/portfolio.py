"""The portfolio: every public initiative, an organisation's board by stage with its
filters and stalled initiatives, and the funnel from ideas to scaled initiatives."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicflow.accounts.selectors import organisations_of
from civicflow.core.pagination import paginate_request
from civicflow.core.signin import sign_in_first
from civicflow.initiatives import permissions, selectors
from civicflow.initiatives.charts import funnel_chart
from civicflow.initiatives.forms import PortfolioFilterForm
from civicflow.initiatives.views.common import _crumbs, _member_organisation, _organisation

BOARD_LIMIT = 200


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
