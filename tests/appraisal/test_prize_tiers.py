"""A prize's tiers change, grow and shrink until judging begins, on record; then they are
fixed and every way of changing them says why."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.appraisal import services
from civicflow.appraisal.models import Assignment, Prize, PrizeTier
from civicflow.core.models import AuditEvent
from tests.api.conftest import ApiClient
from tests.appraisal.helpers import move_phase

pytestmark = pytest.mark.django_db


@pytest.fixture
def prize(lead, prize_round):
    return services.prize_create(
        actor=lead,
        challenge=prize_round,
        pot=50_000,
        closes_at=timezone.now() + timedelta(days=20),
        tiers=[("Winner", 30_000, 1), ("Runner-up", 5_000, 2)],
    )


def _tiers(prize):
    return [(t.name, t.amount, t.places) for t in PrizeTier.objects.filter(prize=prize)]


def _ids(prize):
    return [t.pk for t in PrizeTier.objects.filter(prize=prize)]


def test_a_lead_changes_adds_and_removes_tiers_on_record(lead, prize):
    winner, runner_up = _ids(prize)
    services.prize_tiers_change(
        actor=lead,
        prize=prize,
        tiers=[
            (winner, "First prize", 25_000, 1),
            (None, "Highly commended", 1_000, 5),
            (runner_up, "Runner-up", 7_000, 2),
        ],
    )
    assert _tiers(prize) == [
        ("First prize", 25_000, 1),
        ("Highly commended", 1_000, 5),
        ("Runner-up", 7_000, 2),
    ]
    assert _ids(prize)[0] == winner and _ids(prize)[2] == runner_up  # kept tiers keep their ids
    event = AuditEvent.objects.get(action="appraisal.prize_tiers_changed")
    assert event.actor_id == lead.pk
    assert event.data["before"] == [["Winner", 30_000, 1], ["Runner-up", 5_000, 2]]
    assert event.data["after"][1] == ["Highly commended", 1_000, 5]

    # Two tiers may swap names; one left out is removed.
    first, _commended, second = _ids(prize)
    services.prize_tiers_change(
        actor=lead,
        prize=prize,
        tiers=[(first, "Runner-up", 25_000, 1), (second, "First prize", 7_000, 1)],
    )
    assert _tiers(prize) == [("Runner-up", 25_000, 1), ("First prize", 7_000, 1)]


@pytest.mark.parametrize(
    ("tiers", "message"),
    [
        ([], "at least one tier"),
        ([(None, "Winner", 40_000, 1), (None, "Second", 6_000, 2)], "more than the pot"),
        ([(None, "Winner", 1_000, 1), (None, "winner", 1_000, 1)], "different name"),
        ([(None, "", 1_000, 1)], "a name"),
        ([(None, "Winner", 0, 1)], "more than 0"),
        ([(999_999, "Stray", 1_000, 1)], "this prize's own tiers"),
    ],
)
def test_bad_tiers_are_refused_and_change_nothing(lead, prize, tiers, message):
    before = _tiers(prize)
    with pytest.raises(ValidationError) as refused:
        services.prize_tiers_change(actor=lead, prize=prize, tiers=tiers)
    assert message in refused.value.message_dict["tiers"][0]
    assert _tiers(prize) == before
    assert not AuditEvent.objects.filter(action="appraisal.prize_tiers_changed").exists()


def test_a_tier_of_another_prize_cannot_be_taken(lead, organisation, prize):
    from tests.appraisal.helpers import make_round

    other = services.prize_create(
        actor=lead,
        challenge=make_round(lead, organisation, kind="prize", title="Other prize"),
        pot=1_000,
        closes_at=timezone.now() + timedelta(days=5),
        tiers=[("Winner", 1_000, 1)],
    )
    with pytest.raises(ValidationError):
        services.prize_tiers_change(
            actor=lead, prize=prize, tiers=[(_ids(other)[0], "Winner", 1_000, 1)]
        )
    assert _tiers(other) == [("Winner", 1_000, 1)]


def test_only_those_who_run_the_prize_change_its_tiers(prize, authors, assessors):
    for person in (authors[0], assessors[0]):
        with pytest.raises(PermissionDenied):
            services.prize_tiers_change(actor=person, prize=prize, tiers=[(None, "Mine", 1, 1)])
    assert len(_tiers(prize)) == 2


def test_the_tiers_are_fixed_once_the_judging_phase_opens(lead, prize, prize_round):
    assert services.judging_begun(prize) == ""
    move_phase(prize_round, "deliver")
    prize = Prize.objects.get(pk=prize.pk)
    assert "Judging began on" in services.judging_begun(prize)
    with pytest.raises(ValidationError) as refused:
        services.prize_tiers_change(actor=lead, prize=prize, tiers=[(None, "Late", 1, 1)])
    assert "can no longer change" in refused.value.message_dict["tiers"][0]
    assert len(_tiers(prize)) == 2


def test_the_tiers_are_fixed_once_an_assessor_scores(lead, prize, prize_round, assessors, entries):
    from tests.appraisal.helpers import panel_with_scores

    panel_with_scores(lead, prize_round, assessors, entries)
    assert Assignment.objects.filter(submitted_at__isnull=False).exists()
    assert "started scoring" in services.judging_begun(prize)
    with pytest.raises(ValidationError):
        services.prize_tiers_change(actor=lead, prize=prize, tiers=[(None, "Late", 1, 1)])


def test_the_tiers_page(client_for, lead, prize, prize_round, resident):
    url = reverse("appraisal:prize_tiers", args=[prize_round.pk])
    as_lead = client_for(lead)
    prize_page = as_lead.get(reverse("appraisal:prize", args=[prize_round.pk])).content.decode()
    assert url in prize_page and "Change, add or remove tiers" in prize_page
    assert url not in client_for(resident).get(reverse("appraisal:prize", args=[prize_round.pk]))
    assert client_for(resident).get(url).status_code in (403, 404)
    page = as_lead.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Remove Runner-up" in text and "New tier (optional)" in text
    winner, runner_up = _ids(prize)
    form = {
        f"tier_{winner}_name": "Winner",
        f"tier_{winner}_amount": "30000",
        f"tier_{winner}_places": "1",
        f"tier_{runner_up}_name": "Runner-up",
        f"tier_{runner_up}_amount": "5000",
        f"tier_{runner_up}_places": "2",
    }
    # A name left empty on a kept tier, and tiers over the pot, are refused on the page.
    empty = as_lead.post(url, {**form, f"tier_{winner}_name": ""})
    assert empty.status_code == 400 and "Enter the tier" in empty.content.decode()
    over = as_lead.post(url, {**form, "new_1_name": "Extra", "new_1_amount": "20000"})
    assert over.status_code == 400 and "more than the pot" in over.content.decode()
    assert len(_tiers(prize)) == 2
    saved = as_lead.post(
        url,
        {
            **form,
            f"tier_{runner_up}_remove": "on",
            "new_1_name": "People's choice",
            "new_1_amount": "2000",
            "new_1_places": "1",
        },
    )
    assert saved.status_code == 302
    assert _tiers(prize) == [("Winner", 30_000, 1), ("People's choice", 2_000, 1)]

    move_phase(prize_round, "deliver")
    refused = as_lead.get(url, follow=True)
    assert refused.redirect_chain[-1][0] == reverse("appraisal:prize", args=[prize_round.pk])
    assert "Judging began on" in refused.content.decode()
    assert url not in refused.content.decode()
    late = as_lead.post(url, {**form, f"tier_{runner_up}_remove": "on"}, follow=True)
    assert "can no longer change" in late.content.decode()
    assert _tiers(prize) == [("Winner", 30_000, 1), ("People's choice", 2_000, 1)]


def test_the_tiers_through_the_api(lead, prize, prize_round, resident):
    _token, secret = accounts_services.api_token_create(user=lead, name="Prize script")
    api = ApiClient(secret)
    url = f"/api/v1/challenges/{prize_round.pk}/prize/tiers"
    winner, _runner_up = _ids(prize)
    changed = api.send(
        "PUT",
        url,
        {
            "tiers": [
                {"id": winner, "name": "Winner", "amount": 20_000},
                {"name": "Second", "amount": 10_000, "places": 3},
            ]
        },
    )
    assert changed.status_code == 200, changed.content
    assert [(t["name"], t["places"]) for t in changed.json()["tiers"]] == [
        ("Winner", 1),
        ("Second", 3),
    ]
    over = api.send("PUT", url, {"tiers": [{"name": "Huge", "amount": 60_000}]})
    assert over.status_code == 422 and "more than the pot" in over.content.decode()
    _token, other = accounts_services.api_token_create(user=resident, name="Nosy")
    assert ApiClient(other).send("PUT", url, {"tiers": []}).status_code in (403, 404)
    move_phase(prize_round, "deliver")
    late = api.send("PUT", url, {"tiers": [{"name": "Late", "amount": 1}]})
    assert late.status_code == 422 and "can no longer change" in late.content.decode()
    assert _tiers(prize) == [("Winner", 20_000, 1), ("Second", 10_000, 3)]
