"""The funnel drawn as SVG on the server: one bar a step, its width to scale, its number and
median time written beside it. The page puts the same numbers in a table."""

from __future__ import annotations

from typing import Any

from civicflow.initiatives.selectors import FunnelStep

WIDTH = 600
BAR_HEIGHT = 36
GAP = 12
LABEL_WIDTH = 130
BAR_SPACE = WIDTH - LABEL_WIDTH - 10


def funnel_chart(steps: list[FunnelStep]) -> dict[str, Any]:
    """Return the geometry of the funnel's bars, each centred as a funnel is."""
    largest = max((step.count for step in steps), default=0) or 1
    bars = []
    for index, step in enumerate(steps):
        width = round(BAR_SPACE * step.count / largest) if step.count else 2
        y = index * (BAR_HEIGHT + GAP)
        bars.append(
            {
                "label": step.label,
                "count": step.count,
                "x": LABEL_WIDTH + (BAR_SPACE - width) // 2,
                "y": y,
                "width": width,
                "height": BAR_HEIGHT,
                "text_y": y + BAR_HEIGHT // 2 + 5,
                "centre": LABEL_WIDTH + BAR_SPACE // 2,
            }
        )
    return {"width": WIDTH, "height": len(steps) * (BAR_HEIGHT + GAP), "bars": bars}
