"""Improvement boards as a program sees them: the board, cards, moves, effects and the roll-up."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civicflow.boards import services
from civicflow.boards.models import Card, Status

BOARD = "/api/v1/organisations/testshire/teams/ward-7-older-people/board"


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return json.loads(response.content)


def test_the_board_comes_grouped_by_column(ward, raise_card, api_for):
    card = raise_card()
    services.card_approve(actor=ward.lead, card=card)

    body = api_for(ward.staff).get(BOARD).json()

    assert [column["status"] for column in body["columns"]] == [
        "new",
        "trying",
        "adopted",
        "dropped",
    ]
    assert body["team_name"] == "Ward 7 (older people)"
    assert body["leads"] == [{"id": ward.lead.pk, "name": "Sam Sister"}]
    assert body["can_raise"] is False
    (new,) = body["columns"][0]["cards"]
    assert new == {
        "id": card.pk,
        "team": "ward-7-older-people",
        "title": "Call bells out of reach",
        "problem": card.problem,
        "change": card.change,
        "status": "new",
        "raised_by": {"id": ward.nurse.pk, "name": "Nina Nurse"},
        "raised_at": new["raised_at"],
        "approved": True,
        "approved_by": {"id": ward.lead.pk, "name": "Sam Sister"},
        "approved_at": new["approved_at"],
        "adopted_at": None,
        "effect": None,
    }


def test_a_team_member_raises_a_card(ward, api_for):
    response = api_for(ward.nurse).send(
        "POST",
        f"{BOARD}/cards",
        {"title": "Glasses lost", "problem": "They go missing.", "change": "A labelled case."},
    )

    assert response.status_code == 201
    assert response.json()["raised_by"]["id"] == ward.nurse.pk
    assert Card.objects.get().title == "Glasses lost"


def test_bad_cards_are_refused_as_problems(ward, api_for):
    client = api_for(ward.nurse)

    empty = problem(
        client.send("POST", f"{BOARD}/cards", {"title": " ", "problem": "p", "change": "c"}), 422
    )
    long = problem(
        client.send("POST", f"{BOARD}/cards", {"title": "t" * 121, "problem": "p", "change": "c"}),
        422,
    )

    assert empty["errors"] == [{"field": "title", "message": "Enter a short name for the change."}]
    assert long["errors"][0]["field"] == "title"
    assert not Card.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("staff", 403), ("outsider", 404), (None, 401)])
def test_only_the_team_raises_cards(ward, api_for, who, status):
    client = api_for(getattr(ward, who) if who else None)

    problem(
        client.send("POST", f"{BOARD}/cards", {"title": "t", "problem": "p", "change": "c"}), status
    )


def test_moves_follow_the_columns(ward, raise_card, api_for):
    card = raise_card()
    url = f"{BOARD}/cards/{card.pk}/move"

    skipped = problem(api_for(ward.lead).send("POST", url, {"status": "adopted"}), 422)
    unapproved = problem(api_for(ward.nurse).send("POST", url, {"status": "trying"}), 422)
    problem(api_for(ward.colleague).send("POST", url, {"status": "dropped"}), 403)
    problem(api_for(ward.lead).send("POST", url, {"status": "archived"}), 422)
    moved = api_for(ward.lead).send("POST", url, {"status": "trying", "reason": "Try it"})

    assert skipped["detail"] == "A card in New can only move to Trying or Dropped."
    assert unapproved["detail"].startswith("Ask a lead to approve")
    assert moved.status_code == 200
    assert moved.json()["status"] == "trying"


def test_a_lead_approves_and_edits(ward, raise_card, api_for):
    card = raise_card()

    approved = api_for(ward.lead).post(f"{BOARD}/cards/{card.pk}/approve")
    problem(api_for(ward.lead).post(f"{BOARD}/cards/{card.pk}/approve"), 422)
    problem(api_for(ward.nurse).post(f"{BOARD}/cards/{card.pk}/approve"), 403)
    edited = api_for(ward.nurse).send("PATCH", f"{BOARD}/cards/{card.pk}", {"title": "Bells"})

    assert approved.json()["approved"] is True
    assert edited.json()["title"] == "Bells"
    assert edited.json()["problem"] == card.problem


def test_an_effect_is_recorded_with_exact_figures_and_adopts_the_change(ward, raise_card, api_for):
    card = raise_card("Nurses’ desks in the bays")
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)

    response = api_for(ward.lead).send(
        "PUT",
        f"{BOARD}/cards/{card.pk}/effect",
        {
            "before": "10",
            "after": 2,
            "unit": "falls per month",
            "measured_on": "2025-03-31",
            "note": "Three months each side",
            "adopt": True,
        },
    )

    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "adopted"
    assert body["effect"] == {
        "before": "10",
        "after": "2",
        "unit": "falls per month",
        "change": "-8",
        "percent_change": "-80.0",
        "measured_on": "2025-03-31",
        "note": "Three months each side",
        "recorded_by": {"id": ward.lead.pk, "name": "Sam Sister"},
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"before": "-3"}, "before"),
        ({"before": "1.234567"}, "before"),
        ({"after": "1e20"}, "after"),
        ({"after": "NaN"}, "after"),
        ({"unit": ""}, "unit"),
        ({"measured_on": "2999-01-01"}, "measured_on"),
        ({"measured_on": "not a date"}, "measured_on"),
    ],
)
def test_bad_effects_are_refused_as_problems(ward, raise_card, api_for, change, field):
    card = raise_card()
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)
    payload = {"before": "10", "after": "2", "unit": "falls", "measured_on": "2025-03-31"}

    body = problem(
        api_for(ward.lead).send("PUT", f"{BOARD}/cards/{card.pk}/effect", {**payload, **change}),
        422,
    )

    assert field in {error["field"] for error in body["errors"]}
    card.refresh_from_db()
    assert card.effect is None


def test_unknown_cards_and_teams_are_not_found(ward, raise_card, api_for):
    client = api_for(ward.lead)

    problem(client.get(f"{BOARD}/cards/999999"), 404)
    problem(client.get("/api/v1/organisations/testshire/teams/nowhere/board"), 404)
    problem(client.get("/api/v1/organisations/testshire/teams/bad%20slug/board"), 404)
    problem(api_for(ward.outsider).get(BOARD), 404)
    problem(api_for().get(BOARD), 401)


def test_leads_are_chosen_by_innovation_leads(ward, api_for):
    client = api_for(ward.innovation_lead)

    added = client.send("POST", f"{BOARD}/leads", {"user_id": ward.colleague.pk})
    problem(client.send("POST", f"{BOARD}/leads", {"user_id": ward.staff.pk}), 404)
    problem(client.send("POST", f"{BOARD}/leads", {"user_id": ward.colleague.pk}), 422)
    removed = client.delete(f"{BOARD}/leads/{ward.lead.pk}?reason=Moved%20ward")
    problem(client.delete(f"{BOARD}/leads/{ward.lead.pk}"), 404)
    problem(api_for(ward.lead).send("POST", f"{BOARD}/leads", {"user_id": ward.nurse.pk}), 403)

    assert added.status_code == 201
    assert removed.status_code == 204
    assert [lead["id"] for lead in client.get(BOARD).json()["leads"]] == [ward.colleague.pk]


def test_the_roll_up_pages_adopted_changes(ward, raise_card, api_for):
    for number in range(3):
        card = raise_card(f"Change {number}")
        services.card_move(actor=ward.lead, card=card, status=Status.TRYING)
        services.card_record_effect(
            actor=ward.lead,
            card=card,
            before="4",
            after=str(number),
            unit="hours",
            measured_on=card.created_at.date(),
            adopt=True,
        )
    raise_card("Not adopted")
    client = api_for(ward.staff)

    first = client.get("/api/v1/organisations/testshire/improvements?page_size=2").json()
    second = client.get(first["next"]).json()
    by_team = client.get(
        "/api/v1/organisations/testshire/improvements?team=ward-7-older-people&period=3m"
    ).json()

    assert first["count"] == 3 and first["pages"] == 2
    assert [item["title"] for item in first["items"] + second["items"]] == [
        "Change 2",
        "Change 1",
        "Change 0",
    ]
    assert first["items"][0]["team_name"] == "Ward 7 (older people)"
    assert first["items"][0]["effect"]["percent_change"] == "-50.0"
    assert by_team["count"] == 3
    problem(client.get("/api/v1/organisations/testshire/improvements?team=nowhere"), 404)
    problem(client.get("/api/v1/organisations/testshire/improvements?period=forever"), 422)


def test_the_board_costs_the_same_queries_however_many_cards(ward, raise_card, api_for):
    client = api_for(ward.staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BOARD).status_code == 200
        return len(captured)

    raise_card("One")
    count()  # the first call with a token also notes when the token was last used
    few = count()
    for number in range(20):
        card = raise_card(f"Card {number}")
        if number % 2:
            services.card_approve(actor=ward.lead, card=card)

    assert count() == few
