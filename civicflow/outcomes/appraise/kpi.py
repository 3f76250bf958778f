"""What a key performance indicator's readings say: change against the baseline, progress to
the target, and whether it is on track by straight-line interpolation from baseline to
target."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext

from civicflow.outcomes.appraise.discount import PRECISION

HIGHER = "higher"
LOWER = "lower"


@dataclass(frozen=True)
class KpiPlan:
    """Where a KPI started, where it should get to and by when, and which way is better."""

    direction: str
    baseline: Decimal
    baseline_on: date
    target: Decimal
    target_on: date


@dataclass(frozen=True)
class Reading:
    value: Decimal
    on: date


@dataclass(frozen=True)
class KpiStatus:
    latest: Reading | None
    #: latest − baseline.
    change: Decimal | None
    #: (latest − baseline) / |baseline| × 100; None when the baseline is 0.
    change_percent: Decimal | None
    #: (latest − baseline) / (target − baseline): 0 at the baseline, 1 at the target.
    progress: Decimal | None
    #: Where the straight line from baseline to target says the KPI should be on the day.
    expected: Decimal
    #: Whether the latest reading is at or better than ``expected``; None with no reading.
    on_track: bool | None
    #: Whether the latest reading is better than the baseline; None with no reading.
    improved: bool | None


def expected_value(plan: KpiPlan, on: date) -> Decimal:
    """Return the value the straight line from baseline to target gives for ``on``.

    Before the baseline date it is the baseline; from the target date on, the target.
    """
    if on <= plan.baseline_on:
        return plan.baseline
    if on >= plan.target_on:
        return plan.target
    with localcontext() as context:
        context.prec = PRECISION
        elapsed = Decimal((on - plan.baseline_on).days)
        span = Decimal((plan.target_on - plan.baseline_on).days)
        return plan.baseline + (plan.target - plan.baseline) * elapsed / span


def is_better(direction: str, value: Decimal, than: Decimal) -> bool:
    """Whether ``value`` is better than ``than`` for a KPI going ``direction``."""
    return value > than if direction == HIGHER else value < than


def kpi_status(plan: KpiPlan, readings: Iterable[Reading], today: date) -> KpiStatus:
    """Return what the readings up to ``today`` say about the KPI on ``today``."""
    expected = expected_value(plan, today)
    known = [reading for reading in readings if reading.on <= today]
    if not known:
        return KpiStatus(None, None, None, None, expected, None, None)
    latest = max(known, key=lambda reading: reading.on)
    with localcontext() as context:
        context.prec = PRECISION
        change = latest.value - plan.baseline
        percent = change / abs(plan.baseline) * 100 if plan.baseline else None
        gap = plan.target - plan.baseline
        progress = change / gap if gap else None
    on_track = latest.value == expected or is_better(plan.direction, latest.value, expected)
    return KpiStatus(
        latest=latest,
        change=change,
        change_percent=percent,
        progress=progress,
        expected=expected,
        on_track=on_track,
        improved=is_better(plan.direction, latest.value, plan.baseline),
    )
