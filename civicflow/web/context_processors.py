"""Values every page template needs: the service name and the navigation."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from civicflow.notifications.selectors import unread_count


@functools.lru_cache(maxsize=64)
def _address(name: str, urlconf: str | None, root: str, prefix: str) -> str:
    return reverse(name, urlconf=urlconf)


def _href(name: str) -> str:
    """The address of a page whose address has no arguments: the same on every request."""
    return _address(name, get_urlconf(), settings.ROOT_URLCONF, get_script_prefix())


# The sections whose pages may live under another section's address, with the parts of a path
# that mark them, first match wins.
SECTIONS = (
    ("library:index", ("/library/", "/cases/new/", "/case-study/")),
    ("initiatives:index", ("/initiatives/", "/decisions/", "/decisions.", "/accountability/")),
    ("challenges:list", ("/challenges/", "/ideas/", "/budgets/")),
)


def _section_roots() -> set[str]:
    return {_href(name) for name, _marks in SECTIONS} | {_href("accounts:organisations")}


def _section(path: str) -> str | None:
    for name, marks in SECTIONS:
        if any(mark in path for mark in marks):
            return name
    return None


def service(request: HttpRequest) -> dict[str, Any]:
    """Return the service name and the service navigation for ``request``."""
    path = request.path
    items: list[dict[str, Any]] = [
        {"text": _("Home"), "href": _href("web:home"), "exact": True},
        {"text": _("Challenges"), "href": _href("challenges:list")},
        {"text": _("Organisations"), "href": _href("accounts:organisations")},
        {"text": _("Initiatives"), "href": _href("initiatives:index")},
        {"text": _("Case library"), "href": _href("library:index")},
        {"text": _("Search"), "href": _href("search:search")},
    ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        count = unread_count(user)
        items.append(
            {
                "text": _("Notifications (%(count)d)") % {"count": count}
                if count
                else _("Notifications"),
                "href": _href("notifications:list"),
            }
        )
        # "Your account" and "Sign out" are in the header, beside the service name.
    else:
        items.append({"text": _("Sign in"), "href": _href("account_login")})
    # Many pages live under their organisation's address but belong to another section: a
    # challenge's pages (its ideas, opinion maps, budgets and appraisal) to Challenges, and
    # initiatives, their decision register and accountability page to Initiatives.
    section = _section(path)
    roots = _section_roots() if section is not None else set()
    for item in items:
        href = item["href"]
        item["current"] = path == href if item.get("exact") else path.startswith(href)
        if section is not None and href in roots:
            item["current"] = href == _href(section)
    links = {
        "home": items[0]["href"],
        "cookies": _href("web:cookies"),
        "privacy": _href("web:privacy"),
        "accessibility": _href("web:accessibility"),
        "api": _href("api-1.0.0:openapi-view"),
    }
    return {
        "service_name": settings.CIVICFLOW_SERVICE_NAME,
        "navigation": items,
        "layout_links": links,
    }
