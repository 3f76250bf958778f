"""Services for comments, flags, moderation and moving comments when things merge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civicflow.core.models import AuditEvent
from civicflow.discussion import selectors, services
from civicflow.discussion.models import Comment, CommentKind, CommentMove, Flag, FlagStatus
from civicflow.notifications.models import Notification
from tests.discussion.support import HIDDEN, make_challenge

pytestmark = pytest.mark.django_db


def post(author, target, body="A thought.", parent=None):
    return services.comment_create(author=author, target=target, body=body, parent=parent)


# Posting -------------------------------------------------------------------------------------


def test_a_comment_is_saved_with_its_place_in_the_thread(people, challenge):
    comment = post(people.resident, challenge, "  Put the bins out earlier.  ")

    comment.refresh_from_db()
    assert comment.body == "Put the bins out earlier."
    assert comment.root_id == comment.pk
    assert comment.depth == 0
    assert comment.organisation == challenge.organisation
    assert selectors.target_of(comment) == challenge


def test_replies_nest_and_a_reply_too_deep_joins_the_deepest_level(people, challenge):
    top = post(people.resident, challenge)
    first = post(people.staff, challenge, parent=top)
    second = post(people.lead, challenge, parent=first)
    third = post(people.neighbour, challenge, parent=second)

    assert [first.depth, second.depth, third.depth] == [1, 2, 2]
    assert third.parent == first  # beside the comment it answers, not below it
    assert {first.root_id, second.root_id, third.root_id} == {top.pk}
    ordered = list(selectors.comments_on(target=challenge))
    assert ordered == [top, first, second, third]


def test_the_thread_shows_the_newest_conversation_first_and_replies_in_order(people, challenge):
    older = post(people.resident, challenge, "Older")
    newer = post(people.staff, challenge, "Newer")
    reply = post(people.neighbour, challenge, "Reply to older", parent=older)

    assert list(selectors.comments_on(target=challenge)) == [newer, older, reply]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Enter your comment."),
        ("   \n ", "Enter your comment."),
        ("x" * 5001, "Your comment must be 5,000 characters or fewer. It has 5,001."),
    ],
)
def test_empty_and_oversized_comments_are_refused_and_nothing_is_saved(
    people, challenge, body, message
):
    with pytest.raises(ValidationError) as error:
        post(people.resident, challenge, body)
    assert error.value.message_dict["body"] == [message]
    assert not Comment.objects.exists()


def test_a_comment_of_exactly_5000_characters_is_fine(people, challenge):
    assert len(post(people.resident, challenge, "x" * 5000).body) == 5000


def test_nul_characters_are_dropped(people, challenge):
    assert post(people.resident, challenge, "Bins\x00 please").body == "Bins please"


def test_nobody_comments_where_the_owning_app_says_no(people, closed_challenge, staff_challenge):
    with pytest.raises(PermissionDenied):
        post(people.resident, closed_challenge)
    with pytest.raises(PermissionDenied):
        post(people.outsider, staff_challenge)  # cannot even see it
    assert not Comment.objects.exists()


def test_replies_must_be_to_a_live_comment_on_the_same_target(people, challenge, organisation):
    other = make_challenge(organisation, created_by=people.admin, title="Another")
    elsewhere = post(people.resident, other)
    with pytest.raises(ValidationError) as error:
        post(people.staff, challenge, parent=elsewhere)
    assert "parent" in error.value.message_dict

    gone = post(people.resident, challenge)
    services.comment_delete(actor=people.resident, comment=gone)
    with pytest.raises(ValidationError):
        post(people.staff, challenge, parent=gone)


# The posting limit ---------------------------------------------------------------------------


def test_the_posting_limit_stops_the_eleventh_comment_in_ten_minutes(people, challenge, settings):
    settings.CIVICFLOW_COMMENT_LIMIT = 3
    for _ in range(3):
        post(people.resident, challenge)

    with pytest.raises(ValidationError) as error:
        post(people.resident, challenge, "One too many")
    assert error.value.message_dict["body"] == [
        "You have posted 3 comments in the last 10 minutes. "
        "Wait a few minutes, then post your comment again."
    ]
    assert Comment.objects.count() == 3
    assert not Comment.objects.filter(body="One too many").exists()
    post(people.staff, challenge)  # others may still post


def test_the_limit_is_ten_by_default_and_lifts_after_ten_minutes(people, challenge):
    later = timezone.now() + timedelta(minutes=11)
    for _ in range(10):
        post(people.resident, challenge)
    with pytest.raises(ValidationError):
        post(people.resident, challenge)
    services.comment_create(author=people.resident, target=challenge, body="Later", now=later)


# Notifications -------------------------------------------------------------------------------


def test_a_top_level_comment_tells_the_participants(people, challenge):
    comment = post(people.resident, challenge, "Could the rounds start earlier?")

    told = Notification.objects.get(kind="comment.new")
    assert told.recipient == people.admin  # who drafted the challenge
    assert told.actor == people.resident
    assert "Fewer missed bin collections" in told.title
    assert told.url.endswith(f"#comment-{comment.pk}")
    assert told.body == "Could the rounds start earlier?"


def test_a_reply_tells_the_author_of_the_comment_replied_to(people, challenge):
    top = post(people.resident, challenge)
    middle = post(people.staff, challenge, parent=top)
    Notification.objects.all().delete()

    deepest = post(people.lead, challenge, parent=middle)
    too_deep = post(people.neighbour, challenge, parent=deepest)

    replies = Notification.objects.filter(kind="comment.reply").order_by("pk")
    assert [n.recipient for n in replies] == [people.staff, people.lead]
    assert replies[1].url.endswith(f"#comment-{too_deep.pk}")
    assert not Notification.objects.filter(kind="comment.new").exists()


def test_nobody_is_told_about_their_own_comment(people, challenge):
    post(people.admin, challenge)
    assert not Notification.objects.exists()


# Editing and deleting ------------------------------------------------------------------------


def test_the_author_changes_a_comment_within_the_window(people, challenge):
    comment = post(people.resident, challenge, "Frist")
    services.comment_edit(actor=people.resident, comment=comment, body="First")
    comment.refresh_from_db()
    assert comment.body == "First"
    assert comment.edited


def test_after_the_window_a_comment_cannot_be_changed(people, challenge, settings):
    settings.CIVICFLOW_COMMENT_EDIT_MINUTES = 5
    comment = post(people.resident, challenge, "Frist")
    later = comment.created_at + timedelta(minutes=5, seconds=1)

    with pytest.raises(ValidationError) as error:
        services.comment_edit(actor=people.resident, comment=comment, body="First", now=later)
    assert error.value.message_dict["body"] == [
        "You can only change a comment in the 5 minutes after you post it. "
        "You can delete it and post a new one instead."
    ]
    comment.refresh_from_db()
    assert comment.body == "Frist"


def test_nobody_changes_or_deletes_someone_elses_comment(people, challenge):
    comment = post(people.resident, challenge, "Mine")
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=people.admin, comment=comment, body="Theirs")
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=people.instance_admin, comment=comment)
    comment.refresh_from_db()
    assert comment.body == "Mine" and not comment.is_deleted


def test_deleting_removes_the_text_keeps_the_replies_and_closes_reports(people, challenge):
    top = post(people.resident, challenge, "Something I regret")
    reply = post(people.staff, challenge, "A reply", parent=top)
    flag = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=top, reason="offensive"
    )

    services.comment_delete(actor=people.resident, comment=top)

    top.refresh_from_db()
    assert top.is_deleted and top.body == ""
    assert Comment.objects.get(pk=reply.pk).parent_id == top.pk
    flag.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED
    assert AuditEvent.objects.for_target(top).filter(action="comment.deleted").exists()
    with pytest.raises(ValidationError):
        services.comment_edit(actor=people.resident, comment=top, body="Back")


# Moderating comments -------------------------------------------------------------------------


def test_a_moderator_hides_a_comment_with_a_reason_and_the_author_is_told(people, challenge):
    comment = post(people.resident, challenge, "Rude words")
    Notification.objects.all().delete()

    services.comment_hide(actor=people.lead, comment=comment, reason="Abusive language")

    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_by == people.lead
    assert comment.body == "Rude words"  # kept, for moderators and a restore
    told = Notification.objects.get()
    assert told.recipient == people.resident and told.kind == "comment.hidden"
    assert "Abusive language" in told.body
    event = AuditEvent.objects.for_target(comment).get(action="comment.hidden")
    assert event.reason == "Abusive language" and event.actor == people.lead
    assert "Rude words" not in event.target_label


def test_restoring_shows_the_comment_again_and_tells_the_author(people, challenge):
    comment = post(people.resident, challenge)
    services.comment_hide(actor=people.admin, comment=comment, reason="Looked like spam")
    services.comment_restore(actor=people.admin, comment=comment, reason="It was not spam")

    comment.refresh_from_db()
    assert not comment.is_hidden
    assert Notification.objects.filter(kind="comment.restored", recipient=people.resident)
    assert AuditEvent.objects.for_target(comment).filter(action="comment.restored").exists()


@pytest.mark.parametrize("who", ["staff", "assessor", "resident", "outsider"])
def test_only_the_organisations_moderators_hide_comments(people, challenge, who):
    comment = post(people.neighbour, challenge)
    with pytest.raises(PermissionDenied):
        services.comment_hide(actor=getattr(people, who), comment=comment, reason="No")
    comment.refresh_from_db()
    assert not comment.is_hidden


def test_hiding_needs_a_reason_and_a_comment_to_hide(people, challenge):
    comment = post(people.resident, challenge)
    with pytest.raises(ValidationError) as error:
        services.comment_hide(actor=people.lead, comment=comment, reason="  ")
    assert "reason" in error.value.message_dict
    services.comment_hide(actor=people.lead, comment=comment, reason="Spam")
    with pytest.raises(ValidationError):
        services.comment_hide(actor=people.lead, comment=comment, reason="Spam")
    with pytest.raises(ValidationError):
        services.comment_edit(actor=people.resident, comment=comment, body="Sneaky")


# Flags ---------------------------------------------------------------------------------------


def test_a_flag_reaches_the_queue_and_the_moderators_hear_of_it(people, challenge):
    comment = post(people.resident, challenge)
    flag = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=comment, reason="spam"
    )

    assert flag.organisation == challenge.organisation
    assert list(selectors.moderation_queue(organisation=challenge.organisation)) == [flag]
    told = set(Notification.objects.filter(kind="flag.raised").values_list("recipient", flat=True))
    assert told == {people.admin.pk, people.lead.pk}


def test_flagging_twice_is_refused(people, challenge):
    comment = post(people.resident, challenge)
    services.flag_raise(reporter=people.neighbour, target=challenge, comment=comment, reason="spam")
    with pytest.raises(ValidationError) as error:
        services.flag_raise(
            reporter=people.neighbour, target=challenge, comment=comment, reason="offensive"
        )
    assert error.value.messages == [
        "You have already reported this comment. A moderator will look at it."
    ]
    services.flag_raise(reporter=people.neighbour, target=challenge, reason="off_topic")
    with pytest.raises(ValidationError):
        services.flag_raise(reporter=people.neighbour, target=challenge, reason="spam")
    assert Flag.objects.count() == 2


@pytest.mark.parametrize(
    ("reason", "details", "field"),
    [("rude", "", "reason"), ("other", "", "details"), ("other", "x" * 1001, "details")],
)
def test_a_flag_needs_a_known_reason_and_details_for_other(
    people, challenge, reason, details, field
):
    comment = post(people.resident, challenge)
    with pytest.raises(ValidationError) as error:
        services.flag_raise(
            reporter=people.neighbour,
            target=challenge,
            comment=comment,
            reason=reason,
            details=details,
        )
    assert field in error.value.message_dict
    assert not Flag.objects.exists()


def test_people_cannot_flag_their_own_comment_or_what_they_cannot_see(
    people, challenge, staff_challenge
):
    comment = post(people.resident, challenge)
    with pytest.raises(ValidationError):
        services.flag_raise(
            reporter=people.resident, target=challenge, comment=comment, reason="spam"
        )
    with pytest.raises(PermissionDenied):
        services.flag_raise(reporter=people.outsider, target=staff_challenge, reason="spam")


def test_upholding_a_flag_hides_the_comment_and_closes_every_open_report(people, challenge):
    comment = post(people.resident, challenge)
    first = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=comment, reason="spam"
    )
    second = services.flag_raise(
        reporter=people.staff, target=challenge, comment=comment, reason="offensive"
    )

    services.flag_hide(actor=people.lead, flag=first, reason="Advertising")

    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Advertising"
    second.refresh_from_db()
    assert second.status == FlagStatus.HIDDEN and second.decided_by == people.lead
    assert not selectors.moderation_queue(organisation=challenge.organisation).exists()

    services.flag_restore(actor=people.lead, flag=second, reason="On reflection, fine")
    comment.refresh_from_db()
    assert not comment.is_hidden
    assert set(Flag.objects.values_list("status", flat=True)) == {FlagStatus.RESTORED}


def test_dismissing_a_flag_leaves_the_comment_and_is_audited(people, challenge):
    comment = post(people.resident, challenge)
    flag = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=comment, reason="off_topic"
    )
    services.flag_dismiss(actor=people.admin, flag=flag, reason="It is on topic")

    flag.refresh_from_db()
    comment.refresh_from_db()
    assert flag.status == FlagStatus.DISMISSED and not comment.is_hidden
    event = AuditEvent.objects.get(action="flag.dismissed")
    assert event.reason == "It is on topic"
    with pytest.raises(ValidationError):
        services.flag_dismiss(actor=people.admin, flag=flag, reason="Again")


def test_hiding_the_target_asks_its_app_and_tells_its_authors(people, challenge):
    HIDDEN.clear()
    flag = services.flag_raise(reporter=people.neighbour, target=challenge, reason="spam")
    Notification.objects.all().delete()

    services.flag_hide(actor=people.lead, flag=flag, reason="Duplicate of another")

    assert HIDDEN[challenge.pk] == (True, "Duplicate of another", people.lead)
    told = Notification.objects.get()
    assert told.recipient == people.admin and told.kind == "challenge.hidden"
    assert "Duplicate of another" in told.body
    assert AuditEvent.objects.for_target(challenge).filter(action="moderation.hidden").exists()

    flag.refresh_from_db()
    services.flag_restore(actor=people.lead, flag=flag, reason="Not a duplicate")
    assert HIDDEN[challenge.pk] == (False, "Not a duplicate", people.lead)
    assert Notification.objects.filter(kind="challenge.restored").exists()


def test_moderators_of_another_organisation_cannot_decide(people, challenge):
    flag = services.flag_raise(reporter=people.neighbour, target=challenge, reason="spam")
    with pytest.raises(PermissionDenied):
        services.flag_dismiss(actor=people.outsider, flag=flag, reason="Not mine to judge")


# Moving comments -----------------------------------------------------------------------------


def test_moving_comments_takes_the_threads_and_their_flags_and_leaves_a_note(people, organisation):
    source = make_challenge(organisation, created_by=people.admin, title="Idea B")
    target = make_challenge(organisation, created_by=people.admin, title="Idea A")
    top = post(people.resident, source, "On B")
    reply = post(people.staff, source, "Reply on B", parent=top)
    already = post(people.neighbour, target, "On A")
    flag = services.flag_raise(reporter=people.lead, target=source, comment=top, reason="spam")

    move = services.comments_move(source=source, target=target, note="", actor=people.admin)

    assert sorted(move.comment_ids) == sorted([top.pk, reply.pk])
    on_target = list(selectors.comments_on(target=target))
    note = move.note
    assert note is not None and note.kind == CommentKind.NOTE and note.author is None
    assert note.body == "Comments moved here from ‘Idea B’ when it was merged."
    assert set(on_target) == {top, reply, already, note}
    assert not selectors.comments_on(target=source).exists()
    flag.refresh_from_db()
    assert flag.target_id == target.pk
    assert AuditEvent.objects.for_target(target).filter(action="comment.moved").exists()


def test_moving_back_restores_the_threads_with_replies_written_since(people, organisation):
    source = make_challenge(organisation, created_by=people.admin, title="Idea B")
    target = make_challenge(organisation, created_by=people.admin, title="Idea A")
    top = post(people.resident, source, "On B")
    already = post(people.neighbour, target, "On A")
    services.comments_move(source=source, target=target, note="Merged into A", actor=people.admin)
    top.refresh_from_db()
    later_reply = post(people.staff, target, "Written after the merge", parent=top)

    move = services.comments_move_back(source=source, target=target, actor=people.admin)

    assert move is not None and move.moved_back_at is not None
    assert set(selectors.comments_on(target=source)) == {top, later_reply}
    assert list(selectors.comments_on(target=target)) == [already]
    assert not Comment.objects.filter(kind=CommentKind.NOTE).exists()
    assert AuditEvent.objects.for_target(source).filter(action="comment.moved_back").exists()
    assert services.comments_move_back(source=source, target=target) is None


def test_moving_nothing_adds_no_note_and_moving_onto_itself_is_refused(people, organisation):
    source = make_challenge(organisation, created_by=people.admin, title="Quiet idea")
    target = make_challenge(organisation, created_by=people.admin, title="Busy idea")
    move = services.comments_move(source=source, target=target, note="")
    assert move.note is None and move.comment_ids == []
    assert CommentMove.objects.count() == 1
    with pytest.raises(ValidationError):
        services.comments_move(source=target, target=target, note="")
