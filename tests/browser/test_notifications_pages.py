"""The notification pages in a real browser: axe-core, the page shape, and no-JavaScript use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from civicflow.notifications import selectors
from civicflow.notifications.models import Notification
from civicflow.notifications.services import notify
from civicflow.notifications.tokens import unsubscribe_token
from tests.browser.conftest import check_page, check_pages, page_faults, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def news(testshire):
    """Give the staff member three notifications, one of them read, from the administrator."""
    staff, admin = testshire.staff, testshire.admin
    notify(
        recipients=[staff],
        kind="idea.new",
        title="New idea in Safer roads: Brighter street lamps",
        url="/organisations/testshire/",
    )
    notify(
        recipients=[staff],
        kind="comment.reply",
        title=f"{admin} replied to your comment",
        body="Thanks, that is a good point.\nCould you say more about the cost?",
        url="/organisations/testshire/",
        actor=admin,
    )
    notify(
        recipients=[staff],
        kind="idea.status_changed",
        title="Your idea ‘Safer crossings’ is being assessed",
        actor=admin,
    )
    oldest = Notification.objects.filter(recipient=staff).order_by("pk").first()
    assert oldest is not None
    Notification.objects.filter(pk=oldest.pk).update(
        read_at=timezone.now(), created_at=timezone.now() - timedelta(days=2)
    )
    return testshire


def test_notification_pages(page, news):
    """Every notification page a signed-in person sees, checked together."""
    sign_in(page, news.staff.email, news.password)
    faults: dict[str, list[str]] = {}

    for name, path in [
        ("list", "/notifications/"),
        ("list-unread", "/notifications/?show=unread"),
        ("settings", "/notifications/settings/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"notifications-{name}")

    page.goto("/notifications/")  # start again: the checks leave the skip link focused
    expect(page.locator(".govuk-tag", has_text="Unread")).to_have_count(2)
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "2 notifications marked as read."
    )
    expect(page.locator(".govuk-tag", has_text="Unread")).to_have_count(0)
    faults["list-all-read"] = page_faults(page, "notifications-list-all-read")

    check_pages(faults)


def test_an_empty_list(page, testshire):
    sign_in(page, testshire.outsider.email, testshire.password)
    page.goto("/notifications/")
    expect(page.get_by_text("You have no notifications yet.")).to_be_visible()
    check_page(page, "notifications-empty")


def test_unsubscribe_pages_need_no_sign_in(page, news):
    token = unsubscribe_token(user_id=news.staff.pk, groups=["followed_challenges"])
    faults: dict[str, list[str]] = {}

    response = page.goto(f"/notifications/unsubscribe/{token}/")
    assert response is not None and response.status == 200
    faults["unsubscribe"] = page_faults(page, "notifications-unsubscribe")

    # The checks leave the skip link focused; when it loses focus the page moves, so start again.
    page.goto(f"/notifications/unsubscribe/{token}/")
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator(".govuk-panel")).to_contain_text(
        "You will no longer get emails about challenges you follow"
    )
    faults["unsubscribed"] = page_faults(page, "notifications-unsubscribed")

    response = page.goto(f"/notifications/unsubscribe/{token[:-3]}/")
    assert response is not None and response.status == 400
    faults["unsubscribe-invalid"] = page_faults(page, "notifications-unsubscribe-invalid")

    every = unsubscribe_token(user_id=news.staff.pk)
    page.goto(f"/notifications/unsubscribe/{every}/")
    faults["unsubscribe-all"] = page_faults(page, "notifications-unsubscribe-all")

    check_pages(faults)
    assert selectors.preferences_for(news.staff)["followed_challenges"] == "in_app"


def test_read_and_choose_without_javascript(new_context, news):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, news.staff.email, news.password)

    # Following a notification's link marks it read.
    page.goto("/notifications/")
    page.get_by_role("link", name=f"{news.admin} replied to your comment").click()
    assert page.url.endswith("/organisations/testshire/")
    assert selectors.unread_count(news.staff) == 1

    # One without a link is marked read with its button.
    page.goto("/notifications/")
    assert (
        page.get_by_role("link", name="Your idea ‘Safer crossings’ is being assessed").count() == 0
    )
    item = page.get_by_role("listitem").filter(has_text="Safer crossings")
    item.get_by_role("button", name="Mark as read").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("marked as read")
    assert selectors.unread_count(news.staff) == 0
    screenshot(page, "nojs-notifications-marked")

    page.get_by_role("link", name="Change how you hear about things").click()
    page.get_by_role("group", name="Replies and comments").get_by_label(
        "Weekly email digest"
    ).check()
    page.get_by_role("group", name="Challenges you follow").get_by_label(
        "Only in civicflow"
    ).check()
    page.get_by_role("button", name="Save choices").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your choices about notifications have been saved."
    )
    assert selectors.preferences_for(news.staff) == {
        "ideas": "immediate",
        "comments": "digest",
        "followed_challenges": "in_app",
        "other": "immediate",
    }
    screenshot(page, "nojs-notifications-settings-saved")
