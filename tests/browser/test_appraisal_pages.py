"""Appraisal in a real browser: a lead runs a challenge prize from set-up to published
results (the assessor declares and scores on the way), every page checked with axe-core; and
the fund round and hack day pages, checked the same way."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.appraisal import services
from civicflow.appraisal.models import Decision, Score
from tests.appraisal.helpers import make_round, panel_with_scores, submit_idea
from tests.browser.conftest import check_pages, page_faults, sign_in
from tests.factories import member

pytestmark = pytest.mark.browser


@pytest.fixture
def prize(testshire) -> SimpleNamespace:
    organisation = testshire.organisation
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    assessor = member(organisation, "assessor", email="judge@testshire.example", name="Jo Judge")
    challenge = make_round(lead, organisation, kind="prize", title="Cleaner air prize")
    entries = [
        submit_idea(member(organisation, name=f"Entrant {i}"), challenge, title)
        for i, title in enumerate(("Green walls at bus stops", "Car-free school streets"))
    ]
    return SimpleNamespace(
        testshire=testshire, lead=lead, assessor=assessor, challenge=challenge, entries=entries
    )


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_lead_runs_a_prize_to_published_results(page, new_context, prize):
    password = prize.testshire.password
    base = f"/challenges/{prize.challenge.pk}"
    faults: dict[str, list[str]] = {}
    sign_in(page, prize.lead.email, password)

    page.goto(prize.challenge.get_absolute_url())
    page.get_by_role("link", name="Prize pot, tiers and who can enter").click()
    faults["prize-empty"] = page_faults(page, "appraisal-prize-empty")
    response = page.goto(f"{base}/prize/set-up/")
    assert response is not None and response.status == 200, response and response.status
    page.get_by_role("button", name="Set up the prize").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    faults["prize-setup-error"] = page_faults(page, "appraisal-prize-setup-error")
    page.get_by_label("Prize pot, in pounds").fill("50000")
    # Entries have closed, so the panel can award the prize today.
    page.get_by_label("Entries close").fill(_local(timezone.now() - timedelta(hours=1)))
    page.get_by_label("Tier 1: name, such as Winner or Runner-up").fill("Winner")
    page.get_by_label("Tier 1: award for each place, in pounds").fill("30000")
    page.get_by_label("Tier 2: name, such as Winner or Runner-up").fill("Runner-up")
    page.get_by_label("Tier 2: award for each place, in pounds").fill("10000")
    page.get_by_label("Tier 2: places").fill("2")
    page.get_by_role("button", name="Set up the prize").click()
    expect(page.get_by_text("A prize pot of £50,000.")).to_be_visible()
    faults["prize"] = page_faults(page, "appraisal-prize")

    page.goto(f"{base}/criteria/edit/")
    page.get_by_role("button", name="Start from the default criteria").click()
    faults["criteria-edit"] = page_faults(page, "appraisal-criteria-edit")
    page.get_by_role("button", name="Publish the criteria").click()
    page.goto(f"{base}/criteria/")
    expect(page.get_by_role("heading", name="Service users involved")).to_be_visible()
    faults["criteria"] = page_faults(page, "appraisal-criteria")

    page.goto(f"{base}/panel/")
    page.get_by_label("Reviews for each submission").fill("1")
    page.get_by_role("button", name="Save the panel").click()
    page.get_by_label("Assessor", exact=True).select_option(label=str(prize.assessor))
    page.get_by_role("button", name="Add the assessor").click()
    page.get_by_role("button", name="Allocate reviews").click()
    expect(page.get_by_text("2 reviews allocated.")).to_be_visible()
    faults["panel"] = page_faults(page, "appraisal-panel")

    # The assessor declares no conflict, then scores both entries, without JavaScript.
    judge = new_context(java_script_enabled=False).new_page()
    sign_in(judge, prize.assessor.email, password)
    keys = list(prize.challenge.criteria_set.criteria.values_list("key", flat=True))
    for index, entry in enumerate(prize.entries):
        judge.goto(f"{base}/panel/reviews/")
        judge.get_by_role("link", name=entry.title).click()
        judge.get_by_label("No").check()
        judge.get_by_role("button", name="Save the declaration").click()
        expect(judge.get_by_text("Declaration saved.")).to_be_visible()
        for key in keys:
            judge.locator(f"#score-{key}-{3 - index}").check()
        judge.get_by_role("button", name="Save the scores").click()
        expect(judge.get_by_text("Scores saved.")).to_be_visible()
    # The same pages, with JavaScript, for axe-core.
    checker = new_context().new_page()
    sign_in(checker, prize.assessor.email, password)
    checker.goto(f"{base}/panel/reviews/")
    faults["queue"] = page_faults(checker, "appraisal-queue")
    review = prize.challenge.panel.assignments.get(idea=prize.entries[0])
    checker.goto(f"{base}/panel/reviews/{review.pk}/")
    expect(checker.get_by_role("heading", name="Score it")).to_be_visible()
    faults["review"] = page_faults(checker, "appraisal-review")
    assert Score.objects.count() == 2 * len(keys)

    page.goto(f"{base}/panel/")
    page.get_by_role("button", name="Close the panel").click()
    page.goto(f"{base}/panel/ranking/")
    faults["ranking"] = page_faults(page, "appraisal-ranking")
    page.get_by_label("Submission", exact=True).select_option(label=prize.entries[0].title)
    page.get_by_label("Decision", exact=True).select_option(label="Awarded")
    page.get_by_label("Prize tier (awards of a prize)").select_option(label="Winner")
    page.get_by_label("Reason (kept on record and published with the results)").fill(
        "Cheap to fit and loved by the people who wait at the stops."
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("Decision recorded.")).to_be_visible()
    assert Decision.objects.get().amount == 30_000
    page.get_by_label("What the panel said (optional)").fill("Thank you to every entrant.")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.get_by_text("Cheap to fit and loved")).to_be_visible()
    faults["results"] = page_faults(page, "appraisal-results")

    # Anyone sees the results, linked from the challenge's page.
    visitor = new_context().new_page()
    visitor.goto(prize.challenge.get_absolute_url())
    visitor.get_by_role("link", name="Results").click()
    expect(visitor.get_by_text("Thank you to every entrant.")).to_be_visible()
    check_pages(faults)


@pytest.fixture
def rounds(testshire) -> SimpleNamespace:
    """A fund round with a granted, part-paid application; a hack day with a team."""
    organisation = testshire.organisation
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    author = member(organisation, name="Ash Applicant", email="ash@testshire.example")
    fund = make_round(lead, organisation, kind="fund_round", title="Innovation fund")
    fund_round = services.fund_round_create(
        actor=lead, challenge=fund, budget=25_000, outcome_based=True
    )
    application = services.application_submit(
        actor=author,
        fund_round=fund_round,
        idea=submit_idea(author, fund, "Homework club"),
        amount_requested=9_000,
        plan="Three evenings a week.",
        milestones=[{"title": "Club open", "payment": 4_000, "outcome": "20 children attend"}],
    )
    services.grant_award(actor=lead, application=application, amount=9_000, reason="Clear")
    hack = make_round(lead, organisation, kind="hack_day", open_now="discover")
    hack_day = services.hack_day_create(
        actor=lead,
        challenge=hack,
        starts_at=timezone.now() + timedelta(days=3),
        ends_at=timezone.now() + timedelta(days=4),
        capacity=30,
        place="Town hall",
        online_link="https://meet.example.org/hack",
    )
    services.hack_day_register(actor=author, hack_day=hack_day, skills=["Design"])
    team = services.hack_team_form(
        actor=author,
        hack_day=hack_day,
        idea=submit_idea(author, hack, "Bed finder"),
        name="Bed finders",
        skills_needed=["Nursing"],
    )
    assessor = member(organisation, "assessor")
    services.prototype_submit(
        actor=author, team=team, description="Shows free beds", link="https://example.org/b"
    )
    panel_with_scores(lead, hack, [assessor], [team.idea], k=1)
    return SimpleNamespace(
        testshire=testshire,
        lead=lead,
        author=author,
        fund=fund,
        application=application,
        hack=hack,
        team=team,
    )


def test_every_fund_and_hack_day_page_passes_axe(page, new_context, rounds):
    password = rounds.testshire.password
    faults: dict[str, list[str]] = {}
    sign_in(page, rounds.lead.email, password)
    for name, path in [
        ("fund", f"/challenges/{rounds.fund.pk}/fund/"),
        ("fund-awards", f"/challenges/{rounds.fund.pk}/fund/awards/"),
        ("application", f"/fund-applications/{rounds.application.pk}/"),
        ("letter", f"/fund-applications/{rounds.application.pk}/letter/"),
        ("hack-day", f"/challenges/{rounds.hack.pk}/hack-day/"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        faults[name] = page_faults(page, f"appraisal-{name}")
    author = new_context().new_page()
    sign_in(author, rounds.author.email, password)
    for name, path in [
        ("fund-apply", f"/challenges/{rounds.fund.pk}/fund/apply/"),
        ("prototype", f"/hack-teams/{rounds.team.pk}/prototype/"),
    ]:
        response = author.goto(path)
        assert response is not None and response.status == 200, path
        faults[name] = page_faults(author, f"appraisal-{name}")
    check_pages(faults)
