"""Search by meaning: a near-duplicate ranks first, and nobody sees what they may not."""

from __future__ import annotations

import numpy
import pytest

from civicflow.similarity import embedders, live, services
from civicflow.similarity.models import Embedding, StoredIndex
from civicflow.similarity.selectors import (
    reason_to_look,
    similar_to_object,
    similar_to_text,
)
from tests.factories import member
from tests.library.helpers import published_case

BINS = "Text people the evening before their bin day"


def _embed_all():
    services.embed_all()


@pytest.fixture
def ideas_in_challenge(make_idea):
    made = [
        make_idea(title=BINS, summary="A reminder so fewer bins are missed."),
        make_idea(
            title="Fix potholes faster with photos from residents",
            summary="Residents send photos of potholes; crews plan their rounds.",
            description="An app for reporting potholes with a photo and a map.",
        ),
        make_idea(
            title="Plant trees along the high street",
            summary="Shade and cleaner air for shoppers.",
            description="Street trees in planters along the high street.",
        ),
    ]
    _embed_all()
    return made


def test_a_near_duplicate_ranks_first(ideas_in_challenge, author, challenge):
    found = similar_to_text(
        user=author,
        text="Send a text message reminding people the evening before bin collection day",
        kinds=["ideas"],
        challenge=challenge,
    )
    assert found and found[0].object == ideas_in_challenge[0]
    assert found[0].same_challenge and found[0].score > found[-1].score - 1e-6
    assert "alike" in found[0].reason
    assert all(item.object != ideas_in_challenge[2] for item in found)  # unrelated: not shown


def test_similar_to_an_object_leaves_the_object_out(ideas_in_challenge, make_idea, author):
    twin = make_idea(title="Bin day reminders by text the evening before")
    found = similar_to_object(user=author, obj=twin, kinds=["ideas"])
    assert [item.object for item in found][:1] == [ideas_in_challenge[0]]
    assert twin not in [item.object for item in found]


def test_another_organisations_private_idea_and_case_never_appear(
    ideas_in_challenge, make_challenge, make_idea, organisation, other_organisation, editor
):
    staff_only = make_challenge(title="Bins, for staff", audience="staff")
    private_idea = make_idea(on=staff_only, title=BINS + " (staff only)")
    private_case = published_case(
        author=editor,
        editor=editor,
        organisation=organisation,
        title="Bin day reminders by text message",
        summary="Texting residents the evening before their bin day.",
        sharing="private",
    )
    public_case = published_case(
        author=editor,
        editor=editor,
        organisation=organisation,
        title="Evening texts before bin collection",
        summary="Residents get a text the evening before bin day.",
    )
    _embed_all()
    outsider = member(other_organisation, email="someone@elsewhere.example")
    found = similar_to_text(user=outsider, text=BINS, kinds=["ideas", "cases"])
    shown = [item.object for item in found]
    assert private_idea not in shown and private_case not in shown
    assert ideas_in_challenge[0] in shown and public_case in shown
    insider = similar_to_text(user=editor, text=BINS, kinds=["ideas", "cases"])
    assert {private_idea, private_case} <= {item.object for item in insider}


def test_reason_to_look_counts_ideas_and_organisations(
    ideas_in_challenge, author, editor, organisation, other_organisation
):
    other_editor = member(other_organisation, "innovation_lead", email="ed@elsewhere.example")
    for who, where in ((editor, organisation), (other_editor, other_organisation)):
        published_case(
            author=who,
            editor=who,
            organisation=where,
            title="Texts before bin day",
            summary="Residents are reminded the evening before their bins are collected.",
        )
    _embed_all()
    found = similar_to_text(user=author, text=BINS, kinds=["ideas", "cases"])
    assert reason_to_look(found) == "1 similar idea here; 2 organisations have tried this"
    assert reason_to_look([]) == ""


@pytest.mark.parametrize(
    "text", ["", "   ", "\x00\x07", "Cynllun i atgoffa pobl am ddiwrnod y biniau", "bins " * 50_000]
)
def test_odd_queries_give_a_list_not_an_error(ideas_in_challenge, author, text):
    found = similar_to_text(user=author, text=text, kinds=["ideas", "cases", "challenges"])
    assert isinstance(found, list)


def test_an_unknown_kind_is_refused(author):
    with pytest.raises(ValueError, match="not a kind"):
        similar_to_text(user=author, text="bins", kinds=["budgets"])


def test_a_missing_model_falls_back_to_tfidf_with_a_notice(settings, tmp_path, make_idea, author):
    settings.CIVICFLOW_EMBEDDER = "model2vec"
    settings.CIVICFLOW_MODELS_DIR = str(tmp_path)
    embedders.reset_cache()
    from civicflow.similarity.selectors import embedder_notice

    make_idea(title=BINS)
    _embed_all()
    assert services.embedder().name == "tfidf-hash"
    assert "TF-IDF" in (embedder_notice() or "")
    assert similar_to_text(user=author, text=BINS, kinds=["ideas"])


def test_each_process_index_follows_changes_made_elsewhere(ideas_in_challenge, author, make_idea):
    first = similar_to_text(user=author, text="compost food waste", kinds=["ideas"])
    assert first == []
    # Another server writes a new idea (and its vector); this process sees it on its next query.
    compost = make_idea(title="Compost food waste from school kitchens")
    services.embed_objects(label="ideas.idea", object_ids=[compost.pk])
    assert [
        item.object
        for item in similar_to_text(user=author, text="compost food waste", kinds=["ideas"])
    ] == [compost]
    # ...and notices a removed vector too.
    Embedding.objects.filter(object_id=compost.pk, label="ideas.idea").delete()
    services.versions.move_now((services.changes_key("ideas.idea"),))
    active = services.embedder()
    index = live.live_index(
        label="ideas.idea",
        embedder=active.name,
        version=active.version,
        dimensions=active.dimensions,
    )
    index.refresh()
    assert compost.pk not in index.ids and len(index) == 3


def test_a_stored_approximate_index_is_loaded_and_brought_up_to_date(
    ideas_in_challenge, make_idea, monkeypatch
):
    monkeypatch.setattr(live, "EXACT_LIMIT", 2)
    active = services.embedder()
    args = {
        "label": "ideas.idea",
        "embedder": active.name,
        "version": active.version,
        "dimensions": active.dimensions,
    }
    assert live.store_index(**args) == 3
    stored = StoredIndex.objects.get()
    assert stored.size == 3 and stored.covers_until is not None
    later = make_idea(title="Compost food waste from school kitchens")
    services.embed_objects(label="ideas.idea", object_ids=[later.pk])
    loaded = live.LiveIndex(**args)
    loaded.refresh()
    assert live._is_approximate(loaded.index) and len(loaded) == 4
    query = active.embed(["compost food waste"])[0]
    assert loaded.search(query, 1)[0][0] == later.pk
    assert numpy.isclose(loaded.search(query, 1)[0][1], 0.5, atol=0.5)
