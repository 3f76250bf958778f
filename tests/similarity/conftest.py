"""Fixtures for similarity: TF-IDF embeddings, fresh in-memory indexes for each test, and the
challenge, ideas and cases of the ideas and library tests."""

from __future__ import annotations

import pytest

from tests.factories import member
from tests.ideas.conftest import (  # noqa: F401  (fixtures shared with the ideas tests)
    IDEA_FIELDS,
    author,
    challenge,
    colleague,
    idea,
    lead,
    make_challenge,
    make_idea,
    outsider,
)


@pytest.fixture(autouse=True)
def _tfidf_and_fresh_indexes(settings):
    """Embed with TF-IDF, and start each test with no in-memory index: ids repeat between
    tests, whose rows are rolled back."""
    from civicflow.similarity import embedders, live

    settings.CIVICFLOW_EMBEDDER = "tfidf"
    embedders.reset_cache()
    live.forget_indexes()
    yield
    live.forget_indexes()


@pytest.fixture
def editor(organisation):
    return member(organisation, "innovation_lead", email="editor@testshire.example", name="Ed")
