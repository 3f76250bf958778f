"""The demo initiatives: every stage, one stopped with its reason, scaled ones; loaded once."""

from __future__ import annotations

import pytest

from civicflow.demo.network import demo_load
from civicflow.ideas.models import IdeaStatus
from civicflow.initiatives.demo import CREWS_IDEA, load_demo
from civicflow.initiatives.models import GateDecision, Initiative, Stage, Status


@pytest.fixture
def demo(db):
    demo_load()


def test_the_demo_has_initiatives_at_every_stage(demo):
    active = Initiative.objects.exclude(status=Status.STOPPED)
    assert set(active.values_list("stage", flat=True)) == set(Stage.values)
    assert Initiative.objects.filter(stage=Stage.SCALE).count() >= 1
    assert not Initiative.objects.filter(business_owner__isnull=True).exists()


def test_one_is_stopped_with_its_reason(demo):
    stopped = Initiative.objects.get(status=Status.STOPPED)
    decision = GateDecision.objects.get(initiative=stopped)
    assert "leadership changed" in decision.reason
    assert stopped.public


def test_a_selected_idea_is_carried_forward(demo):
    initiative = Initiative.objects.get(idea__title=CREWS_IDEA)
    assert initiative.idea.status == IdeaStatus.SELECTED
    assert initiative.stage == Stage.IMPLEMENT


def test_loading_twice_changes_nothing(demo):
    before = (Initiative.objects.count(), GateDecision.objects.count())
    demo_load()
    load_demo()
    assert (Initiative.objects.count(), GateDecision.objects.count()) == before
    assert Initiative.objects.get(idea__title=CREWS_IDEA).idea.status == IdeaStatus.SELECTED
