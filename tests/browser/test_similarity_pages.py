"""Has this been done already? in a real browser: typing an idea's title shows the similar
ideas in the challenge and case studies elsewhere (htmx), supporting one is one click; without
JavaScript the check step shows the same; the pages pass axe-core."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services as ideas
from civicflow.ideas.models import Support
from civicflow.similarity import live, services
from tests.browser.conftest import check_pages, page_faults, sign_in
from tests.factories import member
from tests.library.helpers import published_case

pytestmark = pytest.mark.browser


def _named(action: str, title: str) -> re.Pattern[str]:
    """The accessible name of a button or link for ``action`` on one item (its title is
    visually hidden, for screen readers)."""
    return re.compile(rf"^{re.escape(action)}\W*{re.escape(title)}$")


@pytest.fixture
def similar(testshire, other_organisation) -> SimpleNamespace:
    """An open call with an idea about bin-day texts, and a case about them elsewhere."""
    live.forget_indexes()
    admin, staff = testshire.admin, testshire.staff
    now = timezone.now()
    challenge = challenges.challenge_create(
        actor=admin,
        organisation=testshire.organisation,
        kind="open_call",
        phases=[
            PhaseDates("define", now - timedelta(days=20), now - timedelta(days=10)),
            PhaseDates("develop", now - timedelta(days=10), now + timedelta(days=20)),
        ],
        title="Fewer missed bin collections",
        summary="Help us miss fewer bins.",
        problem="Too many bins are missed each week.",
        driver="cost_pressure",
        audience="both",
    )
    challenges.challenge_move(actor=admin, challenge=challenge, to="published")
    idea = ideas.idea_submit(
        author=staff,
        challenge=challenge,
        title="Text residents the evening before bin day",
        summary="A text message the evening before collection.",
        description="Residents who sign up get a reminder the evening before.",
        innovation_type="communication",
        scale="continuous",
        benefits=["saves_money"],
        affected="Residents of every ward",
    )
    editor = member(other_organisation, "innovation_lead", email="ed@elsewhere.example")
    case = published_case(
        author=editor,
        editor=editor,
        organisation=other_organisation,
        title="Evening texts before bin collection",
        summary="Residents were reminded by text the evening before their bin day.",
    )
    services.embed_all()
    yield SimpleNamespace(
        challenge=challenge,
        idea=idea,
        case=case,
        new=f"/organisations/{testshire.organisation.slug}/challenges/{challenge.slug}/ideas/new/",
    )
    live.forget_indexes()


def test_typing_a_title_shows_similar_ideas_and_cases_and_support_is_one_click(
    page, testshire, similar
):
    sign_in(page, testshire.outsider.email, testshire.password)
    page.goto(similar.new)
    results = page.locator("#similar-results")
    expect(results).not_to_contain_text(similar.idea.title)
    page.get_by_label("Title").first.press_sequentially("Text message before bin day", delay=20)
    expect(results).to_contain_text("1 similar idea here; 1 organisation has tried this")
    expect(results).to_contain_text(similar.idea.title)
    expect(results).to_contain_text(similar.case.title)
    results.get_by_role("button", name=_named("Support this idea", similar.idea.title)).click()
    expect(page.locator("main")).to_contain_text("You support this idea.")
    assert Support.objects.filter(idea=similar.idea, user=testshire.outsider).exists()

    page.goto(similar.new)
    page.get_by_label("Title").first.press_sequentially("Evening text before bin day", delay=20)
    expect(results).to_contain_text("You support this idea")
    faults = {"while-typing": page_faults(page, "similarity-while-typing")}
    # The check step's page, as it is without JavaScript, passes axe-core too.
    page.goto(similar.new + "?check=remind+people+by+text+before+bin+collection")
    expect(results).to_contain_text(similar.case.title)
    faults["check-step"] = page_faults(page, "similarity-check-step")
    check_pages(faults)


def test_the_check_step_works_without_javascript(new_context, testshire, similar):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, testshire.outsider.email, testshire.password)
    page.goto(similar.new)
    page.get_by_role("searchbox", name="Your idea in a few words").fill(
        "remind people by text before bin collection"
    )
    page.get_by_role("button", name="Check for similar ideas and cases").click()
    results = page.locator("#similar-results")
    expect(results).to_contain_text("1 similar idea here; 1 organisation has tried this")
    expect(results.get_by_role("link", name=similar.case.title)).to_be_visible()
    results.get_by_role("button", name=_named("Support this idea", similar.idea.title)).click()
    expect(page.locator("main")).to_contain_text("You support this idea.")


def test_a_lead_writing_a_challenge_is_offered_the_case_to_adopt(
    new_context, testshire, similar, other_organisation
):
    lead = member(testshire.organisation, "innovation_lead", email="lead@testshire.example")
    page = new_context().new_page()
    sign_in(page, lead.email, testshire.password)
    page.goto(f"/organisations/{testshire.organisation.slug}/challenges/new/?kind=open_call")
    page.get_by_label("Title").first.press_sequentially("Texts before bin day", delay=20)
    results = page.locator("#similar-results")
    expect(results).to_contain_text(similar.case.title)
    expect(
        results.get_by_role("link", name=_named("Adopt this case", similar.case.title))
    ).to_be_visible()
    check_pages({"challenge": page_faults(page, "similarity-challenge-form")})
