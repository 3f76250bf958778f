"""The demo boards: a full ward board, a couple of cards elsewhere, loaded the same every time."""

from __future__ import annotations

from decimal import Decimal

import pytest

from civicflow.boards.demo import load_demo
from civicflow.boards.models import BoardLead, Card, Status
from civicflow.core.models import AuditEvent
from civicflow.demo.network import demo_load


@pytest.fixture
def demo(db):
    demo_load()
    load_demo()


def test_the_ward_board_has_cards_in_every_column(demo):
    ward = Card.objects.filter(board__team__name="Ward 7 (older people)")

    for status in Status:
        assert ward.filter(status=status).count() >= 2, status
    assert BoardLead.objects.filter(
        board__team__name="Ward 7 (older people)",
        user__email="admin@northbridge-hospitals.example",
    ).exists()
    elsewhere = Card.objects.filter(board__team__name="Emergency department")
    assert elsewhere.count() == 2


def test_the_desks_moved_into_the_bays_cut_falls_by_80_per_cent(demo):
    desks = Card.objects.get(title="Move the nurses’ desks into the bays")

    assert desks.status == Status.ADOPTED
    assert desks.raised_by.email == "staff@northbridge-hospitals.example"
    assert desks.effect_unit == "falls per month"
    assert desks.effect.percent_change == Decimal("-80.0")
    assert desks.is_approved


def test_loading_twice_changes_nothing(demo):
    counts = (Card.objects.count(), BoardLead.objects.count(), AuditEvent.objects.count())

    load_demo()

    assert (Card.objects.count(), BoardLead.objects.count(), AuditEvent.objects.count()) == counts


def test_the_boards_need_the_network(db):
    with pytest.raises(LookupError, match="demo network"):
        load_demo()
