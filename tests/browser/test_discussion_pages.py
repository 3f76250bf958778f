"""Every discussion page, checked with axe-core and for the shape every page needs.

Challenges take comments while these tests run (the discussion app itself knows no other app).
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.challenges.models import Challenge
from civicflow.discussion import services
from civicflow.discussion.models import Comment, Flag
from civicflow.discussion.registry import register_commentable, unregister_commentable
from tests.browser.conftest import check_page, check_pages, page_faults, screenshot, sign_in
from tests.discussion.support import LABEL, make_challenge, register_challenges
from tests.factories import PASSWORD, UserFactory, member

pytestmark = pytest.mark.browser


@pytest.fixture
def discussion(organisation, admin_user, staff_user, resident):
    """Return a challenge with a lively discussion, and the people in it."""
    before = register_challenges()
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    neighbour = UserFactory(email="neighbour@example.com", name="Nia Neighbour")
    challenge = make_challenge(organisation, created_by=admin_user)
    top = services.comment_create(
        author=resident,
        target=challenge,
        body="Could the collection start an hour earlier on narrow streets?\nThe lorries "
        "block the road at 8am.",
    )
    reply = services.comment_create(
        author=staff_user,
        target=challenge,
        body="We tried 7am last year; crews could not reach the depot in time.",
        parent=top,
    )
    services.comment_create(
        author=neighbour, target=challenge, body="What about smaller lorries?", parent=reply
    )
    gone = services.comment_create(author=neighbour, target=challenge, body="Never mind.")
    services.comment_delete(actor=neighbour, comment=gone)
    rude = services.comment_create(author=neighbour, target=challenge, body="This is useless!!")
    services.comment_hide(actor=lead, comment=rude, reason="Please keep it constructive.")
    spam = services.comment_create(
        author=neighbour, target=challenge, body="Buy cheap watches at example.com"
    )
    services.flag_raise(
        reporter=resident, target=challenge, comment=spam, reason="spam", details="Advert."
    )
    services.flag_raise(reporter=staff_user, target=challenge, reason="off_topic")
    yield SimpleNamespace(
        organisation=organisation,
        challenge=challenge,
        top=top,
        rude=rude,
        spam=spam,
        admin=admin_user,
        lead=lead,
        staff=staff_user,
        resident=resident,
        neighbour=neighbour,
    )
    if before is not None:
        register_commentable(before)
    else:
        unregister_commentable(Challenge)


def thread_path(challenge) -> str:
    return f"/comments/on/{LABEL}/{challenge.pk}/"


def test_anyone_reads_the_discussion(page, discussion):
    response = page.goto(thread_path(discussion.challenge))
    assert response is not None and response.status == 200
    expect(page.get_by_text("Could the collection start an hour earlier")).to_be_visible()
    expect(page.get_by_text("Comment deleted")).to_be_visible()
    expect(page.get_by_text("A moderator hid this comment.")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in to comment")).to_be_visible()
    check_page(page, "anonymous-discussion-thread")


def test_a_resident_comments_replies_changes_and_reports(page, discussion):
    sign_in(page, discussion.resident.email, PASSWORD)
    faults: dict[str, list[str]] = {}
    path = thread_path(discussion.challenge)

    page.goto(path)
    page.get_by_role("button", name="Post comment").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link", name="Enter your comment").get_attribute("href") == (
        "#id_body"
    )
    faults["thread-error"] = page_faults(page, "resident-discussion-thread-error")

    page.get_by_label("Add a comment").fill("Narrow streets could have a later round.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your comment has been posted."
    )
    faults["thread"] = page_faults(page, "resident-discussion-thread")
    mine = Comment.objects.get(body="Narrow streets could have a later round.")

    # Reply in place, through the details element in the thread (on a fresh page: the checks
    # above leave focus and scroll where a person would not).
    page.goto(path)
    details = page.locator(f"#comment-{discussion.top.pk} > details")
    details.locator("summary").click()
    expect(details).to_have_attribute("open", "")
    details.get_by_label("Your reply").fill("Thank you for the answer.")
    details.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("Thank you for the answer.")).to_be_visible()

    for name, url in [
        ("reply", f"/comments/{discussion.top.pk}/reply/"),
        ("edit", f"/comments/{mine.pk}/edit/"),
        ("delete", f"/comments/{mine.pk}/delete/"),
        ("flag-comment", f"/comments/{discussion.spam.pk}/flag/"),
        ("flag-target", f"/flags/on/{LABEL}/{discussion.challenge.pk}/"),
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        faults[name] = page_faults(page, f"resident-discussion-{name}")

    page.goto(f"/flags/on/{LABEL}/{discussion.challenge.pk}/")
    page.get_by_label("Something else").check()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#id_details-error")).to_contain_text("Say what is wrong with it")
    faults["flag-error"] = page_faults(page, "resident-discussion-flag-error")
    page.get_by_label("Tell the moderators more").fill("It is a duplicate of another.")
    page.get_by_role("button", name="Send report").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Thank you")

    Comment.objects.filter(pk=mine.pk).update(created_at=mine.created_at - timedelta(hours=1))
    page.goto(f"/comments/{mine.pk}/edit/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("15 minutes")
    faults["edit-closed"] = page_faults(page, "resident-discussion-edit-closed")
    check_pages(faults)


def test_a_moderator_works_through_the_queue(page, discussion):
    sign_in(page, discussion.lead.email, PASSWORD)
    slug = discussion.organisation.slug
    faults: dict[str, list[str]] = {}
    flag = Flag.objects.get(comment=discussion.spam)

    for name, url in [
        ("thread", thread_path(discussion.challenge)),
        ("hide", f"/comments/{discussion.top.pk}/hide/"),
        ("restore", f"/comments/{discussion.rude.pk}/restore/"),
        ("queue", f"/organisations/{slug}/moderation/"),
        ("flag", f"/flags/{flag.pk}/"),
    ]:
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        faults[name] = page_faults(page, f"moderator-discussion-{name}")

    page.goto(f"/organisations/{slug}/moderation/")
    card = page.locator(f"#flag-{flag.pk}")
    card.get_by_role("button", name="Hide it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason")
    faults["flag-error"] = page_faults(page, "moderator-discussion-flag-error")
    page.get_by_label("Reason for your decision").fill("Advertising is not allowed.")
    page.get_by_role("button", name="Hide it").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Hidden.")

    page.goto(f"/organisations/{slug}/moderation/?show=hidden")
    expect(page.get_by_text("Buy cheap watches")).to_be_visible()
    faults["queue-hidden"] = page_faults(page, "moderator-discussion-queue-hidden")
    check_pages(faults)


def test_commenting_works_without_javascript(new_context, discussion):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, discussion.staff.email, PASSWORD)
    page.goto(thread_path(discussion.challenge))
    page.get_by_label("Add a comment").fill("Posted without JavaScript.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_text("Posted without JavaScript.")).to_be_visible()
    screenshot(page, "nojs-discussion-thread")
