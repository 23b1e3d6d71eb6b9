"""Map geometry: where each organization goes on the canvas.

Two layouts share one output shape, ``{node: (x, y)}`` in screen coordinates (``y`` grows
downward) centred on the origin and fitted so that the larger side spans ``[-scale, scale]``:

* ``force_layout`` draws the network itself: a seeded Fruchterman-Reingold layout of each
  connected component (python-igraph), the components packed in shelves largest first and
  the isolated organizations in a grid underneath.
* ``geo_layout`` puts organizations where they are (Web Mercator, north up), spreads the ones
  that share a location, and parks those without usable coordinates in a grid to the right.

Both are deterministic: nodes are handled in order of their ``str`` keys, never in the
graph's insertion order, and every random draw comes from generators seeded with ``seed``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from numbers import Real
from typing import Any

import networkx as nx
import numpy as np

from graph_analytics.compiled import seeded_igraph

__all__ = ["force_layout", "geo_layout"]

Positions = dict[Any, tuple[float, float]]

#: Width / height the shelves of components aim at.
_ASPECT = 1.5
#: Web Mercator's latitude limit: the map is a square.
_MAX_LAT = 85.05113
#: Spacing of organizations sharing a location, and of the grid of unplaced ones, and the gap
#: before that grid, as fractions of ``scale``.
_SPREAD = 1 / 60
_ASIDE_STEP = 1 / 25
_ASIDE_GAP = 1 / 8


def _key(node: Hashable) -> tuple[str, str, str]:
    """Sort key that does not depend on insertion order or on nodes being comparable."""
    return (str(node), type(node).__name__, repr(node))


def _iterations(n: int) -> int:
    """Fruchterman-Reingold iterations for an ``n``-node component.

    ``10 n`` within ``[100, 500]`` up to 10,000 nodes, then ``5e6 / n`` (at least 100): small
    components settle quickly, and very large ones would otherwise take tens of seconds.
    """
    return min(500, max(100, 10 * n)) if n <= 10_000 else max(100, 5_000_000 // n)


def _fit(coords: np.ndarray, scale: float) -> np.ndarray:
    """Centre ``coords`` on the origin and stretch the larger side to ``[-scale, scale]``."""
    if len(coords) == 0:
        return coords
    low, high = coords.min(axis=0), coords.max(axis=0)
    centred = coords - (low + high) / 2
    half = float((high - low).max()) / 2
    return centred * (scale / half) if half > 0 else centred


def _principal(coords: np.ndarray) -> np.ndarray:
    """Rotate a component so that its longer principal axis is horizontal."""
    centred = coords - coords.mean(axis=0)
    _, vectors = np.linalg.eigh(centred.T @ centred)
    return centred @ vectors[:, ::-1]


def _spacing(pieces: Sequence[np.ndarray], lengths: Sequence[np.ndarray]) -> tuple[float, float]:
    """Node spacing and gap between components, in the units of the laid-out components.

    The spacing is the side of the average square of bounding box per node, but at most the
    median edge length (the whole length if every component is flat, 1 if there is none);
    the gap is twice the spacing but at least one median edge length.
    """
    if not pieces:
        return 1.0, 1.0
    edge = float(np.median(np.concatenate(lengths)))
    edge = edge if edge > 0 else 1.0
    area = sum(float(np.prod(piece.max(axis=0) - piece.min(axis=0))) for piece in pieces)
    spacing = min(edge, math.sqrt(area / sum(len(piece) for piece in pieces)))
    spacing = spacing if spacing > 0 else edge
    return spacing, max(2 * spacing, edge)


def _shelves(pieces: Sequence[np.ndarray], gap: float) -> list[np.ndarray]:
    """Translate the pieces (largest first) into rows of a shelf packing, left to right."""
    sizes = [piece.max(axis=0) - piece.min(axis=0) for piece in pieces]
    area = sum((w + gap) * (h + gap) for w, h in sizes)
    width = max(max(w for w, _ in sizes), math.sqrt(area * _ASPECT))
    rows: list[list[int]] = [[]]
    used = 0.0
    for i, (w, _) in enumerate(sizes):
        if rows[-1] and used + w > width:
            rows.append([])
            used = 0.0
        rows[-1].append(i)
        used += w + gap
    placed: list[np.ndarray] = [np.empty((0, 2))] * len(pieces)
    top = 0.0
    for row in rows:
        row_width = sum(sizes[i][0] for i in row) + gap * (len(row) - 1)
        row_height = max(sizes[i][1] for i in row)
        left = (width - row_width) / 2  # rows centred under each other
        for i in row:
            w, h = sizes[i]
            corner = np.array([left, top + (row_height - h) / 2])
            placed[i] = pieces[i] - pieces[i].min(axis=0) + corner
            left += w + gap
        top += row_height + gap
    return placed


def _grid(count: int, columns: int, step: float) -> np.ndarray:
    """``count`` points on a grid, row by row, top-left at the origin."""
    index = np.arange(count)
    return np.column_stack([index % columns, index // columns]).astype(float) * step


def force_layout(
    G: nx.Graph,
    *,
    seed: int = 0,
    scale: float = 1000.0,
    weight: str | None = None,
    check: Callable[[], None] | None = None,
) -> Positions:
    """Seeded force-directed positions, components packed side by side, isolates beneath.

    Each connected component with two or more nodes is laid out on its own with
    Fruchterman-Reingold [1]_ (python-igraph's grid variant, repulsion only between nearby
    nodes, from 1,000 nodes on; ``10 n`` iterations within ``[100, 500]``, and ``5e6 / n``
    but at least 100 above 10,000 nodes: about 0.15 s for 1,500 nodes and 7,500 edges,
    1.4 s for 20,000 and 100,000 on two cores), rotated so that its
    longer principal axis is horizontal, and the components are packed in shelves largest
    first, so that none flies away from the others. Isolated nodes sit in a grid under them.
    The whole is centred on ``(0, 0)`` and scaled, aspect ratio kept, so that its larger side
    spans ``[-scale, scale]``. Directions and parallel edges are ignored (the weights of
    parallel edges add up) and so are self-loops.

    The result depends only on the graph and ``seed``, not on the order nodes were added in,
    and is the same in every process: starting positions come from
    ``numpy.random.default_rng(seed)`` and igraph, which also draws random numbers while it
    iterates, gets a ``random.Random(seed)`` for the duration of the call (its process-wide
    generator is restored afterwards).

    Parameters
    ----------
    G : NetworkX graph
    seed : int
        Seed of the starting positions and of igraph's random draws.
    scale : float
        Half the extent of the larger side of the result.
    weight : str, optional
        Edge attribute that strengthens attraction (missing counts as 1; values must be
        positive). ``None`` treats all edges alike.
    check : callable, optional
        Called before each component is laid out; it may raise to stop the work (e.g.
        :func:`app.services.deadline.checkpoint`).

    Returns
    -------
    dict
        ``{node: (x, y)}``, ``y`` growing downward.

    Raises
    ------
    ValueError
        If a weight is not positive.

    References
    ----------
    .. [1] Fruchterman, T. M. J. and Reingold, E. M. "Graph Drawing by Force-directed
       Placement." Software: Practice and Experience 21 (11), 1129-1164, 1991.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> G.add_node("lonely")
    >>> pos = force_layout(G, seed=7)
    >>> pos == force_layout(G, seed=7)
    True
    >>> round(max(abs(c) for xy in pos.values() for c in xy), 6)
    1000.0
    >>> pos["lonely"][1] > max(pos[n][1] for n in "abcd")  # isolates go underneath
    True
    >>> force_layout(nx.empty_graph(["solo"]))
    {'solo': (0.0, 0.0)}
    """
    import igraph

    nodes = sorted(G, key=_key)
    if not nodes:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    pairs: dict[tuple[int, int], float] = defaultdict(float)
    for u, v, data in G.edges(data=True):
        if u != v:
            i, j = sorted((index[u], index[v]))
            value = 1.0 if weight is None else float(data.get(weight, 1.0))
            if weight is not None and not value > 0:
                raise ValueError(f"edge weights must be positive, got {value!r} on {u}-{v}")
            pairs[i, j] += value
    edges = sorted(pairs)
    graph = igraph.Graph(n=len(nodes), edges=edges)
    if weight is not None:
        graph.es["weight"] = [pairs[e] for e in edges]
    components = sorted(
        (sorted(c) for c in graph.connected_components()), key=lambda c: (-len(c), c[0])
    )
    isolates = [c[0] for c in components if len(c) == 1]

    starts = np.random.default_rng(seed)
    pieces: list[np.ndarray] = []
    lengths: list[np.ndarray] = []
    members: list[int] = []
    with seeded_igraph(seed):
        for component in components:
            if len(component) == 1:
                break  # sorted by size: the rest are isolates
            if check is not None:
                check()
            size = len(component)
            sub = graph.induced_subgraph(component)
            start = starts.uniform(-0.5, 0.5, (size, 2)) * math.sqrt(size)
            coords = sub.layout_fruchterman_reingold(
                seed=start.tolist(),
                niter=_iterations(size),
                weights="weight" if weight is not None else None,
                grid="auto",
            )
            piece = _principal(np.asarray(coords.coords, dtype=float))
            ends = np.asarray(sub.get_edgelist())
            lengths.append(np.linalg.norm(piece[ends[:, 0]] - piece[ends[:, 1]], axis=1))
            pieces.append(piece)
            members.extend(component)
    spacing, gap = _spacing(pieces, lengths)
    blocks = _shelves(pieces, gap) if pieces else []
    if isolates:
        if blocks:
            packed = np.vstack(blocks)
            low, high = packed.min(axis=0), packed.max(axis=0)
            columns = int((high[0] - low[0]) // spacing) + 1
        else:
            low = high = np.zeros(2)
            columns = math.ceil(math.sqrt(len(isolates) * _ASPECT))
        columns = min(columns, len(isolates))
        grid = _grid(len(isolates), columns, spacing)
        shift = (high[0] + low[0]) / 2 - (columns - 1) * spacing / 2
        grid += np.array([shift, high[1] + (gap if blocks else 0.0)])
        blocks.append(grid)
        members.extend(isolates)
    coords = _fit(np.vstack(blocks), scale)
    return {
        nodes[i]: (float(x), float(y)) for i, (x, y) in zip(members, coords.tolist(), strict=True)
    }


def _coordinate(value: Any, limit: float) -> float | None:
    """``value`` as a float if it is a real number within ``[-limit, limit]``, else ``None``."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return None
    number = float(value)
    return number if math.isfinite(number) and -limit <= number <= limit else None


