"""The registry through which apps say what they hold about a person."""

from __future__ import annotations

import pytest

from civicflow.accounts import services as accounts
from civicflow.core import personal_data
from civicflow.core.personal_data import register_personal_data


@pytest.fixture
def scratch_registry(monkeypatch):
    """Give the test an empty registry and put the apps' entries back afterwards."""
    monkeypatch.setattr(personal_data, "_REGISTRY", {})


def test_every_domain_app_registers_what_it_holds():
    names = {entry.name for entry in personal_data.registered_personal_data()}
    assert {
        "ideas",
        "idea_supports",
        "idea_coauthor_invitations",
        "comments",
        "flags",
        "challenge_follows",
        "board_cards",
        "board_leads",
        "notification_preferences",
        "notifications",
        "opinion_statements",
        "opinion_votes",
    } <= names


def test_export_and_erase_call_each_app(scratch_registry):
    erased = []
    register_personal_data("widgets", export=lambda user: [user], erase=erased.append)
    register_personal_data("kept", export=lambda user: {"n": 1})
    assert personal_data.personal_data_export("pat") == {"widgets": ["pat"], "kept": {"n": 1}}
    personal_data.personal_data_erase("pat")
    assert erased == ["pat"]


def test_registering_again_replaces(scratch_registry):
    register_personal_data("widgets", export=lambda user: 1)
    register_personal_data("widgets", export=lambda user: 2)
    assert personal_data.personal_data_export(None) == {"widgets": 2}


@pytest.mark.parametrize("name", ["", "Widgets", "widgets-list", "two words"])
def test_names_are_lower_case_words(scratch_registry, name):
    with pytest.raises(ValueError, match="lower case"):
        register_personal_data(name, export=lambda user: None)


def test_a_name_that_accounts_uses_is_refused(scratch_registry, staff_user):
    register_personal_data("memberships", export=lambda user: [])
    with pytest.raises(ValueError, match="memberships"):
        accounts.user_export_data(user=staff_user)


def test_a_failing_app_erases_nothing(scratch_registry, organisation, staff_user):
    def fail(user):
        raise RuntimeError("disk full")

    register_personal_data("widgets", export=lambda user: [], erase=fail)
    with pytest.raises(RuntimeError):
        accounts.user_erase(user=staff_user)
    staff_user.refresh_from_db()
    assert staff_user.is_active
    assert staff_user.email == "staff@testshire.example"
