"""Outcomes in a real browser, with JavaScript switched off: a lead records a KPI with
readings, imports a CSV file with a bad row and reads the report, enters a cost-benefit
analysis, and sees KPIs, appraisals, surveys and evidence side by side on the initiative's
page; a reading entered wrongly is corrected and another deleted; and every outcomes page
checked with axe-core."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from civicflow.outcomes import services
from tests.browser.conftest import check_pages, page_faults, screenshot, sign_in
from tests.factories import member
from tests.initiatives.helpers import initiative_at, selected_idea
from tests.outcomes.helpers import SROI_INPUTS

pytestmark = pytest.mark.browser


def fill_date(page, legend: str, day: str) -> None:
    """Type an ISO date into GOV.UK's day, month and year fields under ``legend``."""
    when = date.fromisoformat(day)
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(when.day))
    group.get_by_label("Month").fill(str(when.month))
    group.get_by_label("Year").fill(str(when.year))


@pytest.fixture
def ward(testshire) -> SimpleNamespace:
    organisation = testshire.organisation
    lead = member(organisation, "innovation_lead", email="lead@testshire.example")
    decider = member(organisation, "decision_maker", email="decider@testshire.example")
    owner = member(organisation, email="owner@testshire.example", name="Olu Owner")
    initiative = initiative_at(
        lead=lead,
        decider=decider,
        owner=owner,
        organisation=organisation,
        stage="evaluate",
        title="Nurses' desks in the bays",
        public=True,
    )
    services.appraisal_save(
        actor=lead, initiative=initiative, kind="sroi", title="Social return", inputs=SROI_INPUTS
    )
    services.evidence_assess(
        actor=lead,
        initiative=initiative,
        level=2,
        justification="Falls fell by 80 % after the desks moved.",
    )
    services.qualitative_evidence_add(
        actor=lead,
        initiative=initiative,
        kind="quote",
        text="I can see every bed while I write my notes.",
        attributed_to="A staff nurse",
    )
    survey = services.survey_create(actor=lead, owner=initiative, title="Do the desks help?")
    services.question_add(actor=lead, survey=survey, kind="satisfaction", text="How satisfied?")
    services.question_add(actor=lead, survey=survey, kind="text", text="Anything else?")
    services.survey_set_status(actor=lead, survey=survey, status="open")
    return SimpleNamespace(
        testshire=testshire, lead=lead, initiative=initiative, survey=survey, owner=owner
    )


