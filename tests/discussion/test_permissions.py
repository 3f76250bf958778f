"""Who may read, write, report and moderate comments: every kind of person, each rule."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser

from civicflow.discussion import permissions, services
from civicflow.discussion.registry import register_commentable
from tests.discussion.support import challenge_rules

pytestmark = pytest.mark.django_db

PEOPLE = [
    "anonymous",
    "resident",
    "staff",
    "assessor",
    "lead",
    "admin",
    "outsider",
    "instance_admin",
]


def person(people, who):
    return AnonymousUser() if who == "anonymous" else getattr(people, who)


@pytest.mark.parametrize(
    ("who", "public", "staff_only", "moderates"),
    [
        ("anonymous", (True, False), (False, False), False),
        ("resident", (True, True), (False, False), False),
        ("staff", (True, True), (True, True), False),
        ("assessor", (True, True), (True, True), False),
        ("lead", (True, True), (True, True), True),
        ("admin", (True, True), (True, True), True),
        ("outsider", (True, True), (False, False), False),
        ("instance_admin", (True, True), (True, False), True),  # sees all, is not staff
    ],
)
def test_seeing_commenting_and_moderating_by_role(
    people, challenge, staff_challenge, who, public, staff_only, moderates
):
    user = person(people, who)
    seen = (
        permissions.can_view_target(user, challenge),
        permissions.can_comment(user, challenge),
    )
    assert seen == public
    seen_staff = (
        permissions.can_view_target(user, staff_challenge),
        permissions.can_comment(user, staff_challenge),
    )
    assert seen_staff == staff_only
    assert permissions.can_moderate_target(user, challenge) is moderates
    assert permissions.can_flag(user, challenge) is (who != "anonymous")


@pytest.mark.parametrize("who", PEOPLE)
def test_nobody_comments_on_a_closed_challenge(people, closed_challenge, who):
    user = person(people, who)
    assert permissions.can_view_target(user, closed_challenge)
    assert not permissions.can_comment(user, closed_challenge)


def test_an_inactive_account_cannot_comment_or_report(people, challenge):
    people.resident.is_active = False
    assert not permissions.can_comment(people.resident, challenge)
    assert not permissions.can_flag(people.resident, challenge)


def test_the_edit_window_closes_on_time(people, challenge, settings):
    settings.CIVICFLOW_COMMENT_EDIT_MINUTES = 15
    comment = services.comment_create(author=people.resident, target=challenge, body="Hi")
    just_in = comment.created_at + timedelta(minutes=14, seconds=59)
    too_late = comment.created_at + timedelta(minutes=15)

    assert permissions.can_edit_comment(people.resident, comment, now=just_in)
    assert not permissions.can_edit_comment(people.resident, comment, now=too_late)
    assert not permissions.can_edit_comment(people.admin, comment, now=just_in)
    assert permissions.can_delete_comment(people.resident, comment)
    assert not permissions.can_delete_comment(people.instance_admin, comment)


def test_only_others_live_comments_can_be_reported(people, challenge):
    comment = services.comment_create(author=people.resident, target=challenge, body="Hi")
    assert permissions.can_flag_comment(people.staff, comment, may_flag=True)
    assert not permissions.can_flag_comment(people.resident, comment, may_flag=True)
    services.comment_hide(actor=people.lead, comment=comment, reason="Spam")
    assert not permissions.can_flag_comment(people.staff, comment, may_flag=True)


def test_a_kind_the_moderators_cannot_hide_cannot_be_reported_itself(people, challenge):
    register_commentable(dataclasses.replace(challenge_rules(), set_hidden=None))
    assert permissions.can_flag(people.resident, challenge)
    assert not permissions.can_flag_target(people.resident, challenge)
