"""The comments and moderation API: reading threads, writing, reporting and deciding."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from civicflow.accounts.services import api_token_create
from civicflow.discussion import services
from civicflow.discussion.models import Comment, Flag, FlagStatus
from tests.discussion.support import LABEL

pytestmark = pytest.mark.django_db


class Api:
    """Call the API as a program would: a bearer token (or none), JSON in and out."""

    def __init__(self, user: Any = None) -> None:
        headers = {}
        if user is not None:
            _token, secret = api_token_create(user=user, name="Test")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        self.client = Client(**headers)

    def call(self, method: str, path: str, payload: Any = None, **params: Any) -> Any:
        if method == "GET":
            return self.client.get(f"/api/v1{path}", params)
        body = "" if payload is None else json.dumps(payload)
        return self.client.generic(method, f"/api/v1{path}", body, content_type="application/json")


def ref(target) -> str:
    return f"{LABEL}:{target.pk}"


def problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def post(author, target, body="A thought.", parent=None):
    return services.comment_create(author=author, target=target, body=body, parent=parent)


# Reading -------------------------------------------------------------------------------------


def test_anyone_lists_the_comments_on_a_public_target_in_thread_order(people, challenge):
    older = post(people.resident, challenge, "Older")
    newer = post(people.staff, challenge, "Newer")
    reply = post(people.neighbour, challenge, "Reply", parent=older)

    response = Api().call("GET", "/comments", target=ref(challenge))

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert [item["id"] for item in body["items"]] == [newer.pk, older.pk, reply.pk]
    first = body["items"][2]
    assert first["parent"] == older.pk and first["depth"] == 1
    assert first["target"] == ref(challenge) and first["state"] == "visible"
    assert first["hidden_reason"] is None


def test_the_list_is_paginated(people, challenge, settings):
    settings.CIVICFLOW_COMMENT_LIMIT = 100
    for number in range(5):
        post(people.resident, challenge, f"Number {number}")
    body = Api().call("GET", "/comments", target=ref(challenge), page=2, page_size=2).json()
    assert body["count"] == 5 and body["pages"] == 3 and len(body["items"]) == 2


def test_the_list_costs_the_same_queries_however_many_comments(
    people, challenge, settings, django_assert_max_num_queries
):
    settings.CIVICFLOW_COMMENT_LIMIT = 1000
    api = Api(people.lead)
    for _ in range(3):
        post(people.resident, challenge)
    api.call("GET", "/me")  # the token's first use is recorded; later calls skip that
    with django_assert_max_num_queries(6) as few:
        api.call("GET", "/comments", target=ref(challenge), page_size=100)
    for _ in range(40):
        post(people.resident, challenge)
    with django_assert_max_num_queries(6) as many:
        api.call("GET", "/comments", target=ref(challenge), page_size=100)
    assert len(few.captured_queries) == len(many.captured_queries)


def test_what_a_caller_cannot_see_is_not_found(people, staff_challenge):
    problem(Api().call("GET", "/comments", target=ref(staff_challenge)), 401)
    problem(Api(people.outsider).call("GET", "/comments", target=ref(staff_challenge)), 404)
    assert (
        Api(people.staff).call("GET", "/comments", target=ref(staff_challenge)).status_code == 200
    )


@pytest.mark.parametrize(
    ("target", "status"),
    [
        ("challenges.challenge:999999", 404),
        ("accounts.user:1", 404),
        ("nonsense", 422),
        ("challenges.challenge:x", 422),
        ("challenges.challenge:99999999999999999999999", 422),
    ],
)
def test_bad_targets_are_refused(people, target, status):
    problem(Api(people.resident).call("GET", "/comments", target=target), status)


def _by_id(api: Api, target) -> dict[int, dict[str, Any]]:
    items = api.call("GET", "/comments", target=ref(target)).json()["items"]
    return {item["id"]: item for item in items}


def test_hidden_and_deleted_text_is_shown_only_to_whom_it_should_be(people, challenge):
    rude = post(people.resident, challenge, "Rude words")
    services.comment_hide(actor=people.lead, comment=rude, reason="Abusive")
    gone = post(people.neighbour, challenge, "Regrettable")
    services.comment_delete(actor=people.neighbour, comment=gone)

    for_staff = {
        c["id"]: c
        for c in Api(people.staff).call("GET", "/comments", target=ref(challenge)).json()["items"]
    }
    assert for_staff[rude.pk]["body"] == "" and for_staff[rude.pk]["state"] == "hidden"
    assert for_staff[rude.pk]["hidden_reason"] is None
    assert for_staff[gone.pk]["body"] == "" and for_staff[gone.pk]["state"] == "deleted"
    for_lead = {
        c["id"]: c
        for c in Api(people.lead).call("GET", "/comments", target=ref(challenge)).json()["items"]
    }
    assert for_lead[rude.pk]["body"] == "Rude words"
    assert for_lead[rude.pk]["hidden_reason"] == "Abusive"
    assert for_lead[gone.pk]["body"] == ""


# Writing -------------------------------------------------------------------------------------


def test_posting_a_comment_and_a_reply(people, challenge):
    api = Api(people.resident)
    response = api.call("POST", "/comments", {"target": ref(challenge), "body": "<b>Hi</b>"})
    assert response.status_code == 201
    created = response.json()
    assert created["body"] == "<b>Hi</b>"  # stored as typed; pages escape it
    reply = Api(people.staff).call(
        "POST", "/comments", {"target": ref(challenge), "body": "Hello", "parent": created["id"]}
    )
    assert reply.status_code == 201 and reply.json()["parent"] == created["id"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "Hi", "parent": 999999}, "parent"),
    ],
)
def test_bad_comments_are_refused_with_the_field_in_error(people, challenge, payload, field):
    body = problem(
        Api(people.resident).call("POST", "/comments", {"target": ref(challenge), **payload}), 422
    )
    assert any(error["field"] == field for error in body["errors"])
    assert not Comment.objects.exists()


def test_commenting_where_the_app_says_no_is_forbidden(people, closed_challenge):
    problem(
        Api(people.resident).call(
            "POST", "/comments", {"target": ref(closed_challenge), "body": "Hi"}
        ),
        403,
    )
    problem(Api().call("POST", "/comments", {"target": ref(closed_challenge), "body": "x"}), 401)


def test_the_posting_limit_answers_422(people, challenge, settings):
    settings.CIVICFLOW_COMMENT_LIMIT = 1
    api = Api(people.resident)
    api.call("POST", "/comments", {"target": ref(challenge), "body": "One"})
    body = problem(api.call("POST", "/comments", {"target": ref(challenge), "body": "Two"}), 422)
    assert "in the last 10 minutes" in body["detail"]
    assert Comment.objects.count() == 1


def test_changing_and_deleting_your_own_comment(people, challenge):
    comment = post(people.resident, challenge, "Frist")
    api = Api(people.resident)
    changed = api.call("PATCH", f"/comments/{comment.pk}", {"body": "First"})
    assert changed.status_code == 200 and changed.json()["edited"] is True
    assert api.call("DELETE", f"/comments/{comment.pk}").status_code == 204
    comment.refresh_from_db()
    assert comment.is_deleted


def test_someone_elses_comment_is_forbidden_and_late_edits_are_refused(people, challenge):
    comment = post(people.resident, challenge, "Mine")
    problem(Api(people.admin).call("PATCH", f"/comments/{comment.pk}", {"body": "x"}), 403)
    problem(Api(people.admin).call("DELETE", f"/comments/{comment.pk}"), 403)
    Comment.objects.filter(pk=comment.pk).update(created_at=comment.created_at - timedelta(hours=1))
    body = problem(
        Api(people.resident).call("PATCH", f"/comments/{comment.pk}", {"body": "x"}), 422
    )
    assert "15 minutes" in body["detail"]


def test_unknown_comments_are_not_found(people):
    api = Api(people.resident)
    problem(api.call("PATCH", "/comments/999999", {"body": "x"}), 404)
    problem(api.call("DELETE", "/comments/999999"), 404)
    problem(api.call("POST", "/comments/999999/flags", {"reason": "spam"}), 404)
    problem(api.call("PATCH", "/comments/99999999999999999999", {"body": "x"}), 404)


# Reporting and moderating --------------------------------------------------------------------


def test_reporting_a_comment_and_the_target_once_each(people, challenge):
    comment = post(people.resident, challenge)
    api = Api(people.neighbour)
    flagged = api.call("POST", f"/comments/{comment.pk}/flags", {"reason": "spam"})
    assert flagged.status_code == 201 and flagged.json()["status"] == "open"
    problem(api.call("POST", f"/comments/{comment.pk}/flags", {"reason": "spam"}), 422)
    problem(api.call("POST", f"/comments/{comment.pk}/flags", {"reason": "rude"}), 422)
    target = api.call("POST", "/flags", {"target": ref(challenge), "reason": "off_topic"})
    assert target.status_code == 201 and target.json()["comment"] is None
    problem(api.call("POST", "/flags", {"target": ref(challenge), "reason": "other"}), 422)
    assert Flag.objects.count() == 2


def test_moderators_read_the_queue_and_decide(people, challenge):
    comment = post(people.resident, challenge, "Cheap watches")
    flag = services.flag_raise(
        reporter=people.neighbour, target=challenge, comment=comment, reason="spam"
    )
    slug = challenge.organisation.slug
    problem(Api(people.staff).call("GET", f"/organisations/{slug}/moderation"), 403)
    problem(Api(people.outsider).call("GET", f"/organisations/{slug}/moderation"), 404)
    api = Api(people.lead)
    queue = api.call("GET", f"/organisations/{slug}/moderation").json()
    assert [item["id"] for item in queue["items"]] == [flag.pk]
    assert queue["items"][0]["comment_body"] == "Cheap watches"

    problem(api.call("POST", f"/flags/{flag.pk}/hide", {"reason": ""}), 422)
    hidden = api.call("POST", f"/flags/{flag.pk}/hide", {"reason": "Advertising"})
    assert hidden.status_code == 200 and hidden.json()["status"] == FlagStatus.HIDDEN
    assert api.call("GET", f"/organisations/{slug}/moderation").json()["count"] == 0
    decided = api.call("GET", f"/organisations/{slug}/moderation", status="hidden").json()
    assert decided["count"] == 1
    restored = api.call("POST", f"/flags/{flag.pk}/restore", {"reason": "Fine after all"})
    assert restored.json()["status"] == FlagStatus.RESTORED
    problem(api.call("POST", f"/flags/{flag.pk}/dismiss", {"reason": "x"}), 422)


def test_moderators_hide_and_restore_comments_directly(people, challenge):
    comment = post(people.resident, challenge)
    problem(Api(people.staff).call("POST", f"/comments/{comment.pk}/hide", {"reason": "x"}), 403)
    api = Api(people.admin)
    hidden = api.call("POST", f"/comments/{comment.pk}/hide", {"reason": "Spam"})
    assert hidden.json()["state"] == "hidden" and hidden.json()["hidden_reason"] == "Spam"
    shown = api.call("POST", f"/comments/{comment.pk}/restore", {"reason": "Not spam"})
    assert shown.json()["state"] == "visible"
