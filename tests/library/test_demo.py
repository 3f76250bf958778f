"""The demo library: cases from the source material with their figures, and adoptions."""

from __future__ import annotations

import pytest

from civicflow.demo.network import demo_load
from civicflow.library.demo import CASES, NO_FIGURE
from civicflow.library.models import Adoption, CaseOutcome, CaseStatus, CaseStudy
from civicflow.library.selectors import spread
from civicflow.library.services import export_json


@pytest.fixture
def demo(db):
    demo_load()


def test_the_demo_publishes_every_case_with_the_sources_figures(demo):
    assert len(CASES) >= 15
    assert CaseStudy.objects.filter(status=CaseStatus.PUBLISHED).count() == len(CASES)
    figures = set(CaseOutcome.objects.exclude(figure="").values_list("figure", flat=True))
    assert {"80 %", "£8m", "£32m", "over £60m"} <= figures
    for outcome in CaseOutcome.objects.filter(figure=""):
        assert NO_FIGURE in outcome.statement


def test_other_organisations_adopt_and_the_spread_shows_it(demo):
    case = CaseStudy.objects.get(title__startswith="Kaizen boards")
    rows = spread(user=case.created_by, case=case).rows
    assert {row.adoption.organisation.slug for row in rows} == {
        "northbridge-council",
        "riverside-learning",
    }
    assert Adoption.objects.count() >= 5
    assert "Kaizen boards" in export_json()


def test_loading_twice_changes_nothing(demo):
    before = (CaseStudy.objects.count(), Adoption.objects.count())
    demo_load()
    assert (CaseStudy.objects.count(), Adoption.objects.count()) == before


def test_cases_told_from_demo_initiatives_show_their_measured_results_and_spread(demo):
    from civicflow.accounts.models import User
    from civicflow.library.measured import measured_for

    resident = User.objects.filter(memberships__isnull=True, is_superuser=False).first()
    case = CaseStudy.objects.get(title__startswith="Kaizen boards")
    measured = measured_for(user=resident, case=case)
    assert measured.live
    assert [k.name for k in measured.kpis] == ["Falls on the older people's wards a month"]
    assert measured.kpis[0].status.latest is not None
    assert [a.kind for a in measured.appraisals] == ["cba"]
    night = CaseStudy.objects.get(title__startswith="Round-the-clock services")
    assert [k.name for k in measured_for(user=resident, case=night).kpis] == [
        "Minutes to a specialist at night"
    ]
    rows = spread(user=case.created_by, case=case).rows
    schools = next(r for r in rows if r.adoption.organisation.slug == "riverside-learning")
    assert [k.name for k in schools.progress.kpis] == [
        "Ideas from the staff-room board tried a month"
    ]
    assert '"Falls on the older people' in export_json()
