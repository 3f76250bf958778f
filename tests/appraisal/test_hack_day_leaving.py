"""People give up their place at a hack day and leave teams; the last member leaving
dissolves a team with nothing built, and keeps one with a prototype so that nothing is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.appraisal import services
from civicflow.appraisal.models import HackDay, HackTeam, Prototype, Registration
from civicflow.core.models import AuditEvent
from tests.api.conftest import ApiClient
from tests.appraisal.helpers import make_round, submit_idea

pytestmark = pytest.mark.django_db


@pytest.fixture
def hack_day(lead, organisation):
    challenge = make_round(lead, organisation, kind="hack_day", open_now="discover")
    now = timezone.now()
    return services.hack_day_create(
        actor=lead,
        challenge=challenge,
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=4),
        capacity=3,
        place="Town hall",
    )


@pytest.fixture
def team(hack_day, authors):
    for author, skill in zip(authors[:2], ["Python", "Design"], strict=True):
        services.hack_day_register(actor=author, hack_day=hack_day, skills=[skill])
    idea = submit_idea(authors[0], hack_day.challenge, "Bed finder")
    team = services.hack_team_form(
        actor=authors[0], hack_day=hack_day, idea=idea, name="Beds", skills_needed=["Design"]
    )
    services.hack_team_join(actor=authors[1], team=team)
    return team


def test_giving_up_a_place_frees_it_for_someone_else(hack_day, authors):
    for author in authors[:3]:
        services.hack_day_register(actor=author, hack_day=hack_day, skills=["Python"])
    with pytest.raises(ValidationError, match="full"):
        services.hack_day_register(actor=authors[3], hack_day=hack_day, skills=["SQL"])
    assert services.hack_day_unregister(actor=authors[0], hack_day=hack_day) == ""
    assert not Registration.objects.filter(user=authors[0]).exists()
    services.hack_day_register(actor=authors[3], hack_day=hack_day, skills=["SQL"])
    assert AuditEvent.objects.filter(action="appraisal.hack_day_unregistered").count() == 1
    with pytest.raises(ValidationError, match="not registered"):
        services.hack_day_unregister(actor=authors[0], hack_day=hack_day)


def test_a_member_leaves_and_the_team_carries_on(team, authors):
    assert services.hack_team_leave(actor=authors[1], team=team) == "left"
    assert list(team.members.all()) == [authors[0]]
    # Still registered: they may join another team, or this one again.
    assert Registration.objects.filter(user=authors[1]).exists()
    services.hack_team_join(actor=authors[1], team=team)
    with pytest.raises(ValidationError, match="not in this team"):
        services.hack_team_leave(actor=authors[2], team=team)
    event = AuditEvent.objects.get(action="appraisal.hack_team_left")
    assert event.data == {"team": "Beds", "outcome": "left"}


def test_the_last_member_leaving_a_team_with_nothing_built_dissolves_it(hack_day, team, authors):
    services.hack_team_leave(actor=authors[1], team=team)
    idea = team.idea
    assert services.hack_team_leave(actor=authors[0], team=team) == "dissolved"
    assert not HackTeam.objects.filter(pk=team.pk).exists()
    assert AuditEvent.objects.filter(
        action="appraisal.hack_team_left", data__outcome="dissolved"
    ).exists()
    # The idea is free again for a new team.
    again = services.hack_team_form(actor=authors[1], hack_day=hack_day, idea=idea, name="Beds 2")
    assert again.idea == idea


def test_the_last_member_leaving_keeps_the_team_and_its_prototype(hack_day, team, authors):
    services.prototype_submit(actor=authors[0], team=team, description="It works")
    services.hack_team_leave(actor=authors[0], team=team)
    # Giving up the place takes the last member out of the team too.
    assert services.hack_day_unregister(actor=authors[1], hack_day=hack_day) == "kept"
    team = HackTeam.objects.get(pk=team.pk)
    assert team.members.count() == 0
    assert Prototype.objects.get(team=team).description == "It works"
    # Someone registered can pick it up.
    services.hack_day_register(actor=authors[2], hack_day=hack_day, skills=["Testing"])
    services.hack_team_join(actor=authors[2], team=team)
    assert list(team.members.all()) == [authors[2]]


def test_nobody_leaves_once_the_day_is_over_or_judging_has_closed(lead, hack_day, team, authors):
    services.prototype_submit(actor=authors[0], team=team, description="It works")
    panel = services.panel_create(actor=lead, challenge=hack_day.challenge)
    services.panel_close(actor=lead, panel=panel)
    hack_day = HackDay.objects.select_related("challenge").get(pk=hack_day.pk)
    team = HackTeam.objects.get(pk=team.pk)
    with pytest.raises(ValidationError, match="Judging is over"):
        services.hack_team_leave(actor=authors[0], team=team)
    with pytest.raises(ValidationError, match="Judging is over"):
        services.hack_day_unregister(actor=authors[0], hack_day=hack_day)
    services.panel_reopen(actor=lead, panel=panel, reason="One more look")
    HackDay.objects.filter(pk=hack_day.pk).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )
    hack_day = HackDay.objects.select_related("challenge").get(pk=hack_day.pk)
    team = HackTeam.objects.select_related("hack_day__challenge").get(pk=team.pk)
    with pytest.raises(ValidationError, match="hack day is over"):
        services.hack_team_leave(actor=authors[0], team=team)
    assert team.members.count() == 2 and Registration.objects.count() == 2


def test_the_hack_day_page_lets_people_leave_and_give_up_their_place(
    client_for, hack_day, team, authors
):
    url = reverse("appraisal:hack_day", args=[hack_day.challenge_id])
    as_second = client_for(authors[1])
    page = as_second.get(url).content.decode()
    assert "Give up my place" in page and "You will leave Beds too" in page
    assert 'name="action" value="leave"' in page
    left = as_second.post(url, {"action": "leave", "team": team.pk}, follow=True)
    assert "You left Beds." in left.content.decode()
    assert list(team.members.all()) == [authors[0]]
    # A team that is not yours cannot be left.
    refused = as_second.post(url, {"action": "leave", "team": team.pk}, follow=True)
    assert "You are not in this team." in refused.content.decode()

    as_first = client_for(authors[0])
    services.prototype_submit(actor=authors[0], team=team, description="It works")
    gone = as_first.post(url, {"action": "unregister"}, follow=True).content.decode()
    assert "You have given up your place" in gone
    assert "the team and its prototype stay on the hack day" in gone
    assert "Nobody at the moment: join to carry on" in gone
    assert not Registration.objects.filter(user=authors[0]).exists()

    # Without a team, only the place is given up, and the button says nothing of a team.
    page = as_second.get(url).content.decode()
    assert "Give up my place" in page and "You will leave" not in page


def test_leaving_through_the_api(hack_day, team, authors):
    def api(user):
        _token, secret = accounts_services.api_token_create(user=user, name="Hack script")
        return ApiClient(secret)

    leave = f"/api/v1/hack-teams/{team.pk}/members"
    unregister = f"/api/v1/challenges/{hack_day.challenge_id}/hack-day/registrations"
    assert api(authors[1]).delete(leave).json() == {"team": "left"}
    refused = api(authors[1]).delete(leave)
    assert refused.status_code == 422 and "not in this team" in refused.content.decode()
    assert api(authors[1]).delete(unregister).json() == {"team": None}
    assert api(authors[0]).delete(unregister).json() == {"team": "dissolved"}
    assert not HackTeam.objects.exists() and not Registration.objects.exists()
    assert api(authors[0]).delete(unregister).status_code == 422
    assert ApiClient().delete(unregister).status_code == 401
