"""The ideas API, called as a program would: a bearer token, JSON in, JSON or problems out."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from civicflow.accounts.services import api_token_create
from civicflow.api.api import api as civicflow_api
from civicflow.ideas import services
from civicflow.ideas.models import Idea, Support
from tests.ideas.conftest import IDEA_FIELDS


class Api:
    """A client that sends JSON with a bearer token, or none for an anonymous caller."""

    def __init__(self, user: Any = None) -> None:
        headers = {}
        if user is not None:
            _token, secret = api_token_create(user=user, name="tests")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        self.client = Client(**headers)

    def __call__(self, method: str, path: str, payload: Any = None) -> Any:
        body = "" if payload is None else json.dumps(payload)
        response = self.client.generic(
            method, f"/api/v1{path}", body, content_type="application/json"
        )
        response.body = json.loads(response.content) if response.content else None
        return response


def ideas_path(challenge) -> str:
    return f"/organisations/{challenge.organisation.slug}/challenges/{challenge.slug}/ideas"


def problem(response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.body


# Reading --------------------------------------------------------------------------------------


def test_the_list_is_paginated_filtered_and_sorted(challenge, make_idea, people):
    quiet = make_idea(title="Quiet", benefits=["other"])
    popular = make_idea(title="Popular", scale="disruptive")
    for person in people(2):
        services.idea_support(user=person, idea=popular)
    anyone = Api()
    response = anyone("GET", ideas_path(challenge) + "?sort=supported&page_size=1")
    assert response.status_code == 200
    body = response.body
    assert (body["count"], body["pages"], len(body["items"])) == (2, 2, 1)
    first = body["items"][0]
    assert first["id"] == popular.pk and first["supporters_count"] == 2
    assert first["url"] == f"/ideas/{popular.pk}/"
    assert first["author"]["name"] == "Ada Author"
    assert first["challenge"] == challenge.slug and first["organisation"] == "testshire"
    only = anyone("GET", ideas_path(challenge) + "?benefit=other").body["items"]
    assert [item["id"] for item in only] == [quiet.pk]
    bad = anyone("GET", ideas_path(challenge) + "?benefit=fame")
    assert problem(bad, 422)["errors"][0]["field"] == "benefit"


def test_private_ideas_answer_401_to_anonymous_callers_and_404_to_outsiders(
    make_challenge, make_idea, outsider, colleague
):
    staff_only = make_challenge(audience="staff", title="Staff")
    idea = make_idea(on=staff_only)
    problem(Api()("GET", f"/ideas/{idea.pk}"), 401)
    problem(Api()("GET", ideas_path(staff_only)), 401)
    problem(Api(outsider)("GET", f"/ideas/{idea.pk}"), 404)
    problem(Api(outsider)("GET", ideas_path(staff_only)), 404)
    assert Api(colleague)("GET", f"/ideas/{idea.pk}").status_code == 200
    problem(Api(colleague)("GET", "/ideas/999999"), 404)


def test_an_idea_says_what_the_caller_may_do(idea, author, colleague, lead):
    assert Api(author)("GET", f"/ideas/{idea.pk}").body["allowed_actions"] == [
        "edit",
        "withdraw",
        "invite",
    ]
    assert Api(colleague)("GET", f"/ideas/{idea.pk}").body["allowed_actions"] == ["support"]
    assert Api(lead)("GET", f"/ideas/{idea.pk}").body["allowed_actions"] == [
        "support",
        "set_status",
        "merge",
    ]
    assert Api()("GET", f"/ideas/{idea.pk}").body["allowed_actions"] == []


# Writing --------------------------------------------------------------------------------------


def test_putting_forward_an_idea(challenge, resident):
    response = Api(resident)("POST", ideas_path(challenge), IDEA_FIELDS)
    assert response.status_code == 201
    body = response.body
    assert body["title"] == IDEA_FIELDS["title"]
    assert body["benefits"] == ["saves_money", "improves_communication"]
    assert body["version"] == 1 and body["status"] == "submitted"
    assert Idea.objects.get().author == resident


def test_text_comes_back_exactly_as_written(challenge, resident):
    body = Api(resident)(
        "POST", ideas_path(challenge), {**IDEA_FIELDS, "title": "<script>x</script>"}
    ).body
    assert body["title"] == "<script>x</script>"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "x" * 151}, "title"),
        ({"description": "x" * 20_001}, "description"),
        ({"benefits": []}, "benefits"),
        ({"scale": "huge"}, "scale"),
        ({"title": "   "}, "title"),
    ],
)
def test_bad_input_is_refused_with_422_naming_the_field(challenge, resident, changes, field):
    response = Api(resident)("POST", ideas_path(challenge), {**IDEA_FIELDS, **changes})
    assert field in [error["field"] for error in problem(response, 422)["errors"]]
    assert not Idea.objects.exists()


def test_putting_forward_outside_the_phase_is_refused(make_challenge, resident):
    later = make_challenge(phase="define")
    body = problem(Api(resident)("POST", ideas_path(later), IDEA_FIELDS), 422)
    assert body["detail"].startswith("You can put forward ideas from ")


def test_changing_an_idea(idea, author, colleague):
    api = Api(author)
    response = api("PATCH", f"/ideas/{idea.pk}", {"title": "Sharper title", "version": 1})
    assert response.status_code == 200
    assert (response.body["title"], response.body["version"]) == ("Sharper title", 2)
    stale = api("PATCH", f"/ideas/{idea.pk}", {"title": "Late", "version": 1})
    assert problem(stale, 409)["detail"].startswith("Someone else changed this idea")
    problem(Api(colleague)("PATCH", f"/ideas/{idea.pk}", {"title": "Mine now"}), 403)
    services.coauthor_invite(actor=author, idea=idea, email=colleague.email)
    problem(Api(colleague)("PATCH", f"/ideas/{idea.pk}", {"title": "Not yet"}), 403)
    versions = Api(colleague)("GET", f"/ideas/{idea.pk}/versions").body["items"]
    assert [version["number"] for version in versions] == [2, 1]
    assert versions[0]["changes"] == [
        {"field": "title", "before": IDEA_FIELDS["title"], "after": "Sharper title"}
    ]
    assert versions[0]["edited_by"]["name"] == "Ada Author"


def test_withdrawing_an_idea(idea, author, colleague):
    problem(Api(colleague)("POST", f"/ideas/{idea.pk}/withdraw", {}), 403)
    response = Api(author)("POST", f"/ideas/{idea.pk}/withdraw", {"reason": "Done"})
    assert response.body["status"] == "withdrawn"
    problem(Api(author)("POST", f"/ideas/{idea.pk}/withdraw", {}), 422)


def test_setting_a_status_with_feedback(idea, lead, colleague):
    payload = {"status": "selected", "feedback": "We will pilot it."}
    problem(Api(colleague)("PUT", f"/ideas/{idea.pk}/status", payload), 403)
    body = Api(lead)("PUT", f"/ideas/{idea.pk}/status", payload).body
    assert (body["status"], body["feedback"]) == ("selected", "We will pilot it.")
    assert body["feedback_by"]["name"] == str(lead)
    problem(Api(lead)("PUT", f"/ideas/{idea.pk}/status", {**payload, "status": "merged"}), 422)
    problem(Api(lead)("PUT", f"/ideas/{idea.pk}/status", {**payload, "feedback": ""}), 422)


# Support --------------------------------------------------------------------------------------


def test_support_and_withdraw_support(idea, colleague, author):
    api = Api(colleague)
    assert api("PUT", f"/ideas/{idea.pk}/support").body == {
        "supported": True,
        "supporters_count": 1,
    }
    assert problem(api("PUT", f"/ideas/{idea.pk}/support"), 409)["detail"] == (
        "You already support this idea."
    )
    assert api("GET", f"/ideas/{idea.pk}").body["allowed_actions"] == ["unsupport"]
    assert api("DELETE", f"/ideas/{idea.pk}/support").body == {
        "supported": False,
        "supporters_count": 0,
    }
    problem(api("DELETE", f"/ideas/{idea.pk}/support"), 409)
    own = problem(Api(author)("PUT", f"/ideas/{idea.pk}/support"), 422)
    assert own["detail"] == "You cannot support your own idea in this challenge."
    problem(Api()("PUT", f"/ideas/{idea.pk}/support"), 401)
    assert Support.objects.count() == 0


# Co-authors -----------------------------------------------------------------------------------


def test_coauthor_invitations(idea, author, colleague, lead):
    invited = Api(author)("POST", f"/ideas/{idea.pk}/coauthors", {"email": colleague.email})
    assert invited.status_code == 201
    assert invited.body == {"id": colleague.pk, "name": "Colin Colleague", "status": "invited"}
    assert Api(lead)("GET", f"/ideas/{idea.pk}/coauthors").body == []
    assert len(Api(author)("GET", f"/ideas/{idea.pk}/coauthors").body) == 1
    problem(Api(lead)("POST", f"/ideas/{idea.pk}/invitation/accept"), 404)
    accepted = Api(colleague)("POST", f"/ideas/{idea.pk}/invitation/accept")
    assert accepted.body["status"] == "accepted"
    assert Api(lead)("GET", f"/ideas/{idea.pk}/coauthors").body[0]["status"] == "accepted"
    problem(Api(lead)("DELETE", f"/ideas/{idea.pk}/coauthors/{colleague.pk}"), 403)
    removed = Api(author)("DELETE", f"/ideas/{idea.pk}/coauthors/{colleague.pk}")
    assert removed.status_code == 204
    problem(Api(author)("DELETE", f"/ideas/{idea.pk}/coauthors/999999"), 404)
    bad = Api(author)("POST", f"/ideas/{idea.pk}/coauthors", {"email": "nobody@example.com"})
    assert problem(bad, 422)["errors"][0]["field"] == "email"


# Merging --------------------------------------------------------------------------------------


def test_merge_and_undo(make_idea, lead, colleague, people):
    keeper, duplicate = make_idea(title="Keeper"), make_idea(title="Duplicate")
    for person in people(2):
        services.idea_support(user=person, idea=duplicate)
    payload = {"into": keeper.pk, "reason": "Same idea"}
    problem(Api(colleague)("POST", f"/ideas/{duplicate.pk}/merge", payload), 403)
    problem(Api(lead)("POST", f"/ideas/{duplicate.pk}/merge", {**payload, "into": 999999}), 422)
    merged = Api(lead)("POST", f"/ideas/{duplicate.pk}/merge", payload).body
    assert (merged["source"], merged["target"], merged["supports_moved"]) == (
        duplicate.pk,
        keeper.pk,
        2,
    )
    gone = Api(colleague)("GET", f"/ideas/{duplicate.pk}").body
    assert (gone["status"], gone["merged_into"]) == ("merged", keeper.pk)
    assert Api(colleague)("GET", f"/ideas/{keeper.pk}").body["supporters_count"] == 2
    undone = Api(lead)("DELETE", f"/ideas/{duplicate.pk}/merge").body
    assert undone["undone_at"] is not None
    assert Api(colleague)("GET", f"/ideas/{duplicate.pk}").body["supporters_count"] == 2
    problem(Api(lead)("DELETE", f"/ideas/{duplicate.pk}/merge"), 422)


def test_every_ideas_operation_has_a_summary():
    schema = civicflow_api.get_openapi_schema()
    operations = [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        if "/ideas" in path
        for method, operation in methods.items()
    ]
    # Other capabilities hang their own endpoints under an idea (a business case, ...).
    assert len([op for _p, _m, op in operations if op["tags"] == ["Ideas"]]) == 16
    for path, method, operation in operations:
        assert operation.get("summary"), f"{method.upper()} {path} has no summary"
