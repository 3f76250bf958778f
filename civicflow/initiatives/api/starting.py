"""Starting an initiative (from a selected idea, an award or grant, or directly),
changing it, and its team.

No ``from __future__ import annotations`` here: Ninja reads the annotations as real objects
(the query parameters of paginated operations, typed with this app's choices, from outside the
module)."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Status

from civicflow.accounts.models import Organisation
from civicflow.initiatives import permissions, services
from civicflow.initiatives.api.common import (
    _member,
    _member_organisation,
    _out,
    _person,
    _to_run,
    router,
)
from civicflow.initiatives.api.schemas import (
    InitiativeEditIn,
    InitiativeOut,
    InitiativeStartIn,
    InitiativeTeamIn,
    InitiativeTeamMemberOut,
)


@router.post(
    "/organisations/{slug}/initiatives",
    response={200: InitiativeOut, 201: InitiativeOut},
    summary="Start an initiative from a selected idea, an award or grant, or directly (leads)",
    description=(
        "With `grant_id` or `award_id` the initiative carries the awarded idea on, its test "
        "stage's budget set to the amount awarded. An award already carried on answers 200 "
        "with its initiative and changes nothing."
    ),
)
def initiative_start(request: HttpRequest, slug: str, payload: InitiativeStartIn) -> Status[Any]:
    user, organisation = _member_organisation(request, slug)
    if not permissions.can_start_initiatives(user, organisation):
        raise PermissionDenied("Only innovation leads and administrators start initiatives.")
    people = {
        "public": payload.public,
        "business_owner": _member(organisation, payload.business_owner_id, "business_owner_id"),
        "delivery_lead": _member(organisation, payload.delivery_lead_id, "delivery_lead_id"),
    }
    sources = [payload.idea_id, payload.grant_id, payload.award_id]
    if sum(source is not None for source in sources) > 1:
        raise ValidationError({"idea_id": "Give one of idea_id, grant_id and award_id."})
    if payload.grant_id is not None or payload.award_id is not None:
        award = _award(organisation, payload.grant_id, payload.award_id)
        initiative, started = services.initiative_start_from_award(
            actor=user, award=award, title=payload.title, summary=payload.summary, **people
        )
        return Status(201 if started else 200, _out(initiative))
    idea = None
    if payload.idea_id is not None:
        from civicflow.ideas.selectors import idea_get

        idea = idea_get(user=user, pk=payload.idea_id)
        if idea is None:
            raise ValidationError({"idea_id": "There is no idea with this number you can see."})
    initiative = services.initiative_start(
        actor=user,
        organisation=organisation,
        title=payload.title,
        summary=payload.summary,
        idea=idea,
        **people,
    )
    return Status(201, _out(initiative))


def _award(organisation: Organisation, grant_id: int | None, award_id: int | None) -> Any:
    """The grant or panel award to an idea of ``organisation`` the payload names."""
    from civicflow.appraisal.models import Decision as AppraisalDecision
    from civicflow.appraisal.models import Grant

    if grant_id is not None:
        grant = (
            Grant.objects.select_related("application__idea")
            .filter(pk=grant_id, application__idea__organisation=organisation)
            .first()
        )
        if grant is None:
            raise ValidationError({"grant_id": "There is no grant with this number here."})
        return grant
    award = (
        AppraisalDecision.objects.select_related("idea")
        .filter(pk=award_id or 0, idea__organisation=organisation, kind="awarded")
        .first()
    )
    if award is None:
        raise ValidationError({"award_id": "There is no award with this number here."})
    return award


@router.put(
    "/initiatives/{initiative_id}",
    response=InitiativeOut,
    summary="Change an initiative's title, summary, visibility, owner and delivery lead",
)
def initiative_edit(
    request: HttpRequest, initiative_id: int, payload: InitiativeEditIn
) -> dict[str, Any]:
    user, initiative = _to_run(request, initiative_id)
    organisation = initiative.organisation
    services.initiative_edit(
        actor=user,
        initiative=initiative,
        title=payload.title,
        summary=payload.summary,
        public=payload.public,
        business_owner=_member(organisation, payload.business_owner_id, "business_owner_id"),
        delivery_lead=_member(organisation, payload.delivery_lead_id, "delivery_lead_id"),
        reason=payload.reason,
    )
    return _out(initiative)


@router.post(
    "/initiatives/{initiative_id}/team",
    response={201: InitiativeTeamMemberOut},
    summary="Put a member of the organisation on the team, with their role",
)
def initiative_team_add(
    request: HttpRequest, initiative_id: int, payload: InitiativeTeamIn
) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    person = _member(initiative.organisation, payload.user_id, "user_id")
    member = services.team_member_add(
        actor=user, initiative=initiative, user=person, role=payload.role
    )
    return Status(201, {"user": _person(member.user), "role": member.role})


@router.delete(
    "/initiatives/{initiative_id}/team/{user_id}",
    response={204: None},
    summary="Take a person off the team",
)
def initiative_team_remove(request: HttpRequest, initiative_id: int, user_id: int) -> Status[Any]:
    user, initiative = _to_run(request, initiative_id)
    person = initiative.team.filter(user_id=user_id).select_related("user").first()
    if person is None:
        raise Http404
    services.team_member_remove(actor=user, initiative=initiative, user=person.user)
    return Status(204, None)
