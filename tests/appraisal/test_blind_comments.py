"""A blind panel sees no names in the discussion on the ideas it judges: not on the idea's
page, the thread, the comment pages, the moderation queue, the API or notifications. Others
still see who wrote what."""

from __future__ import annotations

import pytest
from django.urls import reverse

from civicflow.accounts import services as accounts_services
from civicflow.discussion import services as discussion
from civicflow.discussion.models import Flag
from civicflow.notifications.models import Notification
from tests.api.conftest import ApiClient
from tests.appraisal.helpers import panel_with_scores
from tests.factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def discussed(lead, prize_round, assessors, entries, authors, organisation):
    """A blind panel, and a discussion on the first entry: its author, a neighbour and a
    judge comment; the author replies to the judge."""
    panel_with_scores(lead, prize_round, assessors, entries, blind=True)
    idea = entries[0]
    neighbour = member(organisation, email="neighbour@testshire.example", name="Nora Neighbour")
    by_author = discussion.comment_create(author=authors[0], target=idea, body="Happy to help.")
    discussion.comment_create(author=neighbour, target=idea, body="Would this work at night?")
    by_judge = discussion.comment_create(author=assessors[0], target=idea, body="Costs?")
    discussion.comment_create(
        author=authors[0], target=idea, body="About 2,000 a year.", parent=by_judge
    )
    return {"idea": idea, "by_author": by_author, "by_judge": by_judge, "neighbour": neighbour}


def _names(discussed, authors):
    return [str(authors[0]), authors[0].email, "Nora Neighbour", "neighbour@testshire.example"]


def _thread(idea):
    return reverse("discussion:thread", kwargs={"label": "ideas.idea", "object_id": idea.pk})


def test_the_panel_reads_the_discussion_without_names(client_for, discussed, assessors, authors):
    idea = discussed["idea"]
    as_judge = client_for(assessors[0])
    pages = [
        as_judge.get(idea.get_absolute_url()),
        as_judge.get(_thread(idea)),
        as_judge.get(reverse("discussion:reply", args=[discussed["by_author"].pk])),
        as_judge.get(reverse("discussion:flag_comment", args=[discussed["by_author"].pk])),
    ]
    for page in pages:
        text = page.content.decode()
        assert page.status_code == 200
        assert "Happy to help." in text or "About 2,000" in text or "Report" in text
        for name in _names(discussed, authors):
            assert name not in text, (name, page.request["PATH_INFO"])
    thread = pages[1].content.decode()
    assert thread.count("<strong>Someone</strong>") == 3
    assert f"<strong>{assessors[0]}</strong>" in thread  # a judge sees their own name


def test_others_still_see_who_wrote_each_comment(client_for, discussed, lead, resident, authors):
    idea = discussed["idea"]
    for person in (lead, resident, authors[1]):
        text = client_for(person).get(_thread(idea)).content.decode()
        assert f"<strong>{authors[0]}</strong>" in text
        assert "<strong>Nora Neighbour</strong>" in text


def test_the_api_gives_the_panel_no_comment_authors(discussed, assessors, lead, authors):
    def api(user):
        _token, secret = accounts_services.api_token_create(user=user, name="Comments")
        return ApiClient(secret)

    url = f"/api/v1/comments?target=ideas.idea:{discussed['idea'].pk}"
    listed = api(assessors[0]).get(url)
    assert listed.status_code == 200
    items = listed.json()["items"]
    assert len(items) == 4
    mine = [c for c in items if c["author_id"] == assessors[0].pk]
    assert len(mine) == 1 and mine[0]["author"] == str(assessors[0])
    assert all(c["author"] is None for c in items if c["id"] != mine[0]["id"])
    for name in _names(discussed, authors):
        assert name not in listed.content.decode()
    # A lead not on the panel reads the names.
    named = api(lead).get(url).json()["items"]
    assert {c["author"] for c in named} >= {str(authors[0]), "Nora Neighbour"}


def test_a_judge_is_not_told_who_replied(discussed, assessors, authors):
    note = Notification.objects.get(kind="comment.reply", recipient=assessors[0])
    assert note.title.startswith("Someone replied to your comment")
    assert note.actor_id is None
    assert str(authors[0]) not in note.title + note.body
    # Anyone else is told who replied, as before.
    reply = discussion.comment_create(
        author=discussed["neighbour"],
        target=discussed["idea"],
        body="Thanks",
        parent=discussed["by_author"],
    )
    told = Notification.objects.get(kind="comment.reply", recipient=authors[0])
    assert told.title.startswith("Nora Neighbour replied") and told.actor_id == reply.author_id


def test_a_moderator_on_the_panel_sees_no_names_in_the_queue(
    client_for, discussed, lead, organisation, authors
):
    from civicflow.accounts.selectors import forget_user_roles
    from civicflow.appraisal import services

    discussion.flag_raise(
        reporter=discussed["neighbour"],
        target=discussed["idea"],
        comment=discussed["by_author"],
        reason="spam",
    )
    queue = reverse("discussion:queue", args=[organisation.slug])
    flag = reverse("discussion:flag", args=[Flag.objects.get().pk])
    for url in (queue, flag):
        assert f"Comment by {authors[0]}" in client_for(lead).get(url).content.decode()
    lead.memberships.create(organisation=organisation, role="assessor")
    forget_user_roles(lead)
    services.panel_member_add(actor=lead, panel=discussed["idea"].challenge.panel, user=lead)
    for url in (queue, flag):
        text = client_for(lead).get(url).content.decode()
        assert "Comment by Someone" in text and str(authors[0]) not in text
