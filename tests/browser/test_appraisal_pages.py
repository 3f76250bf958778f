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


def _checked(page, name: str) -> list[str]:
    """``page_faults``, then focus back off the skip link its Tab check left focused. A
    focused skip link takes room at the top of the page; the next mouse press blurs it, the
    page moves up under the pointer and the click misses what it was aimed at (the link or
    radio button that "needed two clicks")."""
    faults = page_faults(page, name)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    return faults


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_a_lead_runs_a_prize_to_published_results(page, new_context, prize):
    password = prize.testshire.password
    base = f"/challenges/{prize.challenge.pk}"
    faults: dict[str, list[str]] = {}
    sign_in(page, prize.lead.email, password)

    page.goto(prize.challenge.get_absolute_url())
    page.get_by_role("link", name="Prize pot, tiers and who can enter").click()
    faults["prize-empty"] = _checked(page, "appraisal-prize-empty")
    # A link drawn as a button (GOV.UK's start-button pattern) is announced as a button.
    page.get_by_role("button", name="Set up the prize").click()
    page.wait_for_url(f"**{base}/prize/set-up/")
    page.get_by_role("button", name="Set up the prize").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    faults["prize-setup-error"] = _checked(page, "appraisal-prize-setup-error")
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
    faults["prize"] = _checked(page, "appraisal-prize")
    # Until judging begins the tiers can change: a third tier is added, over the pot first.
    page.get_by_role("link", name="Change, add or remove tiers").click()
    new_tier = page.locator("fieldset", has_text="New tier (optional)").first
    new_tier.get_by_label("New tier 1: name").fill("People's choice")
    new_tier.get_by_label("New tier 1: award for each place, in pounds").fill("50000")
    page.get_by_role("button", name="Save the tiers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("more than the pot")
    faults["prize-tiers-error"] = _checked(page, "appraisal-prize-tiers-error")
    page.get_by_label("New tier 1: award for each place, in pounds").fill("1000")
    page.get_by_label("Runner-up: places").fill("1")
    page.get_by_role("button", name="Save the tiers").click()
    expect(page.get_by_text("Prize tiers saved.")).to_be_visible()
    expect(page.get_by_role("row", name="People's choice £1,000 1")).to_be_visible()

    page.goto(f"{base}/criteria/edit/")
    page.get_by_role("button", name="Start from the default criteria").click()
    faults["criteria-edit"] = _checked(page, "appraisal-criteria-edit")
    page.get_by_role("button", name="Publish the criteria").click()
    page.goto(f"{base}/criteria/")
    expect(page.get_by_role("heading", name="Service users involved")).to_be_visible()
    faults["criteria"] = _checked(page, "appraisal-criteria")

    page.goto(f"{base}/panel/")
    page.get_by_label("Reviews for each submission").fill("1")
    page.get_by_role("button", name="Save the panel").click()
    page.get_by_label("Assessor", exact=True).select_option(label=str(prize.assessor))
    page.get_by_role("button", name="Add the assessor").click()
    page.get_by_role("button", name="Allocate reviews").click()
    expect(page.get_by_text("2 reviews allocated.")).to_be_visible()
    faults["panel"] = _checked(page, "appraisal-panel")

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
    faults["queue"] = _checked(checker, "appraisal-queue")
    review = prize.challenge.panel.assignments.get(idea=prize.entries[0])
    checker.goto(f"{base}/panel/reviews/{review.pk}/")
    expect(checker.get_by_role("heading", name="Score it")).to_be_visible()
    faults["review"] = _checked(checker, "appraisal-review")
    assert Score.objects.count() == 2 * len(keys)

    page.goto(f"{base}/panel/")
    page.get_by_role("button", name="Close the panel").click()
    page.goto(f"{base}/panel/ranking/")
    faults["ranking"] = _checked(page, "appraisal-ranking")
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
    faults["results"] = _checked(page, "appraisal-results")

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
        faults[name] = _checked(page, f"appraisal-{name}")
    author = new_context().new_page()
    sign_in(author, rounds.author.email, password)
    for name, path in [
        ("fund-apply", f"/challenges/{rounds.fund.pk}/fund/apply/"),
        ("prototype", f"/hack-teams/{rounds.team.pk}/prototype/"),
        ("hack-day-member", f"/challenges/{rounds.hack.pk}/hack-day/"),
    ]:
        response = author.goto(path)
        assert response is not None and response.status == 200, path
        faults[name] = _checked(author, f"appraisal-{name}")
    check_pages(faults)


def test_a_member_leaves_a_team_and_gives_up_their_place_without_javascript(new_context, rounds):
    """The last member leaves: the team stays with its prototype, which nobody loses; then
    they give up their place, and it is free again."""
    author = new_context(java_script_enabled=False).new_page()
    sign_in(author, rounds.author.email, rounds.testshire.password)
    author.goto(f"/challenges/{rounds.hack.pk}/hack-day/")
    author.get_by_role("button", name="Leave Bed finders").click()
    expect(author.get_by_text("the team and its prototype stay on the hack day")).to_be_visible()
    expect(author.get_by_text("Nobody at the moment: join to carry on")).to_be_visible()
    expect(author.get_by_text("Shows free beds")).to_be_visible()
    author.get_by_role("button", name="Give up my place").click()
    expect(author.get_by_text("You have given up your place at the hack day.")).to_be_visible()
    expect(author.get_by_text("30 of 30 left")).to_be_visible()
    expect(author.get_by_role("button", name="Register")).to_be_visible()
