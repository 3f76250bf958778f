"""The themes and duplicates pages in a real browser, with axe-core and the checks every page
gets; dismissing a pair and reaching the merge form with the other idea chosen, without
JavaScript; and the idea list filtered by a theme."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services
from civicflow.similarity.demo_themes import IDEAS
from civicflow.similarity.models_themes import Theme
from civicflow.similarity.services_themes import themes_compute
from tests.browser.conftest import check_pages, page_faults, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def high_street(testshire, settings) -> SimpleNamespace:
    """A public open call whose ideas fall into four themes, with two near-duplicate pairs."""
    from civicflow.similarity import embedders

    settings.CIVICFLOW_EMBEDDER = "tfidf"
    embedders.reset_cache()
    admin = testshire.admin
    now = timezone.now()
    challenge = challenges.challenge_create(
        actor=admin,
        organisation=testshire.organisation,
        kind="open_call",
        phases=[
            PhaseDates("define", now - timedelta(days=20), now - timedelta(days=10)),
            PhaseDates("develop", now - timedelta(days=10), now + timedelta(days=20)),
        ],
        title="A high street people want to visit",
        summary="What would bring you back to the high street?",
        problem="Footfall has fallen by a quarter in five years.",
        driver="residents_concern",
        audience="both",
    )
    challenges.challenge_move(actor=admin, challenge=challenge, to="published")
    authors = [testshire.staff, testshire.outsider, admin]
    with override_settings(CIVICFLOW_IDEA_LIMIT_PER_HOUR=None):
        for number, (title, summary, description, kind, benefit) in enumerate(IDEAS):
            services.idea_submit(
                author=authors[number % 3],
                challenge=challenge,
                title=title,
                summary=summary,
                description=description,
                innovation_type=kind,
                scale="continuous",
                benefits=[benefit],
                affected="Visitors",
            )
    themes_compute(challenge=challenge)
    base = f"/organisations/{testshire.organisation.slug}/challenges/{challenge.slug}/"
    yield SimpleNamespace(challenge=challenge, base=base)
    embedders.reset_cache()


def test_themes_and_duplicates_pages(new_context, testshire, high_street):
    faults: dict[str, list[str]] = {}
    base = high_street.base
    toilets = next(t for t in Theme.objects.all() if "toilet" in t.label.lower())

    anonymous = new_context().new_page()
    response = anonymous.goto(f"{base}themes/")
    assert response is not None and response.status == 200
    expect(anonymous.locator(".govuk-summary-card")).to_have_count(Theme.objects.count())
    expect(anonymous.get_by_role("heading", name=toilets.label)).to_be_visible()
    faults["anonymous-themes"] = page_faults(anonymous, "themes-anonymous-themes")
    link = anonymous.get_by_role("link", name=f"See all 3 ideas in the theme {toilets.label}")
    href = link.get_attribute("href")
    assert href is not None and href.endswith(f"?theme={toilets.pk}")
    anonymous.goto(href)
    expect(anonymous.get_by_role("status")).to_contain_text("3 ideas match your filters")
    expect(anonymous.get_by_label("Theme")).to_have_value(str(toilets.pk))
    faults["anonymous-list-by-theme"] = page_faults(anonymous, "themes-anonymous-list")

    moderator = new_context().new_page()
    sign_in(moderator, testshire.admin.email, testshire.password)
    for name, path in [("themes", f"{base}themes/"), ("duplicates", f"{base}duplicates/")]:
        response = moderator.goto(path)
        assert response is not None and response.status == 200, path
        faults[f"moderator-{name}"] = page_faults(moderator, f"themes-moderator-{name}")

    # Without JavaScript: dismiss a pair, then follow a pair into the merge form.
    plain = new_context(java_script_enabled=False).new_page()
    sign_in(plain, testshire.admin.email, testshire.password)
    plain.goto(f"{base}duplicates/")
    cards = plain.locator(".govuk-summary-card").filter(has_text="alike")
    pairs = cards.count()
    assert pairs >= 2
    cards.first.get_by_role("button", name="Not duplicates").click()
    expect(plain.locator(".govuk-notification-banner")).to_contain_text(
        "will not be suggested as duplicates again"
    )
    expect(plain.get_by_role("heading", name="Said not to be duplicates")).to_be_visible()
    expect(plain.locator(".govuk-summary-card").filter(has_text="alike")).to_have_count(pairs - 1)
    plain.locator(".govuk-summary-card").filter(has_text="alike").first.get_by_role(
        "link", name="Merge into the other"
    ).first.click()
    expect(plain.get_by_role("heading", name="Merge this idea into another")).to_be_visible()
    assert plain.get_by_label("Merge it into").input_value() != ""

    moderator.goto(f"{base}duplicates/")
    faults["moderator-duplicates-dismissed"] = page_faults(
        moderator, "themes-moderator-duplicates-dismissed"
    )
    moderator.goto(plain.url)
    faults["moderator-merge-chosen"] = page_faults(moderator, "themes-moderator-merge")
    check_pages(faults)
