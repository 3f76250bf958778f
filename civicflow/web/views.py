"""Pages of the web shell: home, information pages and error pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from civicflow.accounts.selectors import organisation_list, organisations_of


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Show what civicflow is for, and the organisations on this instance."""
    organisations = list(organisation_list()[:12])
    mine = list(organisations_of(request.user)) if request.user.is_authenticated else []
    return render(
        request, "web/home.html", {"organisations": organisations, "my_organisations": mine}
    )


@require_GET
def cookies(request: HttpRequest) -> HttpResponse:
    """Explain the cookies civicflow sets (essential ones only)."""
    return render(request, "web/cookies.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """Explain what personal data civicflow keeps and why."""
    return render(request, "web/privacy.html")


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """State how accessible the service is."""
    return render(request, "web/accessibility.html")


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/404.html", status=404)


def too_many_requests(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/errors/429.html", status=429)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/errors/500.html", status=500)
