"""API endpoint for full-text search."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.search.selectors import SearchQueryError, search
from civicflow.search.views import FILTER_KEYS

router = Router(tags=["Search"])


class ResultOut(Schema):
    type: str = Field(description="What was found, e.g. 'ideas' or 'challenges'.")
    id: int
    title: str
    excerpt: str
    url: str
    rank: float


@router.get(
    "/search",
    response=list[ResultOut],
    **PUBLIC,
    summary="Search challenges and ideas you may see, best match first",
)
@paginate(PageNumberPagination)
def search_api(request: HttpRequest, q: str, type: str = "") -> Any:
    filters = {key: request.GET[key] for key in FILTER_KEYS if request.GET.get(key)}
    try:
        results = search(
            user=request.user, query=q, kinds=[type] if type else None, filters=filters
        )
    except SearchQueryError as error:
        raise ApiProblem(422, str(error), errors=[{"field": "q", "message": str(error)}]) from error
    return [
        {
            "type": result.kind,
            "id": result.object.pk,
            "title": result.title,
            "excerpt": result.excerpt,
            "url": request.build_absolute_uri(result.url),
            "rank": result.rank,
        }
        for result in results
    ]
