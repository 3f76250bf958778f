"""Permission matrix rows for boards: every page and endpoint, for every actor.

Every member of the organisation sees its boards and its roll-up of adopted changes. In the
test world nobody among the actors is in the team "ward-7", so only the organisation's
innovation leads and administrators (who lead every board) may raise, edit, move and approve
cards, record effects and choose board leads; other members get 403.
"""

from __future__ import annotations

from typing import Any

from civicflow.accounts import services as accounts_services
from civicflow.boards import services
from tests.factories import member
from tests.permissions.matrix import Route, members_with, org, org_team

LEADS = ("innovation_lead", "admin")


def build(world: Any) -> None:
    """Add a board lead, a new card and a card being tried to ``world.extra``."""
    manager = world.people["in:innovation_lead"]
    lead = member(world.organisation)
    accounts_services.team_add_member(actor=None, team=world.team, user=lead)
    services.board_lead_add(actor=manager, team=world.team, user=lead)
    new_card = services.card_raise(
        actor=world.target,
        team=world.team,
        title="Call bells out of reach",
        problem="After bed baths the call bell is often left on the locker.",
        change="Add ‘call bell in reach’ to the bed-bath checklist.",
    )
    trying = services.card_raise(
        actor=world.target,
        team=world.team,
        title="Nurses’ desks in the bays",
        problem="Patients fall while nurses write notes at the central station.",
        change="Move the desks into the bays.",
    )
    services.card_move(actor=lead, card=trying, status="trying")
    world.extra.update(board_lead=lead, new_card=new_card, trying_card=trying)


def new_card(world: Any, user: Any) -> dict[str, Any]:
    return {**org_team(world, user), "card_id": world.extra["new_card"].pk}


def trying_card(world: Any, user: Any) -> dict[str, Any]:
    return {**org_team(world, user), "card_id": world.extra["trying_card"].pk}


def board_lead(world: Any, user: Any) -> dict[str, Any]:
    return {**org_team(world, user), "user_id": world.extra["board_lead"].pk}


def card_text(world: Any, user: Any) -> dict[str, Any]:
    return {
        "title": "Glasses lost on transfer",
        "problem": "Patients’ glasses go missing when they move ward.",
        "change": "Use a labelled case that travels with the patient.",
    }


def effect_form(world: Any, user: Any) -> dict[str, Any]:
    return {
        "before": "10",
        "after": "2",
        "unit": "falls per month",
        "measured_on": "31",
        "measured_on_month": "3",
        "measured_on_year": "2025",
    }


def effect_json(world: Any, user: Any) -> dict[str, Any]:
    return {"before": "10", "after": "2", "unit": "falls per month", "measured_on": "2025-03-31"}


ROUTES: list[Route] = [
    Route("boards:boards", "GET", members_with(), org),
    Route("boards:board", "GET", members_with(), org_team),
    Route("boards:card_create", "GET", members_with(*LEADS), org_team),
    Route("boards:card_create", "POST", members_with(*LEADS), org_team, card_text),
    Route("boards:card", "GET", members_with(), new_card),
    Route("boards:card_edit", "GET", members_with(*LEADS), new_card),
    Route("boards:card_edit", "POST", members_with(*LEADS), new_card, card_text),
    Route("boards:card_move", "GET", members_with(*LEADS), new_card),
    Route(
        "boards:card_move",
        "POST",
        members_with(*LEADS),
        new_card,
        lambda w, u: {"status": "trying"},
    ),
    Route("boards:card_approve", "POST", members_with(*LEADS), new_card, lambda w, u: {}),
    Route("boards:card_effect", "GET", members_with(*LEADS), trying_card),
    Route("boards:card_effect", "POST", members_with(*LEADS), trying_card, effect_form),
    Route("boards:leads", "GET", members_with(*LEADS), org_team),
    Route(
        "boards:leads",
        "POST",
        members_with(*LEADS),
        org_team,
        lambda w, u: {"user": str(w.target.pk)},
    ),
    Route("boards:lead_remove", "POST", members_with(*LEADS), board_lead, lambda w, u: {}),
    Route("boards:rollup", "GET", members_with(), org),
    Route("boards:rollup_csv", "GET", members_with(), org),
    # API
    Route("api-1.0.0:board_detail", "GET", members_with(api=True), org_team, api=True),
    Route(
        "api-1.0.0:board_card_create",
        "POST",
        members_with(*LEADS, api=True),
        org_team,
        card_text,
        api=True,
        json=True,
    ),
    Route("api-1.0.0:board_card_detail", "GET", members_with(api=True), new_card, api=True),
    Route(
        "api-1.0.0:board_card_update",
        "PATCH",
        members_with(*LEADS, api=True),
        new_card,
        lambda w, u: {"title": "Call bells left out of reach"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:board_card_move",
        "POST",
        members_with(*LEADS, api=True),
        new_card,
        lambda w, u: {"status": "trying"},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:board_card_approve",
        "POST",
        members_with(*LEADS, api=True),
        new_card,
        api=True,
    ),
    Route(
        "api-1.0.0:board_card_effect",
        "PUT",
        members_with(*LEADS, api=True),
        trying_card,
        effect_json,
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:board_lead_add",
        "POST",
        members_with(*LEADS, api=True),
        org_team,
        lambda w, u: {"user_id": w.target.pk},
        api=True,
        json=True,
    ),
    Route(
        "api-1.0.0:board_lead_remove",
        "DELETE",
        members_with(*LEADS, api=True),
        board_lead,
        api=True,
    ),
    Route("api-1.0.0:improvement_list", "GET", members_with(api=True), org, api=True),
]