def _mercator(lat: float, lon: float) -> tuple[float, float]:
    """Web Mercator on the unit sphere, ``y`` flipped so that north is up on screen."""
    phi = math.radians(max(-_MAX_LAT, min(_MAX_LAT, lat)))
    return math.radians(lon), -math.log(math.tan(math.pi / 4 + phi / 2))


def _spread(count: int, spacing: float) -> list[tuple[float, float]]:
    """Offsets for ``count`` points sharing a location, about ``spacing`` apart.

    Up to six go on a circle; more on a sunflower (Vogel) spiral.
    """
    if count <= 6:
        radius = spacing / (2 * math.sin(math.pi / count))
        angles = [math.pi / 2 + 2 * math.pi * i / count for i in range(count)]
        return [(radius * math.cos(a), -radius * math.sin(a)) for a in angles]
    golden = math.pi * (3 - math.sqrt(5))
    radii = [0.65 * spacing * math.sqrt(i + 0.5) for i in range(count)]
    return [(r * math.cos(i * golden), r * math.sin(i * golden)) for i, r in enumerate(radii)]


def geo_layout(G: nx.Graph, *, scale: float = 1000.0) -> tuple[Positions, list[Any]]:
    """Geographic positions: Web Mercator, north up, the unplaced in a grid to the right.

    Nodes whose ``lat`` is a real number in ``[-90, 90]`` and ``lon`` one in ``[-180, 180]``
    are projected with Web Mercator (latitudes clamped to +/-85.05113 degrees), ``y`` flipped
    so that north is up on a screen whose ``y`` grows downward, then centred on ``(0, 0)``
    and scaled, aspect ratio kept, so that the larger side of the placed area spans
    ``[-scale, scale]``. Organizations at the same coordinates (to six decimals) are spread,
    in order of their ids, on a small circle (up to six) or a sunflower spiral around the
    point, about ``scale / 60`` apart.

    Every other node (coordinates missing, ``None``, NaN, strings, out of range) is unplaced:
    it is listed, sorted by id, in the second element of the result and also positioned in a
    grid (``scale / 25`` spacing, filled column by column, top-aligned with the map and no
    taller than it) a gap of ``scale / 8`` to the right of every placed node, that is
    outside the fitted box. If no node is placed, the grid alone is centred and fitted.

    Parameters
    ----------
    G : NetworkX graph
        Nodes with ``lat`` and ``lon`` attributes in degrees.
    scale : float
        Half the extent of the larger side of the placed area.

    Returns
    -------
    positions : dict
        ``{node: (x, y)}`` for every node, ``y`` growing downward.
    unplaced : list
        The nodes without usable coordinates, sorted by ``str`` of their ids.

    References
    ----------
    .. [1] EPSG:3857, "WGS 84 / Pseudo-Mercator", https://epsg.io/3857
    .. [2] Vogel, H. "A better way to construct the sunflower head." Mathematical
       Biosciences 44 (3-4), 179-189, 1979.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("co-oslo", lat=59.91, lon=10.75)
    >>> G.add_node("co-rome", lat=41.90, lon=12.50)
    >>> G.add_node("co-nowhere", lat=None, lon=12.0)
    >>> pos, unplaced = geo_layout(G)
    >>> unplaced
    ['co-nowhere']
    >>> pos["co-oslo"][1] < pos["co-rome"][1]  # north is up
    True
    >>> pos["co-nowhere"][0] > max(pos["co-oslo"][0], pos["co-rome"][0])  # parked right
    True
    """
    located: dict[tuple[float, float], list[Any]] = defaultdict(list)
    unplaced: list[Any] = []
    for node in sorted(G, key=_key):
        data = G.nodes[node]
        lat, lon = _coordinate(data.get("lat"), 90.0), _coordinate(data.get("lon"), 180.0)
        if lat is None or lon is None:
            unplaced.append(node)
        else:
            located[round(lat, 6), round(lon, 6)].append(node)
    positions: Positions = {}
    spots = list(located)
    if spots:
        points = _fit(np.array([_mercator(lat, lon) for lat, lon in spots]), scale)
        for spot, (x, y) in zip(spots, points.tolist(), strict=True):
            group = located[spot]
            if len(group) == 1:
                positions[group[0]] = (float(x), float(y))
                continue
            for node, (dx, dy) in zip(group, _spread(len(group), scale * _SPREAD), strict=True):
                positions[node] = (float(x + dx), float(y + dy))
    if unplaced:
        step = scale * _ASIDE_STEP
        count = len(unplaced)
        if positions:
            placed = np.array(list(positions.values()))
            low, high = placed.min(axis=0), placed.max(axis=0)
            rows = max(1, min(count, int((high[1] - low[1]) // step) + 1))
            index = np.arange(count)
            grid = np.column_stack([index // rows, index % rows]).astype(float) * step
            grid += np.array([high[0] + scale * _ASIDE_GAP, low[1]])
        else:
            columns = math.ceil(math.sqrt(count))
            grid = _fit(_grid(count, columns, 1.0), min(scale, step * (columns - 1) / 2))
        for node, (x, y) in zip(unplaced, grid.tolist(), strict=True):
            positions[node] = (float(x), float(y))
    return positions, unplaced
