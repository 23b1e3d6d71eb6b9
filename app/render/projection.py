"""Coordinates and the projection of geographic maps: Web Mercator on the unit sphere.

Both the geographic layout (:mod:`app.render.geo_layout`) and the base map under it
(:mod:`app.render.basemap`) place things with :func:`mercator`, so they line up.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import Any

import numpy as np

__all__ = [
    "EARTH_RADIUS_KM",
    "MAX_LAT",
    "coordinates",
    "ground_distance",
    "haversine_km",
    "inverse_mercator",
    "mercator",
]

#: Mean Earth radius (IUGG), for distances on the ground.
EARTH_RADIUS_KM = 6371.0088
#: Web Mercator's latitude limit: the projected world is a square.
MAX_LAT = 85.05113


def coordinates(attrs: Mapping[str, Any]) -> tuple[float, float] | None:
    """``(lat, lon)`` if both are real numbers in range (latitude within +/-90 degrees,
    longitude within +/-180), else ``None`` (missing, ``None``, NaN, text, booleans).

    >>> coordinates({"lat": 45.07, "lon": 7.69}), coordinates({"lat": "45", "lon": 7})
    ((45.07, 7.69), None)
    """
    lat, lon = _number(attrs.get("lat"), 90.0), _number(attrs.get("lon"), 180.0)
    return None if lat is None or lon is None else (lat, lon)


def _number(value: Any, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None


def mercator(lat: Any, lon: Any) -> np.ndarray:
    """Web Mercator [1]_ on the unit sphere, ``y`` flipped so that north is up on a screen:
    ``(lon, -ln tan(pi/4 + lat/2))`` in radians, latitudes clamped to +/-85.05113 degrees.
    Arrays (or numbers) in degrees; an array of shape ``(..., 2)`` out.

    References
    ----------
    .. [1] EPSG:3857, "WGS 84 / Pseudo-Mercator", https://epsg.io/3857

    >>> mercator(45.0, -90.0).round(4).tolist()
    [-1.5708, -0.8814]
    """
    phi = np.radians(np.clip(np.asarray(lat, dtype=float), -MAX_LAT, MAX_LAT))
    x = np.radians(np.asarray(lon, dtype=float))
    return np.stack([x, -np.log(np.tan(np.pi / 4 + phi / 2))], axis=-1)


def inverse_mercator(point: Any) -> tuple[float, float]:
    """``(lat, lon)`` in degrees of a point of :func:`mercator`.

    >>> [round(v, 6) for v in inverse_mercator(mercator(45.0, 7.5))]
    [45.0, 7.5]
    """
    x, y = (float(v) for v in point)
    return math.degrees(2 * math.atan(math.exp(-y)) - math.pi / 2), math.degrees(x)


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two ``(lat, lon)`` points [2]_.

    References
    ----------
    .. [2] Sinnott, R. W. "Virtues of the Haversine." Sky and Telescope 68 (2), 159, 1984.

    >>> round(haversine_km((0.0, 0.0), (0.0, 1.0)), 1)
    111.2
    """
    (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
    h = math.sin((lat2 - lat1) / 2) ** 2
    h += math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def ground_distance(km: float, y: float) -> float:
    """``km`` on the ground in units of :func:`mercator` at the latitude of Mercator ``y``
    (the scale factor of Mercator is the secant of the latitude).

    >>> round(ground_distance(EARTH_RADIUS_KM, 0.0), 6), round(ground_distance(1.0, 0.0), 8)
    (1.0, 0.00015696)
    """
    lat = math.radians(inverse_mercator((0.0, y))[0])
    return km / EARTH_RADIUS_KM / math.cos(lat)
