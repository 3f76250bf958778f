"""What the initiative pages share: finding the organisation or initiative a page is
about (404, the sign-in page or 403 as the person may see it), breadcrumbs, and forms answered
with 400 when they have errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from civicflow.accounts.models import Organisation
from civicflow.accounts.selectors import organisation_get
from civicflow.core.signin import not_visible
from civicflow.initiatives import permissions, selectors
from civicflow.initiatives.models import Initiative


def _organisation(slug: str) -> Organisation:
    organisation = organisation_get(slug=slug)
    if organisation is None:
        raise Http404
    return organisation


def _member_organisation(request: HttpRequest, slug: str) -> Organisation:
    """The organisation, for pages only its members see."""
    organisation = _organisation(slug)
    if not permissions.can_see_portfolio(request.user, organisation):
        raise not_visible(request)
    return organisation


def _initiative(request: HttpRequest, pk: int) -> Initiative:
    initiative = selectors.initiative_get(user=request.user, pk=pk)
    if initiative is None:
        raise not_visible(request)
    return initiative


def _run(request: HttpRequest, pk: int) -> Initiative:
    initiative = _initiative(request, pk)
    if not permissions.can_run_initiative(request.user, initiative):
        raise PermissionDenied
    return initiative


def _crumbs(organisation: Organisation, *extra: dict[str, str]) -> list[dict[str, str]]:
    return [
        {"text": organisation.name, "href": organisation.get_absolute_url()},
        {
            "text": _("Initiatives"),
            "href": reverse("initiatives:portfolio", args=[organisation.slug]),
        },
        *extra,
    ]


def _initiative_crumbs(initiative: Initiative) -> list[dict[str, str]]:
    return _crumbs(
        initiative.organisation,
        {"text": initiative.title, "href": initiative.get_absolute_url()},
    )


def _render_form(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Any
) -> HttpResponse:
    bad = any(form is not None and form.errors for form in forms)
    return render(request, template, context, status=400 if bad else 200)


def _int(value: Any) -> int:
    """A positive id read from a form, or 0 (which matches nothing) if it is not one."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number < 2**63 else 0
