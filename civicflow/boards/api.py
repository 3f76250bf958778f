"""API endpoints for team improvement boards: the board, its cards, leads and adopted changes.

Figures are exact decimals, sent and answered as strings ("2.5") so no precision is lost;
numbers are accepted on the way in too.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import WithJsonSchema

from civicflow.accounts import selectors as accounts_selectors
from civicflow.accounts.models import Team
from civicflow.api.auth import signed_in_user
from civicflow.api.pagination import PageNumberPagination
from civicflow.boards import permissions, selectors, services
from civicflow.boards.models import Card
from civicflow.boards.models import Status as CardStatus
from civicflow.boards.permissions import BoardAccess

router = Router(tags=["Team improvement boards"])

SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")
FIGURE = Field(
    description='An exact figure of 0 or more with up to 4 decimal places, e.g. "2.5".',
)


# The API document names an enum after its class, and a challenge's status is a ``Status``
# too: spelling the choices out keeps each one's own in the document.
CardStatusChoice = Annotated[
    CardStatus,
    WithJsonSchema({"title": "CardStatus", "type": "string", "enum": CardStatus.values}),
]


class PersonOut(Schema):
    id: int
    name: str


class EffectOut(Schema):
    before: Decimal
    after: Decimal
    unit: str = Field(description="What the figures count, e.g. falls per month.")
    change: Decimal = Field(description="After minus before.")
    percent_change: Decimal | None = Field(
        description="The change as a percentage of the before figure, to one decimal place; "
        "null when the before figure is 0."
    )
    measured_on: date | None
    note: str
    recorded_by: PersonOut | None


class CardOut(Schema):
    id: int
    team: str = Field(description="The team's slug.")
    title: str
    problem: str
    change: str
    status: CardStatusChoice
    raised_by: PersonOut | None
    raised_at: datetime
    approved: bool = Field(description="Whether a lead approved it as a quick win.")
    approved_by: PersonOut | None
    approved_at: datetime | None
    adopted_at: datetime | None
    effect: EffectOut | None


class ColumnOut(Schema):
    status: CardStatusChoice
    label: str
    total: int = Field(description="How many cards the column holds.")
    cards: list[CardOut] = Field(
        description="Its cards; Adopted and Dropped give the latest 12 unless show_all."
    )


class BoardOut(Schema):
    organisation: str
    team: str
    team_name: str
    leads: list[PersonOut] = Field(description="The team members named as leads.")
    can_raise: bool = Field(description="Whether you may raise cards on this board.")
    columns: list[ColumnOut]


class CardIn(Schema):
    title: str = Field(max_length=120)
    problem: str = Field(max_length=2000)
    change: str = Field(max_length=2000)


class CardPatch(Schema):
    title: str | None = Field(None, max_length=120)
    problem: str | None = Field(None, max_length=2000)
    change: str | None = Field(None, max_length=2000)


class MoveIn(Schema):
    status: CardStatusChoice
    reason: str = Field("", max_length=500, description="Why, for the audit log.")


class EffectIn(Schema):
    before: Decimal = FIGURE
    after: Decimal = FIGURE
    unit: str = Field(max_length=60, description="What the figures count, e.g. falls per month.")
    measured_on: date = Field(description="When the after figure was measured.")
    note: str = Field("", max_length=2000)
    adopt: bool = Field(False, description="Also mark a change being tried as adopted.")


class LeadIn(Schema):
    user_id: int = Field(description="A member of the team.")
    reason: str = Field("", max_length=500, description="Why, for the audit log.")


def _team(request: HttpRequest, slug: str, team_slug: str) -> tuple[Team, BoardAccess]:
    user = signed_in_user(request)
    if not SLUG.fullmatch(slug) or not SLUG.fullmatch(team_slug):
        raise Http404
    organisation = accounts_selectors.organisation_get(slug=slug)
    if organisation is None or not permissions.can_view_boards(user, organisation):
        raise Http404
    team = selectors.team_get(organisation=organisation, slug=team_slug)
    if team is None:
        raise Http404
    return team, selectors.board_access(user=user, team=team)


def _card(team: Team, card_id: int) -> Card:
    card = selectors.card_get(team=team, card_id=card_id)
    if card is None:
        raise Http404
    return card


def _person(user: Any) -> dict[str, Any] | None:
    return {"id": user.pk, "name": str(user)} if user is not None else None


def _card_out(card: Card, team: Team) -> dict[str, Any]:
    effect = card.effect
    return {
        "id": card.pk,
        "team": team.slug,
        "title": card.title,
        "problem": card.problem,
        "change": card.change,
        "status": card.status,
        "raised_by": _person(card.raised_by),
        "raised_at": card.created_at,
        "approved": card.approved_at is not None,
        "approved_by": _person(card.approved_by),
        "approved_at": card.approved_at,
        "adopted_at": card.adopted_at,
        "effect": None
        if effect is None
        else {
            "before": effect.before.normalize() + 0,
            "after": effect.after.normalize() + 0,
            "unit": effect.unit,
            "change": effect.change.normalize() + 0,
            "percent_change": effect.percent_change,
            "measured_on": card.effect_measured_on,
            "note": card.effect_note,
            "recorded_by": _person(card.effect_recorded_by),
        },
    }


@router.get(
    "/organisations/{slug}/teams/{team_slug}/board",
    response=BoardOut,
    summary="A team's improvement board, its cards grouped by column (members only)",
)
def board_detail(
    request: HttpRequest,
    slug: str,
    team_slug: str,
    show_all: bool = Query(False, description="Every adopted and dropped card, not the latest."),
) -> dict[str, Any]:
    team, access = _team(request, slug, team_slug)
    columns = selectors.board_columns(team=team, show_all=show_all)
    return {
        "organisation": team.organisation.slug,
        "team": team.slug,
        "team_name": team.name,
        "leads": [_person(lead) for lead in selectors.board_leads(team=team)],
        "can_raise": permissions.can_raise_card(access),
        "columns": [
            {
                "status": column.status,
                "label": column.label,
                "total": column.total,
                "cards": [_card_out(card, team) for card in column.cards],
            }
            for column in columns
        ],
    }


@router.post(
    "/organisations/{slug}/teams/{team_slug}/board/cards",
    response={201: CardOut},
    summary="Raise a card on a team's board (team members and leads)",
)
def board_card_create(
    request: HttpRequest, slug: str, team_slug: str, payload: CardIn
) -> Status[Any]:
    team, access = _team(request, slug, team_slug)
    if not permissions.can_raise_card(access):
        raise PermissionDenied
    card = services.card_raise(
        actor=request.user,
        team=team,
        title=payload.title,
        problem=payload.problem,
        change=payload.change,
    )
    return Status(201, _card_out(_card(team, card.pk), team))


@router.get(
    "/organisations/{slug}/teams/{team_slug}/board/cards/{card_id}",
    response=CardOut,
    summary="One card of a team's board (members only)",
)
def board_card_detail(
    request: HttpRequest, slug: str, team_slug: str, card_id: int
) -> dict[str, Any]:
    team, _access = _team(request, slug, team_slug)
    return _card_out(_card(team, card_id), team)


@router.patch(
    "/organisations/{slug}/teams/{team_slug}/board/cards/{card_id}",
    response=CardOut,
    summary="Change what a card says (whoever raised it, and leads)",
)
def board_card_update(
    request: HttpRequest, slug: str, team_slug: str, card_id: int, payload: CardPatch
) -> dict[str, Any]:
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_edit_card(access, card):
        raise PermissionDenied
    services.card_update(
        actor=request.user,
        card=card,
        title=payload.title,
        problem=payload.problem,
        change=payload.change,
    )
    return _card_out(_card(team, card_id), team)


@router.post(
    "/organisations/{slug}/teams/{team_slug}/board/cards/{card_id}/move",
    response=CardOut,
    summary="Move a card: New → Trying → Adopted or Dropped (its raiser, and leads)",
)
def board_card_move(
    request: HttpRequest, slug: str, team_slug: str, card_id: int, payload: MoveIn
) -> dict[str, Any]:
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_move_card(access, card):
        raise PermissionDenied
    services.card_move(
        actor=request.user, card=card, status=payload.status.value, reason=payload.reason
    )
    return _card_out(_card(team, card_id), team)


@router.post(
    "/organisations/{slug}/teams/{team_slug}/board/cards/{card_id}/approve",
    response=CardOut,
    summary="Approve a card as a quick win (board leads)",
)
def board_card_approve(
    request: HttpRequest, slug: str, team_slug: str, card_id: int
) -> dict[str, Any]:
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_approve_card(access):
        raise PermissionDenied
    services.card_approve(actor=request.user, card=card)
    return _card_out(_card(team, card_id), team)


@router.put(
    "/organisations/{slug}/teams/{team_slug}/board/cards/{card_id}/effect",
    response=CardOut,
    summary="Record the effect of a change, and optionally adopt it (board leads)",
)
def board_card_effect(
    request: HttpRequest, slug: str, team_slug: str, card_id: int, payload: EffectIn
) -> dict[str, Any]:
    team, access = _team(request, slug, team_slug)
    card = _card(team, card_id)
    if not permissions.can_record_effect(access):
        raise PermissionDenied
    services.card_record_effect(
        actor=request.user,
        card=card,
        before=payload.before,
        after=payload.after,
        unit=payload.unit,
        measured_on=payload.measured_on,
        note=payload.note,
        adopt=payload.adopt,
    )
    return _card_out(_card(team, card_id), team)


@router.post(
    "/organisations/{slug}/teams/{team_slug}/board/leads",
    response={201: PersonOut},
    summary="Make a team member a lead of its board (innovation leads and administrators)",
)
def board_lead_add(request: HttpRequest, slug: str, team_slug: str, payload: LeadIn) -> Status[Any]:
    team, _access = _team(request, slug, team_slug)
    if not permissions.can_manage_board_leads(request.user, team.organisation):
        raise PermissionDenied
    person = next((p for p in selectors.team_members(team=team) if p.pk == payload.user_id), None)
    if person is None:
        raise Http404
    services.board_lead_add(actor=request.user, team=team, user=person, reason=payload.reason)
    return Status(201, _person(person))


@router.delete(
    "/organisations/{slug}/teams/{team_slug}/board/leads/{user_id}",
    response={204: None},
    summary="Stop someone leading a board (innovation leads and administrators)",
)
def board_lead_remove(
    request: HttpRequest,
    slug: str,
    team_slug: str,
    user_id: int,
    reason: str = Query("", max_length=500, description="Why, for the audit log."),
) -> Status[None]:
    team, _access = _team(request, slug, team_slug)
    if not permissions.can_manage_board_leads(request.user, team.organisation):
        raise PermissionDenied
    lead = next((p for p in selectors.board_leads(team=team) if p.pk == user_id), None)
    if lead is None:
        raise Http404
    services.board_lead_remove(actor=request.user, team=team, user=lead, reason=reason)
    return Status(204, None)


class ImprovementOut(CardOut):
    team_name: str


@router.get(
    "/organisations/{slug}/improvements",
    response=list[ImprovementOut],
    summary="Changes adopted across an organisation's teams, with their effects (members only)",
)
@paginate(PageNumberPagination)
def improvement_list(
    request: HttpRequest,
    slug: str,
    team: str = Query("", description="Only this team's changes (its slug)."),
    period: str = Query(
        "", pattern=r"^(|3m|6m|12m)$", description="Adopted in the last 3m, 6m or 12m."
    ),
) -> Any:
    user = signed_in_user(request)
    if not SLUG.fullmatch(slug):
        raise Http404
    organisation = accounts_selectors.organisation_get(slug=slug)
    if organisation is None or not permissions.can_view_boards(user, organisation):
        raise Http404
    chosen = None
    if team:
        chosen = (
            selectors.team_get(organisation=organisation, slug=team)
            if SLUG.fullmatch(team)
            else None
        )
        if chosen is None:
            raise Http404
    since = selectors.period_start(period)
    cards = selectors.improvements(organisation=organisation, team=chosen, since=since)
    return _Improvements(cards)


class _Improvements:
    """The adopted cards, turned into API rows one page at a time."""

    def __init__(self, cards: Any) -> None:
        self.cards = cards

    def count(self) -> int:
        return int(self.cards.count())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[dict[str, Any]]:
        return [
            {**_card_out(card, card.board.team), "team_name": card.board.team.name}
            for card in self.cards[window]
        ]
