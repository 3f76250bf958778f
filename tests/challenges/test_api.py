"""The challenges API: shapes, filters, writes, problems, and that bad input changes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicflow.challenges.models import Challenge, Follow, Phase
from civicflow.core.models import AuditEvent
from tests.api.conftest import ApiClient
from tests.challenges.conftest import days
from tests.factories import TeamFactory, UserFactory, member

BASE = "/api/v1"


@pytest.fixture
def api(token_for):
    def make(user=None) -> ApiClient:
        return ApiClient(token_for(user) if user is not None else None)

    return make


def path(challenge, suffix=""):
    return f"{BASE}/organisations/{challenge.organisation.slug}/challenges/{challenge.slug}{suffix}"


def payload(**changes):
    body = {
        "kind": "prize",
        "title": "Stop repeat victimisation",
        "summary": "Help victims who are targeted again and again.",
        "problem": "A small number of people suffer a large share of crime.",
        "driver": "strategic_objective",
        "audience": "public",
        "phases": [
            {"key": "define", "starts_at": days(-5).isoformat(), "ends_at": days(5).isoformat()},
            {"key": "develop", "starts_at": days(5).isoformat(), "ends_at": days(30).isoformat()},
        ],
    }
    body.update(changes)
    return body


def test_anyone_lists_what_they_may_see_with_phases(api, make_challenge):
    challenge = make_challenge()
    make_challenge(title="Draft", status="draft")
    make_challenge(title="Staff", audience="staff")
    response = api().get(f"{BASE}/challenges")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["slug"] == challenge.slug
    assert item["organisation"] == "testshire"
    assert item["kind"] == "open_call" and item["audience"] == "public"
    assert item["current_phase"]["key"] == "develop"
    assert item["current_phase"]["allows"] == ["comment", "submit", "support"]
    assert item["current_phase"]["open_now"] is True
    assert item["next_phase"]["name"] == "Deliver"
    assert item["url"] == f"/organisations/testshire/challenges/{challenge.slug}/"


def test_the_list_filters_and_refuses_unknown_values(api, make_challenge, assert_problem):
    make_challenge(title="Open call")
    make_challenge(title="Closed", status="closed")
    client = api()
    assert client.get(f"{BASE}/challenges", {"status": "closed"}).json()["count"] == 1
    assert client.get(f"{BASE}/challenges", {"open_now": "true"}).json()["count"] == 1
    assert client.get(f"{BASE}/challenges", {"phase": "deliver"}).json()["count"] == 0
    assert client.get(f"{BASE}/challenges", {"organisation": "elsewhere"}).json()["count"] == 0
    body = assert_problem(client.get(f"{BASE}/challenges", {"kind": "bake_off"}), 422)
    assert body["errors"][0]["field"] == "kind"


@pytest.mark.parametrize("rows", [2, 12])
def test_the_list_takes_the_same_queries_however_many_rows(
    api, make_challenge, django_assert_max_num_queries, resident, rows
):
    for n in range(rows):
        make_challenge(title=f"Challenge {n}")
    client = api(resident)
    # token, token use, roles, count, challenges, phases
    with django_assert_max_num_queries(6):
        assert client.get(f"{BASE}/challenges").json()["count"] == rows


def test_one_challenge_says_what_you_may_do(api, make_challenge, resident, lead):
    challenge = make_challenge(evidence="Complaints doubled.")
    body = api(resident).get(path(challenge)).json()
    assert body["problem"] == "Too many bins are missed each week."
    assert body["evidence"] == "Complaints doubled."
    assert [p["key"] for p in body["phases"]] == ["discover", "define", "develop", "deliver"]
    assert body["allowed_actions"] == ["submit", "comment", "support", "follow"]
    assert body["following"] is False
    assert api(lead).get(path(challenge)).json()["allowed_actions"] == [
        "submit",
        "comment",
        "support",
        "follow",
        "edit",
        "close",
    ]
    assert api().get(path(challenge)).json()["allowed_actions"] == []


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("staff", 403), ("outsider", 404), ("lead", 200)]
)
def test_a_draft_answers_as_a_private_object(
    api, make_challenge, assert_problem, staff_user, lead, other_organisation, who, status
):
    challenge = make_challenge(status="draft")
    user = {
        "anonymous": None,
        "staff": staff_user,
        "outsider": member(other_organisation, "admin"),
        "lead": lead,
    }[who]
    response = api(user).get(path(challenge))
    if status == 200:
        assert response.status_code == 200
    else:
        assert_problem(response, status)


def test_a_lead_creates_a_draft(api, organisation, lead):
    response = api(lead).send("POST", f"{BASE}/organisations/testshire/challenges", payload())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft" and body["kind"] == "prize"
    assert [p["name"] for p in body["phases"]] == ["Define", "Develop"]
    assert "publish" in body["allowed_actions"]
    assert Challenge.objects.get().created_by == lead


def test_naive_dates_are_read_as_uk_time(api, organisation, lead):
    body = payload(phases=[{"key": "develop", "starts_at": "2027-07-01T09:00:00", "ends_at": None}])
    response = api(lead).send("POST", f"{BASE}/organisations/testshire/challenges", body)
    assert response.status_code == 201, response.content
    starts = Phase.objects.get().starts_at
    assert timezone.localtime(starts).hour == 9
    assert starts.utcoffset() is not None
    assert response.json()["phases"][0]["starts_at"].startswith("2027-07-01T08:00:00")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"summary": "x" * 301}, "summary"),
        ({"kind": "bake_off"}, "kind"),
        ({"driver": None}, "driver"),
        ({"phases": []}, "phases"),
        (
            {"phases": [{"key": "discover", "starts_at": "2027-01-01T00:00:00Z"}]},
            "phases",
        ),
        (
            {
                "phases": [
                    {
                        "key": "develop",
                        "starts_at": "2027-01-02T00:00:00Z",
                        "ends_at": "2027-01-01T00:00:00Z",
                    }
                ]
            },
            "phases",
        ),
        ({"phases": [{"key": "develop", "starts_at": "0001-01-01T00:00:00+05:00"}]}, "phases"),
        ({"phases": [{"key": "develop", "starts_at": "not a date"}]}, "phases.0.starts_at"),
        ({"kind": "improvement_board", "team": "nowhere"}, "team"),
        ({"title": "<b>" * 100}, "title"),
    ],
)
def test_invalid_input_is_422_with_field_errors_and_changes_nothing(
    api, organisation, lead, assert_problem, changes, field
):
    response = api(lead).send(
        "POST", f"{BASE}/organisations/testshire/challenges", payload(**changes)
    )
    body = assert_problem(response, 422)
    assert any(error["field"] == field for error in body["errors"]), body
    assert not Challenge.objects.exists() and not Phase.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="challenge.").exists()


def test_a_board_names_its_team_by_slug(api, organisation, lead):
    TeamFactory(organisation=organisation, name="Ward 7", slug="ward-7")
    body = payload(
        kind="improvement_board",
        team="ward-7",
        audience="staff",
        phases=[{"key": "develop", "starts_at": days(0).isoformat()}],
    )
    response = api(lead).send("POST", f"{BASE}/organisations/testshire/challenges", body)
    assert response.status_code == 201, response.content
    assert response.json()["team"] == "ward-7"


def test_update_changes_only_what_is_sent(api, make_challenge, lead, assert_problem):
    challenge = make_challenge()
    client = api(lead)
    response = client.send(
        "PATCH", path(challenge), {"title": "Fewer missed bins", "reason": "Shorter"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["title"] == "Fewer missed bins"
    assert response.json()["summary"] == "Help us miss fewer bins."
    assert AuditEvent.objects.get(action="challenge.updated").reason == "Shorter"
    new_end = days(50).isoformat()
    response = client.send(
        "PATCH",
        path(challenge),
        {"phases": [{"key": "develop", "starts_at": days(-1).isoformat(), "ends_at": new_end}]},
    )
    assert [p["key"] for p in response.json()["phases"]] == ["develop"]
    body = assert_problem(client.send("PATCH", path(challenge), {"summary": None}), 422)
    assert body["errors"][0]["field"] == "summary"
    body = assert_problem(client.send("PATCH", path(challenge), {"problem": " "}), 422)
    assert body["errors"][0]["field"] == "problem"
    challenge.refresh_from_db()
    assert challenge.problem == "Too many bins are missed each week."


def test_status_moves_and_refuses_illegal_ones(api, make_challenge, lead, assert_problem):
    challenge = make_challenge(status="draft")
    client = api(lead)
    url = path(challenge, "/status")
    response = client.send("POST", url, {"status": "published", "reason": "Ready"})
    assert response.status_code == 200 and response.json()["status"] == "published"
    body = assert_problem(client.send("POST", url, {"status": "archived"}), 422)
    assert body["errors"] == [
        {"field": "status", "message": "Only a closed challenge can be archived. Close it first."}
    ]
    assert client.send("POST", url, {"status": "closed"}).json()["status"] == "closed"
    assert client.send("POST", url, {"status": "published"}).json()["status"] == "published"
    assert_problem(client.send("POST", url, {"status": "gone"}), 422)
    assert [e.action for e in AuditEvent.objects.filter(action__startswith="challenge.")] == [
        "challenge.reopened",
        "challenge.closed",
        "challenge.published",
        "challenge.created",
    ]


def test_an_archived_challenge_cannot_be_changed(api, make_challenge, lead, assert_problem):
    challenge = make_challenge(status="archived")
    body = assert_problem(api(lead).send("PATCH", path(challenge), {"title": "New"}), 422)
    assert body["detail"] == "An archived challenge cannot be changed."


def test_follow_and_unfollow(api, make_challenge, resident, assert_problem):
    challenge = make_challenge()
    client = api(resident)
    assert client.send("PUT", path(challenge, "/follow")).status_code == 204
    assert client.send("PUT", path(challenge, "/follow")).status_code == 204
    assert Follow.objects.filter(user=resident).count() == 1
    assert client.get(path(challenge)).json()["following"] is True
    assert "unfollow" in client.get(path(challenge)).json()["allowed_actions"]
    assert client.send("DELETE", path(challenge, "/follow")).status_code == 204
    assert not Follow.objects.exists()
    assert_problem(api().send("PUT", path(challenge, "/follow")), 401)


def test_html_in_fields_comes_back_as_text(api, make_challenge):
    challenge = make_challenge(title="<script>alert(1)</script>")
    response = api().get(path(challenge))
    assert response.json()["title"] == "<script>alert(1)</script>"
    assert response["Content-Type"] == "application/json; charset=utf-8"


def test_every_operation_has_a_summary():
    from civicflow.challenges.api import router

    operations = [
        operation
        for path_view in router.path_operations.values()
        for operation in path_view.operations
    ]
    assert len(operations) == 7
    assert all(operation.summary for operation in operations)


def test_moves_tell_followers_once(api, make_challenge, lead):
    from civicflow.notifications.models import Notification

    challenge = make_challenge()
    follower = UserFactory()
    api(follower).send("PUT", path(challenge, "/follow"))
    api(lead).send("POST", path(challenge, "/status"), {"status": "closed"})
    assert Notification.objects.get(recipient=follower).kind == "challenge.closed"
    assert timezone.now() - challenge.published_at < timedelta(minutes=1)
