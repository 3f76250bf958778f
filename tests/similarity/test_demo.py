"""The demo shows similarity: near-duplicate ideas, ideas the library already answers, and
every idea, challenge and case embedded at load time."""

from __future__ import annotations

import pytest

from civicflow.accounts.models import User
from civicflow.challenges.models import Challenge
from civicflow.demo.network import demo_load
from civicflow.ideas.models import Idea
from civicflow.library.models import CaseStatus, CaseStudy
from civicflow.similarity.demo import IDEAS
from civicflow.similarity.models import Embedding
from civicflow.similarity.selectors import reason_to_look, while_writing


@pytest.fixture
def demo(db):
    demo_load()


def test_the_demo_embeds_everything_at_load_time(demo):
    assert Idea.objects.filter(title__in=[spec.title for spec in IDEAS]).count() == len(IDEAS)
    embedded = set(Embedding.objects.values_list("label", "object_id"))
    cases = CaseStudy.objects.filter(status=CaseStatus.PUBLISHED).values_list("pk", flat=True)
    assert {("library.casestudy", pk) for pk in cases} <= embedded
    assert {
        ("challenges.challenge", pk) for pk in Challenge.objects.values_list("pk", flat=True)
    } <= embedded


def test_writing_an_idea_in_the_demo_finds_the_duplicate_and_the_case(demo):
    nurse = User.objects.get(email="staff@northbridge-hospitals.example")
    idea = Idea.objects.get(title="Move the nurses' desks into the bays to prevent falls")
    check = while_writing(
        user=nurse,
        text="Nurses' desks in the bays so older patients do not fall",
        challenge=idea.challenge,
    )
    assert check.ideas[0].object == idea
    assert any(item.title.startswith("Kaizen boards") for item in check.cases)
    resident = User.objects.get(email="resident2@demo.example")
    bins = Idea.objects.get(title="Evening text reminders before collection day")
    check = while_writing(
        user=resident, text="Text people the night before bin day", challenge=bins.challenge
    )
    titles = {item.title for item in check.ideas}
    assert {
        "Evening text reminders before collection day",
        "Text residents the evening before bin day",
    } <= titles
    assert "similar ideas here" in reason_to_look(check.ideas)


def test_loading_twice_changes_nothing(demo):
    before = (Idea.objects.count(), Embedding.objects.count())
    demo_load()
    assert (Idea.objects.count(), Embedding.objects.count()) == before
