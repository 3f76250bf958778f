"""Permission predicates: per role, per kind and phase, before and after the dates, when closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from civicflow.challenges import permissions
from civicflow.challenges.phases import Action, PhaseDates, phase_types
from tests.challenges.conftest import NOW
from tests.factories import TeamFactory, UserFactory, member

ROLES = ["staff", "innovation_lead", "assessor", "decision_maker", "admin"]


def schedule(kind: str) -> list[PhaseDates]:
    """Return every phase of ``kind``, ten days each, the first starting at NOW."""
    return [
        PhaseDates(str(phase.key), NOW + timedelta(days=10 * i), NOW + timedelta(days=10 * i + 10))
        for i, phase in enumerate(phase_types(kind))
    ]


def during(index: int):
    return NOW + timedelta(days=10 * index + 5)


@pytest.fixture
def people(organisation, other_organisation):
    found = {
        "anonymous": AnonymousUser(),
        "resident": UserFactory(),
        "instance_admin": UserFactory(is_superuser=True),
    }
    for role in ROLES:
        extra = () if role == "staff" else (role,)
        found[f"in:{role}"] = member(organisation, *extra)
        found[f"out:{role}"] = member(other_organisation, *extra)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_only_leads_and_administrators_manage(people, organisation, role):
    expected = role in ("innovation_lead", "admin")
    assert permissions.can_manage_challenges(people[f"in:{role}"], organisation) is expected
    assert permissions.can_manage_challenges(people[f"out:{role}"], organisation) is False
    assert permissions.can_manage_challenges(people["instance_admin"], organisation)
    assert not permissions.can_manage_challenges(people["anonymous"], organisation)


@pytest.mark.parametrize("kind", ["open_call", "prize", "hack_day", "fund_round"])
def test_can_act_follows_the_phase_open_now(make_challenge, people, kind):
    challenge = make_challenge(kind=kind, phases=schedule(kind), audience="both")
    everyone_else = [Action.SUBMIT, Action.COMMENT, Action.SUPPORT]
    for index, phase in enumerate(phase_types(kind)):
        moment = during(index)
        for action in everyone_else:
            expected = action in phase.allows
            for who in ("resident", "in:staff", "out:admin", "in:assessor"):
                got = permissions.can_act(people[who], challenge, action, moment)
                assert got is expected, (kind, phase.key, action, who)
            assert not permissions.can_act(people["anonymous"], challenge, action, moment)
        may_review = Action.REVIEW in phase.allows
        assert permissions.can_act(people["in:assessor"], challenge, Action.REVIEW, moment) is (
            may_review
        )
        assert permissions.can_act(people["instance_admin"], challenge, Action.REVIEW, moment) is (
            may_review
        )
        for who in ("resident", "in:staff", "in:innovation_lead", "in:admin", "out:assessor"):
            assert not permissions.can_act(people[who], challenge, Action.REVIEW, moment), who


def test_improvement_board_lets_its_staff_act_while_it_runs(make_challenge, people, organisation):
    board = make_challenge(
        kind="improvement_board",
        team=TeamFactory(organisation=organisation),
        audience="staff",
        phases=[PhaseDates("develop", NOW, None)],
    )
    later = NOW + timedelta(days=400)
    for action in (Action.SUBMIT, Action.COMMENT, Action.SUPPORT):
        assert permissions.can_act(people["in:staff"], board, action, later)
        assert not permissions.can_act(people["out:staff"], board, action, later)
        assert not permissions.can_act(people["resident"], board, action, later)
    assert not permissions.can_act(people["in:assessor"], board, Action.REVIEW, later)


@pytest.mark.parametrize("action", list(Action))
def test_nothing_is_allowed_before_the_first_phase_or_after_the_last(
    make_challenge, people, action
):
    challenge = make_challenge(phases=schedule("open_call"))
    for moment in (NOW - timedelta(seconds=1), NOW + timedelta(days=40)):
        for who in ("resident", "in:assessor", "instance_admin"):
            assert not permissions.can_act(people[who], challenge, action, moment)


@pytest.mark.parametrize("status", ["draft", "closed", "archived"])
def test_nothing_is_allowed_unless_published(make_challenge, people, status):
    challenge = make_challenge(status=status, phases=schedule("open_call"))
    develop = during(2)
    assert permissions.open_actions(challenge, develop) == frozenset()
    for action in Action:
        for who in ("resident", "in:assessor", "instance_admin", "in:admin"):
            assert not permissions.can_act(people[who], challenge, action, develop)


def test_staff_only_challenges_are_for_members_only(make_challenge, people):
    challenge = make_challenge(audience="staff", phases=schedule("open_call"))
    develop = during(2)
    for role in ROLES:
        assert permissions.can_act(people[f"in:{role}"], challenge, Action.SUBMIT, develop)
        assert not permissions.can_act(people[f"out:{role}"], challenge, Action.SUBMIT, develop)
    assert not permissions.can_act(people["resident"], challenge, Action.SUBMIT, develop)
    assert permissions.can_act(people["instance_admin"], challenge, Action.SUBMIT, develop) is False


def test_inactive_people_cannot_act(make_challenge, people):
    challenge = make_challenge(phases=schedule("open_call"))
    person = people["resident"]
    person.is_active = False
    assert not permissions.can_act(person, challenge, Action.SUBMIT, during(2))


@pytest.mark.parametrize(
    ("status", "audience", "viewers"),
    [
        ("draft", "public", {"in:innovation_lead", "in:admin", "instance_admin"}),
        ("published", "staff", {f"in:{r}" for r in ROLES} | {"instance_admin"}),
        ("published", "public", "everyone"),
        ("closed", "both", "everyone"),
        ("archived", "public", "everyone"),
    ],
)
def test_who_can_view(make_challenge, people, status, audience, viewers):
    challenge = make_challenge(status=status, audience=audience)
    for who, person in people.items():
        expected = viewers == "everyone" or who in viewers
        assert permissions.can_view_challenge(person, challenge) is expected, who


@pytest.mark.parametrize(
    ("status", "followable"),
    [("draft", False), ("published", True), ("closed", True), ("archived", False)],
)
def test_who_can_follow(make_challenge, people, status, followable):
    challenge = make_challenge(status=status)
    assert permissions.can_follow(people["resident"], challenge) is followable
    assert permissions.can_follow(people["in:admin"], challenge) is followable
    assert not permissions.can_follow(people["anonymous"], challenge)


def test_managers_edit_until_archived_and_see_the_moves_they_can_make(make_challenge, people):
    lead = people["in:innovation_lead"]
    draft = make_challenge(status="draft")
    assert permissions.available_moves(lead, draft) == (("published", "publish"),)
    assert permissions.available_moves(people["in:staff"], draft) == ()
    closed = make_challenge(status="closed")
    assert [verb for _s, verb in permissions.available_moves(lead, closed)] == [
        "reopen",
        "archive",
    ]
    archived = make_challenge(status="archived")
    assert permissions.can_edit_challenge(lead, closed)
    assert not permissions.can_edit_challenge(lead, archived)
    assert permissions.available_moves(lead, archived) == ()


def test_allowed_actions_lists_taking_part_following_and_managing(make_challenge, people):
    challenge = make_challenge(phases=schedule("open_call"))
    develop = during(2)
    assert permissions.allowed_actions(people["resident"], challenge, now=develop) == [
        "submit",
        "comment",
        "support",
        "follow",
    ]
    assert permissions.allowed_actions(
        people["resident"], challenge, following=True, now=develop
    ) == ["submit", "comment", "support", "unfollow"]
    assert permissions.allowed_actions(people["in:innovation_lead"], challenge, now=during(3)) == [
        "comment",
        "follow",
        "edit",
        "close",
    ]
    assert permissions.allowed_actions(people["anonymous"], challenge, now=develop) == []
