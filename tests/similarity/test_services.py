"""Embeddings follow the objects: stored after commit, recomputed only when the text or the
embedder changes, dropped with the object."""

from __future__ import annotations

import numpy
import pytest
from django.core.management import call_command

from civicflow.ideas import services as ideas
from civicflow.similarity import embedders, services
from civicflow.similarity.models import Embedding
from civicflow.similarity.selectors import vectors_for


def _rows(obj):
    return Embedding.objects.filter(label=obj._meta.label_lower, object_id=obj.pk)


def test_an_idea_is_embedded_once_its_change_commits(make_idea, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        idea = make_idea(title="Text people before their bin day")
    row = _rows(idea).get()
    assert row.embedder == "tfidf-hash" and row.dimensions == len(row.as_array())
    assert row.organisation_id == idea.organisation_id
    assert numpy.isclose(numpy.linalg.norm(row.as_array()), 1.0)


def test_the_vector_is_recomputed_only_when_the_text_changes(
    idea, author, django_capture_on_commit_callbacks
):
    assert services.embed_objects(label="ideas.idea", object_ids=[idea.pk]) == 1
    first = _rows(idea).get()
    assert services.embed_objects(label="ideas.idea", object_ids=[idea.pk]) == 0
    with django_capture_on_commit_callbacks(execute=True):
        ideas.idea_update(actor=author, idea=idea, title="Collect food waste every week")
    changed = _rows(idea).get()
    assert changed.pk == first.pk and changed.text_hash != first.text_hash
    assert not numpy.allclose(changed.as_array(), first.as_array())


def test_a_new_embedder_version_gets_vectors_of_its_own_and_the_old_ones_go(idea, monkeypatch):
    services.embed_objects(label="ideas.idea", object_ids=[idea.pk])
    monkeypatch.setattr(embedders.TfidfEmbedder, "version", "2-test")
    embedders.reset_cache()
    assert services.embed_all(label="ideas.idea") == 1
    assert list(_rows(idea).values_list("embedder_version", flat=True)) == ["2-test"]


def test_a_hidden_or_deleted_object_loses_its_vectors(idea, make_idea, lead):
    other = make_idea(title="Another idea about bins")
    services.embed_objects(label="ideas.idea", object_ids=[idea.pk, other.pk])
    ideas.idea_set_hidden(actor=lead, idea=idea, hidden=True, reason="Off topic")
    services.embed_objects(label="ideas.idea", object_ids=[idea.pk])
    assert not _rows(idea).exists()
    other_id = other.pk
    Embedding.objects.create(
        label="ideas.idea",
        object_id=999_999,
        embedder="tfidf-hash",
        embedder_version=embedders.TfidfEmbedder.version,
        dimensions=1,
        vector=b"\0\0\0\0",
        text_hash="x",
    )
    services.embed_all(label="ideas.idea")
    assert set(Embedding.objects.values_list("object_id", flat=True)) == {other_id}


def test_vectors_for_keeps_the_order_and_fills_in_missing_ones(make_idea):
    first = make_idea(title="Text people before their bin day")
    second = make_idea(title="Fix potholes faster with photos")
    vectors = vectors_for([second, first])
    assert vectors.shape == (2, embedders.TfidfEmbedder.dimensions)
    assert numpy.allclose(vectors[0], _rows(second).get().as_array())
    assert numpy.allclose(vectors[1], _rows(first).get().as_array())
    assert vectors_for([]).shape == (0, embedders.TfidfEmbedder.dimensions)


@pytest.mark.parametrize(
    "title",
    [
        "Cynllun ailgylchu gwastraff bwyd i'r cyngor – ŵ ŷ â",
        "x" * 150,
        "🚮♻️ bins, ailgylchu’r biniau",
    ],
)
def test_odd_text_is_embedded_without_error(make_idea, title):
    idea = make_idea(title=title[:150], description="Disgrifiad " * 1_800)
    assert vectors_for([idea]).shape[0] == 1


def test_the_command_embeds_everything(make_idea, challenge):
    make_idea(title="One")
    make_idea(title="Two")
    call_command("embed")
    assert Embedding.objects.filter(label="ideas.idea").count() == 2
    assert Embedding.objects.filter(label="challenges.challenge", object_id=challenge.pk).exists()


def test_the_nightly_task_stores_an_index_of_each_large_kind(make_idea, monkeypatch):
    from civicflow.similarity import live
    from civicflow.similarity.models import StoredIndex
    from civicflow.similarity.tasks import store_indexes_task

    for title in ("One idea", "Two ideas", "Three ideas"):
        make_idea(title=title)
    services.embed_all()
    assert not StoredIndex.objects.exists()  # small: exact search needs none
    monkeypatch.setattr(live, "EXACT_LIMIT", 2)
    result = store_indexes_task.enqueue()
    assert result.return_value["ideas.idea"] == 3
    assert StoredIndex.objects.get(label="ideas.idea").size == 3
