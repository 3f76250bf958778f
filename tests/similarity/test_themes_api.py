"""The themes and duplicates API: shapes, who may call it, and dismissing a pair."""

from __future__ import annotations

import pytest

from civicflow.similarity import services_themes
from civicflow.similarity.models_themes import DismissedPair

BENCHES = "Put benches at every bus stop on the high street so older people can rest."


@pytest.fixture
def twins(make_idea, settings):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = None
    first = make_idea(title="Benches at bus stops", summary=BENCHES, description=BENCHES)
    second = make_idea(title="Benches at the bus stops", summary=BENCHES, description=BENCHES)
    make_idea(
        title="Sunday library opening",
        summary="Open the library on Sundays.",
        description="Families could visit the library together on Sunday afternoons.",
    )
    return first, second


def _base(challenge):
    return f"/api/v1/organisations/{challenge.organisation.slug}/challenges/{challenge.slug}"


def test_anyone_who_sees_the_challenge_reads_its_themes(client, challenge, twins):
    empty = client.get(f"{_base(challenge)}/themes").json()
    assert empty["computed_at"] is None and empty["themes"] == []
    services_themes.themes_compute(challenge=challenge)
    body = client.get(f"{_base(challenge)}/themes").json()
    assert body["ideas_count"] == 3
    assert body["embedder"].startswith("tfidf-hash")
    assert sum(theme["size"] for theme in body["themes"]) + body["ungrouped_count"] == 3
    theme = body["themes"][0]
    assert set(theme) == {"id", "label", "keywords", "size", "examples"}
    assert theme["examples"][0]["url"].startswith("/ideas/")


def test_the_ideas_api_lists_a_themes_ideas(client, challenge, twins):
    services_themes.themes_compute(challenge=challenge)
    body = client.get(f"{_base(challenge)}/themes").json()
    theme = body["themes"][0]
    listed = client.get(f"{_base(challenge)}/ideas?theme={theme['id']}").json()
    assert listed["count"] == theme["size"]
    assert client.get(f"{_base(challenge)}/ideas?theme=999999").json()["count"] == 3


def test_moderators_read_duplicates_and_dismiss_a_pair(client_for, challenge, twins, lead):
    client = client_for(lead)
    body = client.get(f"{_base(challenge)}/duplicates").json()
    assert [(p["first"]["id"], p["second"]["id"]) for p in body["pairs"]] == [
        (twins[0].pk, twins[1].pk)
    ]
    assert 0 < body["threshold"] <= body["pairs"][0]["similarity"] <= 1.0 + 1e-6
    response = client.post(
        f"{_base(challenge)}/duplicates/dismissed",
        {"first": twins[1].pk, "second": twins[0].pk, "reason": "Different streets"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["first"] == twins[0].pk
    assert DismissedPair.objects.get().reason == "Different streets"
    assert client.get(f"{_base(challenge)}/duplicates").json()["pairs"] == []


def test_others_cannot_read_duplicates(client_for, client, challenge, twins, colleague):
    assert client.get(f"{_base(challenge)}/duplicates").status_code == 401
    assert client_for(colleague).get(f"{_base(challenge)}/duplicates").status_code == 403


def test_a_pair_outside_the_challenge_is_refused(client_for, challenge, twins, lead):
    response = client_for(lead).post(
        f"{_base(challenge)}/duplicates/dismissed",
        {"first": twins[0].pk, "second": 999999},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not DismissedPair.objects.exists()
