"""Who may see, write, support, decide on and merge ideas: every role, in and out."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from civicflow.ideas import permissions, services
from civicflow.ideas.models import Idea
from tests.factories import UserFactory, member

ROLES = ["staff", "innovation_lead", "assessor", "decision_maker", "admin"]


@pytest.fixture
def cast(organisation, other_organisation):
    """Everyone: anonymous, the public, an instance administrator, each role in and out."""
    people = {
        "anonymous": AnonymousUser(),
        "participant": UserFactory(),
        "instance_admin": UserFactory(is_superuser=True, is_staff=True),
    }
    for role in ROLES:
        extra = () if role == "staff" else (role,)
        people[f"in:{role}"] = member(organisation, *extra)
        people[f"out:{role}"] = member(other_organisation, *extra)
    return people


def _fresh(idea: Idea) -> Idea:
    return Idea.objects.select_related("challenge", "organisation").get(pk=idea.pk)


def test_only_leads_and_administrators_of_the_organisation_moderate(cast, organisation):
    may = {
        name for name, user in cast.items() if permissions.can_moderate_ideas(user, organisation)
    }
    assert may == {"instance_admin", "in:innovation_lead", "in:admin"}


def test_staff_only_ideas_are_seen_by_members_only(cast, make_challenge, make_idea):
    idea = make_idea(on=make_challenge(audience="staff", title="Staff"))
    may = {name for name, user in cast.items() if permissions.can_view_idea(user, _fresh(idea))}
    assert may == {"instance_admin", *(f"in:{role}" for role in ROLES)}


def test_public_ideas_are_seen_by_everyone(cast, idea):
    assert all(permissions.can_view_idea(user, _fresh(idea)) for user in cast.values())


def test_hidden_ideas_are_seen_by_moderators_and_authors_only(cast, idea, author, lead):
    co, invited = UserFactory(), UserFactory()
    services.coauthor_invite(actor=author, idea=idea, email=co.email)
    services.coauthor_accept(user=co, idea=idea)
    services.coauthor_invite(actor=author, idea=idea, email=invited.email)
    services.idea_set_hidden(actor=lead, idea=idea, hidden=True, reason="Abuse")
    everyone = {**cast, "author": author, "co": co, "invited": invited}
    may = {name for name, user in everyone.items() if permissions.can_view_idea(user, _fresh(idea))}
    assert may == {"instance_admin", "in:innovation_lead", "in:admin", "author", "co"}


def test_the_author_and_accepted_coauthors_edit_and_only_the_author_withdraws(cast, idea, author):
    co, invited = UserFactory(), UserFactory()
    services.coauthor_invite(actor=author, idea=idea, email=co.email)
    services.coauthor_accept(user=co, idea=idea)
    services.coauthor_invite(actor=author, idea=idea, email=invited.email)
    everyone = {**cast, "author": author, "co": co, "invited": invited}
    fresh = _fresh(idea)
    edit = {name for name, user in everyone.items() if permissions.can_edit_idea(user, fresh)}
    withdraw = {
        name for name, user in everyone.items() if permissions.can_withdraw_idea(user, fresh)
    }
    assert edit == {"instance_admin", "author", "co"}
    assert withdraw == {"instance_admin", "author"}


@pytest.mark.parametrize(
    ("phase", "status", "support", "comment"),
    [
        ("discover", "published", False, True),
        ("define", "published", False, True),
        ("develop", "published", True, True),
        ("deliver", "published", False, True),
        ("develop", "closed", False, False),
    ],
)
def test_support_and_comments_follow_the_phase(
    make_challenge, idea, colleague, phase, status, support, comment
):
    later = make_challenge(phase=phase, status=status, title="Moved")
    Idea.objects.filter(pk=idea.pk).update(challenge=later)
    fresh = _fresh(idea)
    assert (permissions.why_cannot_support(colleague, fresh) == "") is support
    assert permissions.can_withdraw_support(colleague, fresh) is support
    assert permissions.can_comment_on_idea(colleague, fresh) is comment


def test_nobody_comments_on_a_merged_or_withdrawn_idea(idea, author, colleague):
    services.idea_withdraw(actor=author, idea=idea)
    assert not permissions.can_comment_on_idea(colleague, _fresh(idea))
