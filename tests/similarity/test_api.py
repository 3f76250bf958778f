"""The similar-items API: for free text and for an idea, a challenge or a case, paginated,
limited to what the caller may see."""

from __future__ import annotations

import pytest

from civicflow.similarity import services
from tests.factories import member
from tests.library.helpers import published_case

BINS = "Text people the evening before their bin day"


@pytest.fixture
def world(make_idea, make_challenge, organisation, other_organisation, editor):
    idea = make_idea(title=BINS, summary="A reminder so fewer bins are missed.")
    twin = make_idea(title="Evening texts before bin day", summary="Remind people by text.")
    staff_only = make_challenge(title="Bins, for staff", audience="staff")
    hidden = make_idea(on=staff_only, title=BINS + ", for staff")
    private = published_case(
        author=editor,
        editor=editor,
        organisation=organisation,
        title="Bin day texts",
        summary="Texting residents the evening before bin day.",
        sharing="private",
    )
    shown = published_case(
        author=editor,
        editor=editor,
        organisation=organisation,
        title="Texts before bin collection",
        summary="Residents get a text the evening before their bin day.",
    )
    services.embed_all()
    outsider = member(other_organisation, email="someone@elsewhere.example")
    return {
        "idea": idea,
        "twin": twin,
        "staff_only": staff_only,
        "hidden": hidden,
        "private": private,
        "shown": shown,
        "outsider": outsider,
    }


def test_free_text_finds_ideas_and_cases_the_caller_may_see(client, world):
    client.force_login(world["outsider"])
    body = client.get("/api/v1/similar", {"text": BINS, "type": "ideas,cases"}).json()
    found = {(item["type"], item["id"]) for item in body["items"]}
    assert ("ideas", world["idea"].pk) in found and ("cases", world["shown"].pk) in found
    assert ("ideas", world["hidden"].pk) not in found
    assert ("cases", world["private"].pk) not in found
    scores = [item["score"] for item in body["items"]]
    assert scores == sorted(scores, reverse=True) and body["count"] == len(body["items"])
    assert {"reason", "organisation", "url", "same_challenge"} <= set(body["items"][0])


def test_what_is_like_an_idea_is_in_its_challenge_and_leaves_it_out(client, world, author):
    client.force_login(author)
    body = client.get(f"/api/v1/ideas/{world['idea'].pk}/similar", {"type": "ideas"}).json()
    ids = [item["id"] for item in body["items"]]
    assert ids[0] == world["twin"].pk and world["idea"].pk not in ids
    assert world["hidden"].pk not in ids  # another challenge
    assert body["items"][0]["same_challenge"] is True


def test_pages_and_limits(client, world, author):
    client.force_login(author)
    body = client.get(
        f"/api/v1/cases/{world['shown'].pk}/similar", {"page_size": 1, "limit": 5}
    ).json()
    assert body["page_size"] == 1 and len(body["items"]) == 1 and body["count"] >= 2
    assert client.get("/api/v1/similar", {"text": BINS, "limit": 51}).status_code == 422
    assert client.get("/api/v1/similar", {"text": ""}).status_code == 422


def test_objects_the_caller_may_not_see_are_hidden(client, world):
    anonymous = client.get(f"/api/v1/challenges/{world['staff_only'].pk}/similar")
    assert anonymous.status_code == 401
    client.force_login(world["outsider"])
    assert client.get(f"/api/v1/cases/{world['private'].pk}/similar").status_code == 404
    assert client.get(f"/api/v1/ideas/{world['hidden'].pk}/similar").status_code == 404
    response = client.get("/api/v1/similar", {"text": BINS, "challenge": world["staff_only"].pk})
    assert response.status_code == 404


def test_a_bad_type_is_explained(client, world):
    response = client.get("/api/v1/similar", {"text": BINS, "type": "ideas,budgets"})
    assert response.status_code == 422
    assert "budgets" in response.json()["detail"]


@pytest.mark.parametrize(
    "text", ["Cynllun i atgoffa pobl am ddiwrnod y biniau", "\u0007 \u200b ☃", "biniau " * 2_800]
)
def test_odd_text_gives_a_list(client, world, text):
    response = client.get("/api/v1/similar", {"text": text})
    assert response.status_code == 200 and isinstance(response.json()["items"], list)
