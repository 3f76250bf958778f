"""Kinds of notification: names in plain English, groups, and a fallback for the unknown."""

from __future__ import annotations

import pytest

from civicflow.notifications import kinds


@pytest.fixture(autouse=True)
def _restore_registry(monkeypatch):
    monkeypatch.setattr(kinds, "_KINDS", dict(kinds._KINDS))


def test_known_kinds_have_names_and_groups():
    assert kinds.kind_name("comment.reply") == "A reply to your comment"
    assert kinds.group_of("comment.reply").key == kinds.COMMENTS
    assert kinds.group_of("idea.status_changed").key == kinds.IDEAS
    assert kinds.group_of("idea.new").key == kinds.FOLLOWED


def test_the_defaults_are_straight_away_except_for_followed_challenges():
    defaults = {group.key: group.default for group in kinds.GROUPS}

    assert defaults == {
        "ideas": "immediate",
        "comments": "immediate",
        "followed_challenges": "digest",
        "other": "immediate",
    }


def test_an_app_names_its_own_kinds():
    kinds.register_kinds({"pilot.started": "A pilot you follow started"})

    assert kinds.kind_name("pilot.started") == "A pilot you follow started"
    assert kinds.group_of("pilot.started").key == kinds.OTHER


def test_an_app_may_put_its_kinds_in_a_group():
    kinds.register_kinds({"pilot.started": "A pilot started"}, group=kinds.FOLLOWED)

    assert kinds.group_of("pilot.started").key == kinds.FOLLOWED


def test_renaming_a_kind_keeps_its_group():
    kinds.register_kinds({"idea.new": "Someone shared an idea"})

    assert kinds.kind_name("idea.new") == "Someone shared an idea"
    assert kinds.group_of("idea.new").key == kinds.FOLLOWED


def test_a_group_must_exist():
    with pytest.raises(ValueError, match="Unknown notification group"):
        kinds.register_kinds({"pilot.started": "A pilot started"}, group="pilots")


def test_unknown_kinds_get_a_readable_name_and_a_group_by_their_prefix():
    assert kinds.kind_name("board.card_moved") == "Board card moved"
    assert kinds.group_of("board.card_moved").key == kinds.OTHER
    assert kinds.group_of("idea.merged").key == kinds.IDEAS
    assert kinds.group_of("comment.edited").key == kinds.COMMENTS
    assert kinds.group_of("challenge.closed").key == kinds.FOLLOWED
    assert kinds.kind_name("") == "Notification"
