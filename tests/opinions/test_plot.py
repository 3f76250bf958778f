"""The map's points: inside the picture, one scale for both axes, the viewer drawn last."""

from __future__ import annotations

from civicflow.opinions import plot


def _participants(n: int) -> dict:
    return {
        "ids": list(range(n)),
        "x": [float(i) for i in range(n)],
        "y": [float(i % 3) for i in range(n)],
        "groups": [i % 3 - 1 for i in range(n)],
    }


def test_points_fit_inside_the_picture_at_one_scale():
    points = plot.map_points(_participants(10))
    assert all(plot.MARGIN <= p.x <= plot.WIDTH - plot.MARGIN for p in points)
    assert all(plot.MARGIN <= p.y <= plot.HEIGHT - plot.MARGIN for p in points)
    # One unit across is as long as one unit up.
    step_x = points[1].x - points[0].x
    assert abs((points[0].y - points[1].y) - step_x) < 1e-9


def test_each_group_has_its_own_shape_and_the_ungrouped_a_ring():
    points = plot.map_points(_participants(3))
    assert [p.shape for p in points] == ["ring", "circle", "square"]


def test_large_maps_are_sampled_but_the_viewer_is_always_drawn_last():
    points = plot.map_points(_participants(5000), mine=4999)
    assert len(points) <= plot.MAX_POINTS + 1
    assert points[-1].mine


def test_everyone_in_one_place_is_drawn_in_the_middle():
    points = plot.map_points({"ids": [1, 2], "x": [0.5, 0.5], "y": [1.0, 1.0], "groups": [0, 0]})
    assert {(p.x, p.y) for p in points} == {(plot.WIDTH / 2, plot.HEIGHT / 2)}
