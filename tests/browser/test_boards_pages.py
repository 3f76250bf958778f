"""Team improvement boards in a real browser: every page checked, the board's layout at desktop
and phone widths, and a card moved with JavaScript switched off."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.accounts import services as accounts_services
from civicflow.boards import services
from civicflow.boards.models import Card, Status
from tests.browser.conftest import check_page, check_pages, page_faults, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def ward(testshire) -> SimpleNamespace:
    """Return a ward whose board has cards in every column; the staff member is in the team."""
    admin, nurse = testshire.admin, testshire.staff
    team = accounts_services.team_create(
        actor=admin, organisation=testshire.organisation, name="Ward 7 (older people)"
    )
    accounts_services.team_add_member(actor=admin, team=team, user=nurse)

    def card(title: str, problem: str, change: str) -> Card:
        return services.card_raise(
            actor=nurse, team=team, title=title, problem=problem, change=change
        )

    bells = card(
        "Call bells left out of reach",
        "After bed baths the call bell is often left on the locker.",
        "Add ‘call bell in reach’ to the bed-bath checklist.",
    )
    slings = card(
        "Keep the spare slings in one place",
        "Night staff lose time looking for a sling.",
        "One labelled cupboard for slings, next to bay C.",
    )
    services.card_approve(actor=admin, card=slings)
    jugs = card(
        "Water jugs within reach at mealtimes",
        "Jugs are left on the far side of the table after meals.",
        "The housekeeper checks every jug at 12:00 and 17:00.",
    )
    services.card_move(actor=admin, card=jugs, status=Status.TRYING)
    desks = card(
        "Move the nurses’ desks into the bays",
        "Patients fall while nurses write notes out of sight at the central station.",
        "A small desk in each bay, so whoever writes notes can see the patients.",
    )
    services.card_move(actor=admin, card=desks, status=Status.TRYING)
    services.card_record_effect(
        actor=admin,
        card=desks,
        before="10",
        after="2",
        unit="falls per month",
        measured_on=date(2025, 3, 31),
        note="Three months before the move against three months after.",
        adopt=True,
    )
    dropped = card(
        "Map of the bays at the entrance",
        "Visitors queue at the station to ask where their relative is.",
        "A map of the bays by the entrance.",
    )
    services.card_move(actor=admin, card=dropped, status=Status.DROPPED, reason="Bed moves")
    slug = testshire.organisation.slug
    return SimpleNamespace(
        testshire=testshire,
        team=team,
        bells=bells,
        jugs=jugs,
        desks=desks,
        board=f"/organisations/{slug}/teams/{team.slug}/board/",
        slug=slug,
    )


def test_every_board_page_for_a_lead(page, ward):
    """Walk an administrator, who leads every board, through each page, and check them all."""
    sign_in(page, ward.testshire.admin.email, ward.testshire.password)
    board, slug = ward.board, ward.slug
    faults: dict[str, list[str]] = {}
    for name, path in [
        ("boards", f"/organisations/{slug}/boards/"),
        ("board", board),
        ("card", f"{board}cards/{ward.desks.pk}/"),
        ("card-new", f"{board}cards/{ward.bells.pk}/"),
        ("card-create", f"{board}cards/new/"),
        ("card-edit", f"{board}cards/{ward.bells.pk}/edit/"),
        ("card-move", f"{board}cards/{ward.bells.pk}/move/"),
        ("card-effect", f"{board}cards/{ward.jugs.pk}/effect/?adopt=1"),
        ("leads", f"{board}leads/"),
        ("rollup", f"/organisations/{slug}/improvements/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"boards-{name}")

    # Forms with errors: the summary links to the field at fault.
    page.goto(f"{board}cards/new/")
    page.get_by_role("button", name="Put the card on the board").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    assert summary.get_by_role("link", name="Enter a short name for the change").get_attribute(
        "href"
    ) == ("#id_title")
    faults["card-create-error"] = page_faults(page, "boards-card-create-error")

    page.goto(f"{board}cards/{ward.jugs.pk}/effect/")
    page.get_by_label("What the figures count").fill("falls per month")
    page.get_by_label("Figure before the change").fill("ten")
    page.get_by_role("button", name="Save the effect").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the before figure as a number")
    link = summary.get_by_role("link", name="Enter the date")
    assert link.get_attribute("href") == "#id_measured_on"
    faults["card-effect-error"] = page_faults(page, "boards-card-effect-error")

    check_pages(faults)


def test_the_board_is_columns_on_a_desktop_and_a_stack_on_a_phone(new_context, ward):
    for name, viewport in [("desktop", {"width": 1280, "height": 900}), ("phone", None)]:
        options = (
            {"viewport": viewport} if viewport else {"viewport": {"width": 375, "height": 812}}
        )
        page = new_context(**options).new_page()
        sign_in(page, ward.testshire.staff.email, ward.testshire.password)
        page.goto(ward.board)
        boxes = [
            page.locator(f"#column-{status}").locator("xpath=..").bounding_box()
            for status in Status.values
        ]
        assert all(boxes)
        if name == "desktop":
            # Four columns side by side, left to right, tops level.
            assert len({round(box["y"]) for box in boxes}) == 1
            assert [box["x"] for box in boxes] == sorted(box["x"] for box in boxes)
            assert boxes[0]["width"] < 300
        else:
            # One column above the next, each the width of the screen.
            assert len({round(box["x"]) for box in boxes}) == 1
            assert [box["y"] for box in boxes] == sorted(box["y"] for box in boxes)
            assert page.evaluate("document.documentElement.scrollWidth") <= 375
        check_page(page, f"boards-board-{name}")


def test_a_team_member_raises_a_card_and_a_lead_moves_it_without_javascript(new_context, ward):
    nurse = new_context(java_script_enabled=False).new_page()
    sign_in(nurse, ward.testshire.staff.email, ward.testshire.password)
    nurse.goto(ward.board)
    nurse.get_by_role("button", name="Raise a card").click()
    nurse.get_by_label("Short name for the change").fill("Glasses go missing on transfer")
    nurse.get_by_label("What problem have you noticed?").fill("Glasses are lost between wards.")
    nurse.get_by_label("What change do you propose?").fill("A case that travels with them.")
    nurse.get_by_role("button", name="Put the card on the board").click()
    expect(nurse.locator(".govuk-notification-banner--success")).to_contain_text(
        "Glasses go missing on transfer"
    )
    card = Card.objects.get(title="Glasses go missing on transfer")
    new_column = nurse.locator("section", has=nurse.locator("#column-new"))
    expect(new_column.locator(f"#card-{card.pk}")).to_be_visible()

    lead = new_context(java_script_enabled=False).new_page()
    sign_in(lead, ward.testshire.admin.email, ward.testshire.password)
    lead.goto(ward.board)
    lead.get_by_label("Move Glasses go missing on transfer to").select_option("trying")
    lead.get_by_role("button", name="Move Glasses go missing on transfer", exact=True).click()

    expect(lead.locator(".govuk-notification-banner--success")).to_contain_text("moved to Trying")
    assert lead.url.endswith(f"#card-{card.pk}")
    trying = lead.locator("section", has=lead.locator("#column-trying"))
    expect(trying.locator(f"#card-{card.pk}")).to_be_visible()
    screenshot(lead, "boards-nojs-card-moved")
