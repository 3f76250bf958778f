"""Notifications and preferences, as a program sees them through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from civicflow.accounts import services as accounts_services
from civicflow.notifications import selectors
from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify
from tests.api.conftest import ApiClient
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.CIVICFLOW_BASE_URL = "https://civicflow.example.gov.uk"


@pytest.fixture
def person():
    return UserFactory(name="Priya Shah")


@pytest.fixture
def api(person) -> ApiClient:
    _token, secret = accounts_services.api_token_create(user=person, name="Script")
    return ApiClient(secret)


def _notify(person, title, **fields):
    fields.setdefault("kind", "comment.reply")
    notify(recipients=[person], title=title, **fields)
    return Notification.objects.filter(recipient=person).order_by("-pk").first()


def _problem(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_listing_my_notifications(api, person):
    actor = UserFactory(name="Sam Jones")
    older = _notify(person, "Older", url="/organisations/")
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(hours=1))
    newer = _notify(person, "Newer", body="Thanks!", actor=actor)
    _notify(UserFactory(), "Not mine")

    body = api.get("/api/v1/notifications").json()

    assert body["count"] == 2
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk]
    assert body["items"][0] == {
        "id": newer.pk,
        "kind": "comment.reply",
        "kind_name": "A reply to your comment",
        "group": "comments",
        "title": "Newer",
        "body": "Thanks!",
        "url": "",
        "actor": "Sam Jones",
        "created_at": body["items"][0]["created_at"],
        "read_at": None,
        "unread": True,
    }
    assert body["items"][1]["url"] == "https://civicflow.example.gov.uk/organisations/"
    assert body["items"][1]["actor"] is None


def test_listing_unread_ones_only_and_by_page(api, person):
    for number in range(3):
        _notify(person, f"News {number}")
    read = _notify(person, "Read")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())

    body = api.get("/api/v1/notifications", {"unread": "true", "page_size": 2}).json()

    assert body["count"] == 3
    assert body["pages"] == 2
    assert len(body["items"]) == 2
    assert all(item["unread"] for item in body["items"])


def test_marking_some_as_read_ignores_other_peoples(api, person):
    mine, also_mine = _notify(person, "One"), _notify(person, "Two")
    theirs = _notify(UserFactory(), "Theirs")

    response = api.send("POST", "/api/v1/notifications/read", {"ids": [mine.pk, theirs.pk]})

    assert response.status_code == 200
    assert response.json() == {"marked": 1, "unread": 1}
    theirs.refresh_from_db()
    also_mine.refresh_from_db()
    assert theirs.read_at is None and also_mine.read_at is None


def test_marking_read_refuses_ids_that_cannot_exist(api):
    for ids in [[0], [2**63], ["x"], list(range(1, 102))]:
        _problem(api.send("POST", "/api/v1/notifications/read", {"ids": ids}), 422)


def test_marking_all_as_read(api, person):
    _notify(person, "One")
    _notify(person, "Two")

    response = api.send("POST", "/api/v1/notifications/read-all")

    assert response.json() == {"marked": 2, "unread": 0}
    assert selectors.unread_count(person) == 0


def test_reading_my_preferences(api):
    body = api.get("/api/v1/notifications/preferences").json()

    assert [(row["group"], row["delivery"], row["default"]) for row in body] == [
        ("ideas", "immediate", "immediate"),
        ("comments", "immediate", "immediate"),
        ("followed_challenges", "digest", "digest"),
        ("other", "immediate", "immediate"),
    ]
    assert body[2]["name"] == "Challenges you follow"


def test_changing_some_preferences_leaves_the_others(api, person):
    response = api.send(
        "PATCH",
        "/api/v1/notifications/preferences",
        {"preferences": {"comments": "digest", "followed_challenges": "in_app"}},
    )

    assert response.status_code == 200
    assert {row["group"]: row["delivery"] for row in response.json()} == {
        "ideas": "immediate",
        "comments": "digest",
        "followed_challenges": "in_app",
        "other": "immediate",
    }
    assert selectors.preferences_for(person)["comments"] == "digest"


def test_an_unknown_group_or_way_is_refused(api, person):
    problem = _problem(
        api.send(
            "PATCH", "/api/v1/notifications/preferences", {"preferences": {"pilots": "digest"}}
        ),
        422,
    )
    assert problem["errors"] == [
        {"field": "pilots", "message": "There is no group of notifications called ‘pilots’."}
    ]
    _problem(
        api.send("PATCH", "/api/v1/notifications/preferences", {"preferences": {"ideas": "fax"}}),
        422,
    )
    assert selectors.preferences_for(person)["ideas"] == "immediate"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/notifications"),
        ("POST", "/api/v1/notifications/read"),
        ("POST", "/api/v1/notifications/read-all"),
        ("GET", "/api/v1/notifications/preferences"),
        ("PATCH", "/api/v1/notifications/preferences"),
    ],
)
def test_callers_must_sign_in(method, path):
    _problem(ApiClient().send(method, path, {}), 401)
