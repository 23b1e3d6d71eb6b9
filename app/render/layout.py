"""Map geometry: where each organization goes on the canvas.

Two layouts share one output shape, ``{node: (x, y)}`` in screen coordinates (``y`` grows
downward) centred on the origin and fitted so that the larger side spans ``[-scale, scale]``:

* ``force_layout`` (here) draws the network itself: a seeded Fruchterman-Reingold layout of
  each connected component (python-igraph), the components packed in shelves largest first
  and the isolated organizations in a grid underneath.
* :func:`app.render.geo_layout.geo_layout` puts organizations where they are (Web Mercator,
  north up), framed around where most of them are; it uses this module's helpers.

Both are deterministic: nodes are handled in order of their ``str`` keys, never in the
graph's insertion order, and every random draw comes from generators seeded with ``seed``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

import networkx as nx
import numpy as np

from graph_analytics.compiled import seeded_igraph

__all__ = ["force_layout"]

Positions = dict[Any, tuple[float, float]]

#: Width / height the shelves of components aim at.
_ASPECT = 1.5


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
