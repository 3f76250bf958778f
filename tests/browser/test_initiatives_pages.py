"""Initiatives in a real browser: a resident's idea followed from its challenge to a scaled
initiative, every step showing who decided and why, with JavaScript switched off; and every
initiative page checked with axe-core."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.ideas import services as ideas
from civicflow.initiatives import services
from tests.browser.conftest import check_pages, page_faults, sign_in
from tests.factories import member
from tests.initiatives.helpers import selected_idea

pytestmark = pytest.mark.browser


@pytest.fixture
def pipeline(testshire) -> SimpleNamespace:
    organisation = testshire.organisation
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    decider = member(
        organisation, "decision_maker", email="decider@testshire.example", name="Dee Decider"
    )
    owner = member(organisation, email="owner@testshire.example", name="Olu Owner")
    idea = selected_idea(lead, organisation, title="Text people before bin day")
    return SimpleNamespace(testshire=testshire, lead=lead, decider=decider, owner=owner, idea=idea)


def test_an_idea_is_followed_to_a_scaled_initiative_without_javascript(new_context, pipeline):
    password = pipeline.testshire.password
    lead_page = new_context(java_script_enabled=False).new_page()
    sign_in(lead_page, pipeline.lead.email, password)
    lead_page.goto(pipeline.idea.get_absolute_url())
    lead_page.get_by_role("link", name="Start an initiative from this idea").click()
    lead_page.get_by_label("Title").fill("Bin day texts")
    lead_page.get_by_label("Business owner").select_option(
        label=f"Olu Owner ({pipeline.owner.email})"
    )
    lead_page.get_by_label("Show this initiative").check()
    lead_page.get_by_role("button", name="Start the initiative").click()
    expect(lead_page.get_by_text("Initiative started in the test stage.")).to_be_visible()
    address = lead_page.url
    # "Business owner" fits on one line in the narrow column beside the initiative.
    owner_key = lead_page.locator("main dt", has_text="Business owner")
    line = lead_page.locator("main dd", has_text="Olu Owner").bounding_box()
    key = owner_key.bounding_box()
    assert key is not None and line is not None and key["height"] <= line["height"] * 1.5

    # Dates are typed as day, month and year, in that order, whatever the browser's language.
    lead_page.get_by_role("link", name="Plans, budget and entry criteria").click()
    start = lead_page.get_by_role("group", name="Planned start (optional)")
    start.get_by_label("Day").fill("31")
    start.get_by_label("Month").fill("3")
    start.get_by_label("Year").fill("2026")
    end = lead_page.get_by_role("group", name="Planned end (optional)")
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("2")
    end.get_by_label("Year").fill("2026")
    lead_page.get_by_role("button", name="Save the plan").click()
    expect(lead_page.locator(".govuk-error-summary")).to_contain_text("Enter a real date")
    end = lead_page.get_by_role("group", name="Planned end (optional)")
    expect(end.get_by_label("Day")).to_have_value("30")
    end.get_by_label("Day").fill("30")
    end.get_by_label("Month").fill("9")
    lead_page.get_by_role("button", name="Save the plan").click()
    expect(lead_page.get_by_text("Stage plan saved.")).to_be_visible()
    lead_page.goto(address)
    expect(lead_page.locator("main")).to_contain_text("31 Mar 2026 to 30 Sep 2026")

    decider_page = new_context(java_script_enabled=False).new_page()
    sign_in(decider_page, pipeline.decider.email, password)
    reasons = [
        "Missed collections fell by a third on the two pilot rounds.",
        "Every round sends reminders now.",
        "The comparison with rounds without texts shows the fall held.",
    ]
    for reason in reasons:
        decider_page.goto(address)
        decider_page.get_by_role("link", name="Record a gate decision").click()
        decider_page.get_by_label("Go – Move on to the next stage.").check()
        decider_page.get_by_label("Reason").fill(reason)
        decider_page.get_by_role("button", name="Record the decision").click()
        expect(decider_page.get_by_text("Decision recorded.")).to_be_visible()

    # Anyone can follow it: the public page shows where it came from and who decided why.
    visitor = new_context(java_script_enabled=False).new_page()
    visitor.goto(address)
    expect(visitor.get_by_role("heading", name="Bin day texts")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text("Challenge: Fewer missed bins")
    expect(visitor.locator("main")).to_contain_text("Idea: Text people before bin day")
    expect(visitor.locator("main")).to_contain_text("Go: Evaluate → Scale")
    for reason in reasons:
        expect(visitor.locator("main")).to_contain_text(reason)
    expect(visitor.locator("main")).to_contain_text("Dee Decider")
    visitor.get_by_role("link", name="Text people before bin day", exact=True).click()
    expect(visitor.locator("main")).to_contain_text("Initiative: Bin day texts")
    expect(visitor.locator("main")).to_contain_text("Scale")
    # The challenge lists the initiatives started from its ideas.
    visitor.goto(pipeline.idea.challenge.get_absolute_url())
    expect(visitor.locator("main")).to_contain_text("Initiatives from this challenge")
    expect(visitor.get_by_role("link", name="Bin day texts")).to_be_visible()


def test_a_lead_starts_an_initiative_from_a_grant_without_javascript(new_context, pipeline):
    from tests.initiatives.test_awards import make_grant

    grant = make_grant(pipeline.idea, pipeline.lead)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, pipeline.lead.email, pipeline.testshire.password)
    page.goto(f"/fund-applications/{grant.application_id}/")
    page.get_by_role("link", name="Start an initiative from this award").click()
    expect(page.locator("main")).to_contain_text("From the grant of £25,000 to the idea")
    expect(page.get_by_label("Title")).to_have_value("Text people before bin day")
    page.get_by_role("button", name="Start the initiative").click()
    expect(page.get_by_text("Initiative started in the test stage.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Grant of £25,000")
    page.locator("main").get_by_role("link", name=pipeline.idea.challenge.title).last.click()
    expect(page.locator("main")).to_contain_text("Carried forward as the initiative")


def test_every_initiative_page_passes_axe(page, pipeline):
    organisation = pipeline.testshire.organisation
    initiative = services.initiative_start(
        actor=pipeline.lead,
        organisation=organisation,
        title="Bin day texts",
        idea=pipeline.idea,
        business_owner=pipeline.owner,
        public=True,
    )
    services.criterion_add(
        actor=pipeline.lead, initiative=initiative, stage="implement", text="Pilot reviewed"
    )
    services.progress_update_add(actor=pipeline.lead, initiative=initiative, body="Live.")
    services.gate_decide(
        actor=pipeline.decider, initiative=initiative, decision="hold", reason="Wait for data."
    )
    assert ideas  # the idea came through the ideas services
    from tests.initiatives.test_awards import make_grant

    other = selected_idea(pipeline.lead, organisation, title="Shared night cover")
    grant = make_grant(other, pipeline.lead)
    sign_in(page, pipeline.testshire.admin.email, pipeline.testshire.password)
    slug = organisation.slug
    faults = {}
    for name, path in [
        ("index", "/initiatives/"),
        ("portfolio", f"/organisations/{slug}/initiatives/"),
        ("start", f"/organisations/{slug}/initiatives/new/?idea={pipeline.idea.pk}"),
        ("start-award", f"/organisations/{slug}/initiatives/new/?grant={grant.pk}"),
        ("grant", f"/fund-applications/{grant.application_id}/"),
        ("challenge", pipeline.idea.challenge.get_absolute_url()),
        ("funnel", f"/organisations/{slug}/initiatives/funnel/"),
        ("register", f"/organisations/{slug}/decisions/"),
        ("accountability", f"/organisations/{slug}/accountability/"),
        ("detail", f"/initiatives/{initiative.pk}/"),
        ("edit", f"/initiatives/{initiative.pk}/edit/"),
        ("team", f"/initiatives/{initiative.pk}/team/"),
        ("plan", f"/initiatives/{initiative.pk}/plan/"),
        ("progress", f"/initiatives/{initiative.pk}/progress/"),
        ("evaluation", f"/initiatives/{initiative.pk}/evaluation/"),
        ("decide", f"/initiatives/{initiative.pk}/decide/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"initiatives-{name}")

    page.goto(f"/initiatives/{initiative.pk}/decide/")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Choose go, hold, stop or pivot")
    faults["decide-error"] = page_faults(page, "initiatives-decide-error")
    check_pages(faults)
