"""API endpoints for a survey's single-use anonymous links, for those who may manage the
survey: make a batch (each link's secret is in the answer, and only there: civicflow keeps
its digest), list them page by page (used, revoked or waiting, without secrets), and revoke
one nobody has used.

They join the outcomes router, which imports this module last.
"""

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Schema, Status
from ninja.pagination import paginate

from civicflow.api.auth import signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.outcomes import permissions, selectors, services
from civicflow.outcomes.api import MAX_ID, _not_visible, _survey, _to_record, router
from civicflow.outcomes.models import SurveyLink
from civicflow.outcomes.services.surveys import MAX_LINKS


class SurveyLinksIn(Schema):
    count: int = Field(..., description=f"How many links to make, 1 to {MAX_LINKS}.")


class SurveyLinkMadeOut(Schema):
    id: int
    secret: str = Field(description="The link's secret. Shown this once; it cannot be read again.")
    url: str = Field(description="The address to hand out; it holds the secret.")
    created_at: datetime


class SurveyLinksMadeOut(Schema):
    survey_id: int
    links: list[SurveyLinkMadeOut]


class SurveyLinkOut(Schema):
    id: int
    survey_id: int
    created_at: datetime
    state: str = Field(description="waiting, used or revoked.")
    answered_at: datetime | None = Field(description="When it was used, if it was.")
    revoked_at: datetime | None


def _link_out(link: Any) -> dict[str, Any]:
    answered_at = getattr(link, "answered_at", None)
    state = "used" if answered_at else ("revoked" if link.revoked_at else "waiting")
    return {
        "id": link.pk,
        "survey_id": link.survey_id,
        "created_at": link.created_at,
        "state": state,
        "answered_at": answered_at,
        "revoked_at": link.revoked_at,
    }


@router.post(
    "/surveys/{survey_id}/links",
    response={201: SurveyLinksMadeOut},
    summary="Make single-use anonymous links to a survey (those who run it)",
    description="Each link's `secret` and `url` are in this answer only: civicflow keeps a "
    "digest of the secret, so they cannot be listed later. Hand each address to one person "
    "without an account; it takes one set of answers while the survey is open. At most 500 "
    "at a time; a withdrawn survey answers 422.",
)
def survey_links_create(
    request: HttpRequest, survey_id: int, payload: SurveyLinksIn
) -> Status[Any]:
    signed_in_user(request)
    survey = _survey(request, survey_id)
    user = _to_record(request, survey.owner)
    links = services.survey_links_make(actor=user, survey=survey, count=payload.count)
    return Status(
        201,
        {
            "survey_id": survey.pk,
            "links": [
                {
                    "id": link.pk,
                    "secret": vars(link)["secret"],
                    "url": request.build_absolute_uri(
                        reverse("outcomes:survey_link", args=[vars(link)["secret"]])
                    ),
                    "created_at": link.created_at,
                }
                for link in links
            ],
        },
    )


@router.get(
    "/surveys/{survey_id}/links",
    response=list[SurveyLinkOut],
    summary="A survey's anonymous links, oldest first: waiting, used or revoked (paginated)",
)
@paginate(PageNumberPagination)
def survey_link_list(request: HttpRequest, survey_id: int) -> Any:
    signed_in_user(request)
    survey = _survey(request, survey_id)
    _to_record(request, survey.owner)
    return [_link_out(link) for link in selectors.survey_links(survey)]


@router.delete(
    "/survey-links/{link_id}",
    response={204: None},
    summary="Revoke an anonymous link nobody has used, so it takes no answers",
    description="A link that has been used answers 422: the answers given through it stay. "
    "Revoking a revoked link changes nothing.",
)
def survey_link_revoke(request: HttpRequest, link_id: int) -> Status[Any]:
    signed_in_user(request)
    link = (
        SurveyLink.objects.select_related(
            "survey__organisation", "survey__initiative__organisation", "survey__challenge"
        )
        .filter(pk=link_id)
        .first()
        if 0 < link_id <= MAX_ID
        else None
    )
    if link is None or not permissions.can_view_outcomes(
        request.auth.user,  # type: ignore[attr-defined]
        link.survey.owner,
    ):
        raise _not_visible(request)
    user = _to_record(request, link.survey.owner)
    services.survey_link_revoke(actor=user, link=link)
    return Status(204, None)
