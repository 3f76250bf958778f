"""Putting ideas forward, changing them, withdrawing them, deciding on them and hiding them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.challenges.services import challenge_follow
from civicflow.core.models import AuditEvent
from civicflow.discussion.registry import rules_for
from civicflow.ideas import selectors, services
from civicflow.ideas.models import Idea, IdeaStatus, IdeaVersion
from civicflow.notifications.models import Notification
from tests.factories import UserFactory
from tests.ideas.conftest import IDEA_FIELDS


def _notified(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


# Putting forward ------------------------------------------------------------------------------


def test_putting_forward_an_idea_records_it_in_the_challenges_organisation(
    challenge, author, colleague
):
    challenge_follow(user=colleague, challenge=challenge)
    idea = services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS)
    assert idea.organisation_id == challenge.organisation_id
    assert idea.status == IdeaStatus.SUBMITTED
    assert idea.benefits == ["saves_money", "improves_communication"]
    assert idea.version == 1
    assert list(idea.versions.values_list("number", "changes")) == [(1, [])]
    assert AuditEvent.objects.for_target(idea).get().action == "idea.submitted"
    assert _notified(colleague, "idea.new")[0].url == idea.get_absolute_url()
    assert not _notified(author, "idea.new")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "Enter a title for your idea."),
        ({"summary": ""}, "summary", "Enter a short summary of your idea."),
        ({"description": ""}, "description", "Describe your idea."),
        ({"title": "x" * 151}, "title", "This must be 150 characters or fewer. It has 151."),
        ({"summary": "x" * 301}, "summary", "This must be 300 characters or fewer. It has 301."),
        (
            {"description": "x" * 20_001},
            "description",
            "This must be 20,000 characters or fewer. It has 20,001.",
        ),
        ({"affected": "x" * 2001}, "affected", "This must be 2,000 characters or fewer."),
        ({"innovation_type": "magic"}, "innovation_type", "Select the type of innovation."),
        ({"scale": "huge"}, "scale", "Select whether it is a continuous improvement"),
        ({"benefits": []}, "benefits", "Select at least one expected benefit."),
        ({"benefits": ["fame"]}, "benefits", "Select expected benefits from the list."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    challenge, author, changes, field, message
):
    with pytest.raises(ValidationError) as refused:
        services.idea_submit(author=author, challenge=challenge, **{**IDEA_FIELDS, **changes})
    assert refused.value.message_dict[field][0].startswith(message)
    assert not Idea.objects.exists()
    assert not AuditEvent.objects.filter(action="idea.submitted").exists()


def test_text_is_stored_as_written_not_as_html(challenge, author):
    idea = services.idea_submit(
        author=author,
        challenge=challenge,
        **{**IDEA_FIELDS, "title": "<script>alert(1)</script>", "summary": "  Spaces  "},
    )
    assert idea.title == "<script>alert(1)</script>"
    assert idea.summary == "Spaces"


@pytest.mark.parametrize(
    ("phase", "status", "message"),
    [
        ("define", "published", "You can put forward ideas from "),
        ("deliver", "published", "The time to put forward ideas ended on "),
        ("develop", "closed", "This challenge is not open, so you cannot put forward ideas."),
    ],
)
def test_ideas_are_refused_outside_a_phase_that_allows_them(
    make_challenge, author, phase, status, message
):
    challenge = make_challenge(phase=phase, status=status)
    with pytest.raises(ValidationError) as refused:
        services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS)
    assert refused.value.messages[0].startswith(message)
    if phase == "define":
        assert refused.value.messages[0].endswith("in the Develop phase.")
    assert not Idea.objects.exists()


def test_staff_only_challenges_take_ideas_from_staff_only(make_challenge, author, resident):
    challenge = make_challenge(audience="staff")
    with pytest.raises(ValidationError) as refused:
        services.idea_submit(author=resident, challenge=challenge, **IDEA_FIELDS)
    assert refused.value.messages == [
        "Only staff of Testshire County Council can take part in this challenge."
    ]
    assert services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS).pk


def test_anonymous_people_are_asked_to_sign_in(challenge):
    with pytest.raises(ValidationError, match=r"Sign in to put forward ideas\."):
        services.idea_submit(author=AnonymousUser(), challenge=challenge, **IDEA_FIELDS)


def test_a_person_may_put_forward_a_limited_number_of_ideas_an_hour(
    settings, challenge, author, colleague
):
    settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR = 2
    for number in range(2):
        services.idea_submit(
            author=author, challenge=challenge, **{**IDEA_FIELDS, "affected": str(number)}
        )
    with pytest.raises(ValidationError) as refused:
        services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS)
    assert refused.value.messages[0].startswith(
        "You have put forward 2 ideas in the last hour, which is the most allowed. "
        "You can put forward another after "
    )
    assert Idea.objects.filter(author=author).count() == 2
    # The limit is per person.
    assert services.idea_submit(author=colleague, challenge=challenge, **IDEA_FIELDS).pk


def test_the_default_limit_is_five_an_hour(settings, challenge, author):
    del settings.CIVICFLOW_IDEA_LIMIT_PER_HOUR
    for _ in range(5):
        services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS)
    with pytest.raises(ValidationError, match="You have put forward 5 ideas"):
        services.idea_submit(author=author, challenge=challenge, **IDEA_FIELDS)


# Changing and the history ---------------------------------------------------------------------


def test_an_edit_keeps_a_version_with_who_and_what_changed(idea, author):
    services.idea_update(
        actor=author,
        idea=idea,
        expected_version=1,
        title="Text residents before bin day",
        benefits=["saves_money"],
        summary=idea.summary,
    )
    idea.refresh_from_db()
    assert idea.version == 2
    assert idea.title == "Text residents before bin day"
    assert idea.benefits == ["saves_money"]
    latest = IdeaVersion.objects.get(idea=idea, number=2)
    assert latest.edited_by == author
    assert latest.changes == [
        {
            "field": "title",
            "before": "Text people before their bin day",
            "after": "Text residents before bin day",
        },
        {
            "field": "benefits",
            "before": ["improves_communication", "saves_money"],
            "after": ["saves_money"],
        },
    ]
    rows = selectors.describe_versions(list(selectors.idea_versions(idea=idea)))
    assert [row.number for row in rows] == [2, 1]
    assert [(change.label, change.after) for change in rows[0].changes] == [
        ("Title", "Text residents before bin day"),
        ("Expected benefits", "Saves money"),
    ]
    edited = AuditEvent.objects.for_target(idea).filter(action="idea.edited").get()
    assert edited.data == {"version": 2, "changed": ["title", "benefits"]}


def test_an_edit_that_changes_nothing_adds_no_version(idea, author):
    services.idea_update(actor=author, idea=idea, title=idea.title)
    assert idea.versions.count() == 1


def test_an_edit_from_an_old_version_is_refused(idea, author):
    services.idea_update(actor=author, idea=idea, expected_version=1, title="First edit")
    with pytest.raises(ValidationError) as refused:
        services.idea_update(actor=author, idea=idea, expected_version=1, title="Second edit")
    assert refused.value.code == "stale"
    idea.refresh_from_db()
    assert idea.title == "First edit"


def test_bad_edits_are_refused_and_change_nothing(idea, author):
    with pytest.raises(ValidationError):
        services.idea_update(actor=author, idea=idea, title="")
    with pytest.raises(ValidationError, match=r"These cannot be changed: status\."):
        services.idea_update(actor=author, idea=idea, status="selected")
    idea.refresh_from_db()
    assert (idea.title, idea.status, idea.version) == (IDEA_FIELDS["title"], "submitted", 1)


def test_only_the_author_and_accepted_coauthors_change_an_idea(idea, author, colleague, lead):
    for someone in (colleague, lead):
        with pytest.raises(PermissionDenied):
            services.idea_update(actor=someone, idea=idea, title="Hijacked")
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    with pytest.raises(PermissionDenied):
        services.idea_update(actor=colleague, idea=idea, title="Too soon")
    services.coauthor_accept(user=colleague, idea=idea)
    fresh = selectors.idea_get(user=colleague, pk=idea.pk)
    services.idea_update(actor=colleague, idea=fresh, title="Co-written")
    idea.refresh_from_db()
    assert idea.title == "Co-written"
    assert _notified(author, "idea.edited")


# Withdrawing -------------------------------------------------------------------------------


def test_the_author_withdraws_their_idea_and_supporters_are_told(idea, author, colleague):
    services.idea_support(user=colleague, idea=idea)
    services.idea_withdraw(actor=author, idea=idea, reason="Someone else does it better.")
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.WITHDRAWN
    assert idea.withdrawn_at is not None
    assert _notified(colleague, "idea.withdrawn")[0].body == "Someone else does it better."
    with pytest.raises(ValidationError, match="withdrawn, so you cannot withdraw it"):
        services.idea_withdraw(actor=author, idea=idea)
    with pytest.raises(ValidationError, match="withdrawn, so you cannot change it"):
        services.idea_update(actor=author, idea=idea, title="Back again")


def test_nobody_but_the_author_withdraws_an_idea(idea, author, colleague, lead):
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_accept(user=colleague, idea=idea)
    for someone in (colleague, lead):
        with pytest.raises(PermissionDenied):
            services.idea_withdraw(actor=someone, idea=idea)
    assert Idea.objects.get(pk=idea.pk).status == IdeaStatus.SUBMITTED


# Decisions ------------------------------------------------------------------------------------


def test_a_lead_sets_a_status_with_feedback_that_authors_and_supporters_receive(
    idea, author, colleague, lead
):
    services.idea_support(user=colleague, idea=idea)
    services.idea_set_status(
        actor=lead, idea=idea, status="shortlisted", feedback="  Strong and cheap.  "
    )
    idea.refresh_from_db()
    assert (idea.status, idea.feedback, idea.feedback_by) == (
        "shortlisted",
        "Strong and cheap.",
        lead,
    )
    for person in (author, colleague):
        told = _notified(person, "idea.status_changed")
        assert told[0].title == "‘Text people before their bin day’ is now shortlisted"
        assert told[0].body == "Strong and cheap."
    assert not _notified(lead, "idea.status_changed")
    event = AuditEvent.objects.for_target(idea).get(action="idea.status_changed")
    assert (event.reason, event.data) == (
        "Strong and cheap.",
        {"from": "submitted", "to": "shortlisted"},
    )


def test_only_leads_and_administrators_of_the_organisation_decide(
    idea, author, colleague, outsider, admin_user
):
    for someone in (author, colleague, outsider):
        with pytest.raises(PermissionDenied):
            services.idea_set_status(actor=someone, idea=idea, status="selected", feedback="Yes")
    services.idea_set_status(actor=admin_user, idea=idea, status="selected", feedback="Yes")


@pytest.mark.parametrize(
    ("status", "feedback", "field"),
    [
        ("merged", "Because", "status"),
        ("withdrawn", "Because", "status"),
        ("selected", " ", "feedback"),
    ],
)
def test_a_decision_needs_a_decision_status_and_feedback(idea, lead, status, feedback, field):
    with pytest.raises(ValidationError) as refused:
        services.idea_set_status(actor=lead, idea=idea, status=status, feedback=feedback)
    assert field in refused.value.message_dict
    assert Idea.objects.get(pk=idea.pk).status == "submitted"


# Hiding ---------------------------------------------------------------------------------------


def test_the_discussion_app_hides_and_restores_an_idea_through_its_rules(idea, lead):
    rules = rules_for(idea)
    assert rules.organisation(idea) == idea.organisation
    assert set(rules.authors(idea)) == {idea.author_id}
    assert rules.url(idea) == f"/ideas/{idea.pk}/"
    assert rules.set_hidden is not None
    rules.set_hidden(idea, True, "Personal details")
    idea.refresh_from_db()
    assert idea.hidden_at is not None and idea.hidden_reason == "Personal details"
    rules.set_hidden(idea, False, "Edited")
    idea.refresh_from_db()
    assert idea.hidden_at is None and idea.hidden_reason == ""
    actions = list(AuditEvent.objects.for_target(idea).values_list("action", "reason"))
    assert ("idea.hidden", "Personal details") in actions
    assert ("idea.restored", "Edited") in actions


def test_comment_rules_follow_the_phase_and_the_ideas_visibility(
    make_challenge, make_idea, colleague, resident
):
    staff_only = make_challenge(audience="staff", title="Staff only")
    idea = make_idea(on=staff_only)
    rules = rules_for(idea)
    assert rules.can_view(colleague, idea) and rules.can_comment(colleague, idea)
    assert not rules.can_view(resident, idea) and not rules.can_comment(resident, idea)
    assert not rules.can_comment(UserFactory(), idea)
