"""Every page a person can reach, checked with axe-core and for the shape every page needs."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    check_page,
    check_pages,
    page_faults,
    page_problems,
    screenshot,
    sign_in,
)

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("home", "/"),
        ("organisations", "/organisations/"),
        ("organisation", "/organisations/testshire/"),
        ("cookies", "/cookies/"),
        ("privacy", "/privacy/"),
        ("accessibility", "/accessibility/"),
        ("not-found", "/no-such-page/"),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
    ],
)
def test_public_page(page, testshire, name, path):
    response = page.goto(path)
    assert response is not None
    assert response.status == (404 if name == "not-found" else 200)
    check_page(page, f"anonymous-{name}")


def test_static_files_and_styles_load(page, client, testshire):
    # The live server serves static files through Django's StaticFilesHandler; the app itself
    # serves them through WhiteNoise, from the app finders in test mode.
    response = client.get("/static/vendor/civicflow.css")
    assert response.status_code == 200
    assert type(response).__module__.startswith("whitenoise")
    assert b".govuk-footer" in b"".join(response.streaming_content)

    page.goto("/")
    footer_background = page.locator(".govuk-footer").evaluate(
        "element => getComputedStyle(element).backgroundColor"
    )
    assert footer_background != "rgba(0, 0, 0, 0)", "civicflow.css did not style the footer"
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert page.evaluate("() => typeof window.htmx") == "object"
    assert not page_problems(page)


def test_administrator_pages(page, testshire):
    """Walk an administrator through every page they manage, and check each one.

    One sign-in serves every page; the faults of all pages are reported together.
    """
    slug = testshire.organisation.slug
    sign_in(page, testshire.admin.email, testshire.password)
    faults: dict[str, list[str]] = {}

    for name, path in [
        ("account", "/account/"),
        ("tokens", "/account/tokens/"),
        ("organisation", f"/organisations/{slug}/"),
        ("members", f"/organisations/{slug}/members/"),
        ("member-roles", f"/organisations/{slug}/members/{testshire.staff.pk}/"),
        ("teams", f"/organisations/{slug}/teams/"),
        ("team", f"/organisations/{slug}/teams/{testshire.team.slug}/"),
        ("audit-log", f"/organisations/{slug}/audit/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"admin-{name}")

    # The page that shows a new token's secret, once.
    page.goto("/account/tokens/")
    page.get_by_label("Token name").fill("Ward dashboard export")
    page.get_by_role("button", name="Create token").click()
    expect(page.locator("#new-token")).to_contain_text("cfp_")
    faults["token-created"] = page_faults(page, "admin-token-created")
    page.goto("/account/tokens/")
    assert page.locator("#new-token").count() == 0

    # The members page with an error: the summary links to the field and takes focus.
    page.goto(f"/organisations/{slug}/members/")
    page.get_by_role("button", name="Add member").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Enter the email address of the person's account")
    assert link.get_attribute("href") == "#id_email"
    assert page.title().startswith("Error:")
    faults["members-error"] = page_faults(page, "admin-members-error")

    check_pages(faults)


def test_staff_member_sees_members_without_the_form(page, testshire):
    sign_in(page, testshire.staff.email, testshire.password)
    page.goto(f"/organisations/{testshire.organisation.slug}/members/")
    assert page.get_by_role("heading", name="Add a member").count() == 0
    assert page.locator("form input[name='email']").count() == 0
    assert page.get_by_role("cell", name=testshire.admin.name, exact=True).count() == 1
    check_page(page, "staff-members")


def test_pages_keep_to_the_content_security_policy(new_context, testshire):
    """Load pages as they are served, policy and all, and see no script or style refused."""
    page = new_context(bypass_csp=False).new_page()
    sign_in(page, testshire.admin.email, testshire.password)
    for path in ["/", f"/organisations/{testshire.organisation.slug}/members/", "/account/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert "govuk-frontend-supported" in (page.locator("body").get_attribute("class") or "")
    assert not page_problems(page)


def test_sign_in_and_add_a_member_without_javascript(new_context, testshire):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, testshire.admin.email, testshire.password)
    assert page.url.endswith("/account/")
    screenshot(page, "nojs-account")

    page.goto(f"/organisations/{testshire.organisation.slug}/members/")
    page.get_by_role("button", name="Add member").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.locator("#id_email-error")).to_contain_text("Enter the email address")
    screenshot(page, "nojs-members-error")

    page.get_by_label("Email address of their account").fill(testshire.outsider.email)
    page.get_by_label("Innovation lead").check()
    page.get_by_role("button", name="Add member").click()

    banner = page.locator(".govuk-notification-banner--success")
    expect(banner).to_contain_text(f"{testshire.outsider} is now a member.")
    row = page.get_by_role("row").filter(has_text=testshire.outsider.email)
    assert "Innovation lead" in row.inner_text()
    screenshot(page, "nojs-member-added")
