"""A ward with a board: its members, its lead, and people around it in every role."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from civicflow.accounts import services as accounts_services
from civicflow.boards import services
from tests.api.conftest import ApiClient
from tests.factories import member


@pytest.fixture
def ward(organisation, other_organisation) -> SimpleNamespace:
    """Return Ward 7 of Testshire with a nurse, a ward lead and people in other roles.

    ``nurse`` and ``colleague`` are in the team; ``lead`` is in it and named its board lead;
    ``innovation_lead`` and ``admin`` lead every board; ``staff`` and ``assessor`` are members
    of the organisation outside the team; ``outsider`` is an administrator elsewhere.
    """
    admin = member(organisation, "admin", email="admin@testshire.example")
    innovation_lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    team = accounts_services.team_create(
        actor=admin, organisation=organisation, name="Ward 7 (older people)"
    )
    nurse = member(organisation, email="nurse@testshire.example", name="Nina Nurse")
    colleague = member(organisation, email="colleague@testshire.example", name="Col League")
    lead = member(organisation, email="sister@testshire.example", name="Sam Sister")
    for person in (nurse, colleague, lead):
        accounts_services.team_add_member(actor=admin, team=team, user=person)
    services.board_lead_add(actor=innovation_lead, team=team, user=lead)
    return SimpleNamespace(
        organisation=organisation,
        team=team,
        nurse=nurse,
        colleague=colleague,
        lead=lead,
        innovation_lead=innovation_lead,
        admin=admin,
        staff=member(organisation, email="staff@testshire.example"),
        assessor=member(organisation, "assessor", email="assessor@testshire.example"),
        outsider=member(other_organisation, "admin", email="admin@elsewhere.example"),
    )


@pytest.fixture
def raise_card(ward):
    """Return a function that raises a card on Ward 7's board (by the nurse, unless told)."""

    def make(title: str = "Call bells out of reach", *, by=None, **fields):
        return services.card_raise(
            actor=by or ward.nurse,
            team=ward.team,
            title=title,
            problem=fields.get("problem", "After bed baths the call bell is left on the locker."),
            change=fields.get("change", "Add ‘call bell in reach’ to the bed-bath checklist."),
        )

    return make


@pytest.fixture
def api_for(db):
    """Return a function that gives an API client signed in by token as a user (or anonymous)."""

    def make(user=None) -> ApiClient:
        if user is None:
            return ApiClient()
        _token, secret = accounts_services.api_token_create(user=user, name="Board script")
        return ApiClient(secret)

    return make
