"""A person's data download and erasure cover what every domain app holds about them."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse

from civicflow.accounts import services as accounts
from civicflow.accounts.models import Organisation, User
from civicflow.boards import services as boards
from civicflow.boards.models import BoardLead, Card
from civicflow.challenges import services as challenges
from civicflow.challenges.models import Challenge, Follow
from civicflow.core.models import AuditEvent
from civicflow.discussion import services as discussion
from civicflow.discussion.models import Comment, Flag
from civicflow.ideas import services as ideas
from civicflow.ideas.models import CoAuthor, CoAuthorStatus, Idea, Support
from civicflow.notifications import services as notifications
from civicflow.notifications.models import Notification, Preference
from tests.factories import member
from tests.ideas.conftest import IDEA_FIELDS, open_call_phases

NAME = "Pat Person"
EMAIL = "pat@testshire.example"


def _open_call(lead: User, organisation: Organisation, title: str) -> Challenge:
    """Return a published open call, open for ideas and support now."""
    challenge = challenges.challenge_create(
        actor=lead,
        organisation=organisation,
        kind="open_call",
        phases=open_call_phases("develop"),
        title=title,
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed each week.",
        driver="cost_pressure",
        audience="both",
    )
    challenges.challenge_move(actor=lead, challenge=challenge, to="published")
    challenge.refresh_from_db()
    return challenge


@pytest.fixture
def pat_world(organisation) -> SimpleNamespace:
    """Return Pat, who has done one of everything, and the colleagues around them."""
    admin = member(organisation, "admin", email="admin@testshire.example")
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    pat = member(organisation, email=EMAIL, name=NAME)
    colleague = member(organisation, email="colleague@testshire.example", name="Colin Colleague")
    other = member(organisation, email="other@testshire.example", name="Olive Other")
    challenge = _open_call(lead, organisation, "Fewer missed bin collections")

    def idea(by: User, title: str) -> Idea:
        return ideas.idea_submit(author=by, challenge=challenge, **{**IDEA_FIELDS, "title": title})

    own = idea(pat, "Text people before their bin day")
    co_written = idea(colleague, "Bin day on the council app")
    ideas.coauthor_invite(actor=colleague, idea=co_written, email=EMAIL)
    ideas.coauthor_accept(user=pat, idea=co_written)
    invited = idea(colleague, "Stickers on bins")
    ideas.coauthor_invite(actor=colleague, idea=invited, email=EMAIL)
    backed = idea(other, "Collect on the same day every week")
    for supporter in (pat, colleague):
        ideas.idea_support(user=supporter, idea=backed)
    ideas.idea_support(user=pat, idea=invited)

    comment = discussion.comment_create(
        author=pat, target=co_written, body="We could add a reminder in the app too."
    )
    discussion.comment_create(author=colleague, target=co_written, body="Yes.", parent=comment)
    theirs = discussion.comment_create(author=other, target=own, body="Buy my bins!")
    discussion.flag_raise(
        reporter=pat, target=own, comment=theirs, reason="spam", details="An advert."
    )
    challenges.challenge_follow(user=pat, challenge=challenge)

    team = accounts.team_create(actor=admin, organisation=organisation, name="Ward 7")
    accounts.team_add_member(actor=admin, team=team, user=pat)
    boards.board_lead_add(actor=lead, team=team, user=pat)
    card = boards.card_raise(
        actor=pat,
        team=team,
        title="Call bells out of reach",
        problem="After bed baths the call bell is left on the locker.",
        change="Add ‘call bell in reach’ to the bed-bath checklist.",
    )
    notifications.preferences_set(user=pat, choices={"ideas": "digest"})
    return SimpleNamespace(
        organisation=organisation,
        pat=pat,
        colleague=colleague,
        lead=lead,
        challenge=challenge,
        own=own,
        co_written=co_written,
        invited=invited,
        backed=backed,
        comment=comment,
        card=card,
        team=team,
    )


def test_the_download_holds_what_every_app_keeps(client_for, pat_world):
    response = client_for(pat_world.pat).get(reverse("accounts:data_export"))
    assert response.status_code == 200
    data = json.loads(response.content)

    assert {(row["title"], row["role"], row["status"]) for row in data["ideas"]} == {
        ("Text people before their bin day", "author", "submitted"),
        ("Bin day on the council app", "co-author", "submitted"),
    }
    assert all(row["created_at"] and row["updated_at"] for row in data["ideas"])
    assert [(row["idea"], row["status"]) for row in data["idea_coauthor_invitations"]] == [
        ("Stickers on bins", "invited")
    ]
    assert {row["idea"] for row in data["idea_supports"]} == {
        "Collect on the same day every week",
        "Stickers on bins",
    }
    [comment] = data["comments"]
    assert comment["text"] == "We could add a reminder in the app too."
    assert comment["on"] == {
        "type": "ideas.idea",
        "id": pat_world.co_written.pk,
        "title": "Bin day on the council app",
    }
    assert comment["created_at"]
    [flag] = data["flags"]
    assert (flag["reason"], flag["details"], flag["status"]) == ("spam", "An advert.", "open")
    assert flag["on"]["title"] == "Text people before their bin day"
    assert data["challenge_follows"][0]["challenge"] == "Fewer missed bin collections"
    assert [(row["title"], row["team"]) for row in data["board_cards"]] == [
        ("Call bells out of reach", "Ward 7")
    ]
    assert [row["team"] for row in data["board_leads"]] == ["Ward 7"]
    assert data["notification_preferences"] == [{"group": "ideas", "delivery": "digest"}]
    kinds = {row["kind"] for row in data["notifications"]}
    assert {"idea.coauthor_invited", "comment.reply"} <= kinds


def test_erasure_keeps_contributions_anonymised_and_removes_the_rest(client_for, pat_world):
    pat = pat_world.pat
    viewer = client_for(pat_world.colleague)
    idea_list = reverse("ideas:list", args=[pat_world.organisation.slug, pat_world.challenge.slug])
    assert NAME in viewer.get(idea_list).content.decode()  # and now in the shared cache
    accounts.user_erase(user=pat, reason="Asked to leave")
    pat.refresh_from_db()

    # Ideas, co-authorships, comments, flags and cards stay, by a former participant.
    assert str(pat) == "Former participant"
    assert Idea.objects.get(pk=pat_world.own.pk).author_id == pat.pk
    assert CoAuthor.objects.filter(
        user=pat, idea=pat_world.co_written, status=CoAuthorStatus.ACCEPTED
    ).exists()
    assert Comment.objects.get(pk=pat_world.comment.pk).body.startswith("We could add")
    assert Flag.objects.filter(reporter=pat).count() == 1
    assert Card.objects.get(pk=pat_world.card.pk).raised_by_id == pat.pk

    # Personal choices and opinions go.
    assert not CoAuthor.objects.filter(user=pat).exclude(status=CoAuthorStatus.ACCEPTED).exists()
    assert not Support.objects.filter(user=pat).exists()
    assert not Follow.objects.filter(user=pat).exists()
    assert not BoardLead.objects.filter(user=pat).exists()
    assert not Preference.objects.filter(user=pat).exists()
    assert not Notification.objects.filter(recipient=pat).exists()

    # Support counts stay exact.
    for idea in Idea.objects.all():
        assert idea.supporters_count == Support.objects.filter(idea=idea).count(), idea
    assert Idea.objects.get(pk=pat_world.backed.pk).supporters_count == 1
    assert Idea.objects.get(pk=pat_world.invited.pk).supporters_count == 0
    withdrawn = AuditEvent.objects.filter(action="idea.support_withdrawn", actor=None)
    assert set(withdrawn.values_list("target_id", flat=True)) == {
        str(pat_world.backed.pk),
        str(pat_world.invited.pk),
    }

    # Nobody else's notifications still name them.
    told = Notification.objects.filter(actor=pat)
    assert told.exists()
    for notification in told:
        assert NAME not in notification.title + notification.body
    assert told.filter(title__startswith="Former participant").exists()

    # Pages and the API say "Former participant" where they showed Pat's name.
    for url in (
        idea_list,
        pat_world.own.get_absolute_url(),
        pat_world.co_written.get_absolute_url(),
        pat_world.card.get_absolute_url(),
    ):
        page = viewer.get(url).content.decode()
        assert "Former participant" in page, url
        assert NAME not in page and EMAIL not in page, url
    data = viewer.get(f"/api/v1/ideas/{pat_world.own.pk}").json()
    assert data["author"]["name"] == "Former participant"
    assert "Former participant" in json.dumps(
        viewer.get(f"/api/v1/comments?target=ideas.idea:{pat_world.co_written.pk}").json()
    )

    # The audit log still tells erased people apart.
    assert AuditEvent.objects.filter(actor_label=f"Erased person {pat.pk}").exists()
    assert not AuditEvent.objects.filter(actor_label__contains=NAME).exists()


def test_the_download_after_erasure_holds_only_kept_contributions(pat_world):
    accounts.user_erase(user=pat_world.pat)
    data = accounts.user_export_data(user=pat_world.pat)
    assert data["idea_supports"] == []
    assert data["idea_coauthor_invitations"] == []
    assert data["challenge_follows"] == []
    assert data["board_leads"] == []
    assert data["notifications"] == []
    assert data["notification_preferences"] == []
    assert len(data["ideas"]) == 2
    assert len(data["comments"]) == 1
    assert len(data["board_cards"]) == 1


def test_a_cached_idea_list_stops_showing_an_erased_authors_name(client_for, pat_world):
    quiet = _open_call(pat_world.lead, pat_world.organisation, "Quieter bin lorries")
    ideas.idea_submit(author=pat_world.pat, challenge=quiet, **IDEA_FIELDS)
    viewer = client_for(pat_world.colleague)
    url = reverse("ideas:list", args=[pat_world.organisation.slug, quiet.slug])
    assert NAME in viewer.get(url).content.decode()

    accounts.user_erase(user=pat_world.pat)

    page = viewer.get(url).content.decode()
    assert NAME not in page
    assert "Former participant" in page
