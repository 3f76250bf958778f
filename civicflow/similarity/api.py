"""API endpoints for similar items: what is most like an idea, a challenge, a case study or a
piece of free text, limited to what the caller may see."""

# No ``from __future__ import annotations`` here: ninja reads the query schemas from the
# signatures at import time.

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from civicflow.api.auth import PUBLIC
from civicflow.api.errors import ApiProblem
from civicflow.api.pagination import PageNumberPagination
from civicflow.search.registry import searchable_for
from civicflow.similarity.models import KINDS
from civicflow.similarity.selectors import (
    MAX_LIMIT,
    QUERY_LIMIT,
    SimilarItem,
    similar_to_object,
    similar_to_text,
)

router = Router(tags=["Similarity"])

TYPES_HELP = (
    "Which kinds to look among, comma-separated: ideas, challenges, cases (default: all three)."
)


class SimilarOut(Schema):
    type: str = Field(description="What was found: 'ideas', 'challenges' or 'cases'.")
    id: int
    title: str
    url: str
    organisation: str = Field(description="The organisation it belongs to.")
    score: float = Field(description="Cosine similarity of the texts, up to 1 for the same.")
    reason: str = Field(description="Why it is worth a look, in words.")
    same_challenge: bool = Field(description="An idea in the challenge asked about.")


class SimilarQuery(Schema):
    type: str = Field("", description=TYPES_HELP, max_length=100)
    limit: int = Field(10, ge=1, le=MAX_LIMIT, description="The most items of each kind.")


class TextQuery(SimilarQuery):
    text: str = Field(
        ..., min_length=1, max_length=QUERY_LIMIT, description="The text to compare with."
    )
    challenge: int | None = Field(
        None, ge=1, description="Only ideas in this challenge (the other kinds are not limited)."
    )


def _caller(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _kinds(value: str) -> list[str]:
    kinds = [kind.strip() for kind in value.split(",") if kind.strip()] or list(KINDS)
    unknown = [kind for kind in kinds if kind not in KINDS]
    if unknown:
        message = f"Choose types from {', '.join(KINDS)}; not {', '.join(unknown)}."
        raise ApiProblem(422, message, errors=[{"field": "type", "message": message}])
    return kinds


def _visible(request: HttpRequest, key: str, pk: int) -> Any:
    """The object of kind ``key`` with ``pk`` if the caller may see it; otherwise 404 (401 to
    an anonymous caller, who may see it once signed in)."""
    found = searchable_for(KINDS[key]).visible(_caller(request)).filter(pk=pk).first()
    if found is None:
        if not _caller(request).is_authenticated:
            raise ApiProblem(401, "Sign in, or send a personal API token, to see this.")
        raise Http404
    return found


def _out(request: HttpRequest, items: list[SimilarItem]) -> list[dict[str, Any]]:
    ranked = sorted(items, key=lambda item: -item.score)
    return [
        {
            "type": item.kind,
            "id": item.object.pk,
            "title": item.title,
            "url": request.build_absolute_uri(item.url),
            "organisation": item.organisation,
            "score": round(item.score, 4),
            "reason": item.reason,
            "same_challenge": item.same_challenge,
        }
        for item in ranked
    ]


def _like(request: HttpRequest, key: str, pk: int, query: SimilarQuery) -> list[dict[str, Any]]:
    obj = _visible(request, key, pk)
    challenge = getattr(obj, "challenge", None) if key == "ideas" else None
    items = similar_to_object(
        user=_caller(request),
        obj=obj,
        kinds=_kinds(query.type),
        limit=query.limit,
        challenge=challenge,
    )
    return _out(request, items)


@router.get(
    "/similar",
    response=list[SimilarOut],
    **PUBLIC,
    summary="Ideas, challenges and case studies most like a text, best first",
)
@paginate(PageNumberPagination)
def similar_to_text_api(request: HttpRequest, query: Query[TextQuery]) -> Any:
    challenge = None
    if query.challenge is not None:
        challenge = _visible(request, "challenges", query.challenge)
    items = similar_to_text(
        user=_caller(request),
        text=query.text,
        kinds=_kinds(query.type),
        challenge=challenge,
        limit=query.limit,
    )
    return _out(request, items)


@router.get(
    "/ideas/{idea_id}/similar",
    response=list[SimilarOut],
    **PUBLIC,
    summary="What is most like an idea: ideas in its challenge, challenges and cases anywhere",
)
@paginate(PageNumberPagination)
def idea_similar_api(request: HttpRequest, idea_id: int, query: Query[SimilarQuery]) -> Any:
    return _like(request, "ideas", idea_id, query)


@router.get(
    "/challenges/{challenge_id}/similar",
    response=list[SimilarOut],
    **PUBLIC,
    summary="What is most like a challenge",
)
@paginate(PageNumberPagination)
def challenge_similar_api(
    request: HttpRequest, challenge_id: int, query: Query[SimilarQuery]
) -> Any:
    return _like(request, "challenges", challenge_id, query)


@router.get(
    "/cases/{case_id}/similar",
    response=list[SimilarOut],
    **PUBLIC,
    summary="What is most like a case study",
)
@paginate(PageNumberPagination)
def case_similar_api(request: HttpRequest, case_id: int, query: Query[SimilarQuery]) -> Any:
    return _like(request, "cases", case_id, query)
