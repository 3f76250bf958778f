"""Budget API: budgets, projects, my ballot (PUT), results and the .pb export."""

from __future__ import annotations

import pytest

from civicflow.accounts import services as accounts_services
from civicflow.budgets import services
from civicflow.budgets.counting import parse_pb
from civicflow.budgets.models import Ballot
from tests.api.conftest import ApiClient
from tests.budgets.helpers import city_budget, ids
from tests.factories import member


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def budget(lead, organisation):
    return city_budget(lead, organisation)


def _api(user=None) -> ApiClient:
    if user is None:
        return ApiClient()
    _token, secret = accounts_services.api_token_create(user=user, name="Budget script")
    return ApiClient(secret)


def test_budget_list_and_detail(budget, organisation):
    response = _api().get(f"/api/v1/organisations/{organisation.slug}/budgets")
    assert response.status_code == 200
    assert response.json()["items"][0]["title"] == "Greener streets"
    detail = _api().get(f"/api/v1/budgets/{budget.pk}").json()
    assert [p["title"] for p in detail["projects"]] == ["Trees", "Benches", "Bike racks", "Bins"]
    assert detail["voting_open"] is True


def test_put_my_ballot_changes_it_and_refuses_overspending(budget, resident):
    api = _api(resident)
    p = ids(budget)
    url = f"/api/v1/budgets/{budget.pk}/ballot"
    response = api.send("PUT", url, {"choices": {p["Trees"]: 1, p["Benches"]: 1, p["Bins"]: 1}})
    assert response.status_code == 422
    assert "more than the budget" in response.json()["detail"]
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Ballot.objects.exists()
    assert api.send("PUT", url, {"choices": {p["Trees"]: 1}}).json()["total_cost"] == 600
    assert api.send("PUT", url, {"choices": {p["Bins"]: 1}}).json()["total_cost"] == 200
    assert api.get(url).json()["choices"] == {p["Bins"]: 1}
    assert Ballot.objects.count() == 1


def test_results_and_export(budget, lead, resident):
    p = ids(budget)
    services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    assert _api().get(f"/api/v1/budgets/{budget.pk}/export.pb").status_code == 401
    services.results_publish(actor=lead, budget=budget, completion="none")
    results = _api().get(f"/api/v1/budgets/{budget.pk}/results").json()
    assert {r["rule"] for r in results} == {"greedy", "mes"}
    by_rule = {r["rule"]: r for r in results}
    assert by_rule["mes"]["selected"] == [int(p["Trees"])]
    assert by_rule["greedy"]["selected"][0] == int(p["Trees"])
    exported = _api().get(f"/api/v1/budgets/{budget.pk}/export.pb")
    assert exported.status_code == 200
    assert parse_pb(exported.content.decode()).budget == 1000
    assert services.checksum_of(exported.content.decode()) == results[0]["checksum"]


def test_lead_creates_a_budget_adds_a_project_and_opens_voting(organisation, lead, staff_user):
    api = _api(lead)
    url = f"/api/v1/organisations/{organisation.slug}/budgets"
    response = api.send(
        "POST", url, {"title": "Play areas", "total": 5000, "areas": {"North": 9000}}
    )
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert (
        _api(staff_user).send("POST", url, {"title": "Play areas", "total": 5000}).status_code
        == 403
    )
    assert _api().send("POST", url, {"title": "Play areas", "total": 5000}).status_code == 401
    unknown = api.send("POST", url, {"title": "Play areas", "total": 5000, "challenge_id": 999999})
    assert unknown.status_code == 422
    created = api.send("POST", url, {"title": "Play areas", "total": 5000})
    assert created.status_code == 201
    budget = created.json()
    assert (budget["phase"], budget["total"], budget["organisation"]) == (
        "proposals",
        5000,
        organisation.slug,
    )
    phase = f"/api/v1/budgets/{budget['id']}/phase"
    refused = api.send("POST", phase, {"phase": "voting"})
    assert refused.status_code == 422
    assert "at least one project" in refused.json()["detail"]
    projects = f"/api/v1/budgets/{budget['id']}/projects"
    assert api.send("POST", projects, {"title": "Swings", "cost": 9000}).status_code == 422
    assert (
        api.send("POST", projects, {"title": "Swings", "cost": 900, "area_id": 1}).status_code
        == 422
    )
    added = api.send("POST", projects, {"title": "Swings", "cost": 900})
    assert added.status_code == 201
    assert (added.json()["title"], added.json()["code"]) == ("Swings", "1")
    assert _api(staff_user).send("POST", projects, {"title": "Slide", "cost": 9}).status_code == 403
    moved = api.send("POST", phase, {"phase": "voting", "reason": "Ready"})
    assert moved.status_code == 200
    assert moved.json()["voting_open"] is True


def test_outsiders_learn_nothing(organisation, other_organisation, budget):
    outsider = member(other_organisation, "innovation_lead", email="lead@elsewhere.example")
    api = _api(outsider)
    create = api.send(
        "POST", f"/api/v1/organisations/{organisation.slug}/budgets", {"title": "X", "total": 5}
    )
    assert create.status_code == 404
    phase = api.send("POST", f"/api/v1/budgets/{budget.pk}/phase", {"phase": "review"})
    assert phase.status_code == 403
    assert api.send("POST", "/api/v1/budgets/999999/phase", {"phase": "review"}).status_code == 404


