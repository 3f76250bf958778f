"""Measured results on a case: the KPIs, cost-benefit analyses and SROIs of the initiative it
was drafted from, read live from the outcomes app, only those its editors publish, kept apart
from the reported outcomes, and carried through open data and back without loss."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civicflow.core.models import AuditEvent
from civicflow.library import services
from civicflow.library.measured import check_measured, measured_for, measured_record
from civicflow.library.models import CaseReview, CaseStudy
from civicflow.outcomes import services as outcomes
from tests.factories import UserFactory, member
from tests.initiatives.helpers import initiative_at
from tests.library.helpers import published_case
from tests.outcomes.helpers import CBA_INPUTS, SROI_INPUTS, falls_kpi
from tests.outcomes.test_api import _api
from tests.outcomes.test_pages import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def measured_case(organisation, author, editor):
    """A public case written up from a private initiative with two KPIs, a CBA and an SROI."""
    initiative = initiative_at(
        lead=editor,
        decider=member(organisation, "decision_maker"),
        owner=author,
        organisation=organisation,
        stage="evaluate",
        title="Nurses' desks in the bays",
    )
    falls = falls_kpi(editor, initiative)
    outcomes.reading_add(actor=editor, kpi=falls, value="2", taken_on=date(2025, 6, 30))
    staff = falls_kpi(editor, initiative, name="Staff sickness days", unit="days")
    cba = outcomes.appraisal_save(
        actor=editor, initiative=initiative, kind="cba", title="Five years", inputs=CBA_INPUTS
    )
    sroi = outcomes.appraisal_save(
        actor=editor, initiative=initiative, kind="sroi", title="Social value", inputs=SROI_INPUTS
    )
    case = published_case(author=author, editor=editor, organisation=organisation)
    CaseStudy.objects.filter(pk=case.pk).update(source_initiative=initiative)
    case.refresh_from_db()
    return case, {"falls": falls, "staff": staff, "cba": cba, "sroi": sroi}


def _publish(editor, case, measures, *names):
    kpis = [measures[n].pk for n in names if n in ("falls", "staff")]
    appraisals = [measures[n].pk for n in names if n in ("cba", "sroi")]
    return services.case_measures_publish(actor=editor, case=case, kpis=kpis, appraisals=appraisals)


def test_only_the_published_measures_show_and_they_are_read_live(
    measured_case, editor, outsider_staff
):
    case, measures = measured_case
    assert not measured_for(user=outsider_staff, case=case).any
    _publish(editor, case, measures, "falls", "cba")
    seen = measured_for(user=outsider_staff, case=case)
    assert seen.live
    assert [k.name for k in seen.kpis] == ["Falls on the ward a month"]
    (falls,) = seen.kpis
    assert falls.baseline == 10 and falls.target == 2
    assert falls.status.latest.value == 2 and falls.status.progress == 1
    assert [(a.kind, a.title) for a in seen.appraisals] == [("cba", "Five years")]
    # Worked in tests/outcomes/test_api.py: NPV £290.91, BCR 1.2222.
    assert seen.appraisals[0].npv == Decimal("290.91")
    assert seen.appraisals[0].bcr == Decimal("1.2222")
    assert seen.unpublished == 0  # the private initiative's other measures: not even counted
    assert measured_for(user=editor, case=case).unpublished == 2
    # A new reading on the initiative shows at once.
    outcomes.reading_add(actor=editor, kpi=measures["falls"], value="1", taken_on=date(2025, 7, 31))
    assert measured_for(user=outsider_staff, case=case).kpis[0].status.latest.value == 1
    event = AuditEvent.objects.for_target(case).get(action="case.measures_published")
    assert event.data == {"kpis": ["Falls on the ward a month"], "appraisals": ["Five years"]}


def test_only_its_editors_choose_and_only_the_initiatives_own_measures(
    measured_case, editor, author, outsider_staff, organisation
):
    case, measures = measured_case
    for person in (author, outsider_staff):  # the author may not change a published case
        with pytest.raises(PermissionDenied):
            _publish(person, case, measures, "falls")
    elsewhere = initiative_at(
        lead=editor,
        decider=member(organisation, "decision_maker"),
        owner=author,
        organisation=organisation,
        title="Another",
    )
    foreign = falls_kpi(editor, elsewhere)
    with pytest.raises(ValidationError) as caught:
        services.case_measures_publish(
            actor=editor, case=case, kpis=[foreign.pk], appraisals=[measures["cba"].pk]
        )
    assert "Choose only KPIs of" in caught.value.message_dict["kpis"][0]
    assert not case.published_kpis.exists() and not case.published_appraisals.exists()
    plain = published_case(author=author, editor=editor, organisation=organisation, title="Y")
    with pytest.raises(ValidationError):
        services.case_measures_publish(actor=editor, case=plain, kpis=[], appraisals=[])


def test_the_case_page_keeps_measured_and_reported_apart(
    client, measured_case, editor, outsider_staff
):
    case, measures = measured_case
    _publish(editor, case, measures, "falls", "sroi")
    page = text(client.get(case.get_absolute_url()))
    assert "Measured Live Read now from the initiative's record" in page
    assert "Falls on the ward a month" in page and "Staff sickness days" not in page
    assert "social return on investment" in page and "Five years" not in page
    assert "Reported In the case's own words" in page
    assert "Falls on the ward came down" in page
    assert "more measure" not in page
    client.force_login(editor)
    page = text(client.get(case.get_absolute_url()))
    assert "2 more measures on the initiative's record are not published" in page
    assert "Choose the measured results it publishes" in page


def test_the_measures_page_publishes_what_is_ticked(client, measured_case, editor, author):
    case, measures = measured_case
    url = reverse("library:measures", args=[case.pk])
    client.force_login(author)
    assert client.get(url).status_code == 403
    client.force_login(editor)
    page = client.get(url)
    assert page.status_code == 200
    assert "This case is public" in text(page)
    response = client.post(
        url, {"kpis": [measures["staff"].pk], "appraisals": [measures["cba"].pk]}
    )
    assert response.status_code == 302
    assert list(case.published_kpis.all()) == [measures["staff"]]
    refused = client.post(url, {"kpis": ["999999"]})
    assert refused.status_code == 400
    assert list(case.published_kpis.all()) == [measures["staff"]]


def test_open_data_carries_the_measures_and_imports_them_without_loss(
    measured_case, editor, author, organisation
):
    case, measures = measured_case
    _publish(editor, case, measures, "falls", "staff", "cba", "sroi")
    published_case(author=author, editor=editor, organisation=organisation, title="Plain")
    document = json.loads(services.export_json())
    (record,) = [c for c in document["cases"] if c["title"] == case.title]
    assert record["measured"]["kpis"][0] == {
        "name": "Falls on the ward a month",
        "unit": "falls",
        "direction": "lower",
        "baseline_value": "10.0000",
        "baseline_on": "2025-01-01",
        "target_value": "2.0000",
        "target_on": "2025-12-31",
        "latest_value": "2.0000",
        "latest_on": "2025-06-30",
    }
    assert record["measured"]["appraisals"][0]["npv"] == "290.91"
    text_of_exports = services.export_json() + services.export_csv()
    assert "Ada Author" not in text_of_exports and "Ed" not in record["measured"].__repr__()
    for export, parse in (
        (services.export_json, services.parse_json),
        (services.export_csv, services.parse_csv),
    ):
        first = export()
        CaseReview.objects.all()._raw_delete(CaseReview.objects.db)
        CaseStudy.objects.all().delete()
        report = services.cases_import(actor=editor, records=parse(first))
        assert report.ok, report.problems
        assert export() == first
    imported = CaseStudy.objects.get(title=case.title)
    seen = measured_for(user=UserFactory(), case=imported)
    assert not seen.live and len(seen.kpis) == 2 and len(seen.appraisals) == 2


@pytest.mark.parametrize(
    ("measured", "words"),
    [
        ("nonsense", "must be an object"),
        ({"kpis": [{"name": "A"}]}, "Measured KPI 1"),
        ({"kpis": [], "appraisals": [{"kind": "npv", "title": "T"}]}, "cba or sroi"),
        ({"appraisals": [{"kind": "cba", "title": "<b>T</b>"}]}, "without HTML"),
        ({"appraisals": [{"kind": "cba", "title": "T", "npv": "lots"}]}, "must be a number"),
        ({"kpis": [{"name": "A", "secret": "x"}]}, "give only the fields"),
    ],
)
def test_bad_measured_results_in_an_import_are_reported(measured_case, editor, measured, words):
    record = {**json.loads(services.export_json())["cases"][0], "reference": "", "title": "New"}
    report = services.cases_import(actor=editor, records=[{**record, "measured": measured}])
    problems = [(p.field, p.reason) for p in report.problems]
    assert [field for field, _reason in problems] == ["measured"], problems
    assert words in problems[0][1]
    assert not CaseStudy.objects.filter(title="New").exists()


def test_a_good_kpi_record_passes_as_it_is():
    kpi = {
        "name": "Falls",
        "unit": "",
        "direction": "lower",
        "baseline_value": "10",
        "baseline_on": "2025-01-01",
        "target_value": "2",
        "target_on": "2025-12-31",
        "latest_value": "",
        "latest_on": "",
    }
    cleaned, problem = check_measured({"kpis": [kpi]})
    assert problem == "" and cleaned == {"kpis": [kpi], "appraisals": []}
    _cleaned, problem = check_measured({"kpis": [{**kpi, "target_on": "2024-01-01"}]})
    assert "after the baseline date" in problem


def test_the_api_reads_and_sets_the_published_measures(
    measured_case, editor, author, outsider_staff
):
    case, measures = measured_case
    url = f"/api/v1/library/cases/{case.pk}"
    assert _api(outsider_staff).send("GET", url).json()["measured"] == {
        "kpis": [],
        "appraisals": [],
    }
    body = {"kpis": [measures["falls"].pk], "appraisals": [measures["sroi"].pk]}
    response = _api(editor).send("PUT", f"{url}/measures", body)
    assert response.status_code == 200, response.content
    measured = _api(outsider_staff).send("GET", url).json()["measured"]
    assert [k["name"] for k in measured["kpis"]] == ["Falls on the ward a month"]
    assert measured["appraisals"][0]["kind"] == "sroi"
    assert measured == measured_record(case)
    assert _api(author).send("PUT", f"{url}/measures", body).status_code == 403
    refused = _api(editor).send("PUT", f"{url}/measures", {"kpis": [999999]})
    assert refused.status_code == 422


# The spread: adoptions' headline KPIs beside the original's --------------------------------


@pytest.fixture
def adopted(measured_case, editor, adopter, other_organisation):
    """The measured case adopted as an initiative elsewhere, with a KPI and a reading there."""
    case, measures = measured_case
    _publish(editor, case, measures, "falls")
    adoption = services.case_adopt(
        actor=adopter,
        case=case,
        organisation=other_organisation,
        kind="initiative",
        adaptations="We start on our stroke ward.",
        sharing="network",
    )
    # The initiative is public, so its figures may reach readers of the shared adoption.
    type(adoption.initiative).objects.filter(pk=adoption.initiative_id).update(public=True)
    adoption.initiative.refresh_from_db()
    theirs = falls_kpi(adopter, adoption.initiative, name="Falls on the stroke ward a month")
    outcomes.reading_add(actor=adopter, kpi=theirs, value="6", taken_on=date(2025, 6, 30))
    for name in ("B second", "C third", "D fourth"):
        falls_kpi(adopter, adoption.initiative, name=name)
    return case, adoption


def test_the_spread_shows_each_adopted_initiatives_headline_kpis(adopted, author):
    from civicflow.library import selectors

    case, _adoption = adopted
    spread = selectors.spread(user=author, case=case)
    (row,) = spread.rows
    assert [k.name for k in row.progress.kpis] == [
        "B second",
        "C third",
        "D fourth",
    ]
    assert row.progress.more_kpis == 1
    assert [k.name for k in spread.measured.kpis] == ["Falls on the ward a month"]
    assert spread.measured.kpis[0].status.latest.value == 2


def test_the_spread_keeps_an_adoption_and_its_kpis_to_those_it_is_shared_with(
    client, adopted, adopter, author
):
    case, adoption = adopted
    url = reverse("library:spread", args=[case.pk])
    client.force_login(author)
    page = text(client.get(url))
    assert "Falls on the ward a month : 2 falls (Jun 2025); baseline 10, target 2" in page
    assert "B second : no reading yet" in page and "and 1 more KPI" in page
    client.logout()
    page = text(client.get(url))  # the public: a network adoption is not theirs to see
    assert "B second" not in page and "1 more adoption is not shared with you" in page
    assert "Falls on the ward a month" in page  # the original's published KPI is public
    # A shared adoption of a private initiative shows its stage, never its figures.
    type(adoption.initiative).objects.filter(pk=adoption.initiative_id).update(public=False)
    client.force_login(author)
    page = text(client.get(url))
    assert "We start on our stroke ward." in page or adoption.organisation.name in page
    assert "B second" not in page and "Falls on the stroke ward" not in page
    client.force_login(adopter)  # the adopting organisation still sees its own figures
    assert "B second : no reading yet" in text(client.get(url))
    type(adoption).objects.filter(pk=adoption.pk).update(sharing="private")
    client.force_login(author)
    assert "B second" not in text(client.get(url))


def test_the_spread_api_carries_the_kpis(adopted, author):
    case, _adoption = adopted
    body = _api(author).send("GET", f"/api/v1/library/cases/{case.pk}/spread").json()
    (row,) = body["adoptions"]
    assert [k["name"] for k in row["progress"]["kpis"]] == ["B second", "C third", "D fourth"]
    assert row["progress"]["more_kpis"] == 1
    assert body["measured"]["kpis"][0]["latest_value"] == "2.0000"
    assert body["original"]["kpis"] == []
