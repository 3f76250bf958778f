"""The status machine of a card, on its own: New → Trying → Adopted or Dropped."""

from __future__ import annotations

import pytest

from civicflow.boards import workflow
from civicflow.boards.models import Status
from civicflow.boards.workflow import ADOPTED, DROPPED, NEW, TRYING, moves_open_to


def test_the_statuses_are_the_models():
    assert tuple(Status.values) == workflow.STATUSES


@pytest.mark.parametrize(
    ("current", "wanted", "allowed"),
    [
        (NEW, TRYING, True),
        (NEW, DROPPED, True),
        (NEW, ADOPTED, False),
        (TRYING, ADOPTED, True),
        (TRYING, DROPPED, True),
        (TRYING, NEW, False),
        (ADOPTED, TRYING, True),
        (ADOPTED, DROPPED, False),
        (ADOPTED, NEW, False),
        (DROPPED, TRYING, True),
        (DROPPED, ADOPTED, False),
        (DROPPED, NEW, False),
        (NEW, NEW, False),
        (NEW, "archived", False),
    ],
)
def test_cards_follow_the_columns(current, wanted, allowed):
    assert workflow.is_move(current, wanted) is allowed


def test_only_adopted_and_dropped_changes_are_reopened():
    assert workflow.is_reopening(ADOPTED, TRYING)
    assert workflow.is_reopening(DROPPED, TRYING)
    assert not workflow.is_reopening(NEW, TRYING)


def test_a_lead_may_make_every_move():
    for status in workflow.STATUSES:
        assert (
            moves_open_to(status, lead=True, approved=False, has_effect=False)
            == (workflow.MOVES[status])
        )


def test_whoever_raised_a_card_tries_it_only_once_approved():
    assert moves_open_to(NEW, lead=False, approved=False, has_effect=False) == (DROPPED,)
    assert moves_open_to(NEW, lead=False, approved=True, has_effect=False) == (TRYING, DROPPED)


def test_whoever_raised_a_card_adopts_it_only_once_its_effect_is_recorded():
    assert moves_open_to(TRYING, lead=False, approved=True, has_effect=False) == (DROPPED,)
    assert moves_open_to(TRYING, lead=False, approved=True, has_effect=True) == (
        ADOPTED,
        DROPPED,
    )


def test_only_a_lead_reopens():
    assert moves_open_to(ADOPTED, lead=False, approved=True, has_effect=True) == ()
    assert moves_open_to(DROPPED, lead=False, approved=True, has_effect=True) == ()


def test_approval_waits_on_new_and_trying_cards_only():
    assert workflow.can_be_approved(NEW, approved=False)
    assert workflow.can_be_approved(TRYING, approved=False)
    assert not workflow.can_be_approved(NEW, approved=True)
    assert not workflow.can_be_approved(ADOPTED, approved=False)
    assert not workflow.can_be_approved(DROPPED, approved=False)
