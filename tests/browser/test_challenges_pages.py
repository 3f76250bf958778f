"""Every challenge page in a real browser: axe-core, the shape every page needs, and the
journeys that must work without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.challenges import services
from civicflow.challenges.models import Challenge
from civicflow.challenges.phases import PhaseDates
from tests.browser.conftest import check_page, check_pages, page_faults, screenshot, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser


def _phases(base):
    return [
        PhaseDates("discover", base - timedelta(days=30), base - timedelta(days=20)),
        PhaseDates("define", base - timedelta(days=20), base - timedelta(days=10)),
        PhaseDates("develop", base - timedelta(days=10), base + timedelta(days=12)),
        PhaseDates("deliver", base + timedelta(days=12), base + timedelta(days=40)),
    ]


@pytest.fixture
def challenges(testshire) -> SimpleNamespace:
    """Return a lead and four challenges of Testshire: public, staff-only, draft and closed."""
    lead = member(testshire.organisation, "innovation_lead", email="lead@testshire.example")
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    def make(title, *, audience="both", moves=("published",), evidence="", kind="open_call"):
        challenge = services.challenge_create(
            actor=lead,
            organisation=testshire.organisation,
            kind=kind,
            phases=_phases(now),
            title=title,
            summary="Missed collections cost more each year. Help us get bins emptied first time.",
            problem="About 1,900 bins are missed each month.\n\nMost are on narrow streets.",
            evidence=evidence,
            driver="cost_pressure",
            audience=audience,
        )
        for step in moves:
            services.challenge_move(actor=lead, challenge=challenge, to=step, reason="Ready")
        return challenge

    return SimpleNamespace(
        lead=lead,
        public=make("Fewer missed bin collections", evidence="Complaints rose 30% in two years."),
        staff=make("Quicker pothole repairs", audience="staff"),
        draft=make("Warmer homes for renters", moves=()),
        closed=make("Safer journeys home", moves=("published", "closed")),
    )


def url(challenge: Challenge, suffix: str = "") -> str:
    return f"/organisations/{challenge.organisation.slug}/challenges/{challenge.slug}/{suffix}"


def test_anonymous_pages(page, challenges, testshire):
    faults: dict[str, list[str]] = {}
    for name, path in [
        ("list", "/challenges/"),
        ("list-filtered-empty", "/challenges/?kind=fund_round"),
        ("organisation", f"/organisations/{testshire.organisation.slug}/challenges/"),
        ("detail", url(challenges.public)),
        ("detail-closed", url(challenges.closed)),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        faults[name] = page_faults(page, f"challenges-anonymous-{name}")
    expect(page.locator("h1")).to_have_text("Safer journeys home")
    check_pages(faults)


def test_a_bad_filter_shows_an_error_summary(page, challenges):
    response = page.goto("/challenges/?kind=bake_off")
    assert response is not None and response.status == 400
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select one of the options")
    check_page(page, "challenges-list-error")


def test_lead_pages(page, challenges, testshire):
    sign_in(page, challenges.lead.email, testshire.password)
    slug = testshire.organisation.slug
    faults: dict[str, list[str]] = {}
    for name, path in [
        ("detail-manager", url(challenges.public)),
        ("detail-draft", url(challenges.draft)),
        ("organisation-with-drafts", f"/organisations/{slug}/challenges/"),
        ("create-kind", f"/organisations/{slug}/challenges/new/"),
        ("create-form", f"/organisations/{slug}/challenges/new/?kind=open_call"),
        ("create-board", f"/organisations/{slug}/challenges/new/?kind=improvement_board"),
        ("edit", url(challenges.public, "edit/")),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        faults[name] = page_faults(page, f"challenges-lead-{name}")

    # The form with errors: the summary takes focus and links to the fields.
    page.goto(f"/organisations/{slug}/challenges/new/?kind=prize")
    page.get_by_label("Title").fill("Stop repeat victimisation")
    page.get_by_role("button", name="Save as draft").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Enter the summary")).to_have_attribute(
        "href", "#id_summary"
    )
    assert page.title().startswith("Error:")
    faults["create-errors"] = page_faults(page, "challenges-lead-create-errors")
    check_pages(faults)


def test_staff_see_their_staff_only_challenge_and_follow_it(page, challenges, testshire):
    sign_in(page, testshire.staff.email, testshire.password)
    page.goto(url(challenges.staff))
    expect(page.locator(".govuk-inset-text")).to_contain_text("You can put forward ideas")
    page.get_by_role("button", name="Follow this challenge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "You are following this challenge"
    )
    check_page(page, "challenges-staff-following")


def test_filter_create_and_publish_without_javascript(new_context, challenges, testshire):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/challenges/")
    page.get_by_label("Kind").select_option("open_call")
    page.get_by_label("Status").select_option("closed")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", level=3)).to_have_text("Safer journeys home Closed")
    screenshot(page, "nojs-challenges-filtered")

    sign_in(page, challenges.lead.email, testshire.password)
    page.goto(f"/organisations/{testshire.organisation.slug}/challenges/new/")
    page.get_by_label("Fund round").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Title").fill("Innovation and development fund")
    page.get_by_label("Summary").fill("Grants for staff to try new ideas.")
    page.get_by_label("The problem").fill("Good ideas stay in one school.")
    page.get_by_label("A strategic objective").check()
    page.get_by_label("Staff only").check()
    start = timezone.localtime() + timedelta(days=1)
    end = start + timedelta(days=20)
    applications = page.get_by_role("group", name="Applications")
    applications.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    applications.get_by_label("Ends").fill(end.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved as a draft")
    screenshot(page, "nojs-challenge-drafted")
    page.get_by_label("Reason").fill("Signed off by the trust board")
    page.get_by_role("button", name="Publish challenge").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("is published")
    expect(page.locator(".govuk-inset-text")).to_contain_text("Applications open at")
    screenshot(page, "nojs-challenge-published")
    assert Challenge.objects.get(title="Innovation and development fund").status == "published"
