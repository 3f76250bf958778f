"""Opinion maps in a real browser: every page checked with axe-core, voting one statement at
a time with JavaScript switched off, and the report with its map and the voter's group."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.opinions import services
from civicflow.opinions.models import Vote
from tests.browser.conftest import check_page, check_pages, page_faults, sign_in
from tests.factories import member
from tests.opinions.conftest import SEEDS, open_call, vote_in_two_camps

pytestmark = pytest.mark.browser


@pytest.fixture
def bins(testshire) -> SimpleNamespace:
    """Return a conversation with eight seed statements that twelve residents voted on in
    two camps, and a statement waiting for moderation."""
    lead = member(testshire.organisation, "innovation_lead", email="lead@testshire.example")
    challenge = open_call(lead, testshire.organisation)
    conversation = services.conversation_create(
        actor=lead,
        challenge=challenge,
        question="How should we cut missed bin collections?",
        description="Vote on each statement, and add your own.",
        moderation="pre",
    )
    seeds = [
        services.statement_add(actor=lead, conversation=conversation, text=text) for text in SEEDS
    ]
    vote_in_two_camps(conversation, seeds)
    waiting = services.statement_add(
        actor=testshire.staff,
        conversation=conversation,
        text="Crews should <em>knock</em> if a bin is hard to reach",
    )
    return SimpleNamespace(
        testshire=testshire,
        lead=lead,
        challenge=challenge,
        conversation=conversation,
        seeds=seeds,
        waiting=waiting,
        base=f"/conversations/{conversation.pk}/",
        challenge_base=(
            f"/organisations/{testshire.organisation.slug}/challenges/{challenge.slug}/conversations/"
        ),
    )


def test_every_opinion_map_page_for_a_lead(page, bins):
    sign_in(page, bins.lead.email, bins.testshire.password)
    base, faults = bins.base, {}
    for name, path in [
        ("list", bins.challenge_base),
        ("create", f"{bins.challenge_base}new/"),
        ("import", f"{bins.challenge_base}import/"),
        ("conversation", base),
        ("statements", f"{base}statements/"),
        ("statement-create", f"{base}statements/new/"),
        ("report", f"{base}report/"),
        ("moderation", f"{base}moderation/"),
        ("moderate", f"{base}statements/{bins.waiting.pk}/moderate/"),
        ("edit", f"{base}edit/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"opinions-{name}")

    # A statement too long comes back with the message, linked to the field.
    page.goto(f"{base}statements/new/")
    page.get_by_label("Your statement").fill("x" * 141)
    page.get_by_role("button", name="Add the statement").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("140 characters or fewer")
    faults["statement-create-error"] = page_faults(page, "opinions-statement-create-error")

    # The statement waiting for moderation shows its markup as text.
    page.goto(f"{base}moderation/")
    cell = page.get_by_role(
        "cell", name="Crews should <em>knock</em> if a bin is hard to reach", exact=True
    )
    expect(cell).to_be_visible()
    assert page.locator("main em").count() == 0
    check_pages(faults)


def test_a_resident_votes_without_javascript_and_finds_their_group(new_context, bins):
    resident = bins.testshire.outsider
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, resident.email, bins.testshire.password)
    page.goto(bins.base)
    expect(page.get_by_text("You have voted on 0 of 8 statements.")).to_be_visible()
    for count in range(1, len(bins.seeds) + 1):
        shown = page.locator("#statement-text").inner_text()
        position = SEEDS.index(shown)
        choice = "Agree" if position < 4 or position == 7 else "Disagree"
        page.get_by_role("button", name=choice, exact=True).click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is recorded")
        if count < len(bins.seeds):
            expect(page.get_by_text(f"You have voted on {count} of 8 statements.")).to_be_visible()
    expect(page.get_by_text("You have voted on every statement")).to_be_visible()
    assert Vote.objects.filter(participant__user=resident).count() == 8

    page.get_by_role("link", name="Report", exact=True).click()
    expect(page.locator("#your-group")).to_contain_text("You are in Group")

    # The report again with JavaScript on, for the accessibility checks.
    page = new_context().new_page()
    sign_in(page, resident.email, bins.testshire.password)
    page.goto(f"{bins.base}report/")
    expect(page.locator("#your-group")).to_contain_text("You are in Group")
    picture = page.get_by_role("img", name="Opinion map of 2 groups")
    expect(picture).to_be_visible()
    expect(page.locator("#consensus")).to_contain_text(SEEDS[-1])
    expect(page.locator("#divisive")).to_contain_text(SEEDS[0])
    check_page(page, "opinions-report")


def test_before_anyone_votes_the_report_says_so(page, bins, testshire):
    lead = bins.lead
    empty = services.conversation_create(
        actor=lead, challenge=bins.challenge, question="Where should new bins go?"
    )
    sign_in(page, testshire.staff.email, testshire.password)
    page.goto(f"/conversations/{empty.pk}/report/")
    expect(page.locator("#not-enough-votes")).to_contain_text("Not enough votes yet")
    check_page(page, "opinions-report-empty")
