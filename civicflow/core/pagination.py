"""The one pagination convention, for pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet

MAX_PAGE_SIZE = 100


@dataclass(frozen=True)
class PageRequest:
    """A page number and size read from a request, already checked."""

    number: int
    size: int


class PageRequestError(ValueError):
    """Raised when the page or page size in a request is not valid."""


def page_request(params: Any, *, default_size: int | None = None) -> PageRequest:
    """Return the page asked for in ``params`` (a QueryDict or dict).

    Raise ``PageRequestError`` with a message for people when the values are not whole numbers
    in range.
    """
    size_default = default_size or settings.CIVICFLOW_PAGE_SIZE
    try:
        number = int(params.get("page") or 1)
        size = int(params.get("page_size") or size_default)
    except (TypeError, ValueError) as error:
        raise PageRequestError("Page and page size must be whole numbers.") from error
    if number < 1:
        raise PageRequestError("Page must be 1 or more.")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise PageRequestError(f"Page size must be between 1 and {MAX_PAGE_SIZE}.")
    return PageRequest(number=number, size=size)


def paginate(queryset: QuerySet[Any] | list[Any], request: PageRequest) -> Any:
    """Return the Django ``Page`` for ``request``; past the end gives the last page."""
    paginator = Paginator(queryset, request.size, allow_empty_first_page=True)
    try:
        return paginator.page(request.number)
    except (EmptyPage, PageNotAnInteger):
        return paginator.page(paginator.num_pages)


def paginate_request(request: Any, items: QuerySet[Any] | list[Any]) -> Any:
    """Return the page of ``items`` a page request asks for; bad values give the first page."""
    try:
        wanted = page_request(request.GET)
    except PageRequestError:
        wanted = page_request({})
    return paginate(items, wanted)
