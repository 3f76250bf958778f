"""Open data: what the exports hold and leave out, the import's report, and round trips."""

from __future__ import annotations

import json

import pytest

from civicflow.library import services
from civicflow.library.models import CaseReview, CaseStudy
from tests.factories import UserFactory
from tests.library.helpers import published_case


@pytest.fixture
def cases(author, editor, organisation):
    shown = [
        published_case(author=author, editor=editor, organisation=organisation),
        published_case(
            author=author,
            editor=editor,
            organisation=organisation,
            title="Video evidence suites, near home",
            sector="policing",
            summary='Witnesses give evidence by video, "close to home", not in court.',
            outcomes=[
                {"area": "staff", "statement": "Officers' time released", "figure": ""},
                {"area": "access", "statement": "Up to 3,000 cases a day", "figure": "3,000"},
            ],
            finished_on="",
        ),
    ]
    published_case(
        author=author, editor=editor, organisation=organisation, title="N", sharing="network"
    )
    published_case(
        author=author, editor=editor, organisation=organisation, title="P", sharing="private"
    )
    published_case(
        author=author,
        editor=editor,
        organisation=organisation,
        title="R",
        licence="all-rights-reserved",
    )
    return shown


def test_exports_hold_only_public_open_cases_without_personal_data(cases):
    document = json.loads(services.export_json())
    assert {c["title"] for c in document["cases"]} == {c.title for c in cases}
    text = services.export_json() + services.export_csv()
    assert "nadia@hospital.example" not in text and "Nadia Patel" not in text
    assert "Ada Author" not in text


@pytest.mark.parametrize(
    ("export", "parse"),
    [
        (services.export_json, services.parse_json),
        (services.export_csv, services.parse_csv),
    ],
)
def test_an_export_imports_and_exports_again_without_loss(cases, editor, export, parse):
    first = export()
    CaseReview.objects.all()._raw_delete(CaseReview.objects.db)
    CaseStudy.objects.all().delete()
    report = services.cases_import(actor=editor, records=parse(first))
    assert report.ok, report.problems
    assert len(report.created) == 2
    assert export() == first


def test_an_import_with_problems_reports_each_and_stores_nothing(cases, editor):
    records = json.loads(services.export_json())["cases"]
    good = {**records[0], "reference": "", "title": "A new one"}
    rows = [
        good,
        {**good, "title": ""},
        {**good, "reference": "", "title": "Other", "sector": "space"},
        {**good, "reference": "", "title": "Html", "lessons": "<b>bold</b>"},
        records[1],
        {**good, "reference": "", "organisation": "nowhere", "title": "X"},
        {**good, "reference": "", "licence": "all-rights-reserved", "title": "Y"},
        {**good, "reference": "", "outcomes": "not a list", "title": "Z"},
    ]
    report = services.cases_import(actor=editor, records=rows)
    found = {(p.row, p.field) for p in report.problems}
    assert (2, "title") in found
    assert (3, "sector") in found
    assert (4, "lessons") in found
    assert (5, "reference") in found and (5, "title") in found
    assert (6, "organisation") in found
    assert (7, "licence") in found
    assert (8, "outcomes") in found
    assert (1, "title") not in found
    assert CaseStudy.objects.count() == 5  # only the fixture's


def test_only_editors_import_into_an_organisation(cases, author):
    record = {**json.loads(services.export_json())["cases"][0], "reference": "", "title": "Q"}
    report = services.cases_import(actor=author, records=[record])
    assert [(p.row, p.field) for p in report.problems] == [(1, "organisation")]
    report = services.cases_import(actor=UserFactory(), records=[record])
    assert not report.ok


def test_unreadable_files_are_refused_with_a_message():
    with pytest.raises(services.ImportFormatError):
        services.parse_json(b"{not json")
    with pytest.raises(services.ImportFormatError) as error:
        services.parse_csv(b"title,summary\nA,B\n")
    assert "no column for" in str(error.value)
