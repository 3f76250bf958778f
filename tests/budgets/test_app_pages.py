"""Budget pages: the budget and its projects, voting without JavaScript, the results side by
side, and the pages leads run a budget from; query counts pinned."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from civicflow.budgets import services
from civicflow.budgets.models import Ballot, Phase, Project
from civicflow.core.models import AuditEvent
from tests.budgets.helpers import city_budget, ids
from tests.factories import UserFactory, member


@pytest.fixture
def lead(organisation):
    return member(organisation, "innovation_lead", email="lead@testshire.example")


@pytest.fixture
def budget(lead, organisation):
    return city_budget(lead, organisation)


def _published(budget, lead):
    p = ids(budget)
    for n in range(6):
        services.ballot_cast(
            actor=UserFactory(email=f"a{n}@example.com"),
            budget=budget,
            choices={p["Trees"]: 1, p["Bins"]: 1},
        )
    for n in range(4):
        services.ballot_cast(
            actor=UserFactory(email=f"b{n}@example.com"),
            budget=budget,
            choices={p["Benches"]: 1, p["Bike racks"]: 1},
        )
    services.results_publish(actor=lead, budget=budget, completion="none")


def test_budget_page_lists_projects_with_fixed_queries(
    client_for, budget, django_assert_num_queries
):
    client = client_for()
    with django_assert_num_queries(4):
        response = client.get(budget.get_absolute_url())
    assert response.status_code == 200
    Project.objects.bulk_create(
        [Project(budget=budget, code=f"x{n}", title=f"Extra {n}", cost=10) for n in range(15)]
    )
    with django_assert_num_queries(4):
        assert client.get(budget.get_absolute_url()).status_code == 200
    assert "Bike racks" in response.content.decode()
    assert reverse("budgets:ballot", args=[budget.pk]) in response.content.decode()


def test_empty_list_and_empty_budget(client_for, organisation, lead):
    response = client_for().get(reverse("budgets:list", args=[organisation.slug]))
    assert "There are no participatory budgets yet." in response.content.decode()
    empty = city_budget(lead, organisation, phase=Phase.PROPOSALS, title="Empty")
    empty.projects.all().delete()
    response = client_for().get(empty.get_absolute_url())
    assert "There are no projects yet." in response.content.decode()


def test_voting_shows_the_running_total_and_refuses_overspending(client_for, budget, resident):
    client = client_for(resident)
    url = reverse("budgets:ballot", args=[budget.pk])
    p = ids(budget)
    response = client.post(url, {f"p-{p['Trees']}": "1", "action": "check"})
    assert response.status_code == 200
    assert "Your projects cost £600 of £1,000." in response.content.decode()
    response = client.post(
        url, {f"p-{p['Trees']}": "1", f"p-{p['Benches']}": "1", f"p-{p['Bins']}": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "more than the budget" in page
    assert "Your projects cost £1,200" in page
    assert not Ballot.objects.exists()
    response = client.post(url, {f"p-{p['Trees']}": "1", "action": "cast"})
    assert response.status_code == 302
    response = client.get(url)
    assert "You have voted" in response.content.decode()
    assert "checked" in response.content.decode()


def test_anonymous_voters_sign_in_first(client_for, budget):
    response = client_for().get(reverse("budgets:ballot", args=[budget.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_results_side_by_side_with_fixed_queries(
    client_for, budget, lead, django_assert_num_queries
):
    _published(budget, lead)
    client = client_for()
    with django_assert_num_queries(3):
        response = client.get(reverse("budgets:results", args=[budget.pk]))
    page = response.content.decode()
    assert "Method of Equal Shares" in page and "Greedy" in page
    assert budget.results.first().checksum in page
    assert "each paying at most" in page
    assert "more supporters to be funded" in page
    assert "left." in page


def test_results_empty_state(client_for, budget):
    response = client_for().get(reverse("budgets:results", args=[budget.pk]))
    assert "No results have been published yet." in response.content.decode()


def test_export_waits_for_results_for_residents(client_for, budget, resident, lead):
    url = reverse("budgets:export", args=[budget.pk])
    assert client_for(resident).get(url).status_code == 403
    assert client_for(lead).get(url).status_code == 200


def test_lead_publishes_from_the_manage_page(client_for, budget, lead):
    client = client_for(lead)
    url = reverse("budgets:manage", args=[budget.pk])
    response = client.post(
        url, {"action": "publish", "utility": "cost", "completion": "add1", "tie_break": "id"}
    )
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.phase == Phase.RESULTS


def test_import_page_names_the_line_and_stores_nothing(client_for, lead, organisation):
    budget = city_budget(lead, organisation, phase=Phase.PROPOSALS, title="Import")
    budget.projects.all().delete()
    bad = "META\nkey;value\nbudget;100\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;ten\n"
    response = client_for(lead).post(
        reverse("budgets:import", args=[budget.pk]),
        {"file": SimpleUploadedFile("bad.pb", bad.encode())},
    )
    assert response.status_code == 400
    assert "Line 7" in response.content.decode()
    assert not budget.projects.exists()


def test_paper_ballot_page(client_for, budget, lead):
    p = ids(budget)
    response = client_for(lead).post(
        reverse("budgets:paper", args=[budget.pk]), {f"p-{p['Bins']}": "1", "reference": "B-17"}
    )
    assert response.status_code == 302
    assert Ballot.objects.get().entered_by == lead


def test_create_page_with_districts_and_window(client_for, organisation, lead):
    url = reverse("budgets:create", args=[organisation.slug])
    form = {
        "title": "City budget",
        "total": "1000",
        "ballot_kind": "approval_budget",
        "eligibility": "list",
        "voting_opens_at": "2027-03-01T09:00",
        "voting_closes_at": "2027-03-31T17:00",
        "districts": "North, 600\nSouth, 300\n",
    }
    response = client_for(lead).post(url, form)
    assert response.status_code == 302
    budget = organisation.budgets.get()
    assert dict(budget.areas.values_list("name", "amount")) == {"North": 600, "South": 300}
    response = client_for(lead).post(url, {**form, "districts": "North 600"})
    assert response.status_code == 400
    assert "Line 1" in response.content.decode()
    response = client_for(lead).post(url, {**form, "districts": "North, 900\nSouth, 300"})
    assert response.status_code == 400
    assert organisation.budgets.count() == 1


def test_lead_sets_the_list_and_makes_codes(client_for, organisation, lead):
    listed = city_budget(lead, organisation, eligibility="list", title="Listed")
    client = client_for(lead)
    url = reverse("budgets:manage", args=[listed.pk])
    response = client.post(url, {"action": "eligible", "emails": "a@example.com\nnot an email"})
    assert response.status_code == 400
    assert not listed.eligible_voters.exists()
    response = client.post(url, {"action": "eligible", "emails": "a@example.com\nB@example.com"})
    assert response.status_code == 302
    assert sorted(listed.eligible_voters.values_list("email", flat=True)) == [
        "a@example.com",
        "b@example.com",
    ]
    coded = city_budget(lead, organisation, eligibility="codes", title="Coded")
    response = client.post(
        reverse("budgets:manage", args=[coded.pk]), {"action": "codes", "how_many": "3"}
    )
    assert response.status_code == 200
    assert response.content.decode().count("<li><code>") == 3
    assert coded.codes.count() == 3


def test_a_budget_on_a_staff_only_challenge_is_hidden_from_outsiders(
    client_for, organisation, lead, resident
):
    from tests.opinions.conftest import open_call

    challenge = open_call(lead, organisation, audience="staff", title="Staff ideas")
    budget = city_budget(lead, organisation, challenge=challenge, title="Staff budget")
    assert client_for(resident).get(budget.get_absolute_url()).status_code == 404
    assert client_for(lead).get(budget.get_absolute_url()).status_code == 200
    listed = client_for(resident).get(reverse("budgets:list", args=[organisation.slug]))
    assert "Staff budget" not in listed.content.decode()
    budgets_link = f'href="{reverse("budgets:list", args=[organisation.slug])}"'
    page = client_for(resident).get(reverse("accounts:organisation", args=[organisation.slug]))
    assert budgets_link in page.content.decode()
    assert "Participatory budgets" in page.content.decode()
    page = client_for(lead).get(challenge.get_absolute_url())
    assert f'href="{budget.get_absolute_url()}"' in page.content.decode()
    assert "Staff budget" in page.content.decode()


def test_a_challenge_without_budgets_links_to_its_organisation_s(
    client_for, organisation, lead, resident
):
    from tests.opinions.conftest import open_call

    challenge = open_call(lead, organisation, title="Quiet streets")
    other = open_call(lead, organisation, title="Cleaner parks")
    city_budget(lead, organisation, challenge=other, title="Parks budget")
    page = client_for(resident).get(challenge.get_absolute_url()).content.decode()
    assert f'href="{reverse("budgets:list", args=[organisation.slug])}"' in page
    assert "Parks budget" not in page
    page = client_for(resident).get(other.get_absolute_url()).content.decode()
    assert "Parks budget" in page


def test_personal_data_download_and_erasure(budget, resident):
    from civicflow.core.personal_data import personal_data_erase, personal_data_export

    services.ballot_cast(actor=resident, budget=budget, choices={ids(budget)["Bins"]: 1})
    exported = personal_data_export(resident)["budget_ballots"]
    assert exported[0]["budget"] == "Greener streets"
    personal_data_erase(resident)
    assert Ballot.objects.get().voter is None


def test_lead_changes_a_project_and_links_its_idea(client_for, organisation, lead):
    from civicflow.ideas import services as ideas
    from tests.ideas.conftest import IDEA_FIELDS
    from tests.opinions.conftest import open_call

    challenge = open_call(lead, organisation, title="Greener streets")
    idea = ideas.idea_submit(author=lead, challenge=challenge, **IDEA_FIELDS)
    budget = city_budget(lead, organisation, phase=Phase.REVIEW)
    project = budget.projects.get(title="Trees")
    url = reverse("budgets:project_edit", args=[budget.pk, project.pk])
    client = client_for(lead)
    response = client.post(url, {"title": "Tall trees", "cost": "650", "idea": "999999"})
    assert response.status_code == 400
    assert "no idea with this number" in response.content.decode()
    response = client.post(url, {"title": "Tall trees", "cost": "650", "idea": str(idea.pk)})
    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.title, project.cost, project.idea_id) == ("Tall trees", 650, idea.pk)
    page = client.get(budget.get_absolute_url()).content.decode()
    assert reverse("ideas:detail", args=[idea.pk]) in page


def test_money_reads_as_people_write_it():
    from civicflow.budgets.templatetags.budgets import money

    assert money(1250000) == "£1,250,000"
    assert money(-5, "GBP") == "-£5"
    assert money(1000, "PLN") == "1,000 PLN"
    assert money(None) == ""


def test_lead_changes_the_budget_until_the_results(client_for, budget, lead):
    url = reverse("budgets:edit", args=[budget.pk])
    client = client_for(lead)
    bad = {
        "title": "Greener streets",
        "voting_opens_at": "2027-03-02T09:00",
        "voting_closes_at": "2027-03-01T09:00",
    }
    response = client.post(url, bad)
    assert response.status_code == 400
    assert "close after it opens" in response.content.decode()
    response = client.post(url, {"title": "Greener streets 2027", "reason": "New year"})
    assert response.status_code == 302
    budget.refresh_from_db()
    assert budget.title == "Greener streets 2027"
    assert AuditEvent.objects.filter(action="budget.edited", reason="New year").exists()
