"""The geographic layout: organizations where they are, framed around where most of them are.

Organizations with coordinates are projected with Web Mercator, north up. The frame, the
part of the map drawn to scale (with the base map under it, :mod:`app.render.basemap`), is
fitted to the organizations inside a robust extent: the box between the 5th and 95th
percentiles of their projected positions, enlarged on every side by its larger side (and at
least by 50 km). Organizations outside that extent, a few foreign partners say, would squash
the region into one clump if the frame took them in; they are *distant* instead: drawn just
outside the frame, on the ray from its centre toward where they are, and the map marks them
with an arrow and their distance. Organizations without usable coordinates are *unplaced*:
listed, and parked in a grid to the right of everything else.

Everything is deterministic: nodes are handled in order of their ``str`` keys.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx
import numpy as np

from app.render.layout import _fit, _grid, _key
from app.render.projection import (
    coordinates,
    ground_distance,
    haversine_km,
    inverse_mercator,
    mercator,
)

__all__ = [
    "MIN_LOCATED_SHARE",
    "Distant",
    "GeoFrame",
    "GeoLayout",
    "distant_box",
    "geo_layout",
    "located_share",
]

Positions = dict[Any, tuple[float, float]]

#: Below this share of organizations with coordinates, a geographic map means little: the
#: map service draws the force layout instead, and says so.
MIN_LOCATED_SHARE = 0.5
#: The robust extent: these percentiles of the projected positions, per axis...
ROBUST_PERCENTILES = (5.0, 95.0)
#: ...enlarged on every side by this multiple of the box's larger side...
ENLARGE = 1.0
#: ...and at least by this distance on the ground.
MIN_MARGIN_KM = 50.0
#: The frame is at least twice this (on the ground) across, each way, and each side at
#: least this share of the other.
MIN_HALF_KM = 5.0
MIN_ASPECT = 0.5
#: Distant locations this close to each other share one edge marker.
MERGE_KM = 25.0
#: As fractions of ``scale``: the frame's padding around the organizations in it, the gap
#: between the frame and the distant organizations, their least spacing along the frame,
#: the spacing of organizations sharing a location, and the grid of the unplaced and its gap.
FRAME_PAD = 1 / 12
MARKER_GAP = 1 / 10
MARKER_STEP = 1 / 9
SPREAD = 1 / 60
ASIDE_STEP = 1 / 25
ASIDE_GAP = 1 / 8


def located_share(G: nx.Graph) -> float:
    """Share of the nodes of ``G`` that have coordinates (1.0 for a graph without nodes).

    >>> G = nx.Graph()
    >>> G.add_node("a", lat=45.0, lon=7.0); G.add_node("b")
    >>> located_share(G)
    0.5
    """
    if not len(G):
        return 1.0
    return sum(coordinates(attrs) is not None for _, attrs in G.nodes(data=True)) / len(G)


def distant_box(
    points: np.ndarray, *, min_margin: float | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """The robust extent of projected ``points``: outside it, a point is distant.

    The box spans the 5th to the 95th percentile of the points on each axis (linear
    interpolation, as :func:`numpy.percentile`), enlarged on every side by ``ENLARGE`` times
    its larger side, and at least by ``min_margin`` (default: 50 km on the ground at the
    box's centre).

    Parameters
    ----------
    points : array of shape (n, 2)
        Mercator positions (:func:`mercator`), one per organization, so that a location
        shared by many weighs as much as they are.
    min_margin : float, optional
        Least enlargement, in the units of ``points``.

    Returns
    -------
    low, high : arrays of shape (2,)
        Corners of the enlarged box.

    Examples
    --------
    Twenty points one unit apart on a line, and one far away: the percentiles are the 2nd
    and the 20th point, the box is enlarged by its length, 18, on either side.

    >>> points = np.array([[x, 0.0] for x in range(20)] + [[1000.0, 0.0]])
    >>> low, high = distant_box(points, min_margin=0.0)
    >>> low.tolist(), high.tolist()
    ([-17.0, -18.0], [37.0, 18.0])
    """
    low, high = (np.percentile(points, q, axis=0) for q in ROBUST_PERCENTILES)
    if min_margin is None:
        min_margin = ground_distance(MIN_MARGIN_KM, float(low[1] + high[1]) / 2)
    margin = max(ENLARGE * float((high - low).max()), min_margin)
    return low - margin, high + margin


@dataclass(frozen=True, slots=True)
class GeoFrame:
    """Where the map is drawn to scale: screen ``(x, y) = (mercator - centre) * factor``,
    inside the rectangle ``|x| <= half[0]``, ``|y| <= half[1]``."""

    centre: tuple[float, float]
    factor: float
    half: tuple[float, float]

    def project(self, lat: Any, lon: Any) -> np.ndarray:
        """Screen positions of latitudes and longitudes (degrees)."""
        return (mercator(lat, lon) - np.asarray(self.centre)) * self.factor

    @property
    def middle(self) -> tuple[float, float]:
        """``(lat, lon)`` of the frame's centre."""
        return inverse_mercator(self.centre)


@dataclass(frozen=True, slots=True)
class Distant:
    """Organizations at one location far from the others, drawn outside the frame.

    ``anchor`` is their screen position on the ray from the frame's centre toward
    ``(lat, lon)``, ``toward`` that ray's unit vector, ``km`` the distance on the ground
    from the frame's centre.
    """

    nodes: tuple[Hashable, ...]
    lat: float
    lon: float
    anchor: tuple[float, float]
    toward: tuple[float, float]
    km: float


@dataclass(slots=True)
class GeoLayout:
    """Result of :func:`geo_layout`."""

    positions: Positions
    unplaced: list[Any] = field(default_factory=list)
    distant: list[Distant] = field(default_factory=list)
    frame: GeoFrame | None = None


def _spread(count: int, spacing: float) -> list[tuple[float, float]]:
    """Offsets for ``count`` points sharing a location, about ``spacing`` apart: up to six
    on a circle, more on a sunflower (Vogel [3]_) spiral.

    References
    ----------
    .. [3] Vogel, H. "A better way to construct the sunflower head." Mathematical
       Biosciences 44 (3-4), 179-189, 1979.
    """
    if count == 1:
        return [(0.0, 0.0)]
    if count <= 6:
        radius = spacing / (2 * math.sin(math.pi / count))
        angles = [math.pi / 2 + 2 * math.pi * i / count for i in range(count)]
        return [(radius * math.cos(a), -radius * math.sin(a)) for a in angles]
    golden = math.pi * (3 - math.sqrt(5))
    radii = [0.65 * spacing * math.sqrt(i + 0.5) for i in range(count)]
    return [(r * math.cos(i * golden), r * math.sin(i * golden)) for i, r in enumerate(radii)]


def _around(half: tuple[float, float], t: float) -> tuple[float, float]:
    """The point at arc length ``t`` along a rectangle of half sides ``half`` centred on the
    origin, clockwise on screen from its top-left corner."""
    a, b = half
    t %= 4 * (a + b)
    for start, end, length in (
        ((-a, -b), (a, -b), 2 * a),
        ((a, -b), (a, b), 2 * b),
        ((a, b), (-a, b), 2 * a),
        ((-a, b), (-a, -b), 2 * b),
    ):
        if t <= length:
            f = t / length if length else 0.0
            return start[0] + f * (end[0] - start[0]), start[1] + f * (end[1] - start[1])
        t -= length
    return -a, -b  # pragma: no cover (rounding)


def _arc(half: tuple[float, float], point: np.ndarray) -> float:
    """Arc length of a ``point`` on the rectangle's edge (inverse of :func:`_around`)."""
    a, b = half
    x, y = float(point[0]), float(point[1])
    dx, dy = (a - abs(x)) / a if a else 0.0, (b - abs(y)) / b if b else 0.0
    if dy <= dx:  # top or bottom side
        return x + a if y < 0 else 2 * a + 2 * b + (a - x)
    return 2 * a + (y + b) if x > 0 else 4 * a + 2 * b + (b - y)


def _edge_anchors(targets: np.ndarray, half: tuple[float, float], step: float) -> np.ndarray:
    """Where the rays from the origin toward ``targets`` leave the rectangle of half sides
    ``half``, moved apart along its edge so that consecutive ones are ``step`` apart."""
    a, b = half
    with np.errstate(divide="ignore"):
        stretch = np.minimum(a / np.abs(targets[:, 0]), b / np.abs(targets[:, 1]))
    hits = targets * stretch[:, None]
    arcs = np.array([_arc(half, hit) for hit in hits])
    order = np.argsort(arcs, kind="stable")
    moved = arcs.copy()
    for previous, current in pairwise(order):
        moved[current] = max(moved[current], moved[previous] + step)
    return np.array([_around(half, t) for t in moved])


def geo_layout(G: nx.Graph, *, scale: float = 1000.0) -> GeoLayout:
    """Geographic positions, framed around where most organizations are.

    Nodes with :func:`coordinates` are projected with Web Mercator (:func:`mercator`).
    Those outside :func:`distant_box` of all of them are *distant*; the others are centred
    on ``(0, 0)`` and scaled, aspect ratio kept, so that the larger side of their extent
    (at least 10 km on the ground) spans ``[-scale, scale]``. The frame is that extent, each
    side at least 10 km and half the other, padded by ``scale / 12``. Each location of
    distant organizations gets an anchor on a rectangle ``scale / 10`` outside the frame,
    where the ray from the frame's centre toward it crosses that rectangle (locations
    within 25 km of each other share one); anchors are moved apart along it to be at least
    ``scale / 9`` apart. Organizations at the same coordinates (to six decimals), or
    sharing an anchor, are spread, in order of their ids, on a small circle (up to six) or
    a sunflower spiral around their point, about ``scale / 60`` apart.

    Every other node (coordinates missing or unusable) is unplaced: it is listed, sorted,
    and positioned in a grid (``scale / 25`` spacing, filled column by column, top-aligned
    and no taller than the rest) ``scale / 8`` to the right of every placed node. If no
    node is placed, the grid alone is centred and fitted, and there is no frame.

    Parameters
    ----------
    G : NetworkX graph
        Nodes with ``lat`` and ``lon`` attributes in degrees.
    scale : float
        Half the extent of the larger side of the organizations drawn to scale.

    Returns
    -------
    GeoLayout
        ``positions`` (``{node: (x, y)}`` for every node, ``y`` growing downward),
        ``unplaced`` (sorted), ``distant`` (one entry per location, sorted by its first
        node) and ``frame`` (``None`` when nothing is placed).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("co-oslo", lat=59.91, lon=10.75)
    >>> G.add_node("co-rome", lat=41.90, lon=12.50)
    >>> G.add_node("co-nowhere", lat=None, lon=12.0)
    >>> geo = geo_layout(G)
    >>> geo.unplaced, geo.distant
    (['co-nowhere'], [])
    >>> geo.positions["co-oslo"][1] < geo.positions["co-rome"][1]  # north is up
    True
    """
    located: dict[tuple[float, float], list[Any]] = defaultdict(list)
    unplaced: list[Any] = []
    for node in sorted(G, key=_key):
        found = coordinates(G.nodes[node])
        if found is None:
            unplaced.append(node)
        else:
            located[round(found[0], 6), round(found[1], 6)].append(node)
    spots = list(located)
    result = GeoLayout(positions={}, unplaced=unplaced)
    if spots:
        points = mercator([s[0] for s in spots], [s[1] for s in spots])
        weights = [len(located[s]) for s in spots]
        low, high = distant_box(np.repeat(points, weights, axis=0))
        near: np.ndarray = np.asarray(((points >= low) & (points <= high)).all(axis=1))
        if not near.any():  # pragma: no cover (the percentile box holds most points)
            near[:] = True
        inner = points[near]
        lo, hi = inner.min(axis=0), inner.max(axis=0)
        centre = (lo + hi) / 2
        least = ground_distance(MIN_HALF_KM, float(centre[1]))
        factor = scale / max(float((hi - lo).max()) / 2, least)
        wide, tall = (max(float(side) / 2, least) * factor for side in hi - lo)
        wide, tall = max(wide, tall * MIN_ASPECT), max(tall, wide * MIN_ASPECT)
        pad = scale * FRAME_PAD
        frame = GeoFrame(
            centre=(float(centre[0]), float(centre[1])),
            factor=factor,
            half=(wide + pad, tall + pad),
        )
        result.frame = frame
        screen = (points - centre) * factor
        for i in np.flatnonzero(near):
            _place(result.positions, located[spots[i]], screen[i], scale)
        far = [i for i in range(len(spots)) if not near[i]]
        if far:
            result.distant = _distant(far, spots, located, screen, frame, scale)
            for distant in result.distant:
                _place(result.positions, list(distant.nodes), distant.anchor, scale)
    if unplaced:
        _park(result.positions, unplaced, scale)
    return result


def _place(positions: Positions, group: list[Any], at: Any, scale: float) -> None:
    """Organizations of one location around its point."""
    x, y = float(at[0]), float(at[1])
    for node, (dx, dy) in zip(group, _spread(len(group), scale * SPREAD), strict=True):
        positions[node] = (x + dx, y + dy)


def _distant(
    far: list[int],
    spots: list[tuple[float, float]],
    located: Mapping[tuple[float, float], list[Any]],
    screen: np.ndarray,
    frame: GeoFrame,
    scale: float,
) -> list[Distant]:
    """One edge marker per place of distant organizations: locations within ``MERGE_KM``
    of the first of a place join it (in order), so one city gets one marker."""
    places: list[list[int]] = []
    for i in far:
        for place in places:
            if haversine_km(spots[place[0]], spots[i]) <= MERGE_KM:
                place.append(i)
                break
        else:
            places.append([i])
    targets = np.array([screen[place].mean(axis=0) for place in places])
    gap = scale * MARKER_GAP
    ring = (frame.half[0] + gap, frame.half[1] + gap)
    anchors = _edge_anchors(targets, ring, scale * MARKER_STEP)
    middle = frame.middle
    out = []
    for place, target, anchor in zip(places, targets, anchors, strict=True):
        lat = float(np.mean([spots[i][0] for i in place]))
        lon = float(np.mean([spots[i][1] for i in place]))
        direction = target / np.linalg.norm(target)
        out.append(
            Distant(
                nodes=tuple(sorted((n for i in place for n in located[spots[i]]), key=_key)),
                lat=lat,
                lon=lon,
                anchor=(float(anchor[0]), float(anchor[1])),
                toward=(float(direction[0]), float(direction[1])),
                km=haversine_km(middle, (lat, lon)),
            )
        )
    return sorted(out, key=lambda d: _key(d.nodes[0]))


def _park(positions: Positions, unplaced: list[Any], scale: float) -> None:
    """Grid of the unplaced to the right of ``positions`` (or alone, centred)."""
    step = scale * ASIDE_STEP
    count = len(unplaced)
    if positions:
        placed = np.array(list(positions.values()))
        low, high = placed.min(axis=0), placed.max(axis=0)
        rows = max(1, min(count, int((high[1] - low[1]) // step) + 1))
        index = np.arange(count)
        grid = np.column_stack([index // rows, index % rows]).astype(float) * step
        grid += np.array([high[0] + scale * ASIDE_GAP, low[1]])
    else:
        columns = math.ceil(math.sqrt(count))
        grid = _fit(_grid(count, columns, 1.0), min(scale, step * (columns - 1) / 2))
    for node, (x, y) in zip(unplaced, grid.tolist(), strict=True):
        positions[node] = (float(x), float(y))
