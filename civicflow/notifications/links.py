"""Where a notification's link may point, and the full addresses that emails need."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

# Used when CIVICFLOW_BASE_URL is not set, so that links in development emails still work.
DEFAULT_BASE_URL = "http://localhost:8000"


def safe_link(url: str) -> str:
    """Return ``url`` if it is a path on this site or an http(s) address, else "".

    A notification's link is shown as a link in pages and emails; anything else
    (``javascript:``, ``//elsewhere``) is dropped rather than shown.
    """
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith(("//", "/\\")):
        return url
    if url.lower().startswith(("https://", "http://")) and "\\" not in url:
        return url
    return ""


def site_path(url: str) -> str:
    """Return ``url`` if it is a path on this site, else ""."""
    url = safe_link(url)
    return url if url.startswith("/") else ""


def base_url() -> str:
    """Return the address of this instance, without a trailing slash."""
    base = getattr(settings, "CIVICFLOW_BASE_URL", "") or DEFAULT_BASE_URL
    return str(base).rstrip("/")


def absolute(url: str) -> str:
    """Return the full address of ``url`` (a path on this site or a full address), or ""."""
    url = safe_link(url)
    if url.startswith("/"):
        return f"{base_url()}{url}"
    return url


def absolute_reverse(name: str, **kwargs: object) -> str:
    """Return the full address of the page named ``name``."""
    return absolute(reverse(name, kwargs=kwargs or None))
