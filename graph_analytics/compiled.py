"""The compiled engine of :mod:`graph_analytics.centrality`: python-igraph (and SciPy's sparse
matrices) on an edge list, every value normalised as NetworkX normalises it.

:func:`scores` takes plain lists, so that it can run in another process
(``centrality(..., executor=...)``): pickling a list of index pairs is cheap, pickling a
NetworkX graph is not, and igraph holds the interpreter lock while it computes.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import networkx as nx

__all__ = [
    "betweenness_values", "edge_list", "leiden_membership", "preload", "scores",
    "seeded_igraph", "to_igraph",
]  # fmt: skip

#: igraph draws from one process-wide random generator: seeded work takes turns with it.
_RNG_LOCK = threading.Lock()


def preload() -> None:
    """Import the compiled libraries now (about a second), e.g. when a worker process or a
    server starts, rather than inside the first computation."""
    import igraph  # noqa: F401
    import scipy.sparse  # noqa: F401


@contextmanager
def seeded_igraph(seed: int | None) -> Iterator[None]:
    """Run the ``with`` block with igraph drawing from ``random.Random(seed)`` (nothing
    changes for ``None``), then give igraph back its default generator. igraph's generator is
    process-wide, so seeded blocks of every thread take turns under one lock; every seeded
    igraph call of EcoMap (Leiden here, layouts in :mod:`app.render.layout`) goes through
    this.
    """
    if seed is None:
        yield
        return
    import igraph

    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)  # igraph's default


def edge_list(
    G: nx.Graph, weight: str | None
) -> tuple[list[Hashable], list[tuple[int, int]], list[float] | None]:
    """``(nodes, edges as index pairs, weights)``; a missing weight counts as 1.

    Examples
    --------
    >>> edge_list(nx.path_graph(["a", "b", "c"]), "weight")
    (['a', 'b', 'c'], [(0, 1), (1, 2)], [1.0, 1.0])
    """
    nodes = list(G)
    index = {node: i for i, node in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    weights = None
    if weight is not None:
        weights = [float(d.get(weight, 1.0)) for _, _, d in G.edges(data=True)]
    return nodes, edges, weights


def _graph(n: int, edges: Sequence[tuple[int, int]], weights: Sequence[float] | None) -> Any:
    import igraph

    graph = igraph.Graph(n=n, edges=edges)
    if weights is not None:
        graph.es["weight"] = weights
    return graph


def to_igraph(G: nx.Graph, weight: str | None) -> tuple[Any, list[Hashable]]:
    """An ``igraph.Graph`` of ``G`` (edge attribute ``weight`` unless ``weight`` is None)
    and the nodes of ``G`` in vertex order."""
    nodes, edges, weights = edge_list(G, weight)
    return _graph(len(nodes), edges, weights), nodes


def betweenness_values(graph: Any, sources: Sequence[int] | None, weighted: bool) -> list[float]:
    """Betweenness of every vertex as ``networkx.betweenness_centrality`` normalises it:
    exact, or estimated from the ``sources`` NetworkX would have sampled (Brandes & Pich
    2007), counting ordered pairs as NetworkX does."""
    n = graph.vcount()
    if n < 3:
        return [0.0] * n
    weights = "weight" if weighted else None
    if sources is None:
        raw = graph.betweenness(directed=False, weights=weights)
        return [2 * value / ((n - 1) * (n - 2)) for value in raw]
    k = len(sources)
    mutual = graph.as_directed(mode="mutual")  # count ordered (s, t) pairs, as networkx does
    raw = mutual.betweenness(sources=list(sources), targets=None, directed=True, weights=weights)
    in_sample = set(sources)
    source_scale = 1 / ((k - 1) * (n - 2)) if k > 1 else float("nan")
    other_scale = 1 / (k * (n - 2))
    return [
        value * (source_scale if vertex in in_sample else other_scale)
        for vertex, value in enumerate(raw)
    ]


def power_iteration(
    graph: Any, *, weight: str | None = "weight", max_iter: int = 10_000, tol: float = 1e-10
) -> list[float]:
    """``networkx.eigenvector_centrality``'s iteration (x <- (A + I) x, unit norm, from the
    uniform vector) on the weighted adjacency matrix: the same fixed point, at compiled
    speed. On a connected graph it is the Perron vector that ARPACK returns.

    Examples
    --------
    >>> graph, _ = to_igraph(nx.star_graph(3), "weight")
    >>> [round(x, 4) for x in power_iteration(graph)]
    [0.7071, 0.4082, 0.4082, 0.4082]
    """
    import numpy as np

    n = graph.vcount()
    if graph.ecount() == 0:
        return [0.0] * n
    A = graph.get_adjacency_sparse(attribute=weight)
    x = np.full(n, 1 / n)
    for _ in range(max_iter):
        last = x
        x = last + A @ last
        x = x / (np.linalg.norm(x) or 1.0)
        if np.abs(x - last).sum() < n * tol:
            return [float(v) for v in x]
    raise nx.PowerIterationFailedConvergence(max_iter)


def scores(
    n: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float] | None,
    metrics: Sequence[str],
    sources: Sequence[int] | None = None,
) -> dict[str, list[float]]:
    """The ``metrics`` of :func:`graph_analytics.centrality.centrality` for the vertices
    ``0..n-1`` of an undirected weighted edge list, normalised as NetworkX.

    Closeness: igraph averages over the reachable vertices only; NetworkX's Wasserman-Faust
    scaling multiplies by ``(r - 1) / (n - 1)`` with ``r`` the size of the vertex's
    component. Betweenness counts hops and is exact unless ``sources`` are given. Without
    ``weights`` every tie weighs 1.

    Examples
    --------
    >>> found = scores(3, [(0, 1), (1, 2)], [1.0, 2.0], ["degree", "weighted_degree"])
    >>> found["degree"], found["weighted_degree"]
    ([0.5, 1.0, 0.5], [1.0, 3.0, 2.0])
    """
    graph = _graph(n, edges, weights)
    weight = "weight" if weights is not None else None
    results: dict[str, list[float]] = {}
    for metric in metrics:
        if metric == "degree":
            scale = 1 / (n - 1) if n > 1 else 1.0
            results[metric] = [d * scale for d in graph.degree()]
        elif metric == "weighted_degree":
            results[metric] = [float(s) for s in graph.strength(weights=weight)]
        elif metric == "betweenness":
            results[metric] = betweenness_values(graph, sources, weighted=False)
        elif metric == "closeness":
            components = graph.connected_components()
            sizes, membership = components.sizes(), components.membership
            raw = graph.closeness(normalized=True)
            results[metric] = [
                0.0 if sizes[c] < 2 else value * (sizes[c] - 1) / (n - 1)
                for value, c in zip(raw, membership, strict=True)
            ]
        elif metric == "harmonic":
            results[metric] = [float(v) for v in graph.harmonic_centrality(normalized=False)]
        elif metric == "eigenvector":
            results[metric] = power_iteration(graph, weight=weight)
        elif metric == "pagerank":
            results[metric] = graph.pagerank(damping=0.85, directed=False, weights=weight)
        else:
            raise ValueError(f"unknown metric {metric!r}")
    return results


def leiden_membership(
    n: int,
    edges: Sequence[tuple[int, int]],
    weights: Sequence[float] | None,
    resolution: float,
    seed: int | None,
    iterations: int,
) -> list[int]:
    """The Leiden community of each vertex ``0..n-1`` (igraph's numbering), maximising
    modularity at ``resolution``; ``iterations`` < 0 runs until the partition is stable.
    For :func:`graph_analytics.communities.detect_communities`, here or in another process."""

    graph = _graph(n, edges, weights)
    with seeded_igraph(seed):
        clustering = graph.community_leiden(
            objective_function="modularity",
            weights="weight" if weights is not None else None,
            resolution=resolution,
            n_iterations=iterations,
        )
    return list(clustering.membership)
