"""The API's one pagination convention: page number and page size."""

from __future__ import annotations

import math
from typing import Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from civicflow.core.pagination import MAX_PAGE_SIZE


class PageNumberPagination(PaginationBase):
    """``?page=N&page_size=M`` in; ``{count, page, page_size, pages, next, previous, items}``
    out. A page past the end is empty, never an error.

    Give it a QuerySet (ordered) so that a page costs one page of rows and one count; a list
    works too, for the few reads that are small by nature.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            20, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}."
        )

    class Output(Schema):
        count: int = Field(description="How many items there are on all pages.")
        page: int = Field(description="This page's number, from 1.")
        page_size: int = Field(description="Items per page.")
        pages: int = Field(description="How many pages there are; 0 when there are no items.")
        next: str | None = Field(description="The next page's address, or null on the last.")
        previous: str | None = Field(
            description="The previous page's address, or null on the first."
        )
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        count = self._items_count(queryset)
        size = pagination.page_size
        number = pagination.page
        pages = math.ceil(count / size)
        start = (number - 1) * size
        # Past the end nothing is fetched: an offset that large may not fit the database's
        # integers, and there is nothing there to fetch anyway.
        items = list(queryset[start : start + size]) if start < count else []

        def link(page: int) -> str:
            query = request.GET.copy()
            query["page"] = str(page)
            query["page_size"] = str(size)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "page": number,
            "page_size": size,
            "pages": pages,
            "next": link(number + 1) if number < pages else None,
            "previous": link(number - 1) if 1 < number <= pages + 1 else None,
            "items": items,
        }
