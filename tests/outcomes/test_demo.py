"""The demo outcomes: on the demo initiatives, with the source's figures, and loaded once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from civicflow.core.models import AuditEvent
from civicflow.demo.network import demo_load
from civicflow.outcomes import selectors
from civicflow.outcomes.models import (
    Appraisal,
    EvidenceAssessment,
    Kpi,
    KpiReading,
    QualitativeEvidence,
    SavingsLine,
    Survey,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (
        Kpi,
        KpiReading,
        Appraisal,
        EvidenceAssessment,
        QualitativeEvidence,
        SavingsLine,
        Survey,
        SurveyResponse,
        AuditEvent,
    )
    return tuple(model.objects.count() for model in models)


def test_the_demo_initiatives_have_outcomes_side_by_side_and_loading_twice_changes_nothing():
    demo_load()
    falls = Kpi.objects.get(name="Falls on the older people's wards a month")
    row = selectors.kpi_row(falls, list(falls.readings.all()))
    assert row.status.change_percent == Decimal(-80)  # the reported 80 % fall
    assert row.status.on_track is True
    assert Appraisal.objects.filter(kind="cba").count() == 2
    sroi = selectors.appraisal_result(Appraisal.objects.get(kind="sroi"))
    assert sroi.result is not None and sroi.result.sroi_ratio > 1
    night = selectors.appraisal_result(Appraisal.objects.get(title__contains="night cover"))
    assert night.result is not None and night.result.npv > 0
    desks = falls.initiative
    assert desks is not None
    assert selectors.current_evidence(desks) is not None
    survey = desks.surveys.get()
    responses, results = selectors.survey_results(survey)
    assert responses == 4 and results[0].score == Decimal(4)
    assert Survey.objects.filter(follow_up_weeks=26, status="open").exists()
    assert SavingsLine.objects.filter(realised__isnull=False).exists()

    before = _counts()
    demo_load()
    assert _counts() == before
