"""Raising, editing, moving and approving cards, recording effects, and choosing board leads."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from civicflow.boards import services
from civicflow.boards.models import Board, BoardLead, Card, Status
from civicflow.core.models import AuditEvent
from civicflow.notifications.models import Notification
from tests.factories import UserFactory

MEASURED = date(2025, 3, 31)


def actions(target) -> list[str]:
    return list(
        AuditEvent.objects.for_target(target).order_by("id").values_list("action", flat=True)
    )


def record(card, by, before="10", after="2", **extra):
    return services.card_record_effect(
        actor=by,
        card=card,
        before=before,
        after=after,
        unit=extra.pop("unit", "falls per month"),
        measured_on=extra.pop("measured_on", MEASURED),
        **extra,
    )


# Raising cards -------------------------------------------------------------------------------


def test_a_team_member_raises_a_card_and_the_board_starts(ward, raise_card):
    card = raise_card()

    assert card.status == Status.NEW
    assert card.raised_by == ward.nurse
    assert card.organisation == ward.organisation
    assert card.board.team == ward.team
    assert Board.objects.filter(team=ward.team).count() == 1
    assert actions(card) == ["board_card.raised"]
    # Started when its lead was named; raising more cards starts nothing new.
    assert actions(card.board) == ["board.created", "board.lead_added"]


def test_the_boards_leads_hear_of_a_new_card(ward, raise_card):
    card = raise_card()

    told = Notification.objects.filter(kind="board.card_raised")
    assert [n.recipient for n in told] == [ward.lead]
    assert card.title in told[0].title
    assert told[0].url == card.get_absolute_url()


def test_innovation_leads_raise_cards_on_any_board(ward, raise_card):
    assert raise_card(by=ward.innovation_lead).raised_by == ward.innovation_lead


@pytest.mark.parametrize("who", ["staff", "assessor", "outsider"])
def test_people_outside_the_team_cannot_raise_cards(ward, raise_card, who):
    with pytest.raises(PermissionDenied):
        raise_card(by=getattr(ward, who))

    assert not Card.objects.exists()


def test_a_member_of_the_public_cannot_raise_cards(ward, raise_card):
    with pytest.raises(PermissionDenied):
        raise_card(by=UserFactory())


def test_a_card_needs_its_name_problem_and_change(ward):
    with pytest.raises(ValidationError) as caught:
        services.card_raise(actor=ward.nurse, team=ward.team, title=" ", problem="", change="\n")

    assert caught.value.message_dict == {
        "title": ["Enter a short name for the change."],
        "problem": ["Enter the problem you noticed."],
        "change": ["Enter the change you propose."],
    }
    assert not Card.objects.exists()


def test_oversized_text_is_refused(ward):
    with pytest.raises(ValidationError) as caught:
        services.card_raise(
            actor=ward.nurse, team=ward.team, title="x" * 121, problem="p" * 2001, change="c"
        )

    assert caught.value.message_dict == {
        "title": ["A short name for the change must be 120 characters or fewer."],
        "problem": ["The problem you noticed must be 2,000 characters or fewer."],
    }
    assert not Card.objects.exists()


def test_markup_is_kept_as_the_words_typed(ward, raise_card):
    card = raise_card("<script>alert(1)</script>", problem="<b>bold</b> & more")

    card.refresh_from_db()
    assert card.title == "<script>alert(1)</script>"
    assert card.problem == "<b>bold</b> & more"


# Editing cards -------------------------------------------------------------------------------


def test_whoever_raised_a_card_edits_it(ward, raise_card):
    card = raise_card()

    services.card_update(actor=ward.nurse, card=card, title="Call bells left out of reach")

    card.refresh_from_db()
    assert card.title == "Call bells left out of reach"
    assert AuditEvent.objects.for_target(card).filter(action="board_card.updated").get().data == {
        "fields": ["title"]
    }


def test_leads_edit_any_card_and_colleagues_none(ward, raise_card):
    card = raise_card()

    services.card_update(actor=ward.lead, card=card, change="A laminated checklist by each bed.")
    with pytest.raises(PermissionDenied):
        services.card_update(actor=ward.colleague, card=card, title="Mine now")

    card.refresh_from_db()
    assert card.change == "A laminated checklist by each bed."
    assert card.title == "Call bells out of reach"


def test_an_edit_that_changes_nothing_records_nothing(ward, raise_card):
    card = raise_card()

    services.card_update(actor=ward.nurse, card=card, title="  Call bells out of reach ")

    assert actions(card) == ["board_card.raised"]


def test_an_edit_may_not_empty_a_card(ward, raise_card):
    card = raise_card()

    with pytest.raises(ValidationError):
        services.card_update(actor=ward.nurse, card=card, problem="   ")


# Moving cards --------------------------------------------------------------------------------


def test_a_new_card_cannot_skip_trying(ward, raise_card):
    card = raise_card()

    with pytest.raises(ValidationError, match="can only move to Trying or Dropped"):
        services.card_move(actor=ward.lead, card=card, status=Status.ADOPTED)

    card.refresh_from_db()
    assert card.status == Status.NEW


def test_unknown_and_unchanged_statuses_are_refused(ward, raise_card):
    card = raise_card()

    with pytest.raises(ValidationError, match="Select New, Trying, Adopted or Dropped"):
        services.card_move(actor=ward.lead, card=card, status="archived")
    with pytest.raises(ValidationError, match="already in New"):
        services.card_move(actor=ward.lead, card=card, status=Status.NEW)


def test_whoever_raised_a_quick_win_tries_it_once_a_lead_approves_it(ward, raise_card):
    card = raise_card()

    with pytest.raises(ValidationError, match="Ask a lead to approve"):
        services.card_move(actor=ward.nurse, card=card, status=Status.TRYING)
    services.card_approve(actor=ward.lead, card=card)
    moved = services.card_move(actor=ward.nurse, card=card, status=Status.TRYING)

    assert moved.status == Status.TRYING
    assert moved.approved_by == ward.lead
    assert actions(card) == ["board_card.raised", "board_card.approved", "board_card.moved"]


def test_a_lead_moves_any_card_without_approval_and_its_raiser_is_told(ward, raise_card):
    card = raise_card()

    services.card_move(actor=ward.lead, card=card, status=Status.TRYING, reason="Worth a go")

    event = AuditEvent.objects.for_target(card).get(action="board_card.moved")
    assert (event.data, event.reason, event.actor) == (
        {"from": "new", "to": "trying"},
        "Worth a go",
        ward.lead,
    )
    told = Notification.objects.get(kind="board.card_moved")
    assert told.recipient == ward.nurse
    assert "Trying" in told.title


def test_colleagues_cannot_move_someone_elses_card(ward, raise_card):
    card = raise_card()

    for who in (ward.colleague, ward.staff, ward.outsider):
        with pytest.raises(PermissionDenied):
            services.card_move(actor=who, card=card, status=Status.DROPPED)


def test_whoever_raised_a_card_may_drop_it(ward, raise_card):
    card = raise_card()

    assert services.card_move(actor=ward.nurse, card=card, status=Status.DROPPED).status == (
        Status.DROPPED
    )


def test_a_change_is_adopted_only_with_its_effect_recorded(ward, raise_card):
    card = raise_card()
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)

    with pytest.raises(ValidationError, match="Record the effect"):
        services.card_move(actor=ward.lead, card=card, status=Status.ADOPTED)
    record(card, ward.lead)
    adopted = services.card_move(actor=ward.nurse, card=card, status=Status.ADOPTED)

    assert adopted.status == Status.ADOPTED
    assert adopted.adopted_at is not None


def test_only_a_lead_reopens_an_adopted_change_and_the_reopening_is_recorded(ward, raise_card):
    card = raise_card()
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)
    record(card, ward.lead, adopt=True)

    with pytest.raises(PermissionDenied):
        services.card_move(actor=ward.nurse, card=card, status=Status.TRYING)
    reopened = services.card_move(
        actor=ward.lead, card=card, status=Status.TRYING, reason="Falls crept back up"
    )

    assert reopened.status == Status.TRYING
    assert reopened.adopted_at is None
    assert reopened.effect is not None  # the figures measured so far stay
    event = AuditEvent.objects.for_target(card).get(action="board_card.reopened")
    assert (event.data, event.reason) == (
        {"from": "adopted", "to": "trying"},
        "Falls crept back up",
    )


def test_a_dropped_idea_can_be_reopened_by_a_lead(ward, raise_card):
    card = raise_card()
    services.card_move(actor=ward.nurse, card=card, status=Status.DROPPED)

    assert services.card_move(
        actor=ward.innovation_lead, card=card, status=Status.TRYING
    ).status == (Status.TRYING)


def test_a_move_reads_the_card_afresh(ward, raise_card):
    """Two leads moving one card: the second sees where the first put it."""
    card = raise_card()
    stale = Card.objects.get(pk=card.pk)
    services.card_move(actor=ward.lead, card=card, status=Status.DROPPED)

    assert stale.status == Status.NEW
    with pytest.raises(ValidationError, match="already in Dropped"):
        services.card_move(actor=ward.innovation_lead, card=stale, status=Status.DROPPED)


def test_a_long_reason_is_refused(ward, raise_card):
    card = raise_card()

    with pytest.raises(ValidationError, match="500 characters"):
        services.card_move(actor=ward.lead, card=card, status=Status.DROPPED, reason="r" * 501)


# Approving quick wins ------------------------------------------------------------------------


def test_only_leads_approve_quick_wins(ward, raise_card):
    card = raise_card()

    for who in (ward.nurse, ward.colleague, ward.staff, ward.assessor):
        with pytest.raises(PermissionDenied):
            services.card_approve(actor=who, card=card)
    services.card_approve(actor=ward.admin, card=card)

    card.refresh_from_db()
    assert card.is_approved and card.approved_by == ward.admin
    assert Notification.objects.get(kind="board.card_approved").recipient == ward.nurse


def test_a_quick_win_is_approved_once_and_only_while_open(ward, raise_card):
    card = raise_card()
    services.card_approve(actor=ward.lead, card=card)

    with pytest.raises(ValidationError, match="already approved"):
        services.card_approve(actor=ward.lead, card=card)
    dropped = raise_card("Another")
    services.card_move(actor=ward.lead, card=dropped, status=Status.DROPPED)
    with pytest.raises(ValidationError, match="Only new cards and cards being tried"):
        services.card_approve(actor=ward.lead, card=dropped)


# Recording effects ---------------------------------------------------------------------------


@pytest.fixture
def trying(ward, raise_card):
    card = raise_card("Nurses’ desks in the bays")
    return services.card_move(actor=ward.lead, card=card, status=Status.TRYING)


def test_a_lead_records_the_effect_exactly(ward, trying):
    card = record(trying, ward.lead, before="10", after="2", note="Three months each side")

    card.refresh_from_db()
    assert card.effect_before == Decimal("10")
    assert card.effect_after == Decimal("2")
    assert card.effect.percent_change == Decimal("-80.0")
    assert card.effect_unit == "falls per month"
    assert card.effect_measured_on == MEASURED
    assert card.effect_recorded_by == ward.lead
    assert card.status == Status.TRYING
    event = AuditEvent.objects.for_target(card).get(action="board_card.effect_recorded")
    assert event.data == {
        "before": "10",
        "after": "2",
        "unit": "falls per month",
        "measured_on": "2025-03-31",
    }


def test_decimal_figures_survive_the_database(ward, trying):
    card = record(trying, ward.lead, before="0.1", after=Decimal("0.3"))

    card.refresh_from_db()
    assert card.effect.change == Decimal("0.2")
    assert card.effect.percent_change == Decimal("200.0")


def test_recording_with_adopt_adopts_in_the_same_step(ward, trying):
    card = record(trying, ward.lead, adopt=True)

    assert card.status == Status.ADOPTED
    assert actions(card)[-2:] == ["board_card.effect_recorded", "board_card.moved"]


def test_only_leads_record_effects(ward, trying):
    for who in (ward.nurse, ward.colleague, ward.staff):
        with pytest.raises(PermissionDenied):
            record(trying, who)


def test_a_new_card_has_no_effect_to_record_yet(ward, raise_card):
    with pytest.raises(ValidationError, match="Move the card to Trying"):
        record(raise_card(), ward.lead)


def test_a_dropped_change_cannot_be_adopted_by_recording_its_effect(ward, trying):
    services.card_move(actor=ward.lead, card=trying, status=Status.DROPPED)

    card = record(trying, ward.lead)  # what a dropped change did can still be recorded
    with pytest.raises(ValidationError, match="Reopen it first"):
        record(card, ward.lead, adopt=True)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"before": "-1"}, {"before"}),
        ({"after": "lots"}, {"after"}),
        ({"before": 10.5}, {"before"}),
        ({"before": "1.23456", "after": ""}, {"before", "after"}),
        ({"before": "10000000000"}, {"before"}),
        ({"unit": "  "}, {"unit"}),
        ({"unit": "u" * 61}, {"unit"}),
        ({"measured_on": None}, {"measured_on"}),
        ({"measured_on": date(1999, 12, 31)}, {"measured_on"}),
        ({"measured_on": timezone.localdate() + timedelta(days=1)}, {"measured_on"}),
        ({"measured_on": datetime(2025, 3, 31, 12)}, {"measured_on"}),
        ({"note": "n" * 2001}, {"note"}),
    ],
)
def test_bad_effects_are_refused_and_change_nothing(ward, trying, fields, errors):
    values = {"before": "10", "after": "2", **fields}
    before, after = values.pop("before"), values.pop("after")

    with pytest.raises(ValidationError) as caught:
        record(trying, ward.lead, before=before, after=after, **values)

    assert set(caught.value.message_dict) == errors
    trying.refresh_from_db()
    assert trying.effect is None
    assert "board_card.effect_recorded" not in actions(trying)


def test_the_database_refuses_an_adopted_change_without_its_effect(ward, trying):
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.filter(pk=trying.pk).update(status=Status.ADOPTED, adopted_at=timezone.now())


def test_the_database_refuses_half_an_effect(ward, trying):
    with pytest.raises(IntegrityError), transaction.atomic():
        Card.objects.filter(pk=trying.pk).update(effect_before=Decimal(1))


# Board leads ---------------------------------------------------------------------------------


def test_innovation_leads_and_administrators_choose_board_leads(ward):
    services.board_lead_add(actor=ward.admin, team=ward.team, user=ward.colleague, reason="Deputy")

    assert set(BoardLead.objects.values_list("user__email", flat=True)) == {
        "sister@testshire.example",
        "colleague@testshire.example",
    }
    told = Notification.objects.filter(kind="board.lead_added").order_by("id")
    assert [n.recipient for n in told] == [ward.lead, ward.colleague]
    for who in (ward.lead, ward.nurse, ward.staff, ward.outsider):
        with pytest.raises(PermissionDenied):
            services.board_lead_add(actor=who, team=ward.team, user=ward.nurse)


def test_a_board_lead_is_a_member_of_the_team_and_named_once(ward):
    with pytest.raises(ValidationError, match="Only members of the team"):
        services.board_lead_add(actor=ward.admin, team=ward.team, user=ward.staff)
    with pytest.raises(ValidationError, match="already leads"):
        services.board_lead_add(actor=ward.admin, team=ward.team, user=ward.lead)


def test_a_named_lead_can_be_stood_down(ward, raise_card):
    card = raise_card()
    services.board_lead_remove(actor=ward.innovation_lead, team=ward.team, user=ward.lead)

    assert not BoardLead.objects.exists()
    with pytest.raises(PermissionDenied):
        services.card_approve(actor=ward.lead, card=card)
    assert actions(card.board)[-1] == "board.lead_removed"
    # Standing down someone who does not lead records nothing.
    services.board_lead_remove(actor=ward.innovation_lead, team=ward.team, user=ward.lead)
    assert actions(card.board).count("board.lead_removed") == 1
