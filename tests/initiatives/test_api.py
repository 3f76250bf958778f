"""The initiatives API: the same rules and permissions as the pages."""

from __future__ import annotations

import pytest

from civicflow.accounts import services as accounts_services
from civicflow.initiatives.models import GateDecision, Initiative, Stage
from tests.api.conftest import ApiClient

pytestmark = pytest.mark.django_db


def _api(user=None) -> ApiClient:
    if user is None:
        return ApiClient()
    _token, secret = accounts_services.api_token_create(user=user, name="Initiative script")
    return ApiClient(secret)


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    return response.json()


def test_a_lead_starts_an_initiative_from_an_idea_and_runs_it(lead, owner, organisation, idea):
    api = _api(lead)

    response = api.send(
        "POST",
        f"/api/v1/organisations/{organisation.slug}/initiatives",
        {"title": "Bin day texts", "idea_id": idea.pk, "business_owner_id": owner.pk},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["source_kind"] == "idea"
    assert body["challenge_id"] == idea.challenge_id
    assert body["business_owner"]["name"] == "Olu Owner"
    pk = body["id"]

    assert (
        api.send(
            "PUT",
            f"/api/v1/initiatives/{pk}/stages/test",
            {"budget": "12500.50", "spent": "100", "planned_start": "2026-01-05"},
        ).json()["budget"]
        == "12500.50"
    )
    criterion = api.send(
        "POST", f"/api/v1/initiatives/{pk}/criteria", {"stage": "implement", "text": "Reviewed"}
    ).json()
    assert api.send(
        "PUT", f"/api/v1/initiatives/{pk}/criteria/{criterion['id']}", {"met": True}
    ).json()["met"]
    assert (
        api.send("POST", f"/api/v1/initiatives/{pk}/updates", {"body": "Live."}).status_code == 201
    )
    milestone = api.send(
        "POST", f"/api/v1/initiatives/{pk}/milestones", {"title": "Ends", "due_on": "2026-06-30"}
    ).json()
    assert api.send(
        "POST", f"/api/v1/initiatives/{pk}/milestones/{milestone['id']}/reached", {}
    ).json()["done_on"]
    plan = api.send(
        "PUT",
        f"/api/v1/initiatives/{pk}/evaluation-plan",
        {"question": "Fewer missed bins?", "design": "comparison", "review_dates": ["2026-09-30"]},
    )
    assert plan.json()["review_dates"] == ["2026-09-30"]

    detail = _api().get(f"/api/v1/initiatives/{pk}")
    assert detail.status_code == 401  # private: sign in first
    detail = api.get(f"/api/v1/initiatives/{pk}").json()
    assert detail["stages"][1]["entry_criteria"][0]["met"] is True
    assert detail["updates"][0]["body"] == "Live."
    assert detail["evaluation_plan"]["design"] == "comparison"


def test_decisions_through_the_api_keep_the_rules(lead, decider, initiative):
    url = f"/api/v1/initiatives/{initiative.pk}/decisions"

    refused = _api(lead).send("POST", url, {"decision": "go", "reason": "x"})
    assert_problem(refused, 403)
    no_reason = _api(decider).send("POST", url, {"decision": "go", "reason": " "})
    assert "Enter the reason for the decision" in assert_problem(no_reason, 422)["detail"]

    go = _api(decider).send(
        "POST",
        url,
        {"decision": "go", "reason": "It worked.", "evidence_links": ["https://a.example/r"]},
    )
    assert go.status_code == 201
    assert (go.json()["from_stage"], go.json()["to_stage"]) == ("test", "implement")
    fix = _api(decider).send(
        "POST", url, {"decision": "hold", "reason": "Too soon.", "corrects_id": go.json()["id"]}
    )
    assert fix.json()["corrects"] == go.json()["id"]
    initiative.refresh_from_db()
    assert initiative.stage == Stage.TEST
    listed = _api(decider).get(url).json()
    assert [row["corrected_by"] for row in listed] == [None, fix.json()["id"]]
    assert GateDecision.objects.count() == 2


def test_the_register_and_funnel_are_for_members(
    staff_user, outsider, decider, organisation, make_initiative
):
    stopped = make_initiative(title="Shared stores")
    _api(decider).send(
        "POST", f"/api/v1/initiatives/{stopped.pk}/decisions", {"decision": "stop", "reason": "No."}
    )

    register = _api(staff_user).get(
        f"/api/v1/organisations/{organisation.slug}/decisions?decision=stop"
    )
    assert register.json()["items"][0]["reason"] == "No."
    assert_problem(_api(outsider).get(f"/api/v1/organisations/{organisation.slug}/decisions"), 404)
    funnel = _api(staff_user).get(f"/api/v1/organisations/{organisation.slug}/initiative-funnel")
    assert [step["key"] for step in funnel.json()] == [
        "ideas",
        "test",
        "implement",
        "evaluate",
        "scale",
    ]


def test_outsiders_list_only_public_initiatives(organisation, make_initiative):
    make_initiative(title="Private")
    make_initiative(title="Open", public=True)

    response = _api().get(f"/api/v1/organisations/{organisation.slug}/initiatives")
    assert response.status_code == 200, response.content
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Open"]
    assert Initiative.objects.count() == 2
