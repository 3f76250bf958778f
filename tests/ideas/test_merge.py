"""Merging a duplicate idea into another, and undoing it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from civicflow.core.models import AuditEvent
from civicflow.discussion import selectors as discussion_selectors
from civicflow.discussion import services as discussion
from civicflow.ideas import selectors, services
from civicflow.ideas.models import CoAuthor, CoAuthorStatus, Idea, IdeaStatus, Merge, Support
from civicflow.notifications.models import Notification
from tests.factories import member


@pytest.fixture
def pair(make_idea, author, organisation, people, lead):
    """Two ideas, A (by author) and B (by someone else), sharing a supporter.

    A: supported by one person only it has and by ``both``.
    B: supported by ``both``, one person only it has, and A's author; co-written by an accepted
    co-author; one open invitation; shortlisted.
    """
    b_author = member(organisation, name="Bea Beta")
    only_a, both, only_b = people(3)
    a = make_idea(title="Idea A")
    b = make_idea(by=b_author, title="Idea B")
    for person in (only_a, both):
        services.idea_support(user=person, idea=a)
    for person in (both, only_b, author):
        services.idea_support(user=person, idea=b)
    co_b, invited_b = member(organisation, name="Cal Co"), member(organisation, name="Ivy Invited")
    services.coauthor_invite(actor=b_author, idea=b, email=co_b.email)
    services.coauthor_accept(user=co_b, idea=b)
    services.coauthor_invite(actor=b_author, idea=b, email=invited_b.email)
    services.idea_set_status(actor=lead, idea=b, status="shortlisted", feedback="Promising")
    return {
        "a": Idea.objects.get(pk=a.pk),
        "b": Idea.objects.get(pk=b.pk),
        "b_author": b_author,
        "only_a": only_a,
        "both": both,
        "only_b": only_b,
        "co_b": co_b,
        "invited_b": invited_b,
    }


def _supporters(idea: Idea) -> set[int]:
    return set(Support.objects.filter(idea=idea).values_list("user_id", flat=True))


def test_merging_pools_supports_one_per_person_and_moves_coauthors(pair, lead, author):
    a, b = pair["a"], pair["b"]
    merge = services.idea_merge(actor=lead, source=b, target=a, reason="Same reminder idea")
    a.refresh_from_db()
    b.refresh_from_db()
    # A keeps its own, gains B's only supporter; the shared one counts once; A's author's
    # support of B stays behind, since authors cannot support their own idea here.
    assert _supporters(a) == {pair["only_a"].pk, pair["both"].pk, pair["only_b"].pk}
    assert a.supporters_count == 3
    assert _supporters(b) == {pair["both"].pk, author.pk}
    assert (b.status, b.merged_into) == (IdeaStatus.MERGED, a)
    accepted = {row.user for row in selectors.idea_coauthors(idea=a)}
    assert accepted == {pair["b_author"], pair["co_b"]}
    assert CoAuthor.objects.get(user=pair["invited_b"]).idea == a
    assert CoAuthor.objects.get(user=pair["invited_b"]).status == CoAuthorStatus.INVITED
    assert merge.source_status == "shortlisted"
    assert len(merge.moved_supports) == 1
    event = AuditEvent.objects.for_target(b).get(action="idea.merged")
    assert event.reason == "Same reminder idea"
    assert event.data["into"] == a.pk
    for person in (pair["only_b"], pair["both"], pair["b_author"], pair["co_b"], author):
        told = Notification.objects.get(recipient=person, kind="idea.merged")
        assert told.title == "‘Idea B’ was merged into ‘Idea A’"
        assert told.url == a.get_absolute_url()


def test_a_merged_idea_takes_no_more_support_and_cannot_be_merged_again(pair, lead, people):
    a, b = pair["a"], pair["b"]
    services.idea_merge(actor=lead, source=b, target=a, reason="Duplicate")
    b.refresh_from_db()
    with pytest.raises(ValidationError, match="merged into another"):
        services.idea_support(user=people(1)[0], idea=b)
    with pytest.raises(ValidationError, match="already been merged"):
        services.idea_merge(actor=lead, source=b, target=a, reason="Again")
    with pytest.raises(ValidationError, match="merged into another"):
        services.idea_set_status(actor=lead, idea=b, status="selected", feedback="No")


def test_undoing_a_merge_restores_the_ideas_own_supports_coauthors_and_status(pair, lead, author):
    a, b = pair["a"], pair["b"]
    before_a, before_b = _supporters(a), _supporters(b)
    services.idea_merge(actor=lead, source=b, target=a, reason="Duplicate")
    merge = services.idea_merge_undo(actor=lead, source=Idea.objects.get(pk=b.pk))
    a.refresh_from_db()
    b.refresh_from_db()
    assert _supporters(a) == before_a and a.supporters_count == 2
    assert _supporters(b) == before_b and b.supporters_count == 3
    assert (b.status, b.merged_into) == ("shortlisted", None)
    assert not selectors.idea_coauthors(idea=a)
    assert {row.user for row in selectors.idea_coauthors(idea=b, include_open=True)} == {
        pair["co_b"],
        pair["invited_b"],
    }
    assert merge.undone_by == lead and merge.undone_at is not None
    assert AuditEvent.objects.for_target(b).filter(action="idea.merge_undone").exists()
    # The same pair can be merged again after an undo.
    services.idea_merge(actor=lead, source=b, target=a, reason="After all")
    assert Merge.objects.filter(source=b).count() == 2


def test_comments_move_with_a_merge_and_back_with_its_undo(pair, lead):
    a, b = pair["a"], pair["b"]
    comment = discussion.comment_create(author=pair["only_b"], target=b, body="I like it")
    services.idea_merge(actor=lead, source=b, target=a, reason="Duplicate")
    comment.refresh_from_db()
    assert discussion_selectors.target_of(comment) == a
    assert Merge.objects.get().moved_comments == [comment.pk]
    services.idea_merge_undo(actor=lead, source=Idea.objects.get(pk=b.pk))
    comment.refresh_from_db()
    assert discussion_selectors.target_of(comment) == b


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("same", "target", "Select a different idea"),
        ("no_reason", "reason", "Enter why these ideas are duplicates."),
        ("other_challenge", "target", "Select an idea in the same challenge."),
        ("withdrawn_target", "target", "Select an idea that is still open."),
    ],
)
def test_merges_that_make_no_sense_are_refused(
    pair, lead, author, make_challenge, make_idea, change, field, message
):
    a, b = pair["a"], pair["b"]
    target, reason = a, "Duplicate"
    if change == "same":
        target = b
    elif change == "no_reason":
        reason = "  "
    elif change == "other_challenge":
        target = make_idea(on=make_challenge(title="Elsewhere"), title="Far away")
    elif change == "withdrawn_target":
        target = services.idea_withdraw(actor=author, idea=a)
    with pytest.raises(ValidationError) as refused:
        services.idea_merge(actor=lead, source=b, target=target, reason=reason)
    assert refused.value.message_dict[field][0].startswith(message)
    assert Idea.objects.get(pk=b.pk).status == "shortlisted"
    assert not Merge.objects.exists()


def test_only_moderators_merge_and_undo(pair, lead, author, colleague, outsider):
    a, b = pair["a"], pair["b"]
    for someone in (author, colleague, outsider):
        with pytest.raises(PermissionDenied):
            services.idea_merge(actor=someone, source=b, target=a, reason="Mine")
    services.idea_merge(actor=lead, source=b, target=a, reason="Duplicate")
    with pytest.raises(PermissionDenied):
        services.idea_merge_undo(actor=author, source=b)


def test_an_undo_waits_for_the_merge_of_its_target_to_be_undone(pair, lead, make_idea):
    a, b = pair["a"], pair["b"]
    c = make_idea(title="Idea C")
    services.idea_merge(actor=lead, source=b, target=a, reason="Duplicate")
    services.idea_merge(actor=lead, source=Idea.objects.get(pk=a.pk), target=c, reason="Also")
    with pytest.raises(ValidationError, match="Undo that merge first"):
        services.idea_merge_undo(actor=lead, source=b)
    services.idea_merge_undo(actor=lead, source=a)
    services.idea_merge_undo(actor=lead, source=b)
    assert Idea.objects.get(pk=c.pk).supporters_count == 0
    assert Idea.objects.get(pk=a.pk).supporters_count == 2
    assert Idea.objects.get(pk=b.pk).supporters_count == 3


def test_undoing_an_idea_that_is_not_merged_is_refused(pair, lead):
    with pytest.raises(ValidationError, match="not merged"):
        services.idea_merge_undo(actor=lead, source=pair["b"])
