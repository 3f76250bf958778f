"""Co-authors: invited by the author, they accept or decline; the author can withdraw."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.ideas import permissions, selectors, services
from civicflow.ideas.models import CoAuthor, CoAuthorStatus, Idea
from civicflow.notifications.models import Notification
from tests.factories import UserFactory

CANNOT = "We could not invite this person."


def test_an_invitation_accepted_makes_a_coauthor_who_may_edit(idea, author, colleague):
    invitation = services.coauthor_invite(
        actor=author, idea=idea, email="COLLEAGUE@testshire.example"
    )
    assert invitation.status == CoAuthorStatus.INVITED
    told = Notification.objects.get(recipient=colleague, kind="idea.coauthor_invited")
    assert told.title == "Ada Author invited you to co-write ‘Text people before their bin day’"
    assert not permissions.can_edit_idea(colleague, idea)
    services.coauthor_accept(user=colleague, idea=idea)
    fresh = Idea.objects.get(pk=idea.pk)
    assert permissions.can_edit_idea(colleague, fresh)
    assert [row.user for row in selectors.idea_coauthors(idea=fresh)] == [colleague]
    assert Notification.objects.filter(recipient=author, kind="idea.coauthor_answered").exists()


def test_a_declined_invitation_gives_no_rights_and_can_be_sent_again(idea, author, colleague):
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_decline(user=colleague, idea=idea)
    assert not permissions.can_edit_idea(colleague, Idea.objects.get(pk=idea.pk))
    with pytest.raises(ValidationError, match="no open invitation"):
        services.coauthor_accept(user=colleague, idea=idea)
    again = services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    assert again.status == CoAuthorStatus.INVITED
    assert CoAuthor.objects.count() == 1


def test_the_author_withdraws_an_invitation_or_removes_a_coauthor(idea, author, colleague):
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_withdraw(actor=author, idea=idea, user_id=colleague.pk)
    with pytest.raises(ValidationError, match="no open invitation"):
        services.coauthor_accept(user=colleague, idea=idea)
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_accept(user=colleague, idea=idea)
    services.coauthor_withdraw(actor=author, idea=idea, user_id=colleague.pk)
    assert not permissions.can_edit_idea(colleague, Idea.objects.get(pk=idea.pk))
    with pytest.raises(ValidationError, match="not invited"):
        services.coauthor_withdraw(actor=author, idea=idea, user_id=colleague.pk)


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter the email address of the person to invite."),
        ("nobody@example.com", CANNOT),
        ("author@testshire.example", "The author cannot be their own co-author."),
    ],
)
def test_invitations_to_nobody_or_the_author_are_refused(idea, author, email, message):
    with pytest.raises(ValidationError) as refused:
        services.coauthor_invite(actor=author, idea=idea, email=email)
    assert refused.value.message_dict["email"][0].startswith(message)
    assert not CoAuthor.objects.exists()


def test_people_who_cannot_take_part_cannot_be_invited(make_challenge, make_idea, author, resident):
    idea = make_idea(on=make_challenge(audience="staff", title="Staff"))
    with pytest.raises(ValidationError, match=CANNOT):
        services.coauthor_invite(actor=author, idea=idea, email=resident.email)


def test_inviting_twice_is_refused(idea, author, colleague):
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    with pytest.raises(ValidationError, match="has been invited already"):
        services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_accept(user=colleague, idea=idea)
    with pytest.raises(ValidationError, match="is already a co-author"):
        services.coauthor_invite(actor=author, idea=idea, email=colleague.email)


def test_only_the_author_invites(idea, author, colleague, lead):
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    services.coauthor_accept(user=colleague, idea=idea)
    for someone in (colleague, lead):
        with pytest.raises(PermissionDenied):
            services.coauthor_invite(actor=someone, idea=idea, email=UserFactory().email)
        with pytest.raises(PermissionDenied):
            services.coauthor_withdraw(actor=someone, idea=idea, user_id=colleague.pk)
