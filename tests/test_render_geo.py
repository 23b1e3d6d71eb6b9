"""The geographic layout: projection, fitting, the distant-partner rule, the base map."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from app.render.basemap import base_map, boundaries, clip_polygon, encode
from app.render.geo_layout import (
    MARKER_GAP,
    MARKER_STEP,
    GeoLayout,
    _arc,
    _around,
    _edge_anchors,
    distant_box,
    geo_layout,
    located_share,
)
from app.render.projection import ground_distance, haversine_km, inverse_mercator
from app.render.projection import mercator as project


def bbox(pos, nodes):
    xs = [pos[n][0] for n in nodes]
    ys = [pos[n][1] for n in nodes]
    return min(xs), min(ys), max(xs), max(ys)


def place(G: nx.Graph, node: str, lat, lon) -> None:
    G.add_node(node, lat=lat, lon=lon)


def mercator(lat: float, lon: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def layout(G: nx.Graph, **options):
    geo = geo_layout(G, **options)
    return geo.positions, geo.unplaced


def test_geo_empty_graph():
    assert geo_layout(nx.Graph()) == GeoLayout(positions={})


def test_north_is_up_and_east_is_right():
    G = nx.Graph()
    place(G, "co-oslo", 59.91, 10.75)
    place(G, "co-rome", 41.90, 12.50)
    place(G, "co-lisbon", 38.72, -9.14)
    place(G, "co-warsaw", 52.23, 21.01)
    pos, unplaced = layout(G)
    assert unplaced == []
    assert pos["co-oslo"][1] < pos["co-rome"][1]
    assert pos["co-warsaw"][0] > pos["co-lisbon"][0]


def test_mercator_fitted_with_its_aspect_ratio():
    G = nx.Graph()
    place(G, "west", 0.0, -10.0)
    place(G, "east", 0, 10)  # integers are coordinates too
    place(G, "north", np.float64(60.0), 0.0)
    pos, _ = layout(G, scale=100.0)
    height = mercator(60, 0)[1]
    width = mercator(0, 20)[0]
    assert pos["north"] == pytest.approx((0.0, -100.0))
    assert pos["west"] == pytest.approx((-100.0 * width / height, 100.0))
    assert pos["east"] == pytest.approx((100.0 * width / height, 100.0))


def test_polar_latitudes_are_clamped():
    G = nx.Graph()
    place(G, "pole", 90.0, 0.0)
    place(G, "equator", 0.0, 0.0)
    place(G, "edge", 85.05113, 0.0)
    pos, unplaced = layout(G)
    assert unplaced == []
    assert all(math.isfinite(c) for xy in pos.values() for c in xy)
    assert pos["pole"][1] < pos["equator"][1]


INVALID = {
    "co-no-attrs": {},
    "co-none": {"lat": None, "lon": 7.0},
    "co-nan": {"lat": float("nan"), "lon": 7.0},
    "co-inf": {"lat": 45.0, "lon": float("inf")},
    "co-string": {"lat": "45.0", "lon": "7.0"},
    "co-lat-200": {"lat": 200.0, "lon": 7.0},
    "co-lon-181": {"lat": 45.0, "lon": 181.0},
    "co-bool": {"lat": True, "lon": 7.0},
}


def test_invalid_coordinates_are_unplaced_and_parked_to_the_right():
    G = nx.Graph()
    place(G, "co-turin", 45.07, 7.69)
    place(G, "co-lyon", 45.76, 4.84)
    place(G, "co-munich", 48.14, 11.58)
    for node, attrs in INVALID.items():
        G.add_node(node, **attrs)
    pos, unplaced = layout(G, scale=1000.0)
    assert unplaced == sorted(INVALID)
    assert set(pos) == set(G)
    placed_right = max(pos[n][0] for n in ("co-turin", "co-lyon", "co-munich"))
    aside_left = min(pos[n][0] for n in unplaced)
    assert aside_left - placed_right >= 100.0  # a clear gap
    assert len({pos[n] for n in unplaced}) == len(unplaced)


def test_nothing_placed_gives_a_centred_grid():
    G = nx.Graph()
    for node, attrs in INVALID.items():
        G.add_node(node, **attrs)
    pos, unplaced = layout(G, scale=1000.0)
    assert unplaced == sorted(INVALID)
    assert len(set(pos.values())) == len(G)
    x0, y0, x1, y1 = bbox(pos, pos)
    assert max(abs(c) for c in (x0, y0, x1, y1)) <= 1000.0
    assert (x0 + x1) / 2 == pytest.approx(0.0)
    assert (y0 + y1) / 2 == pytest.approx(0.0)


@pytest.mark.parametrize("count", [2, 3, 6, 7, 40])
def test_shared_coordinates_are_spread_around_the_point(count):
    G = nx.Graph()
    place(G, "co-east", 45.07, 7.99)  # 24 km east: inside the robust extent
    same = [f"co-turin-{i:02d}" for i in range(count)]
    for node in same:
        place(G, node, 45.07, 7.69)
    pos, unplaced = layout(G, scale=600.0)
    assert unplaced == []
    assert pos["co-east"] == pytest.approx((600.0, 0.0))  # a lone organization stays put
    assert geo_layout(G, scale=600.0).distant == []
    spacing = 600.0 / 60
    points = np.array([pos[n] for n in same])
    gaps = [np.linalg.norm(a - b) for i, a in enumerate(points) for b in points[i + 1 :]]
    assert min(gaps) >= 0.99 * spacing
    turin = np.array([-600.0, 0.0])
    assert np.linalg.norm(points - turin, axis=1).max() <= spacing * max(1.0, math.sqrt(count))


def test_geo_deterministic_and_order_independent():
    G = nx.Graph()
    for i in range(5):
        place(G, f"co-{i}", 45.0, 7.0)
    place(G, "co-x", 50.0, 8.0)
    G.add_node("co-unknown")
    H = nx.Graph()
    H.add_nodes_from(reversed(list(G.nodes(data=True))))
    assert geo_layout(G) == geo_layout(H)


# -- the robust extent and the distant partners ---------------------------------------------


def test_distant_box_hand_computed():
    # x: 0..19 and 1000 -> 5th/95th percentiles 1 and 19; y: 0, 0, 2, ..., 38 -> 0 and 36.
    points = np.array([[x, 2.0 * x] for x in range(20)] + [[1000.0, 0.0]])
    low, high = distant_box(points, min_margin=0.0)
    # enlarged on every side by the larger side of the box, 36
    assert low.tolist() == [-35.0, -36.0]
    assert high.tolist() == [55.0, 72.0]


def test_distant_box_least_margin():
    points = np.zeros((20, 2))
    low, high = distant_box(points, min_margin=0.5)
    assert low.tolist() == [-0.5, -0.5] and high.tolist() == [0.5, 0.5]
    low, high = distant_box(points)  # 50 km on the ground at the equator
    assert high[0] == pytest.approx(50 / 6371.0088)


def test_rectangle_arc_length_round_trip():
    half = (2.0, 1.0)  # perimeter 12, clockwise from the top-left corner
    expected = {0: (-2, -1), 1: (-1, -1), 4: (2, -1), 5: (2, 0), 7: (1, 1), 11: (-2, 0)}
    for t, point in expected.items():
        assert _around(half, t) == pytest.approx(point)
        assert _arc(half, np.array(point, dtype=float)) == pytest.approx(t % 12)


def test_edge_anchors_on_the_ray_and_moved_apart():
    # rays toward (10, 0) and (10, 0.5) leave the 4 x 2 rectangle at (2, 0) and (2, 0.1);
    # one unit apart along the edge, the second moves to arc length 6: the corner (2, 1).
    anchors = _edge_anchors(np.array([[10.0, 0.0], [10.0, 0.5]]), (2.0, 1.0), 1.0)
    assert anchors == pytest.approx(np.array([[2.0, 0.0], [2.0, 1.0]]))
    anchors = _edge_anchors(np.array([[-3.0, -3.0]]), (2.0, 1.0), 1.0)
    assert anchors == pytest.approx(np.array([[-1.0, -1.0]]))


def region(G: nx.Graph, count: int = 20) -> list[str]:
    """``count`` organizations on a grid five wide, 0.04 degrees of longitude and 0.05 of
    latitude apart, from (45.0, 10.0) north-east (17 km high for 20)."""
    nodes = [f"co-{i:02d}" for i in range(count)]
    for i, node in enumerate(nodes):
        place(G, node, 45.0 + 0.05 * (i // 5), 10.0 + 0.04 * (i % 5))
    return nodes


def test_distant_partner_does_not_squash_the_region():
    G = nx.Graph()
    home = region(G)
    alone = geo_layout(G.copy(), scale=1000.0)
    place(G, "co-barcelona", 41.39, 2.17)
    geo = geo_layout(G, scale=1000.0)
    assert [d.nodes for d in geo.distant] == [("co-barcelona",)]
    # the region is laid out exactly as without the foreign partner: its larger side
    # spans [-scale, scale]
    for node in home:
        assert geo.positions[node] == pytest.approx(alone.positions[node])
    x0, y0, x1, y1 = bbox(geo.positions, home)
    assert max(x1 - x0, y1 - y0) == pytest.approx(2000.0)
    # the partner sits outside the frame, where the ray toward Barcelona leaves it
    frame = geo.frame
    assert frame is not None
    gap = 1000.0 * MARKER_GAP
    distant = geo.distant[0]
    x, y = geo.positions["co-barcelona"]
    assert (x, y) == pytest.approx(distant.anchor)
    assert abs(x) == pytest.approx(frame.half[0] + gap) or abs(y) == pytest.approx(
        frame.half[1] + gap
    )
    true = frame.project(41.39, 2.17)
    assert distant.toward == pytest.approx(tuple(true / np.linalg.norm(true)))
    cross = true[0] * y - true[1] * x  # on the ray: parallel to it
    assert cross == pytest.approx(0.0, abs=1e-6 * float(np.linalg.norm(true)))
    assert x < 0 and y > 0  # south-west
    assert distant.km == pytest.approx(haversine_km(frame.middle, (41.39, 2.17)))
    assert 700 < distant.km < 800


def test_frame_projection_is_the_layouts():
    G = nx.Graph()
    home = region(G)
    geo = geo_layout(G, scale=500.0)
    frame = geo.frame
    assert frame is not None
    for node in home:
        lat, lon = G.nodes[node]["lat"], G.nodes[node]["lon"]
        assert tuple(frame.project(lat, lon)) == pytest.approx(geo.positions[node])
    lat, _ = inverse_mercator((project(45.0, 10.0) + project(45.15, 10.16)) / 2)
    assert frame.middle == pytest.approx((lat, 10.08))
    # the frame is the organizations' extent padded by scale / 12
    x0, y0, x1, y1 = bbox(geo.positions, home)
    assert frame.half == pytest.approx(((x1 - x0) / 2 + 500 / 12, (y1 - y0) / 2 + 500 / 12))


def test_one_marker_per_city_and_markers_kept_apart():
    G = nx.Graph()
    region(G, 60)  # the three foreign partners are under 5% of all
    place(G, "co-munich-a", 48.14, 11.58)
    place(G, "co-munich-b", 48.15, 11.60)  # 2 km away: the same marker
    place(G, "co-augsburg", 48.37, 10.90)  # 55 km away: its own, in about the same direction
    geo = geo_layout(G, scale=1000.0)
    assert [d.nodes for d in geo.distant] == [("co-augsburg",), ("co-munich-a", "co-munich-b")]
    a, b = (np.array(d.anchor) for d in geo.distant)
    assert np.linalg.norm(a - b) >= 1000.0 * MARKER_STEP * 0.99
    assert all(d.anchor[1] < 0 and d.toward[1] < -0.8 for d in geo.distant)  # north


def test_few_points_are_never_distant():
    G = nx.Graph()
    place(G, "co-valmora", 45.0, 10.0)
    place(G, "co-new-york", 40.71, -74.0)
    assert geo_layout(G).distant == []


def test_located_share():
    G = nx.Graph()
    region(G, 3)
    G.add_nodes_from(["co-x", "co-y"])
    G.add_node("co-z", lat="45", lon=10.0)
    assert located_share(G) == 0.5
    assert located_share(nx.Graph()) == 1.0


def test_projection_helpers():
    assert inverse_mercator(project(60.0, -30.0)) == pytest.approx((60.0, -30.0))
    # Mercator stretches distances by the secant of the latitude
    assert ground_distance(10.0, project(60.0, 0.0)[1]) == pytest.approx(
        2 * ground_distance(10.0, 0.0)
    )


# -- the base map -----------------------------------------------------------------------------


def decode(flat: list[int]) -> np.ndarray:
    return np.cumsum(np.array(flat, dtype=float).reshape(-1, 2), axis=0)


def drawn(nodes: dict[str, tuple[float, float]]):
    G = nx.Graph()
    for node, (lat, lon) in nodes.items():
        place(G, node, lat, lon)
        G.nodes[node].update(city=node.title(), country="ES")
    geo = geo_layout(G)
    return geo, base_map(geo, G.nodes)


def test_encode_and_clip_by_hand():
    assert encode(np.array([[0.4, 0.0], [0.2, 0.3]])) == []  # one point left
    assert encode(np.array([[0.0, 0.0], [5.0, 0.0], [5.0, 5.0]]), closed=True) == [
        0, 0, 5, 0, 0, 5,
    ]  # fmt: skip
    assert decode([1, 2, 3, 4, -1, 0]).tolist() == [[1, 2], [4, 6], [3, 6]]
    square = np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]])
    assert len(clip_polygon(square, np.array([5.0, 5.0]), np.array([9.0, 9.0]))) == 0
    inside = clip_polygon(square, np.array([-1.0, -1.0]), np.array([9.0, 9.0]))
    assert sorted(map(tuple, inside.tolist())) == sorted(map(tuple, square.tolist()))


def test_base_map_at_a_tripoint_has_land_and_borders_inside_the_frame():
    # Basel: France, Germany and Switzerland meet
    geo, basemap = drawn(
        {"basel": (47.56, 7.59), "mulhouse": (47.75, 7.34), "lorrach": (47.61, 7.66)}
    )
    assert basemap is not None
    assert basemap["land"] and basemap["borders"]
    hx, hy = geo.frame.half
    assert basemap["frame"] == [round(-hx, 1), round(-hy, 1), round(hx, 1), round(hy, 1)]
    for rings in basemap["land"]:
        for ring in rings:
            points = decode(ring)
            assert (np.abs(points[:, 0]) <= hx * 1.05 + 1).all()
            assert (np.abs(points[:, 1]) <= hy * 1.05 + 1).all()
    assert basemap["markers"] == []


def test_base_map_of_the_open_sea_has_no_land():
    _, basemap = drawn({"a": (30.0, -40.0), "b": (30.1, -40.1), "c": (30.2, -39.9)})
    assert basemap is not None
    assert basemap["land"] == [] and basemap["borders"] == [] and basemap["regions"] == []


def test_regions_inland_and_markers_labelled():
    nodes = {f"valmora-{i}": (44.7 + 0.1 * i, 10.0 + 0.12 * i) for i in range(8)}
    nodes |= {f"valmora-{i}b": (44.75 + 0.1 * i, 10.1 + 0.12 * i) for i in range(8)}
    nodes["barcelona"] = (41.39, 2.17)
    _, basemap = drawn(nodes)
    assert basemap is not None
    assert basemap["regions"]  # Lombardy, Emilia-Romagna, Veneto meet there
    [marker] = basemap["markers"]
    assert marker["ids"] == ["barcelona"]
    assert marker["label"].startswith("Barcelona, ES \u00b7 ") and marker["label"].endswith(" km")
    assert marker["dx"] < 0 and marker["dy"] > 0


def test_a_world_map_uses_the_coarse_countries():
    _, basemap = drawn({"a": (60.0, -120.0), "b": (-30.0, 150.0), "c": (10.0, 10.0)})
    assert basemap is not None
    assert basemap["regions"] == []
    assert 50 < len(basemap["land"]) <= len(boundaries(True).land)
    size = sum(len(ring) for rings in basemap["land"] for ring in rings)
    assert size < 60_000  # numbers: a few hundred KB of page at most


def test_frame_least_size_and_aspect():
    G = nx.Graph()
    place(G, "alone", 0.0, 0.0)
    frame = geo_layout(G, scale=1000.0).frame
    assert frame is not None
    # 5 km on the ground at the equator spans `scale`; the frame is that, padded
    assert frame.factor == pytest.approx(1000.0 / (5.0 / 6371.0088))
    assert frame.half == pytest.approx((1000.0 + 1000.0 / 12, 1000.0 + 1000.0 / 12))
    H = nx.Graph()
    place(H, "west", 0.0, 0.0)
    place(H, "east", 0.0, 10.0)  # a band along the equator: the frame is half as high
    frame = geo_layout(H, scale=1000.0).frame
    assert frame is not None
    assert frame.half == pytest.approx((1000.0 + 1000.0 / 12, 500.0 + 1000.0 / 12))
