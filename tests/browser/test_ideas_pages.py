"""Every idea page, in a real browser, with axe-core and the checks every page gets; and
putting an idea forward and supporting it without JavaScript."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.challenges import services as challenges
from civicflow.challenges.phases import PhaseDates
from civicflow.ideas import services
from civicflow.ideas.models import Idea, Support
from tests.browser.conftest import check_pages, page_faults, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

FIELDS = {
    "summary": "A text message the evening before collection.",
    "description": "Residents who sign up get a reminder.\n\nIt would cost little.",
    "innovation_type": "communication",
    "scale": "continuous",
    "benefits": ["saves_money", "improves_communication"],
    "affected": "Residents of every ward",
}


@pytest.fixture
def ideas(testshire) -> SimpleNamespace:
    """A public open call taking ideas, with a shortlisted, edited, supported idea by the staff
    member, the resident's duplicate merged into it (so the resident co-writes it), another
    idea by the resident, and an invitation for a third person."""
    admin, staff, resident = testshire.admin, testshire.staff, testshire.outsider
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
    idea = services.idea_submit(
        author=staff, challenge=challenge, title="Text people before bin day", **FIELDS
    )
    services.idea_update(actor=staff, idea=idea, title="Text residents before bin day")
    duplicate = services.idea_submit(
        author=resident, challenge=challenge, title="Bin day text reminders", **FIELDS
    )
    other = services.idea_submit(
        author=resident,
        challenge=challenge,
        title="Photograph blocked streets",
        **{**FIELDS, "innovation_type": "process"},
    )
    services.idea_support(user=resident, idea=Idea.objects.get(pk=idea.pk))
    services.idea_set_status(
        actor=admin, idea=idea, status="shortlisted", feedback="Cheap to try on two rounds."
    )
    services.idea_merge(actor=admin, source=duplicate, target=idea, reason="Same reminder idea")
    invitee = UserFactory(name="Ivy Invitee", email="ivy@example.com")
    services.coauthor_invite(actor=staff, idea=idea, email=invitee.email)
    return SimpleNamespace(
        invitee=invitee,
        challenge=challenge,
        idea=idea,
        other=other,
        list=f"/organisations/{testshire.organisation.slug}/challenges/{challenge.slug}/ideas/",
    )


def test_every_idea_page(new_context, testshire, ideas):
    faults: dict[str, list[str]] = {}
    idea = f"/ideas/{ideas.idea.pk}/"

    anonymous = new_context().new_page()
    for name, path in [("list", ideas.list), ("detail", idea)]:
        response = anonymous.goto(path)
        assert response is not None and response.status == 200, path
        faults[f"anonymous-{name}"] = page_faults(anonymous, f"ideas-anonymous-{name}")

    author = new_context().new_page()
    sign_in(author, testshire.staff.email, testshire.password)
    for name, path in [
        ("create", f"{ideas.list}new/"),
        ("detail", idea),
        ("edit", f"{idea}edit/"),
        ("history", f"{idea}history/"),
        ("withdraw", f"{idea}withdraw/"),
        ("coauthors", f"{idea}co-authors/"),
    ]:
        response = author.goto(path)
        assert response is not None and response.status == 200, path
        faults[f"author-{name}"] = page_faults(author, f"ideas-author-{name}")
    author.goto(f"{ideas.list}new/")
    author.get_by_role("button", name="Put forward idea").click()
    summary = author.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert author.title().startswith("Error:")
    faults["author-create-errors"] = page_faults(author, "ideas-author-create-errors")

    invitee = new_context().new_page()
    sign_in(invitee, ideas.invitee.email, testshire.password)
    invitee.goto(idea)
    expect(invitee.get_by_role("region", name="Invitation")).to_contain_text(
        "has invited you to co-write this idea"
    )
    faults["invitee-detail"] = page_faults(invitee, "ideas-invitee-detail")

    moderator = new_context().new_page()
    sign_in(moderator, testshire.admin.email, testshire.password)
    for name, path in [
        ("detail", idea),
        ("status", f"{idea}status/"),
        ("merge", f"/ideas/{ideas.other.pk}/merge/"),
        ("list-filtered", f"{ideas.list}?status=merged&sort=supported"),
    ]:
        response = moderator.goto(path)
        assert response is not None and response.status == 200, path
        faults[f"moderator-{name}"] = page_faults(moderator, f"ideas-moderator-{name}")
    check_pages(faults)


def test_put_forward_and_support_an_idea_without_javascript(new_context, testshire, ideas):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, testshire.outsider.email, testshire.password)
    page.goto(ideas.list)
    page.get_by_role("button", name="Put forward an idea").click()
    page.get_by_label("Title").fill("Stickers on bins that were missed")
    page.get_by_label("Summary").fill("A sticker says why a bin was not emptied.")
    page.get_by_label("Describe your idea").fill("Crews carry stickers for common reasons.")
    page.get_by_label("Process").check()
    page.get_by_label("Continuous improvement").check()
    page.get_by_label("Improves communication").check()
    page.get_by_role("button", name="Put forward idea").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your idea has been put forward."
    )
    assert page.get_by_role("heading", level=1).inner_text() == "Stickers on bins that were missed"
    screenshot(page, "ideas-nojs-created")

    page.goto(f"/ideas/{ideas.other.pk}/")
    assert page.get_by_text("You cannot support your own idea in this challenge.").is_visible()
    staff = new_context(java_script_enabled=False).new_page()
    sign_in(staff, testshire.staff.email, testshire.password)
    staff.goto(f"/ideas/{ideas.other.pk}/")
    staff.get_by_role("button", name="Support this idea").click()
    expect(staff.locator(".govuk-notification-banner--success")).to_contain_text(
        "You support this idea."
    )
    assert staff.get_by_text("1 supporter", exact=True).is_visible()
    screenshot(staff, "ideas-nojs-supported")
    assert Support.objects.filter(idea=ideas.other, user=testshire.staff).exists()
