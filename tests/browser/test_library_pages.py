"""The case library in a real browser: a lead elsewhere finds a case by need, reads its
outcomes, adopts it and sees the adoption on the original, with JavaScript switched off; and
every library page checked with axe-core."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.library import services
from civicflow.search.services import index_object
from tests.browser.conftest import check_pages, page_faults, sign_in
from tests.factories import member
from tests.library.helpers import case_fields, published_case

pytestmark = pytest.mark.browser


@pytest.fixture
def library(testshire, other_organisation) -> SimpleNamespace:
    organisation = testshire.organisation
    editor = member(organisation, "innovation_lead", email="editor@testshire.example")
    case = published_case(author=testshire.staff, editor=editor, organisation=organisation)
    index_object(label="library.casestudy", object_id=case.pk)
    adopter = member(other_organisation, "innovation_lead", email="lead@elsewhere.example")
    return SimpleNamespace(
        testshire=testshire, editor=editor, case=case, adopter=adopter, other=other_organisation
    )


def test_a_case_is_found_read_adopted_and_its_spread_shown_without_javascript(new_context, library):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, library.adopter.email, library.testshire.password)
    page.goto("/library/")
    page.get_by_label("Search the library").fill("falls on the ward")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=library.case.title).click()
    expect(page.locator("main")).to_contain_text("80 %")
    expect(page.locator("main")).to_contain_text("Falls on the ward came down")
    page.get_by_role("link", name="Adopt this case").click()
    page.get_by_label("An initiative, to pilot it straight away").check()
    page.get_by_label("What will you adapt?").fill("We start on our stroke ward.")
    page.get_by_role("button", name="Adopt this case").click()
    expect(page.locator("main")).to_contain_text("Adopted from the case study")

    page.goto(library.case.get_absolute_url())
    expect(page.locator("main")).to_contain_text(library.other.name)
    expect(page.locator("main")).to_contain_text("We start on our stroke ward.")
    expect(page.locator("main")).to_contain_text("Test, active")


def test_every_library_page_passes_axe(page, library):
    testshire = library.testshire
    submitted = services.case_create(
        actor=testshire.staff,
        organisation=testshire.organisation,
        **case_fields(title="Video suites near home"),
    )
    services.case_submit(actor=testshire.staff, case=submitted)
    sign_in(page, library.editor.email, testshire.password)
    case = library.case
    faults = {}
    for name, path in [
        ("index", "/library/?q=falls"),
        ("facet", "/library/?sector=health"),
        ("case", f"/library/cases/{case.pk}/"),
        ("spread", f"/library/cases/{case.pk}/spread/"),
        ("edit", f"/library/cases/{case.pk}/edit/"),
        ("new", f"/organisations/{testshire.organisation.slug}/cases/new/"),
        ("review", f"/library/cases/{submitted.pk}/review/"),
        ("queue", "/library/review/"),
        ("import", "/library/import/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"library-{name}")

    page.goto(f"/library/cases/{submitted.pk}/review/")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("publish the case or return it")
    faults["review-error"] = page_faults(page, "library-review-error")
    check_pages(faults)
