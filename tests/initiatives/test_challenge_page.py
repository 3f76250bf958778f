"""The challenge page lists the initiatives started from its ideas, as far as the reader may
see them, from the cache while no initiative of the organisation changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicflow.initiatives import selectors, services
from civicflow.initiatives.models import Decision
from tests.initiatives.test_pages import text

pytestmark = pytest.mark.django_db


def challenge_url(challenge) -> str:
    return reverse("challenges:detail", args=[challenge.organisation.slug, challenge.slug])


def test_a_challenge_without_initiatives_says_so(client_for, lead, idea):
    page = text(client_for(lead).get(challenge_url(idea.challenge)))

    assert "Initiatives from this challenge" in page
    assert "No initiative has been started from this challenge’s ideas yet." in page


def test_members_see_every_initiative_and_everyone_else_the_public_ones(
    client_for, lead, decider, resident, organisation, idea
):
    from tests.initiatives.helpers import selected_idea

    private = services.initiative_start(
        actor=lead, organisation=organisation, title="Bin day texts", idea=idea
    )
    other = selected_idea(lead, organisation, title="Bins by request")
    # The second idea is in a challenge of its own: the first challenge lists only its own.
    services.initiative_start(
        actor=lead, organisation=organisation, title="Bins on request", idea=other, public=True
    )
    url = challenge_url(idea.challenge)

    as_member = text(client_for(decider).get(url))
    assert "Bin day texts Test" in as_member
    assert "Bins on request" not in as_member
    as_resident = text(client_for(resident).get(url))
    assert "Bin day texts" not in as_resident
    assert "No initiative has been started" in as_resident

    services.initiative_edit(actor=lead, initiative=private, title="Bin day texts", public=True)
    assert "Bin day texts" in text(client_for(resident).get(url))


def test_the_list_comes_from_the_cache_until_an_initiative_changes(
    lead, decider, organisation, idea
):
    initiative = services.initiative_start(
        actor=lead, organisation=organisation, title="Bin day texts", idea=idea, public=True
    )
    challenge = idea.challenge
    first = selectors.challenge_initiatives(user=lead, challenge=challenge)
    assert [(i.title, i.stage) for i in first] == [("Bin day texts", "test")]

    with CaptureQueriesContext(connection) as queries:
        again = selectors.challenge_initiatives(user=lead, challenge=challenge)
    assert again == first
    assert not [q for q in queries.captured_queries if "initiatives_initiative" in q["sql"]]

    initiative.business_owner = lead
    initiative.save()
    services.gate_decide(
        actor=decider, initiative=initiative, decision=Decision.GO, reason="The pilot worked."
    )
    moved = selectors.challenge_initiatives(user=lead, challenge=challenge)
    assert [(i.title, i.stage) for i in moved] == [("Bin day texts", "implement")]
