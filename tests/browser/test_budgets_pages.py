"""Participatory budgets in a real browser: every page checked with axe-core, voting with
JavaScript switched off (the running total shown on submit), and the results side by side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.budgets import services
from civicflow.budgets.models import Ballot
from tests.browser.conftest import check_pages, page_faults, sign_in
from tests.budgets.helpers import city_budget, ids
from tests.factories import UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def streets(testshire) -> SimpleNamespace:
    """A voting budget, and a second one with ten ballots and published results."""
    lead = member(testshire.organisation, "innovation_lead", email="lead@testshire.example")
    voting = city_budget(lead, testshire.organisation)
    counted = city_budget(lead, testshire.organisation, title="Safer crossings")
    p = ids(counted)
    for n in range(10):
        choices = {p["Trees"]: 1, p["Bins"]: 1} if n < 6 else {p["Benches"]: 1}
        services.ballot_cast(
            actor=UserFactory(email=f"v{n}@example.com"), budget=counted, choices=choices
        )
    services.results_publish(actor=lead, budget=counted, completion="none")
    draft = city_budget(lead, testshire.organisation, phase="review", title="Play areas")
    return SimpleNamespace(
        testshire=testshire,
        lead=lead,
        voting=voting,
        counted=counted,
        draft=draft,
        draft_project=draft.projects.first(),
    )


def test_every_budget_page_for_a_lead(page, streets):
    sign_in(page, streets.lead.email, streets.testshire.password)
    faults = {}
    slug = streets.testshire.organisation.slug
    for name, path in [
        ("list", f"/organisations/{slug}/budgets/"),
        ("create", f"/organisations/{slug}/budgets/new/"),
        ("budget", f"/budgets/{streets.voting.pk}/"),
        ("ballot", f"/budgets/{streets.voting.pk}/vote/"),
        ("manage", f"/budgets/{streets.voting.pk}/manage/"),
        ("edit", f"/budgets/{streets.voting.pk}/edit/"),
        ("paper", f"/budgets/{streets.voting.pk}/paper/"),
        ("import", f"/budgets/{streets.voting.pk}/import/"),
        ("results", f"/budgets/{streets.counted.pk}/results/"),
        ("project-edit", f"/budgets/{streets.draft.pk}/projects/{streets.draft_project.pk}/edit/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"budgets-{name}")

    # An overspent ballot comes back with its error summary and the running total.
    page.goto(f"/budgets/{streets.voting.pk}/vote/")
    for label in ("Trees – £600", "Benches – £400", "Bins – £200"):
        page.get_by_label(label).check()
    page.get_by_role("button", name="Cast my ballot").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("more than the budget")
    expect(page.get_by_text("Your projects cost £1,200 of £1,000.")).to_be_visible()
    faults["ballot-error"] = page_faults(page, "budgets-ballot-error")
    check_pages(faults)


def test_a_resident_votes_without_javascript(new_context, streets):
    resident = streets.testshire.outsider
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, resident.email, streets.testshire.password)
    page.goto(f"/budgets/{streets.voting.pk}/vote/")
    page.get_by_label("Trees – £600").check()
    page.get_by_label("Benches – £400").check()
    page.get_by_role("button", name="Check my total").click()
    expect(page.get_by_text("Your projects cost £1,000 of £1,000.")).to_be_visible()
    page.get_by_label("Bins – £200").check()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than the budget")
    page.get_by_label("Bins – £200").uncheck()
    page.get_by_role("button", name="Cast my ballot").click()
    expect(page.get_by_text("Your ballot has been cast.")).to_be_visible()
    assert Ballot.objects.get(voter=resident).choices == {
        ids(streets.voting)["Trees"]: 1,
        ids(streets.voting)["Benches"]: 1,
    }
    page.goto(f"/budgets/{streets.counted.pk}/results/")
    expect(page.get_by_role("heading", name="Method of Equal Shares")).to_be_visible()
    expect(page.get_by_role("heading", name="Greedy")).to_be_visible()
