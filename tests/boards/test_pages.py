"""The board, card, lead and roll-up pages, as people use them without JavaScript."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.boards import services
from civicflow.boards.models import Board, BoardLead, Card, Status
from tests.factories import UserFactory

EFFECT = {
    "before": "10",
    "after": "2",
    "unit": "falls per month",
    "measured_on": "31",
    "measured_on_month": "3",
    "measured_on_year": "2025",
    "note": "Three months before the move against three months after.",
}


def board_url(ward) -> str:
    return reverse("boards:board", args=[ward.organisation.slug, ward.team.slug])


def card_url(ward, card, name: str = "card") -> str:
    return reverse(f"boards:{name}", args=[ward.organisation.slug, ward.team.slug, card.pk])


def adopt(ward, card, before="10", after="2"):
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)
    return services.card_record_effect(
        actor=ward.lead,
        card=card,
        before=before,
        after=after,
        unit="falls per month",
        measured_on=timezone.localdate(),
        adopt=True,
    )


def fill_board(ward, raise_card, count: int) -> None:
    """Put ``count`` cards on the board, a quarter in each column."""
    for number in range(count):
        card = raise_card(f"Card {number}", by=ward.nurse if number % 2 else ward.colleague)
        step = number % 4
        if step == 1:
            services.card_approve(actor=ward.lead, card=card)
            services.card_move(actor=ward.nurse, card=card, status=Status.TRYING)
        elif step == 2:
            adopt(ward, card, before=str(number + 1), after="1")
        elif step == 3:
            services.card_move(actor=ward.lead, card=card, status=Status.DROPPED)


# The board -----------------------------------------------------------------------------------


def test_the_board_shows_four_columns_and_what_each_card_says(ward, raise_card, client_for):
    raise_card()
    services.card_approve(actor=ward.lead, card=raise_card("Slings hard to find"))
    adopt(ward, raise_card("Nurses’ desks in the bays"))
    services.card_move(actor=ward.lead, card=raise_card("Bay map"), status=Status.DROPPED)

    response = client_for(ward.staff).get(board_url(ward))

    assert response.status_code == 200
    html = response.content.decode()
    for heading in ('id="column-new"', 'id="column-trying"', 'id="column-adopted"'):
        assert heading in html
    assert 'id="column-dropped"' in html
    assert "Call bells out of reach" in html
    assert "Raised by Nina Nurse" in html
    assert "Quick win approved" in html
    assert "Down 80%" in html
    assert "boards/boards.css" in html
    assert "style=" not in html
    # Staff outside the team look, but may not raise or move cards.
    assert "Raise a card" not in html
    assert 'name="status"' not in html


def test_a_team_with_no_board_yet_shows_an_empty_one(ward, client_for, organisation):
    team = accounts_services.team_create(actor=ward.admin, organisation=organisation, name="A&E")

    response = client_for(ward.staff).get(
        reverse("boards:board", args=[organisation.slug, team.slug])
    )

    assert response.status_code == 200
    assert response.content.decode().count("No cards.") == 4
    assert not Board.objects.filter(team=team).exists()  # looking starts nothing


def test_text_people_write_is_shown_as_text(ward, raise_card, client_for):
    card = raise_card("<script>alert('x')</script>", problem="<img src=x onerror=alert(1)>")

    for url in (board_url(ward), card_url(ward, card)):
        html = client_for(ward.nurse).get(url).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(" in html
        assert "<img src=x" not in html


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 404), ("participant", 404), ("anonymous", 302)]
)
def test_people_outside_the_organisation_learn_nothing(ward, raise_card, client_for, who, status):
    card = raise_card()
    user = {"outsider": ward.outsider, "participant": UserFactory(), "anonymous": None}[who]
    client = client_for(user)

    for url in (
        board_url(ward),
        card_url(ward, card),
        reverse("boards:boards", args=[ward.organisation.slug]),
        reverse("boards:rollup", args=[ward.organisation.slug]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        if status == 302:
            assert response["Location"].startswith(reverse("account_login"))


def test_unknown_teams_and_cards_are_not_found(ward, raise_card, client_for, organisation):
    card = raise_card()
    other = accounts_services.team_create(actor=ward.admin, organisation=organisation, name="ED")
    client = client_for(ward.lead)

    assert client.get(reverse("boards:board", args=["testshire", "no-team"])).status_code == 404
    assert client.get(reverse("boards:board", args=["nowhere", "ward-7"])).status_code == 404
    missing = reverse("boards:card", args=["testshire", ward.team.slug, 999999])
    assert client.get(missing).status_code == 404
    # A card is found only on its own team's board.
    elsewhere = reverse("boards:card", args=["testshire", other.slug, card.pk])
    assert client.get(elsewhere).status_code == 404


def test_the_board_list_counts_each_column(ward, raise_card, client_for):
    fill_board(ward, raise_card, 8)

    response = client_for(ward.assessor).get(reverse("boards:boards", args=["testshire"]))

    assert response.status_code == 200
    row = response.content.decode().split("Ward 7 (older people) board")[1].split("</tr>")[0]
    assert [cell.split("<")[0] for cell in row.split('numeric">')[1:]] == ["2", "2", "2", "2"]


# Query counts ----------------------------------------------------------------------------------


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


# Measured: the person, the organisation, their roles, the team, their access to the board,
# the column totals, three reads of cards and the board's leads.
BOARD_QUERIES = 11  # +1: the unread-notifications count in the navigation
# The person, the organisation, their roles, the teams to filter by, the count, the page of
# changes and the counts per team.
ROLLUP_QUERIES = 8  # +1: the unread-notifications count in the navigation


def test_the_board_costs_the_same_few_queries_however_many_cards(
    ward, raise_card, client_for, django_assert_max_num_queries
):
    client = client_for(ward.lead)
    fill_board(ward, raise_card, 4)
    few = queries_for(client, board_url(ward))
    fill_board(ward, raise_card, 52)  # 14 in each column

    with django_assert_max_num_queries(BOARD_QUERIES):
        response = client.get(board_url(ward))

    # Adopted and Dropped show their latest 12, with a link to the rest.
    assert response.content.decode().count('class="boards-card ') == 14 + 14 + 12 + 12
    assert "Show all 14 adopted cards" in response.content.decode()
    assert queries_for(client, board_url(ward)) == few
    assert queries_for(client, f"{board_url(ward)}?show=all") == few


def test_the_roll_up_costs_the_same_few_queries_however_many_changes(
    ward, raise_card, client_for, django_assert_max_num_queries
):
    client = client_for(ward.staff)
    url = reverse("boards:rollup", args=["testshire"])
    fill_board(ward, raise_card, 4)
    few = queries_for(client, url)
    fill_board(ward, raise_card, 60)

    with django_assert_max_num_queries(ROLLUP_QUERIES):
        client.get(url)

    assert queries_for(client, url) == few
    assert queries_for(client, reverse("boards:boards", args=["testshire"])) <= few


# Raising and editing cards -------------------------------------------------------------------


def test_a_team_member_raises_a_card_without_javascript(ward, client_for):
    client = client_for(ward.nurse)
    url = reverse("boards:card_create", args=["testshire", ward.team.slug])

    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Glasses lost on transfer",
            "problem": "Patients’ glasses go missing when they move ward.",
            "change": "A labelled case that travels with the patient.",
        },
    )

    card = Card.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{board_url(ward)}#card-{card.pk}"
    assert card.raised_by == ward.nurse


def test_a_card_form_with_errors_comes_back_with_them(ward, client_for):
    url = reverse("boards:card_create", args=["testshire", ward.team.slug])

    response = client_for(ward.nurse).post(url, {"title": "", "problem": "x" * 2001, "change": ""})

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter a short name for the change" in html
    assert "The problem must be 2,000 characters or fewer" in html
    assert "<title>Error:" in html
    assert not Card.objects.exists()


def test_staff_outside_the_team_may_not_raise_cards(ward, client_for):
    url = reverse("boards:card_create", args=["testshire", ward.team.slug])

    assert client_for(ward.staff).get(url).status_code == 403


def test_whoever_raised_a_card_edits_it_and_colleagues_may_not(ward, raise_card, client_for):
    card = raise_card()
    url = card_url(ward, card, "card_edit")

    assert client_for(ward.colleague).get(url).status_code == 403
    response = client_for(ward.nurse).post(
        url, {"title": "Call bells left out of reach", "problem": card.problem, "change": "A"}
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert (card.title, card.change) == ("Call bells left out of reach", "A")


# Moving and approving ------------------------------------------------------------------------


def test_a_lead_moves_a_card_from_the_board_and_comes_back_to_it(ward, raise_card, client_for):
    card = raise_card()

    response = client_for(ward.lead).post(
        card_url(ward, card, "card_move"), {"status": "trying", "return_to": "board"}
    )

    assert response.status_code == 302
    assert response["Location"] == f"{board_url(ward)}#card-{card.pk}"
    card.refresh_from_db()
    assert card.status == Status.TRYING


def test_the_move_page_works_on_its_own(ward, raise_card, client_for):
    card = raise_card()
    client = client_for(ward.lead)

    page = client.get(card_url(ward, card, "card_move")).content.decode()
    assert 'value="trying"' in page and 'value="dropped"' in page
    assert 'value="adopted"' not in page
    response = client.post(card_url(ward, card, "card_move"), {"status": "adopted"})

    assert response.status_code == 400
    assert "Select one of the columns listed" in response.content.decode()
    response = client.post(
        card_url(ward, card, "card_move"), {"status": "dropped", "reason": "Not for us"}
    )
    assert response["Location"] == card_url(ward, card)


def test_a_lead_adopting_without_an_effect_is_taken_to_the_effect_form(
    ward, raise_card, client_for
):
    card = raise_card()
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)

    response = client_for(ward.lead).post(
        card_url(ward, card, "card_move"), {"status": "adopted", "return_to": "board"}
    )

    assert response.status_code == 302
    assert response["Location"] == card_url(ward, card, "card_effect") + "?adopt=1"
    page = client_for(ward.lead).get(response["Location"]).content.decode()
    assert 'name="adopt" type="checkbox" checked' in page


def test_whoever_raised_an_unapproved_card_cannot_move_it_to_trying(ward, raise_card, client_for):
    card = raise_card()

    response = client_for(ward.nurse).post(card_url(ward, card, "card_move"), {"status": "trying"})

    assert response.status_code == 400
    card.refresh_from_db()
    assert card.status == Status.NEW


def test_colleagues_get_403_for_someone_elses_card(ward, raise_card, client_for):
    card = raise_card()
    client = client_for(ward.colleague)

    assert client.get(card_url(ward, card, "card_move")).status_code == 403
    assert client.post(card_url(ward, card, "card_move"), {"status": "dropped"}).status_code == 403
    assert client.post(card_url(ward, card, "card_approve")).status_code == 403
    assert client.get(card_url(ward, card, "card_effect")).status_code == 403


def test_a_lead_approves_a_quick_win_from_the_board(ward, raise_card, client_for):
    card = raise_card()
    client = client_for(ward.lead)

    assert "as a</span> quick win" in client.get(board_url(ward)).content.decode()
    response = client.post(card_url(ward, card, "card_approve"), {"return_to": "board"})
    assert response["Location"] == f"{board_url(ward)}#card-{card.pk}"
    again = client.post(card_url(ward, card, "card_approve"), follow=True)

    assert "This quick win is already approved." in again.content.decode()
    card.refresh_from_db()
    assert card.approved_by == ward.lead


def test_the_moves_are_small_forms_on_the_board(ward, raise_card, client_for):
    card = raise_card()
    services.card_approve(actor=ward.lead, card=card)

    html = client_for(ward.nurse).get(board_url(ward)).content.decode()

    form = html.split(f'id="card-{card.pk}"')[1].split("</li>")[0]
    assert f'action="{card_url(ward, card, "card_move")}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert '<option value="trying">Trying</option>' in form


# Effects -------------------------------------------------------------------------------------


def test_a_lead_records_the_effect_and_adopts_the_change(ward, raise_card, client_for):
    card = raise_card("Nurses’ desks in the bays")
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)

    response = client_for(ward.lead).post(
        card_url(ward, card, "card_effect"), {**EFFECT, "adopt": "on"}
    )

    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == Status.ADOPTED
    page = client_for(ward.staff).get(card_url(ward, card)).content.decode()
    assert "\u22128 (\u221280%)" in page
    assert "31 March 2025" in page
    assert "Effect of a change recorded" in page  # the card's history


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"before": "ten"}, "Enter the before figure as a number, like 10 or 2.5"),
        ({"after": "-2"}, "The after figure must be 0 or more"),
        ({"measured_on_month": "13"}, "must be a real date"),
        ({"measured_on": "", "measured_on_month": "", "measured_on_year": ""}, "Enter the date"),
        ({"measured_on_year": "2999"}, "must be today or earlier"),
        ({"unit": ""}, "Enter what the figures count"),
    ],
)
def test_bad_effects_come_back_with_errors(ward, raise_card, client_for, change, message):
    card = raise_card()
    services.card_move(actor=ward.lead, card=card, status=Status.TRYING)

    response = client_for(ward.lead).post(card_url(ward, card, "card_effect"), {**EFFECT, **change})

    assert response.status_code == 400
    assert message in response.content.decode()
    card.refresh_from_db()
    assert card.effect is None


def test_a_new_card_has_no_effect_form(ward, raise_card, client_for):
    card = raise_card()

    page = client_for(ward.lead).get(card_url(ward, card, "card_effect")).content.decode()

    assert "Move the card to Trying before you record the effect" in page
    assert 'name="before"' not in page


# Board leads ---------------------------------------------------------------------------------


def test_an_innovation_lead_chooses_the_board_leads(ward, client_for):
    client = client_for(ward.innovation_lead)
    url = reverse("boards:leads", args=["testshire", ward.team.slug])

    page = client.get(url).content.decode()
    assert "Col League" in page and "Sam Sister" in page
    assert client.post(url, {"user": str(ward.colleague.pk)}).status_code == 302
    remove = reverse("boards:lead_remove", args=["testshire", ward.team.slug, ward.lead.pk])
    assert client.post(remove).status_code == 302

    assert list(BoardLead.objects.values_list("user", flat=True)) == [ward.colleague.pk]
    assert client.post(url, {"user": str(ward.staff.pk)}).status_code == 400
    assert client_for(ward.lead).get(url).status_code == 403


# The roll-up -----------------------------------------------------------------------------------


@pytest.fixture
def adopted(ward, raise_card, organisation):
    desks = adopt(ward, raise_card("Nurses’ desks in the bays"))
    emergency = accounts_services.team_create(
        actor=ward.admin, organisation=organisation, name="Emergency department"
    )
    accounts_services.team_add_member(actor=ward.admin, team=emergency, user=ward.nurse)
    triage = services.card_raise(
        actor=ward.nurse,
        team=emergency,
        title='=HYPERLINK("http://x")',
        problem="Triage notes on paper",
        change="Tablets",
    )
    services.card_move(actor=ward.admin, card=triage, status=Status.TRYING)
    services.card_record_effect(
        actor=ward.admin,
        card=triage,
        before="35",
        after="18",
        unit="minutes to triage",
        measured_on=timezone.localdate(),
        adopt=True,
    )
    # An old change, outside the last three months.
    Card.objects.filter(pk=triage.pk).update(adopted_at=timezone.now() - timedelta(days=200))
    return desks, triage


def test_the_roll_up_lists_adopted_changes_with_their_effects(ward, adopted, client_for):
    response = client_for(ward.assessor).get(reverse("boards:rollup", args=["testshire"]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "2 adopted changes" in html
    assert "Nurses’ desks in the bays" in html
    assert "Down 80%" in html and "Down 48.6%" in html
    assert "=HYPERLINK" in html


def test_the_roll_up_filters_by_team_and_period(ward, adopted, client_for):
    client = client_for(ward.staff)
    url = reverse("boards:rollup", args=["testshire"])

    by_team = client.get(url, {"team": "emergency-department"}).content.decode()
    recent = client.get(url, {"period": "3m"}).content.decode()
    nonsense = client.get(url, {"team": "<b>", "period": "forever"})

    assert "1 adopted change" in by_team and "minutes to triage" in by_team
    assert "Nurses’ desks" not in by_team
    assert "1 adopted change" in recent and "Nurses’ desks" in recent
    assert nonsense.status_code == 200 and "2 adopted changes" in nonsense.content.decode()


def test_the_roll_up_downloads_as_csv_with_exact_figures(ward, adopted, client_for):
    response = client_for(ward.staff).get(reverse("boards:rollup_csv", args=["testshire"]))

    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    desks = next(row for row in rows if row["change"] == "Nurses’ desks in the bays")
    assert (desks["before"], desks["after"], desks["change_in_figure"]) == ("10", "2", "-8")
    assert desks["percent_change"] == "-80"
    assert desks["team"] == "Ward 7 (older people)"
    triage = next(row for row in rows if row["team"] == "Emergency department")
    assert triage["change"].startswith("'=")  # a spreadsheet shows it as text, not a formula
    assert triage["percent_change"] == "-48.6"

    recent = client_for(ward.staff).get(
        reverse("boards:rollup_csv", args=["testshire"]), {"period": "3m"}
    )
    assert len(list(csv.reader(io.StringIO(b"".join(recent.streaming_content).decode())))) == 2
