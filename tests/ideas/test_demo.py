"""The demo ideas load on top of the demo network, completely and only once."""

from __future__ import annotations

from civicflow.accounts.models import User
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge
from civicflow.core.models import AuditEvent
from civicflow.demo.network import demo_load
from civicflow.ideas.demo import COUNCIL_IDEAS, FALLBACK_TITLE, load_demo
from civicflow.ideas.models import CoAuthor, Idea, IdeaStatus, Merge, Support
from civicflow.notifications.models import Notification


def _counts() -> tuple[int, ...]:
    return (
        Idea.objects.count(),
        Support.objects.count(),
        CoAuthor.objects.count(),
        Merge.objects.count(),
        AuditEvent.objects.count(),
        Notification.objects.count(),
    )


def test_demo_ideas_load_once_with_supports_decisions_and_a_merged_pair(db):
    demo_load()
    load_demo()
    ideas = Idea.objects.filter(organisation__slug="northbridge-council")
    assert ideas.count() >= 5
    keeper = ideas.get(title="Text residents the evening before bin day")
    duplicate = ideas.get(title="Bin day reminders by text message")
    assert (duplicate.status, duplicate.merged_into) == (IdeaStatus.MERGED, keeper)
    assert keeper.status == IdeaStatus.SHORTLISTED and keeper.feedback
    assert keeper.supporters_count == Support.objects.filter(idea=keeper).count() == 5
    assert ideas.filter(status=IdeaStatus.NOT_SELECTED).exclude(feedback="").exists()
    assert ideas.get(title="Crews photograph blocked streets").version == 2
    for idea in Idea.objects.all():
        assert idea.supporters_count == Support.objects.filter(idea=idea).count()
    before = _counts()
    load_demo()
    assert _counts() == before


def test_demo_ideas_make_their_own_challenge_when_none_is_open(db):
    demo_load()
    lead = User.objects.get(email="lead@northbridge-council.example")
    for challenge in Challenge.objects.filter(
        organisation__slug="northbridge-council", kind="open_call", status="published"
    ):
        challenges.challenge_move(actor=lead, challenge=challenge, to="closed")
    load_demo()
    assert Idea.objects.filter(challenge__title=FALLBACK_TITLE).count() == 5
    before = _counts()
    load_demo()
    assert _counts() == before


def test_demo_ideas_go_into_the_demo_challenges_when_they_are_loaded(db):
    from civicflow.challenges.demo import load_demo as load_challenges

    demo_load()
    load_challenges()
    load_demo()
    assert not Idea.objects.filter(challenge__title=FALLBACK_TITLE).exists()
    # The council's ideas from this demo go into one challenge (other demos add their own).
    titles = [spec.title for spec in COUNCIL_IDEAS]
    council = Idea.objects.filter(organisation__slug="northbridge-council", title__in=titles)
    assert council.count() == len(titles)
    assert council.values("challenge").distinct().count() == 1
    assert Idea.objects.filter(organisation__slug="northbridge-hospitals").exists()
    before = _counts()
    load_challenges()
    load_demo()
    assert _counts() == before
