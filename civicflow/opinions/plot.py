"""The opinion map drawn as points in an SVG picture: where each participant sits, by group.

Each group has a colour and a shape, so the map reads without colour too; people who have
not voted enough to be grouped are small grey rings. Pure Python: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH = 600
HEIGHT = 400
MARGIN = 24
#: The most points drawn; beyond it an even sample is drawn (the table gives exact sizes).
MAX_POINTS = 2000
#: Colours with at least 3:1 contrast on white, as WCAG asks of graphics.
COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#912b88", "#505a5f")
SHAPES = ("circle", "square", "triangle", "diamond", "cross")
UNGROUPED = "#6f777b"


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    group: int
    shape: str
    colour: str
    mine: bool = False

    @property
    def cx(self) -> str:
        return f"{self.x:.1f}"

    @property
    def cy(self) -> str:
        return f"{self.y:.1f}"

    @property
    def corner_x(self) -> str:
        """Return the left edge of a square around the point."""
        return f"{self.x - 5:.1f}"

    @property
    def corner_y(self) -> str:
        return f"{self.y - 5:.1f}"

    @property
    def cross(self) -> str:
        """Return an SVG path of a cross on the point."""
        x, y = self.x, self.y
        left, right, top, bottom = x - 5, x + 5, y - 5, y + 5
        return (
            f"M{left:.1f},{top:.1f}L{right:.1f},{bottom:.1f}"
            f"M{left:.1f},{bottom:.1f}L{right:.1f},{top:.1f}"
        )

    @property
    def triangle(self) -> str:
        """Return the corners of a triangle around the point, for ``<polygon points>``."""
        x, y = self.x, self.y
        return f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y + 5:.1f} {x - 6:.1f},{y + 5:.1f}"

    @property
    def diamond(self) -> str:
        x, y = self.x, self.y
        return f"{x:.1f},{y - 6:.1f} {x + 6:.1f},{y:.1f} {x:.1f},{y + 6:.1f} {x - 6:.1f},{y:.1f}"


def group_style(group: int) -> tuple[str, str]:
    """Return a group's (shape, colour); group -1 (no group) is a grey ring."""
    if group < 0:
        return "ring", UNGROUPED
    return SHAPES[group % len(SHAPES)], COLOURS[group % len(COLOURS)]


def _placed(xs: list[float], ys: list[float]) -> tuple[list[float], list[float]]:
    """Return the points centred in the picture, at one scale for both axes (so distances
    mean the same across and up), the second component running up the picture."""
    if not xs:
        return [], []
    x_mid, y_mid = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    x_span, y_span = max(xs) - min(xs), max(ys) - min(ys)
    scales = [
        (WIDTH - 2 * MARGIN) / x_span if x_span > 1e-9 else None,
        (HEIGHT - 2 * MARGIN) / y_span if y_span > 1e-9 else None,
    ]
    scale = min((s for s in scales if s is not None), default=1.0)
    return (
        [WIDTH / 2 + (x - x_mid) * scale for x in xs],
        [HEIGHT / 2 - (y - y_mid) * scale for y in ys],
    )


def map_points(participants: dict[str, Any], *, mine: int | None = None) -> list[Point]:
    """Return the points to draw for a map's ``participants`` (ids, x, y and groups lists).

    The second component runs up the picture. ``mine`` marks the viewer's own point, which
    is always drawn, last, so that nothing covers it.
    """
    ids = participants.get("ids", [])
    xs, ys = _placed(participants.get("x", []), participants.get("y", []))
    groups = participants.get("groups", [])
    step = max(1, -(-len(ids) // MAX_POINTS))
    points: list[Point] = []
    own: Point | None = None
    for index, pid in enumerate(ids):
        if pid != mine and index % step:
            continue
        shape, colour = group_style(int(groups[index]))
        point = Point(xs[index], ys[index], int(groups[index]), shape, colour, pid == mine)
        if point.mine:
            own = point
        else:
            points.append(point)
    if own is not None:
        points.append(own)
    return points


def legend_point(group: int) -> Point:
    """Return a group's shape drawn in a 20 × 20 box, for the key to the map."""
    shape, colour = group_style(group)
    return Point(10.0, 10.0, group, shape, colour)
