"""The API's one pagination convention: page number and page size."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PaginationBase

from civicflow.core.pagination import MAX_PAGE_SIZE


class PageNumberPagination(PaginationBase):
    """``?page=N&page_size=M`` in; ``{count, page, page_size, pages, next, previous, items}``
    out. A page past the end is empty, never an error."""

    class Input(Schema):
        page: int = Field(1, ge=1, description="Page number, from 1.")
        page_size: int = Field(
            20, ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, 1 to {MAX_PAGE_SIZE}."
        )

    class Output(Schema):
        count: int
        page: int
        page_size: int
        pages: int
        next: str | None
        previous: str | None
        items: list[Any]

    def paginate_queryset(
        self, queryset: Any, pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        paginator = Paginator(queryset, pagination.page_size)
        count = paginator.count
        pages = paginator.num_pages if count else 0
        start = (pagination.page - 1) * pagination.page_size
        items = list(queryset[start : start + pagination.page_size])

        def link(number: int) -> str:
            query = request.GET.copy()
            query["page"] = str(number)
            query["page_size"] = str(pagination.page_size)
            return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

        return {
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
            "pages": pages,
            "next": link(pagination.page + 1) if pagination.page < pages else None,
            "previous": link(pagination.page - 1) if 1 < pagination.page <= pages + 1 else None,
            "items": items,
        }
