"""The base map under a geographic layout: land, coasts, borders and first-level regions.

The boundaries are Natural Earth's [1]_ (public domain), simplified and vendored as package
data in ``static/basemap/`` (TopoJSON [2]_, gzip-compressed; see its README for provenance
and how to rebuild them): countries at about 3 km and first-level regions at about 4 km
for frames up to 3,000 km across, countries at about 20 km (and no regions) for larger
ones. For one map, :func:`base_map` projects them with the layout's own projection and
frame (:class:`~app.render.geo_layout.GeoFrame`, Web Mercator), keeps what falls in or
near the frame, rounds to whole canvas units and delta-encodes the result, which the
page's ``basemap.js`` draws under the network. Nothing is fetched at run time.

References
----------
.. [1] Natural Earth, "Free vector and raster map data at 1:10m, 1:50m, and 1:110m
   scales", https://www.naturalearthdata.com/ (Admin 0 countries, Admin 1 states and
   provinces; public domain).
.. [2] Bostock, M. and Metcalf, C. "The TopoJSON Format Specification", 2016,
   https://github.com/topojson/topojson-specification
"""

from __future__ import annotations

import functools
import gzip
import json
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from app.render.geo_layout import GeoLayout
from app.render.projection import EARTH_RADIUS_KM, mercator

__all__ = ["ATTRIBUTION", "Boundaries", "base_map", "boundaries", "clip_polygon", "encode"]

ATTRIBUTION = "Base map: Natural Earth boundaries (public domain), countries and regions."
#: Around the frame, as a share of its size, what is kept (the page clips to the frame).
_MARGIN = 0.05
#: Canvas units of the rounding grid (one unit is about half a pixel when fitted).
_UNIT = 1.0
#: Frames whose larger side spans more than this on the ground get the coarse countries
#: and no regions.
DETAIL_BELOW_KM = 3000.0

Ring = np.ndarray  # (n, 2) Mercator points


@dataclass(frozen=True, slots=True)
class Boundaries:
    """The vendored boundaries, in Mercator (:func:`~app.render.projection.mercator`).

    ``land``: countries, each a list of rings (outer rings and holes), whose outlines are
    the shores and borders; ``borders``: lines between two countries; ``regions``: lines
    between first-level regions of one country (none in the coarse level).
    ``*_boxes``: per item, ``(x0, y0, x1, y1)``.
    """

    land: list[list[Ring]]
    land_boxes: np.ndarray
    borders: list[np.ndarray]
    border_boxes: np.ndarray
    regions: list[np.ndarray]
    region_boxes: np.ndarray


def _topology(name: str) -> dict[str, Any]:
    """One vendored TopoJSON file, ``static/basemap/<name>.topo.json.gz``."""
    path = resources.files("app.render").joinpath("static").joinpath("basemap")
    data: dict[str, Any] = json.loads(
        gzip.decompress(path.joinpath(f"{name}.topo.json.gz").read_bytes())
    )
    return data


def _arcs(topology: Mapping[str, Any]) -> list[np.ndarray]:
    """The topology's arcs, delta-decoded and de-quantized, as Mercator points."""
    transform = topology["transform"]
    scale, translate = np.asarray(transform["scale"]), np.asarray(transform["translate"])
    arcs = []
    for arc in topology["arcs"]:
        lonlat = np.cumsum(np.asarray(arc, dtype=float), axis=0) * scale + translate
        arcs.append(mercator(lonlat[:, 1], lonlat[:, 0]))
    return arcs


def _ring(arcs: list[np.ndarray], indexes: Iterable[int]) -> np.ndarray:
    """A ring from arc indexes (``~i`` is arc ``i`` reversed), shared end points once."""
    parts = [arcs[i] if i >= 0 else arcs[~i][::-1] for i in indexes]
    return np.vstack([parts[0]] + [part[1:] for part in parts[1:]])


def _boxes(items: list[np.ndarray]) -> np.ndarray:
    if not items:
        return np.empty((0, 4))
    return np.array([[*item.min(axis=0), *item.max(axis=0)] for item in items])


@functools.cache
def boundaries(coarse: bool = False) -> Boundaries:
    """The vendored boundaries, decoded once per process: detailed, or ``coarse``."""
    countries = _topology("countries-coarse" if coarse else "countries")
    arcs = _arcs(countries)
    land: list[list[Ring]] = []
    uses: Counter[int] = Counter()
    for geometry in countries["objects"]["countries"]["geometries"]:
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        for polygon in polygons:
            land.append([_ring(arcs, ring) for ring in polygon])
            uses.update(i if i >= 0 else ~i for ring in polygon for i in ring)
    borders = [arcs[i] for i in sorted(uses) if uses[i] > 1]
    regions = [] if coarse else _arcs(_topology("regions"))
    outer = [polygon[0] for polygon in land]
    return Boundaries(
        land=land,
        land_boxes=_boxes(outer),
        borders=borders,
        border_boxes=_boxes(borders),
        regions=regions,
        region_boxes=_boxes(regions),
    )