def test_a_lead_records_outcomes_and_sees_them_side_by_side(new_context, ward, tmp_path):
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, ward.lead.email, ward.testshire.password)
    initiative = ward.initiative

    # A KPI with a target, then readings one at a time.
    page.goto(f"/initiatives/{initiative.pk}/outcomes/")
    page.get_by_label("Name").fill("Falls on the ward a month")
    page.get_by_label("Unit").fill("falls")
    page.get_by_label("Lower is better").check()
    page.get_by_label("Baseline value").fill("20")
    fill_date(page, "Baseline date", "2025-01-01")
    page.get_by_label("Target value").fill("4")
    fill_date(page, "Target date", "2025-12-31")
    page.get_by_role("button", name="Add the KPI").click()
    expect(page.get_by_text("KPI added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Falls on the ward a month")).to_be_visible()
    for value, day in [("17", "2025-03-01"), ("12", "2025-05-01")]:
        page.get_by_label("Value").fill(value)
        fill_date(page, "Date of the reading", day)
        page.get_by_label("Source").fill("Incident reports")
        page.get_by_role("button", name="Record the reading").click()
        expect(page.get_by_text("Reading recorded.")).to_be_visible()
    kpi_address = page.url

    # More readings from a CSV file, one of them refused with the reason.
    page.get_by_role("link", name="Import readings from a CSV file").click()
    csv = tmp_path / "falls.csv"
    csv.write_text(
        "date,value,source\n2025-07-01,8,Datix\n2025-08-31,six,Datix\n2025-09-01,5,Datix\n"
    )
    page.get_by_label("CSV file").set_input_files(str(csv))
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".govuk-panel")).to_contain_text("2 readings added")
    refused = page.get_by_role("table")
    expect(refused).to_contain_text("1 row refused")
    expect(refused.get_by_role("rowheader")).to_have_text(["3"])
    expect(refused).to_contain_text("Enter a number")

    page.goto(kpi_address)
    chart = page.locator("main svg")
    expect(chart).to_be_visible()
    expect(page.locator("main table").first).to_contain_text("1 Sep 2025")
    screenshot(page, "outcomes-walkthrough-kpi")

    # A reading entered wrongly is corrected, and the old figure stays on record.
    page.get_by_role("link", name="Correct the reading of 1 Jul 2025").click()
    page.get_by_label("Value").fill("7")
    page.get_by_label("Why it is being corrected").fill("Datix recount")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.get_by_text("Reading corrected.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("8 of 2025-07-01 corrected to 7 of 2025-07-01")
    page.get_by_role("link", name="Delete the reading of 1 Sep 2025").click()
    page.get_by_role("button", name="Delete the reading").click()
    expect(page.get_by_text("Reading deleted.")).to_be_visible()
    expect(page.locator("main table").first).not_to_contain_text("1 Sep 2025")

    # A cost-benefit analysis, entered row by row.
    page.goto(f"/initiatives/{initiative.pk}/outcomes/")
    page.get_by_role("link", name="Add a cost-benefit analysis").click()
    page.get_by_label("Title").fill("Three-year cost-benefit analysis")
    page.get_by_label("Discount rate").fill("0.1")
    page.get_by_label("Optimism bias uplift on costs").fill("0.2")
    rows = [
        ("cost", "0", "1000", True, "Moving the desks"),
        ("cost", "1", "100", False, "Nurses' time"),
        ("benefit", "1", "660", True, "Fewer agency shifts"),
        ("benefit", "2", "1210", False, "Falls avoided"),
    ]
    for index, (kind, year, amount, cashable, label) in enumerate(rows):
        page.locator(f"[name='line{index}_kind']").select_option(kind)
        page.locator(f"[name='line{index}_year']").fill(year)
        page.locator(f"[name='line{index}_amount']").fill(amount)
        page.locator(f"[name='line{index}_cashable']").set_checked(cashable)
        page.locator(f"[name='line{index}_label']").fill(label)
    page.get_by_role("button", name="Save and see the results").click()
    expect(page.get_by_text("Appraisal saved.")).to_be_visible()
    main = page.locator("main")
    # Working in tests/outcomes/test_api.py: NPV £290.91, BCR 1.22, payback in year 2.
    expect(main).to_contain_text("£290.91")
    expect(main).to_contain_text("1.22")

    # The initiative's page: everything measured, side by side.
    page.goto(initiative.get_absolute_url())
    section = page.locator("#outcomes-heading").locator("..")
    expect(section).to_contain_text("Falls on the ward a month")
    expect(section).to_contain_text("Three-year cost-benefit analysis")
    expect(section).to_contain_text("net present value £290.91")
    expect(section).to_contain_text("Social return")
    expect(section).to_contain_text("SROI ratio")
    expect(section).to_contain_text("Level 2")
    expect(section).to_contain_text("I can see every bed while I write my notes.")
    expect(section).to_contain_text("Do the desks help?")
    screenshot(page, "outcomes-walkthrough-initiative")


def test_every_outcomes_page_passes_axe(page, ward):
    lead, initiative, survey = ward.lead, ward.initiative, ward.survey
    kpi = services.kpi_create(
        actor=lead,
        owner=initiative,
        name="Falls on the ward a month",
        direction="lower",
        baseline_value="20",
        baseline_on=date(2025, 1, 1),
        target_value="4",
        target_on=date(2025, 12, 31),
    )
    services.kpi_readings_import(
        actor=lead, kpi=kpi, content="date,value\n2025-03-01,17\n2025-06-01,9\n"
    )
    cba = services.appraisal_save(
        actor=lead,
        initiative=initiative,
        kind="cba",
        title="CBA",
        inputs={
            "costs": [{"year": 0, "amount": "1000"}],
            "benefits": [{"year": 1, "amount": "700"}],
        },
    )
    sroi = initiative.appraisals.get(kind="sroi")
    services.savings_set(
        actor=lead,
        initiative=initiative,
        financial_year=2025,
        planned="1000",
        realised="800",
        kept_by_service="200",
    )
    challenge = selected_idea(lead, ward.testshire.organisation).challenge
    link = services.survey_links_make(actor=lead, survey=survey, count=1)[0]
    reading = kpi.readings.first()
    question = survey.questions.first()
    organisation = ward.testshire.organisation
    sign_in(page, ward.testshire.admin.email, ward.testshire.password)
    faults = {}
    for name, path in [
        ("initiative", f"/initiatives/{initiative.pk}/outcomes/"),
        ("detail-section", f"/initiatives/{initiative.pk}/"),
        ("kpi", f"/kpis/{kpi.pk}/"),
        ("kpi-import", f"/kpis/{kpi.pk}/import/"),
        ("challenge-kpis", f"/challenges/{challenge.pk}/kpis/"),
        ("challenge-survey-new", f"/challenges/{challenge.pk}/surveys/new/"),
        ("cba-new", f"/initiatives/{initiative.pk}/appraisals/new/cba/"),
        ("sroi-new", f"/initiatives/{initiative.pk}/appraisals/new/sroi/"),
        ("cba", f"/appraisals/{cba.pk}/"),
        ("cba-edit", f"/appraisals/{cba.pk}/edit/"),
        ("sroi", f"/appraisals/{sroi.pk}/"),
        ("sroi-edit", f"/appraisals/{sroi.pk}/edit/"),
        ("evidence", f"/initiatives/{initiative.pk}/evidence/"),
        ("savings", f"/initiatives/{initiative.pk}/savings/"),
        ("benefits", f"/organisations/{organisation.slug}/benefits/"),
        ("survey-new", f"/initiatives/{initiative.pk}/surveys/new/"),
        ("survey", f"/surveys/{survey.pk}/"),
        ("survey-answer", f"/surveys/{survey.pk}/answer/"),
        ("survey-results", f"/surveys/{survey.pk}/results/"),
        ("survey-link", f"/survey-links/{vars(link)['secret']}/"),
        ("reading-edit", f"/kpi-readings/{reading.pk}/edit/"),
        ("reading-delete", f"/kpi-readings/{reading.pk}/delete/"),
        ("question-edit", f"/survey-questions/{question.pk}/edit/"),
        ("question-delete", f"/survey-questions/{question.pk}/delete/"),
        ("survey-withdraw", f"/surveys/{survey.pk}/withdraw/"),
    ]:
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, f"{path} answered {response.status}"
        faults[name] = page_faults(page, f"outcomes-{name}")

    page.goto(f"/kpis/{kpi.pk}/")
    page.get_by_role("button", name="Record the reading").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    faults["kpi-error"] = page_faults(page, "outcomes-kpi-error")
    page.goto(f"/kpi-readings/{reading.pk}/edit/")
    page.get_by_label("Value").fill("lots")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    faults["reading-edit-error"] = page_faults(page, "outcomes-reading-edit-error")
    page.goto(f"/surveys/{survey.pk}/answer/")
    page.get_by_role("button").last.click()
    faults["survey-answer-error"] = page_faults(page, "outcomes-survey-answer-error")
    check_pages(faults)