PB = (
    "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;100\nvote_type;approval\n"
    "PROJECTS\nproject_id;cost;name\n1;60;Park\n2;30;Pond\nVOTES\nvoter_id;vote\nv1;1\nv2;1,2\n"
)


def test_lead_imports_a_pb_file(organisation, lead):
    from django.core.files.uploadedfile import SimpleUploadedFile

    budget = services.budget_create(
        actor=lead, organisation=organisation, title="Imported", total=100
    )
    api = _api(lead)
    url = f"/api/v1/budgets/{budget.pk}/import"
    bad = api.post(url, {"file": SimpleUploadedFile("b.pb", b"META\nnot a file\n")})
    assert bad.status_code == 422
    assert bad.json()["detail"]
    assert not budget.projects.exists()
    response = api.post(url, {"file": SimpleUploadedFile("b.pb", PB.encode())})
    assert response.status_code == 200
    assert response.json() == {"projects": 2, "ballots": 2}
    assert budget.projects.count() == 2
    again = api.post(url, {"file": SimpleUploadedFile("b.pb", PB.encode())})
    assert again.status_code == 422


def test_lead_publishes_the_results(budget, lead, resident, staff_user):
    p = ids(budget)
    services.ballot_cast(actor=resident, budget=budget, choices={p["Trees"]: 1})
    url = f"/api/v1/budgets/{budget.pk}/results"
    assert _api(staff_user).send("POST", url, {}).status_code == 403
    assert _api(lead).send("POST", url, {"completion": "nonsense"}).status_code == 422
    response = _api(lead).send("POST", url, {"completion": "none"})
    assert response.status_code == 201
    body = response.json()
    assert body["queued"] is False
    assert {r["rule"] for r in body["results"]} == {"greedy", "mes"}
    assert body["results"] == _api().get(url).json()


def test_lead_sets_who_may_vote_and_a_bad_line_changes_nothing(organisation, lead, staff_user):
    budget = city_budget(lead, organisation, eligibility="list")
    api = _api(lead)
    url = f"/api/v1/budgets/{budget.pk}/eligible-voters"
    response = api.send(
        "PUT", url, {"emails": ["B@example.org", "", "a@example.org", "b@example.org"]}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"count": 2, "emails": ["a@example.org", "b@example.org"]}
    refused = api.send("PUT", url, {"emails": ["c@example.org", "not an address"]})
    assert refused.status_code == 422
    assert "Line 2 is not an email address" in refused.json()["detail"]
    assert api.get(url).json()["count"] == 2
    assert _api(staff_user).get(url).status_code == 403
    assert _api().get(url).status_code == 401


def test_lead_makes_codes_that_are_shown_once_and_a_paper_ballot_uses_one(organisation, lead):
    from civicflow.core.models import AuditEvent

    budget = city_budget(lead, organisation, eligibility="codes")
    api = _api(lead)
    made = api.send("POST", f"/api/v1/budgets/{budget.pk}/codes", {"how_many": 3})
    assert made.status_code == 201, made.content
    codes = made.json()["codes"]
    assert len(set(codes)) == 3
    assert made.json()["issued"] == 3
    assert (
        api.send("POST", f"/api/v1/budgets/{budget.pk}/codes", {"how_many": 0}).status_code == 422
    )
    p = ids(budget)
    url = f"/api/v1/budgets/{budget.pk}/paper-ballots"
    entered = api.send(
        "POST", url, {"choices": {p["Trees"]: 1}, "code": codes[0].lower(), "reference": "P-001"}
    )
    assert entered.status_code == 201, entered.content
    assert entered.json()["reference"] == "P-001"
    assert entered.json()["entered_by"]
    again = api.send("POST", url, {"choices": {p["Bins"]: 1}, "code": codes[0], "reference": "P-2"})
    assert again.status_code == 422
    assert "already been used" in again.json()["detail"]
    over = api.send(
        "POST", url, {"choices": {p["Trees"]: 1, p["Benches"]: 1, p["Bins"]: 1}, "code": codes[1]}
    )
    assert over.status_code == 422
    assert Ballot.objects.filter(budget=budget).count() == 1
    assert api.get(f"/api/v1/budgets/{budget.pk}/codes").json() == {"issued": 3, "used": 1}
    listed = api.get(url).json()
    assert [b["reference"] for b in listed["items"]] == ["P-001"]
    assert AuditEvent.objects.filter(action="budget.paper_ballot_entered").count() == 1


def test_paper_ballots_are_refused_outside_voting(organisation, lead):
    budget = city_budget(lead, organisation, phase="review")
    p = ids(budget)
    response = _api(lead).send(
        "POST", f"/api/v1/budgets/{budget.pk}/paper-ballots", {"choices": {p["Trees"]: 1}}
    )
    assert response.status_code == 422
    assert "only be entered while voting is open" in response.json()["detail"]
    assert not Ballot.objects.exists()
