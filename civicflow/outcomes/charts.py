"""A KPI's line chart drawn as SVG on the server: the readings as a line with points, and the
planned straight line from baseline to target dashed. The page puts the same figures in a
table beside it, and the SVG carries a title and a description for screen readers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

WIDTH = 560
HEIGHT = 280
LEFT = 96
RIGHT = 16
TOP = 16
BOTTOM = 44
TICKS = 4


def _fmt(value: Decimal) -> str:
    text = f"{value:,.4f}".rstrip("0").rstrip(".")
    return text or "0"


def kpi_chart(kpi: Any, readings: list[Any]) -> dict[str, Any]:
    """Return the geometry of the KPI's chart."""
    days = [kpi.baseline_on, kpi.target_on, *(r.taken_on for r in readings)]
    values = [kpi.baseline_value, kpi.target_value, *(r.value for r in readings)]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    if high == low:
        high, low = high + 1, low - 1
    span_days = max((last - first).days, 1)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        return round(LEFT + plot_w * (day - first).days / span_days, 1)

    def y(value: Decimal) -> float:
        return round(TOP + plot_h * float((high - value) / (high - low)), 1)

    points = [
        {"x": x(r.taken_on), "y": y(r.value), "label": f"{r.taken_on:%d %b %Y}: {_fmt(r.value)}"}
        for r in readings
    ]
    ticks = []
    for i in range(TICKS + 1):
        value = low + (high - low) * Decimal(i) / Decimal(TICKS)
        ticks.append({"y": y(value), "label": _fmt(value)})
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "left": LEFT,
        "right": WIDTH - RIGHT,
        "bottom": HEIGHT - BOTTOM,
        "top": TOP,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "plan": {
            "x1": x(kpi.baseline_on),
            "y1": y(kpi.baseline_value),
            "x2": x(kpi.target_on),
            "y2": y(kpi.target_value),
        },
        "ticks": ticks,
        "first": f"{first:%b %Y}",
        "last": f"{last:%b %Y}",
        "label_y": HEIGHT - 12,
    }
