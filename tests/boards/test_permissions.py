"""Who may do what on a team's board, for every kind of person, inside and outside it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from civicflow.accounts import services as accounts_services
from civicflow.accounts.selectors import user_roles
from civicflow.boards import permissions, selectors
from civicflow.boards.models import Status
from tests.factories import UserFactory

# (view, raise, edit or move the nurse's card, approve, record effect, choose leads)
EXPECTED = {
    "nurse": (True, True, True, False, False, False),
    "colleague": (True, True, False, False, False, False),
    "lead": (True, True, True, True, True, False),
    "innovation_lead": (True, True, True, True, True, True),
    "admin": (True, True, True, True, True, True),
    "staff": (True, False, False, False, False, False),
    "assessor": (True, False, False, False, False, False),
    "outsider": (False, False, False, False, False, False),
    "participant": (False, False, False, False, False, False),
    "anonymous": (False, False, False, False, False, False),
    "instance_admin": (True, True, True, True, True, True),
}


def person(ward, who):
    if who == "participant":
        return UserFactory()
    if who == "anonymous":
        return AnonymousUser()
    if who == "instance_admin":
        return UserFactory(is_superuser=True, is_staff=True)
    return getattr(ward, who)


@pytest.mark.parametrize("who", EXPECTED)
def test_what_each_person_may_do(ward, raise_card, who):
    card = raise_card()
    user = person(ward, who)

    access = selectors.board_access(user=user, team=ward.team)
    got = (
        permissions.can_view_board(access),
        permissions.can_raise_card(access),
        permissions.can_edit_card(access, card) and permissions.can_move_card(access, card),
        permissions.can_approve_card(access),
        permissions.can_record_effect(access),
        permissions.can_manage_board_leads(user, ward.organisation),
    )

    assert got == EXPECTED[who]


def test_a_board_lead_leads_only_their_own_teams_board(ward, organisation):
    other_team = accounts_services.team_create(
        actor=ward.admin, organisation=organisation, name="Outpatients"
    )

    assert selectors.board_access(user=ward.lead, team=ward.team).is_lead
    assert not selectors.board_access(user=ward.lead, team=other_team).is_lead
    assert selectors.board_access(user=ward.lead, team=other_team).can_view


def test_the_moves_offered_depend_on_who_is_looking(ward, raise_card):
    card = raise_card()

    def offered(who):
        return permissions.move_choices(selectors.board_access(user=who, team=ward.team), card)

    assert offered(ward.lead) == (Status.TRYING, Status.DROPPED)
    assert offered(ward.nurse) == (Status.DROPPED,)
    assert offered(ward.colleague) == ()
    assert offered(ward.staff) == ()


def test_working_out_access_costs_one_query(ward, django_assert_num_queries):
    # Roles are read once per request and cached on the person, so count from there.
    user_roles(ward.nurse)
    user_roles(ward.outsider)

    with django_assert_num_queries(1):
        selectors.board_access(user=ward.nurse, team=ward.team)
    with django_assert_num_queries(0):
        selectors.board_access(user=ward.outsider, team=ward.team)
