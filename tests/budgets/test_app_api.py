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
