"""Journeys people make through the pages, end to end in a real browser."""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect

from civicflow.accounts.models import Role
from civicflow.accounts.selectors import roles_in
from tests.browser.conftest import check_axe, screenshot, sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def expect_success(page, text: str) -> None:
    """Wait for the success banner that says ``text``."""
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(text)


def test_administrator_adds_a_member_changes_their_roles_and_sees_it_audited(page, testshire):
    newcomer = UserFactory(name="Priya Patel", email="priya.patel@testshire.example")
    sign_in(page, testshire.admin.email, testshire.password)

    page.goto(f"/organisations/{testshire.organisation.slug}/")
    screenshot(page, "journey-member-1-organisation")
    page.get_by_role("link", name="Members", exact=True).click()
    page.get_by_label("Email address of their account").fill("Priya.Patel@testshire.example")
    page.get_by_label("Innovation lead").check()
    page.get_by_label("Reason").fill("Leads the street lighting challenge")
    page.get_by_role("button", name="Add member").click()

    expect_success(page, "Priya Patel is now a member.")
    row = page.get_by_role("row").filter(has_text="priya.patel@testshire.example")
    assert row.get_by_role("cell").nth(1).inner_text() == "Staff member, Innovation lead"
    screenshot(page, "journey-member-2-added")

    row.get_by_role("link", name="Change roles of Priya Patel").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Change the roles of Priya Patel"
    assert page.get_by_label("Innovation lead").is_checked()
    page.get_by_label("Innovation lead").uncheck()
    page.get_by_label("Assessor").check()
    page.get_by_label("Reason for the change").fill("Moved to the appraisal panel")
    screenshot(page, "journey-member-3-change-roles")
    page.get_by_role("button", name="Save roles").click()

    expect_success(page, "Roles changed for Priya Patel.")
    row = page.get_by_role("row").filter(has_text="priya.patel@testshire.example")
    assert row.get_by_role("cell").nth(1).inner_text() == "Staff member, Assessor"
    assert roles_in(newcomer, testshire.organisation) == {Role.STAFF, Role.ASSESSOR}
    screenshot(page, "journey-member-4-roles-changed")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name=testshire.organisation.name
    ).click()
    page.get_by_role("link", name="Audit log").click()
    latest = page.get_by_role("row").nth(1)
    assert "Roles changed" in latest.inner_text()
    assert "Priya Patel" in latest.inner_text()
    assert "Moved to the appraisal panel" in latest.inner_text()
    screenshot(page, "journey-member-5-audit-log")
    check_axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the whole log as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"{testshire.organisation.slug}-audit-log-")
    assert download.suggested_filename.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(download.path().read_text(encoding="utf-8"))))
    ours = [row for row in rows if row["target"] == "Priya Patel"]
    assert [row["action"] for row in ours] == ["membership.roles_changed", "membership.joined"]
    changed, joined = ours
    assert changed["actor"] == str(testshire.admin)
    assert changed["reason"] == "Moved to the appraisal panel"
    assert '"added": ["assessor"]' in changed["data"]
    assert '"removed": ["innovation_lead"]' in changed["data"]
    assert joined["reason"] == "Leads the street lighting challenge"
    assert '"added": ["innovation_lead", "staff"]' in joined["data"]


def test_administrator_creates_a_team_and_adds_a_member(page, testshire):
    sign_in(page, testshire.admin.email, testshire.password)
    page.goto(f"/organisations/{testshire.organisation.slug}/teams/")
    page.get_by_label("Team name").fill("Street lighting")
    page.get_by_label("What the team does").fill("Replaces old lamps with LEDs.")
    screenshot(page, "journey-team-1-teams")
    page.get_by_role("button", name="Create team").click()

    expect_success(page, "Team Street lighting created.")
    assert page.get_by_role("heading", level=1).inner_text() == "Street lighting"
    assert page.get_by_text("Nobody is in this team yet.").is_visible()
    screenshot(page, "journey-team-2-created")

    staff = testshire.staff
    page.get_by_label("Member to add").select_option(label=f"{staff} ({staff.email})")
    page.get_by_role("button", name="Add to team").click()

    expect_success(page, f"{staff} added to the team.")
    members = page.locator("main ul.govuk-list")
    assert str(staff) in members.inner_text()
    assert page.get_by_role("button", name=f"Take out {staff}").is_visible()
    screenshot(page, "journey-team-3-member-added")

    page.get_by_role("link", name="Teams").click()
    row = page.get_by_role("row").filter(has_text="Street lighting")
    assert row.get_by_role("cell").nth(1).inner_text() == "1"
    screenshot(page, "journey-team-4-teams")


def test_api_token_is_shown_once_works_and_stops_working_when_revoked(page, testshire):
    sign_in(page, testshire.admin.email, testshire.password)
    page.goto("/account/")
    page.get_by_role("link", name="Manage API tokens").click()
    page.get_by_label("Token name").fill("Ward dashboard export")
    page.get_by_label("30 days").check()
    screenshot(page, "journey-token-1-tokens")
    page.get_by_role("button", name="Create token").click()

    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("cfp_")
    screenshot(page, "journey-token-2-created")
    headers = {"Authorization": f"Bearer {secret}"}
    response = page.request.get("/api/v1/me", headers=headers)
    assert response.status == 200
    me = response.json()
    assert me["email"] == testshire.admin.email
    assert {"organisation": "testshire", "roles": ["admin", "staff"]} in [
        {**membership, "roles": sorted(membership["roles"])} for membership in me["memberships"]
    ]

    page.goto("/account/tokens/")
    assert page.locator("#new-token").count() == 0
    assert secret not in page.content()
    row = page.get_by_role("row").filter(has_text="Ward dashboard export")
    assert "Active" in row.inner_text()
    row.get_by_role("button", name="Revoke Ward dashboard export").click()

    expect_success(page, "Token ‘Ward dashboard export’ revoked.")
    row = page.get_by_role("row").filter(has_text="Ward dashboard export")
    assert "Revoked" in row.inner_text()
    assert row.get_by_role("button").count() == 0
    screenshot(page, "journey-token-3-revoked")

    response = page.request.get("/api/v1/me", headers=headers)
    assert response.status == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "revoked" in response.json()["detail"]


def test_person_signs_in_and_out(page, testshire):
    sign_in(page, testshire.staff.email, testshire.password)
    assert page.url.endswith("/account/")
    assert page.get_by_role("heading", level=1).inner_text() == "Your account"
    assert testshire.organisation.name in page.locator("main").inner_text()
    screenshot(page, "journey-sign-out-1-account")

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(lambda url: "/account" not in url)
    navigation = page.get_by_role("navigation", name="Menu")
    assert navigation.get_by_role("link", name="Sign in").is_visible()
    assert page.get_by_role("button", name="Sign out").count() == 0
    screenshot(page, "journey-sign-out-2-home")
