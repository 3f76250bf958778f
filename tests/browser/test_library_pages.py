"""The case library in a real browser: a lead elsewhere finds a case by need, reads its
outcomes, adopts it and sees the adoption on the original, with JavaScript switched off; and
an editor publishes a written-up initiative's measured results and anyone reads them, live,
apart from the reported outcomes; and every library page checked with axe-core."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest
from playwright.sync_api import expect

from civicflow.library import services
from civicflow.search.services import index_object
from tests.browser.conftest import check_pages, page_faults, screenshot, sign_in
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


def _measured_case(library: SimpleNamespace) -> Any:
    """A public case written up from a private initiative with a KPI and an SROI, of which
    its editor has published none yet."""
    from civicflow.library.models import CaseStudy
    from civicflow.outcomes import services as outcomes
    from tests.initiatives.helpers import initiative_at
    from tests.outcomes.helpers import SROI_INPUTS, falls_kpi

    organisation = library.testshire.organisation
    initiative = initiative_at(
        lead=library.editor,
        decider=member(organisation, "decision_maker"),
        owner=library.testshire.staff,
        organisation=organisation,
        stage="evaluate",
        title="Desks in the bays",
    )
    kpi = falls_kpi(library.editor, initiative)
    outcomes.reading_add(actor=library.editor, kpi=kpi, value="2", taken_on=date(2025, 6, 30))
    outcomes.appraisal_save(
        actor=library.editor,
        initiative=initiative,
        kind="sroi",
        title="Social value of the desks",
        inputs=SROI_INPUTS,
    )
    case = published_case(
        author=library.testshire.staff,
        editor=library.editor,
        organisation=organisation,
        title="Desks in the bays, written up",
    )
    CaseStudy.objects.filter(pk=case.pk).update(source_initiative=initiative)
    return case


def test_an_editor_publishes_measured_results_and_anyone_reads_them_live(new_context, library):
    case = _measured_case(library)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, library.editor.email, library.testshire.password)
    page.goto(case.get_absolute_url())
    expect(page.locator("main")).to_contain_text("2 more measures on the initiative's record")
    page.get_by_role("link", name="Choose the measured results it publishes").click()
    page.get_by_label("Falls on the ward a month").check()
    page.get_by_label("Social value of the desks").check()
    page.get_by_role("button", name="Publish these with the case").click()
    expect(page.get_by_text("The case now publishes the measured results")).to_be_visible()

    reader = new_context(java_script_enabled=False).new_page()
    reader.goto(case.get_absolute_url())
    main = reader.locator("main")
    expect(main).to_contain_text("Read now from the initiative's record")
    table = main.get_by_role("table", name="KPIs: latest reading against baseline and target")
    expect(table).to_contain_text("Falls on the ward a month")
    expect(table).to_contain_text("On track")
    expect(main).to_contain_text("social return on investment")
    expect(main).to_contain_text("In the case's own words")
    expect(main).not_to_contain_text("more measures")
    screenshot(reader, "library-measured-case-reader")

    # Adopted elsewhere as an initiative with a KPI of its own: side by side on the spread.
    from civicflow.outcomes import services as outcomes
    from tests.outcomes.helpers import falls_kpi

    adoption = services.case_adopt(
        actor=library.adopter,
        case=case,
        organisation=library.other,
        kind="initiative",
        adaptations="We start on our stroke ward.",
        sharing="public",
    )
    # Its figures reach the public because the initiative itself is public.
    type(adoption.initiative).objects.filter(pk=adoption.initiative_id).update(public=True)
    theirs = falls_kpi(library.adopter, adoption.initiative, name="Falls on the stroke ward")
    outcomes.reading_add(actor=library.adopter, kpi=theirs, value="5", taken_on=date(2025, 6, 1))
    reader.goto(f"/library/cases/{case.pk}/spread/")
    table = reader.get_by_role("table", name="Where it has spread")
    original = table.get_by_role("row").filter(has_text="Original")
    expect(original).to_contain_text("Falls on the ward a month")
    adopted = table.get_by_role("row").filter(has_text=library.other.name)
    expect(adopted).to_contain_text("Falls on the stroke ward")
    expect(adopted).to_contain_text("5 falls (Jun 2025); baseline 10, target 2")
    screenshot(reader, "library-spread-side-by-side")


def test_every_library_page_passes_axe(page, library):
    testshire = library.testshire
    submitted = services.case_create(
        actor=testshire.staff,
        organisation=testshire.organisation,
        **case_fields(title="Video suites near home"),
    )
    services.case_submit(actor=testshire.staff, case=submitted)
    measured = _measured_case(library)
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
        ("measured-case", f"/library/cases/{measured.pk}/"),
        ("measures", f"/library/cases/{measured.pk}/measures/"),
        ("measured-spread", f"/library/cases/{measured.pk}/spread/"),
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
