"""Full-text search: ranked, safe with any input, and limited to what the person may see."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from civicflow.challenges.selectors import visible_challenges
from civicflow.search import registry
from civicflow.search.models import SearchDocument
from civicflow.search.registry import Document, Searchable
from civicflow.search.selectors import SearchQueryError, search
from civicflow.search.services import index_object, reindex_all
from tests.factories import member


@pytest.fixture
def searchable_challenges():
    """Make challenges searchable for these tests, whatever the app registers itself."""
    before = registry.searchables()
    registry.register_searchable(
        Searchable(
            model=Challenge,
            name="Challenge",
            key="challenges",
            document=lambda c: Document(
                title=c.title, body=f"{c.summary}\n{c.problem}", organisation_id=c.organisation_id
            ),
            visible=visible_challenges,
            url=lambda c: f"/challenge/{c.pk}/",
            apply_filters=lambda qs, f: qs.filter(kind=f["kind"]) if f.get("kind") else qs,
        )
    )
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)


def make(organisation, lead, title, problem, *, audience="public", kind="open_call", publish=True):
    now = timezone.now()
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind=kind,
        phases=[PhaseDates("develop", now - timedelta(days=1), now + timedelta(days=30))]
        if kind != "prize"
        else [PhaseDates("develop", now, now + timedelta(days=3))],
        title=title,
        summary=title,
        problem=problem,
        driver="cost_pressure",
        audience=audience,
    )
    if publish:
        challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    index_object(label="challenges.challenge", object_id=challenge.pk)
    return challenge


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead")


def test_finds_by_stemmed_words_and_ranks_title_matches_first(
    searchable_challenges, organisation, lead, resident
):
    body_only = make(organisation, lead, "Faster repairs", "Residents report missed bins weekly")
    in_title = make(organisation, lead, "Missed bin collections", "Crews skip narrow streets")
    make(organisation, lead, "Library opening hours", "Nothing about waste at all")
    results = search(user=resident, query="bin")
    assert [r.object for r in results] == [in_title, body_only]
    assert "bins" in results[1].excerpt


def test_every_word_must_match(searchable_challenges, organisation, lead, resident):
    make(organisation, lead, "Missed bin collections", "Narrow streets")
    assert search(user=resident, query="bin streets")
    assert not search(user=resident, query="bin hospital")


def test_results_respect_visibility(
    searchable_challenges, organisation, other_organisation, lead, resident
):
    make(organisation, lead, "Staff rota gaps", "Rota gaps on wards", audience="staff")
    make(organisation, lead, "Draft rota idea", "Rota draft", publish=False)
    outsider = member(other_organisation)
    insider = member(organisation)
    assert search(user=resident, query="rota") == []
    assert search(user=outsider, query="rota") == []
    assert [r.title for r in search(user=insider, query="rota")] == ["Staff rota gaps"]
    assert {r.title for r in search(user=lead, query="rota")} == {
        "Staff rota gaps",
        "Draft rota idea",
    }


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "bin*",
        "NEAR(bin, 2)",
        "bin OR 1=1",
        "'; DROP TABLE x; --",
        "title:bin",
        "^bin",
        "(((",
        "bin AND",
        "-bin",
        "ümlaut café",
        "🗑️ bin",
    ],
)
def test_any_input_is_safe(searchable_challenges, organisation, lead, resident, query):
    make(organisation, lead, "Missed bin collections", "Narrow streets")
    results = search(user=resident, query=query)
    assert isinstance(results, list)


def test_long_queries_are_refused(searchable_challenges, resident):
    with pytest.raises(SearchQueryError):
        search(user=resident, query="x" * 201)


def test_filters_apply(searchable_challenges, organisation, lead, resident):
    make(organisation, lead, "Bin prize", "Bins", kind="prize")
    make(organisation, lead, "Bin call", "Bins")
    assert [r.title for r in search(user=resident, query="bin", filters={"kind": "prize"})] == [
        "Bin prize"
    ]


def test_the_index_follows_changes_and_deletions(
    searchable_challenges, organisation, lead, resident
):
    challenge = make(organisation, lead, "Missed bin collections", "Narrow streets")
    challenges.challenge_update(
        actor=lead, challenge=challenge, title="Fly-tipping hot spots", summary="Tipping"
    )
    index_object(label="challenges.challenge", object_id=challenge.pk)
    assert not search(user=resident, query="bin")
    assert search(user=resident, query="tipping")
    assert reindex_all() == 1
    SearchDocument.objects.all().delete()
    assert not search(user=resident, query="tipping")
    reindex_all()
    assert search(user=resident, query="tipping")


def test_search_page_and_api(searchable_challenges, client, organisation, lead):
    make(organisation, lead, "Missed bin collections", "Crews <script>alert(1)</script>")
    page = client.get(reverse("search:search"), {"q": "bin"})
    assert page.status_code == 200
    assert b"Missed bin collections" in page.content
    assert b"<script>alert(1)</script>" not in page.content
    empty = client.get(reverse("search:search"), {"q": "zebra"})
    assert b"Nothing matched" in empty.content
    bad = client.get(reverse("search:search"), {"q": "x" * 300})
    assert bad.status_code == 400
    api = client.get("/api/v1/search", {"q": "bin"})
    assert api.status_code == 200
    assert api.json()["items"][0]["title"] == "Missed bin collections"
    assert client.get("/api/v1/search", {"q": "x" * 300}).status_code == 422
