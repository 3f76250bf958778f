"""Supporting ideas: once per person, only while the phase allows, never one's own."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from civicflow.core.models import AuditEvent
from civicflow.ideas import services
from civicflow.ideas.models import Idea, Support


def test_supporting_counts_each_person_once(idea, people):
    supporters = people(3)
    counts = [services.idea_support(user=person, idea=idea) for person in supporters]
    assert counts == [1, 2, 3]
    assert Idea.objects.get(pk=idea.pk).supporters_count == 3
    assert AuditEvent.objects.filter(action="idea.supported").count() == 3


def test_supporting_twice_is_refused_with_a_clear_message(idea, colleague):
    services.idea_support(user=colleague, idea=idea)
    with pytest.raises(ValidationError) as refused:
        services.idea_support(user=colleague, idea=idea)
    assert refused.value.messages == ["You already support this idea."]
    assert refused.value.code == services.ALREADY_SUPPORTED
    assert Idea.objects.get(pk=idea.pk).supporters_count == 1


def test_the_database_refuses_a_second_support_by_the_same_person(idea, colleague):
    Support.objects.create(idea=idea, user=colleague)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(idea=idea, user=colleague)


def test_withdrawing_support_lowers_the_count(idea, colleague):
    services.idea_support(user=colleague, idea=idea)
    assert services.idea_unsupport(user=colleague, idea=idea) == 0
    assert not Support.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.idea_unsupport(user=colleague, idea=idea)
    assert refused.value.code == services.NOT_SUPPORTED
    assert Idea.objects.get(pk=idea.pk).supporters_count == 0


def test_authors_cannot_support_their_own_idea_unless_the_challenge_allows(
    make_challenge, make_idea, author, colleague
):
    idea = make_idea()
    with pytest.raises(ValidationError, match="You cannot support your own idea"):
        services.idea_support(user=author, idea=idea)
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_accept(user=colleague, idea=idea)
    fresh = Idea.objects.get(pk=idea.pk)
    with pytest.raises(ValidationError, match="You cannot support your own idea"):
        services.idea_support(user=colleague, idea=fresh)

    generous = make_challenge(allow_self_support=True, title="Self support allowed")
    own = make_idea(on=generous)
    assert services.idea_support(user=author, idea=own) == 1


@pytest.mark.parametrize(
    ("phase", "status", "message"),
    [
        ("define", "published", "You can support ideas from "),
        ("deliver", "published", "The time to support ideas ended on "),
        ("develop", "closed", "This challenge is not open, so you cannot support ideas."),
    ],
)
def test_support_is_refused_outside_a_phase_that_allows_it(
    make_challenge, idea, colleague, phase, status, message
):
    # The idea was put forward while its challenge was open; now move the clock on.
    other = make_challenge(phase=phase, status=status, title="Later")
    Idea.objects.filter(pk=idea.pk).update(challenge=other)
    idea = Idea.objects.select_related("challenge").get(pk=idea.pk)
    with pytest.raises(ValidationError) as refused:
        services.idea_support(user=colleague, idea=idea)
    assert refused.value.messages[0].startswith(message)
    assert not Support.objects.exists()


def test_closed_and_hidden_ideas_cannot_be_supported(make_idea, author, colleague, lead):
    withdrawn = make_idea(title="Withdrawn")
    services.idea_withdraw(actor=author, idea=withdrawn)
    with pytest.raises(ValidationError, match="withdrawn by its author"):
        services.idea_support(user=colleague, idea=withdrawn)
    hidden = make_idea(title="Hidden")
    services.idea_set_hidden(actor=lead, idea=hidden, hidden=True, reason="Abuse")
    with pytest.raises(ValidationError, match="hidden by a moderator"):
        services.idea_support(user=colleague, idea=hidden)


def test_staff_only_challenges_take_support_from_staff_only(make_challenge, make_idea, resident):
    idea = make_idea(on=make_challenge(audience="staff", title="Staff"))
    with pytest.raises(ValidationError, match="Only staff of Testshire County Council"):
        services.idea_support(user=resident, idea=idea)
