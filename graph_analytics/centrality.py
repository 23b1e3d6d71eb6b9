"""Centrality: who holds the ecosystem together.

NetworkX is the reference implementation and its normalisation conventions are kept;
``engine="igraph"`` computes every metric with compiled code (python-igraph, and SciPy's
sparse matrices for eigenvector centrality), 10-100 times faster, and the tests hold both
engines to the same values.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Hashable, Iterable, Mapping
from concurrent.futures import Executor
from typing import Any, Literal, get_args

import networkx as nx

from graph_analytics.compiled import betweenness_values, edge_list, scores, to_igraph

__all__ = ["METRICS", "Engine", "Metric", "betweenness", "centrality", "pagerank", "top"]

Engine = Literal["networkx", "igraph"]
Metric = Literal[
    "degree", "weighted_degree", "betweenness", "closeness", "harmonic", "eigenvector",
    "pagerank",
]  # fmt: skip
#: Every metric :func:`centrality` computes, in report order.
METRICS: tuple[str, ...] = get_args(Metric)


def _sampled(nodes: list[Hashable], k: int, seed: int | None) -> list[int]:
    """Positions of the ``k`` sources ``networkx.betweenness_centrality`` samples."""
    index = {node: i for i, node in enumerate(nodes)}
    return [index[node] for node in random.Random(seed).sample(nodes, k)]


def betweenness(
    G: nx.Graph,
    *,
    k: int | None = None,
    seed: int | None = None,
    weight: str | None = None,
    engine: Engine = "networkx",
) -> dict[Hashable, float]:
    """Normalised shortest-path betweenness, exact or estimated from ``k`` sampled sources.

    Values follow ``networkx.betweenness_centrality(G, k=k, normalized=True, weight=weight,
    seed=seed)``, with either engine: for the same ``seed`` both sample the same sources.

    Parameters
    ----------
    G : networkx.Graph
        Undirected graph.
    k : int, optional
        Number of sampled source nodes (Brandes & Pich 2007); ``None`` is exact.
    seed : int, optional
        Seed of the source sample.
    weight : str, optional
        Edge attribute used as a path length; ``None`` counts hops.
    engine : {"networkx", "igraph"}

    Examples
    --------
    >>> G = nx.path_graph(3)
    >>> betweenness(G)
    {0: 0.0, 1: 1.0, 2: 0.0}

    References
    ----------
    .. [1] U. Brandes, "A faster algorithm for betweenness centrality", Journal of
       Mathematical Sociology 25(2), 163-177, 2001.
    .. [2] U. Brandes and C. Pich, "Centrality estimation in large networks", International
       Journal of Bifurcation and Chaos 17(7), 2303-2318, 2007.
    """
    if engine == "networkx":
        return dict(nx.betweenness_centrality(G, k=k, normalized=True, weight=weight, seed=seed))
    graph, nodes = to_igraph(G, weight)
    sources = None if k is None else _sampled(nodes, k, seed)
    values = betweenness_values(graph, sources, weighted=weight is not None)
    return dict(zip(nodes, values, strict=True))


def pagerank(
    G: nx.Graph, *, alpha: float = 0.85, weight: str | None = "weight", engine: Engine = "networkx"
) -> dict[Hashable, float]:
    """PageRank (Brin & Page 1998) with damping ``alpha``, as ``networkx.pagerank``.

    Examples
    --------
    >>> scores = pagerank(nx.star_graph(3))
    >>> max(scores, key=scores.get)
    0

    References
    ----------
    .. [1] S. Brin and L. Page, "The anatomy of a large-scale hypertextual Web search
       engine", Computer Networks and ISDN Systems 30(1-7), 107-117, 1998.
    """
    if engine == "networkx":
        return dict(nx.pagerank(G, alpha=alpha, weight=weight))
    graph, nodes = to_igraph(G, weight)
    values = graph.pagerank(
        damping=alpha, directed=False, weights="weight" if weight is not None else None
    )
    return dict(zip(nodes, values, strict=True))


def centrality(
    G: nx.Graph,
    metrics: Iterable[str] | None = None,
    *,
    weight: str = "weight",
    k: int | None = None,
    seed: int | None = None,
    engine: Engine = "networkx",
    executor: Executor | None = None,
) -> dict[str, dict[Hashable, float]]:
    """Several centralities at once, each with NetworkX's normalisation.

    With ``engine="igraph"`` every metric is computed by compiled code from one conversion
    (:mod:`graph_analytics.compiled`), in ``executor`` if one is given: a process pool lets
    a server's other threads run meanwhile, since igraph holds the interpreter lock.

    ``degree`` is the share of other nodes adjacent (Freeman 1978); ``weighted_degree`` the
    sum of tie weights; ``betweenness`` see :func:`betweenness`; ``closeness`` (Wasserman &
    Faust 1994, scaled for disconnected graphs) and ``harmonic`` (Marchiori & Latora 2000)
    count hops; ``eigenvector`` (Bonacich 1987) and ``pagerank`` use tie weights.

    Examples
    --------
    >>> scores = centrality(nx.path_graph(3), ["degree", "closeness"])
    >>> scores["degree"][1], round(scores["closeness"][0], 3)
    (1.0, 0.667)

    References
    ----------
    .. [1] L. C. Freeman, "Centrality in social networks conceptual clarification", Social
       Networks 1(3), 215-239, 1978.
    .. [2] S. Wasserman and K. Faust, Social Network Analysis, Cambridge University Press,
       1994.
    .. [3] M. Marchiori and V. Latora, "Harmony in the small-world", Physica A 285,
       539-546, 2000.
    .. [4] P. Bonacich, "Power and centrality: a family of measures", American Journal of
       Sociology 92(5), 1170-1182, 1987.
    """
    wanted = list(metrics) if metrics is not None else list(METRICS)
    unknown = [m for m in wanted if m not in METRICS]
    if unknown:
        raise ValueError(f"unknown metric {unknown[0]!r}; choose from {', '.join(METRICS)}")
    if engine == "igraph":
        return _compiled(G, wanted, weight=weight, k=k, seed=seed, executor=executor)
    results: dict[str, dict[Hashable, float]] = {}
    for metric in wanted:
        if metric == "degree":
            results[metric] = dict(nx.degree_centrality(G))
        elif metric == "weighted_degree":
            results[metric] = {n: float(d) for n, d in G.degree(weight=weight)}
        elif metric == "betweenness":
            results[metric] = betweenness(G, k=k, seed=seed)
        elif metric == "closeness":
            results[metric] = dict(nx.closeness_centrality(G))
        elif metric == "harmonic":
            results[metric] = {n: float(v) for n, v in nx.harmonic_centrality(G).items()}
        elif metric == "eigenvector":
            results[metric] = _eigenvector(G, weight)
        else:
            results[metric] = pagerank(G, weight=weight)
    return results


def _compiled(
    G: nx.Graph,
    wanted: list[str],
    *,
    weight: str,
    k: int | None,
    seed: int | None,
    executor: Executor | None,
) -> dict[str, dict[Hashable, float]]:
    """:func:`centrality` by :func:`graph_analytics.compiled.scores`, here or in ``executor``."""
    if len(G) == 0:
        return {metric: {} for metric in wanted}
    nodes, edges, weights = edge_list(G, weight)
    sources = None if k is None or "betweenness" not in wanted else _sampled(nodes, k, seed)
    task = (len(nodes), edges, weights, wanted, sources)
    found = executor.submit(scores, *task).result() if executor is not None else scores(*task)
    return {metric: dict(zip(nodes, found[metric], strict=True)) for metric in wanted}


def _eigenvector(G: nx.Graph, weight: str) -> dict[Hashable, float]:
    """Eigenvector centrality; exact (ARPACK) on a connected graph. On a disconnected one,
    where NetworkX's exact solver refuses, the power iteration from the uniform vector: the
    leading eigenvector lives on the component of largest eigenvalue and the others score
    (nearly) 0, as the definition says.

    Examples
    --------
    >>> G = nx.disjoint_union(nx.complete_graph(4), nx.path_graph(3))
    >>> scores = _eigenvector(G, "weight")
    >>> [round(scores[n], 3) for n in (0, 4)]
    [0.5, 0.0]
    """
    if G.number_of_edges() == 0:
        return dict.fromkeys(G, 0.0)
    if nx.is_connected(G):
        return dict(nx.eigenvector_centrality_numpy(G, weight=weight))
    return dict(nx.eigenvector_centrality(G, weight=weight, max_iter=10_000, tol=1e-10))


def top(
    scores: Mapping[Hashable, float],
    n: int | None = None,
    *,
    names: Mapping[Hashable, str] | None = None,
) -> list[dict[str, Any]]:
    """``[{"id", "name", "score"}]``, highest score first (ties by id), at most ``n``.

    Scores equal to 12 decimals count as tied, so that both engines rank alike.

    Examples
    --------
    >>> top({"a": 0.5, "b": 0.9, "c": 0.5}, 2, names={"b": "Beta"})
    [{'id': 'b', 'name': 'Beta', 'score': 0.9}, {'id': 'a', 'name': 'a', 'score': 0.5}]
    """

    def key(item: tuple[Hashable, float]) -> tuple[float, str]:
        return -round(item[1], 12), str(item[0])

    items = scores.items()
    ranked = sorted(items, key=key) if n is None else heapq.nsmallest(n, items, key=key)
    names = names or {}
    return [
        {"id": node, "name": names.get(node, str(node)), "score": score} for node, score in ranked
    ]