def clip_polygon(ring: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """A closed ring clipped to the box ``[low, high]`` (Sutherland-Hodgman [3]_).

    The result may run along the box's sides where the ring left it; a ring wholly
    outside gives an empty array.

    References
    ----------
    .. [3] Sutherland, I. E. and Hodgman, G. W. "Reentrant Polygon Clipping."
       Communications of the ACM 17 (1), 32-42, 1974.

    Examples
    --------
    >>> square = np.array([[0.0, 0.0], [4.0, 0.0], [4.0, 4.0], [0.0, 4.0]])
    >>> clip_polygon(square, np.array([2.0, -1.0]), np.array([9.0, 9.0])).tolist()
    [[2.0, 4.0], [2.0, 0.0], [4.0, 0.0], [4.0, 4.0]]
    """
    points = ring
    for axis, bound, keep_below in (
        (0, low[0], False),
        (0, high[0], True),
        (1, low[1], False),
        (1, high[1], True),
    ):
        if len(points) == 0:
            break
        inside = points[:, axis] <= bound if keep_below else points[:, axis] >= bound
        following = np.roll(points, -1, axis=0)
        inside_next = np.roll(inside, -1)
        crossing = inside != inside_next
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            t = (bound - points[:, axis]) / (following[:, axis] - points[:, axis])
            cut = points + t[:, None] * (following - points)
        candidates = np.stack([cut, following], axis=1).reshape(-1, 2)
        keep = np.stack([crossing, inside_next], axis=1).reshape(-1)
        points = candidates[keep]
    return points


def _runs(line: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[np.ndarray]:
    """The parts of a polyline whose segments may cross the box ``[low, high]``."""
    if len(line) < 2:
        return []
    start, end = line[:-1], line[1:]
    near = ((np.maximum(start, end) >= low) & (np.minimum(start, end) <= high)).all(axis=1)
    if not near.any():
        return []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], near.astype(int), [0]])))
    return [line[a : b + 1] for a, b in zip(edges[::2], edges[1::2], strict=True)]


def encode(points: np.ndarray, *, closed: bool = False) -> list[int]:
    """Screen points rounded to whole units, repeated points dropped, as a flat list of the
    first point and then the differences: ``[x0, y0, dx1, dy1, ...]``. Empty when fewer than
    two points (three for a ``closed`` ring) remain.

    >>> encode(np.array([[0.2, 0.0], [0.4, 0.1], [3.0, 4.0], [1.0, 1.0]]))
    [0, 0, 3, 4, -2, -3]
    """
    grid = np.round(points / _UNIT).astype(np.int64)
    if len(grid) > 1:
        grid = grid[np.concatenate([[True], (np.diff(grid, axis=0) != 0).any(axis=1)])]
    if len(grid) < (3 if closed else 2):
        return []
    flat: list[int] = np.concatenate([grid[:1], np.diff(grid, axis=0)]).reshape(-1).tolist()
    return flat


def _within(boxes: np.ndarray, low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """Indexes of the boxes that meet ``[low, high]``."""
    if not len(boxes):
        return np.empty(0, dtype=int)
    return np.flatnonzero(
        (boxes[:, 2] >= low[0])
        & (boxes[:, 0] <= high[0])
        & (boxes[:, 3] >= low[1])
        & (boxes[:, 1] <= high[1])
    )


def _lines(
    items: list[np.ndarray], boxes: np.ndarray, low: np.ndarray, high: np.ndarray, to_screen: Any
) -> list[list[int]]:
    out = []
    for i in _within(boxes, low, high):
        for run in _runs(items[i], low, high):
            encoded = encode(to_screen(run))
            if encoded:
                out.append(encoded)
    return out


def _label(attrs: Mapping[str, Any], km: float) -> str:
    """``City, CC · 1,234 km`` (as much of the place as is known)."""
    place = ", ".join(str(attrs[key]) for key in ("city", "country") if attrs.get(key))
    distance = f"{km:,.0f} km"
    return f"{place} \u00b7 {distance}" if place else distance


def base_map(
    layout: GeoLayout, nodes: Mapping[Hashable, Mapping[str, Any]]
) -> dict[str, Any] | None:
    """What the page draws under a geographic layout, or ``None`` without a frame.

    Parameters
    ----------
    layout : GeoLayout
        The layout (:func:`~app.render.geo_layout.geo_layout`): its frame gives the
        projection and the area drawn, its distant organizations the edge markers.
    nodes : mapping
        Node attributes (``city``, ``country``) by node, for the markers' labels.

    Returns
    -------
    dict or None
        ``frame`` (``[x0, y0, x1, y1]`` on screen), ``land`` (per country, its rings),
        ``borders`` and ``regions`` (polylines), each as :func:`encode` gives them;
        ``markers`` (``{"ids", "x", "y", "dx", "dy", "label"}`` per location of
        distant organizations, ``dx, dy`` pointing toward it) and ``attribution``.
    """
    frame = layout.frame
    if frame is None:
        return None
    centre, factor = np.asarray(frame.centre), frame.factor
    across_km = 2 * max(frame.half) / factor * EARTH_RADIUS_KM * np.cos(np.radians(frame.middle[0]))
    data = boundaries(bool(across_km > DETAIL_BELOW_KM))  # positional: one cache entry
    half = np.asarray(frame.half) * (1 + _MARGIN)
    low, high = centre - half / factor, centre + half / factor

    def to_screen(points: np.ndarray) -> np.ndarray:
        return (points - centre) * factor

    land = []
    for i in _within(data.land_boxes, low, high):
        rings = [
            encode(to_screen(clip_polygon(ring, low, high)), closed=True) for ring in data.land[i]
        ]
        rings = [ring for ring in rings if ring]
        if rings:
            land.append(rings)
    markers = [
        {
            "ids": [str(node) for node in distant.nodes],
            "x": round(distant.anchor[0], 1),
            "y": round(distant.anchor[1], 1),
            "dx": round(distant.toward[0], 4),
            "dy": round(distant.toward[1], 4),
            "label": _label(nodes.get(distant.nodes[0], {}), distant.km),
        }
        for distant in layout.distant
    ]
    hx, hy = frame.half
    return {
        "frame": [round(-hx, 1), round(-hy, 1), round(hx, 1), round(hy, 1)],
        "land": land,
        "borders": _lines(data.borders, data.border_boxes, low, high, to_screen),
        "regions": _lines(data.regions, data.region_boxes, low, high, to_screen),
        "markers": markers,
        "attribution": ATTRIBUTION,
    }
