"""Missing-link prediction: neighbourhood similarity scores, suggested new ties, AUC evaluation.

The five local similarity indices follow NetworkX's definitions (``common_neighbors``,
``jaccard_coefficient``, ``adamic_adar_index``, ``resource_allocation_index``,
``preferential_attachment``) on an undirected simple graph; self-loops are ignored.
Neighbour sets and degrees are computed once per call, so scoring many pairs is cheap.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from typing import Any, Literal, get_args

import networkx as nx

__all__ = ["LINK_METHODS", "LinkMethod", "score_pairs", "suggest_links"]

LinkMethod = Literal["cn", "jaccard", "aa", "ra", "pa"]
#: Method names accepted by ``score_pairs``, ``suggest_links`` and
#: ``graph_analytics.link_evaluation.evaluate_auc``.
LINK_METHODS: tuple[str, ...] = get_args(LinkMethod)

Neighbours = Mapping[Hashable, set[Hashable]]


class _NeighbourSets(dict[Hashable, set[Hashable]]):
    """Neighbour set of each node without self-loops, built on first use.

    Scoring one organization's candidates touches a few thousand nodes of a large graph, so
    the sets are made when first asked for rather than for every node up front.
    """

    def __init__(self, G: nx.Graph) -> None:
        super().__init__()
        self._adj = G.adj

    def __missing__(self, node: Hashable) -> set[Hashable]:
        found = {v for v in self._adj[node] if v != node}
        self[node] = found
        return found


def _neighbours(G: nx.Graph) -> _NeighbourSets:
    if G.is_directed() or G.is_multigraph():
        raise nx.NetworkXNotImplemented("link prediction is defined on undirected simple graphs")
    return _NeighbourSets(G)


def _scorer(method: str, nbrs: Neighbours) -> Callable[[Hashable, Hashable], float]:
    if method == "cn":
        return lambda u, v: float(len(nbrs[u] & nbrs[v]))
    if method == "jaccard":

        def jaccard(u: Hashable, v: Hashable) -> float:
            union = len(nbrs[u] | nbrs[v])
            return len(nbrs[u] & nbrs[v]) / union if union else 0.0

        return jaccard
    if method == "aa":
        return lambda u, v: sum(1 / math.log(len(nbrs[w])) for w in nbrs[u] & nbrs[v])
    if method == "ra":
        return lambda u, v: sum(1 / len(nbrs[w]) for w in nbrs[u] & nbrs[v])
    if method == "pa":
        return lambda u, v: float(len(nbrs[u]) * len(nbrs[v]))
    raise ValueError(f"unknown method {method!r}; expected one of {', '.join(LINK_METHODS)}")


def score_pairs(
    G: nx.Graph, pairs: Iterable[tuple[Hashable, Hashable]], *, method: str = "ra"
) -> list[float]:
    """Similarity score of each node pair, for missing-link prediction.

    With :math:`\\Gamma(u)` the neighbours of :math:`u` and :math:`k_w` the degree of
    :math:`w`: common neighbours ``"cn"`` :math:`|\\Gamma(u) \\cap \\Gamma(v)|`; ``"jaccard"``
    :math:`|\\Gamma(u) \\cap \\Gamma(v)| / |\\Gamma(u) \\cup \\Gamma(v)|` (0 when both are
    isolated); Adamic-Adar ``"aa"`` :math:`\\sum_{w} 1 / \\log k_w`; resource allocation
    ``"ra"`` :math:`\\sum_{w} 1 / k_w` (sums over the common neighbours :math:`w`);
    preferential attachment ``"pa"`` :math:`k_u k_v`. These are NetworkX's definitions.

    Parameters
    ----------
    G : networkx.Graph
        Undirected simple graph; self-loops are ignored.
    pairs : iterable of (node, node)
        Pairs to score; adjacent pairs are scored like any other.
    method : {"cn", "jaccard", "aa", "ra", "pa"}

    Returns
    -------
    list of float
        One score per pair, in the order given.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])
    >>> score_pairs(G, [("a", "d"), ("b", "c")], method="cn")
    [2.0, 2.0]
    >>> score_pairs(G, [("a", "d"), ("a", "e")], method="jaccard")
    [0.6666666666666666, 0.0]
    >>> score_pairs(G, [("a", "d"), ("b", "e")], method="ra")
    [1.0, 0.3333333333333333]

    References
    ----------
    .. [1] D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social networks",
           J. Am. Soc. Inf. Sci. Technol. 58(7), 1019-1031 (2007).
    .. [2] T. Zhou, L. Lü, Y.-C. Zhang, "Predicting missing links via local information",
           Eur. Phys. J. B 71, 623-630 (2009).
    """
    score = _scorer(method, _neighbours(G))
    return [score(u, v) for u, v in pairs]


def _rank(G: nx.Graph) -> dict[Hashable, int]:
    """Position of every node in sorted order (graph order when ids are not comparable)."""
    try:
        ordered = sorted(G)
    except TypeError:
        ordered = list(G)
    return {node: i for i, node in enumerate(ordered)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _explain(
    G: nx.Graph, u: Hashable, v: Hashable, shared: list[Hashable], labels: Mapping[Hashable, str]
) -> dict[str, Any]:
    names = [str(labels.get(w, G.nodes[w].get("name", w))) for w in shared[:5]]
    parts = []
    if shared:
        listed = ", ".join(names) + (f" and {len(shared) - 5} more" if len(shared) > 5 else "")
        parts.append(f"{_plural(len(shared), 'shared partner')}: {listed}")
    else:
        parts.append(f"no shared partners; {G.degree(u)} and {G.degree(v)} ties")
    attrs_u, attrs_v = G.nodes[u], G.nodes[v]
    clusters_v = _as_list(attrs_v.get("clusters"))
    clusters = sorted({c for c in _as_list(attrs_u.get("clusters")) if c in clusters_v}, key=str)
    sectors_v = _as_list(attrs_v.get("sectors"))
    sectors = sorted({s for s in _as_list(attrs_u.get("sectors")) if s in sectors_v}, key=str)
    if clusters:
        word = "cluster" if len(clusters) == 1 else "clusters"
        shown = ", ".join(str(labels.get(c, c)) for c in clusters)
        parts.append(f"both in {word} {shown}")
    if sectors:
        word = "sector" if len(sectors) == 1 else "sectors"
        parts.append(f"shared {word} {', '.join(map(str, sectors))}")
    return {
        "reason": "; ".join(parts),
        "shared_partners": shared,
        "shared_clusters": clusters,
        "shared_sectors": sectors,
    }


def suggest_links(
    G: nx.Graph,
    *,
    method: str = "ra",
    top: int | None = 20,
    sources: Iterable[Hashable] | None = None,
    candidates: Callable[[Hashable], bool] | Collection[Hashable] | None = None,
    exclude_existing: bool = True,
    exclude_pairs: Iterable[Collection[Hashable]] | None = None,
    names: Mapping[Hashable, str] | None = None,
) -> list[dict[str, Any]]:
    """Best new ties: the highest-scoring node pairs, each with a plain-text reason.

    A pair is ``(s, t)`` with ``s`` in ``sources`` (all nodes when ``None``) and ``t`` accepted
    by ``candidates`` (a predicate or a set of nodes; all nodes when ``None``), either way
    round; each unordered pair appears once. One organization's best new partners:
    ``sources=[org]``. Companies to research institutions only: ``candidates`` = the set of
    institution nodes. Within one cluster: its members as both ``sources`` and ``candidates``.

    For ``"cn"``, ``"jaccard"``, ``"aa"`` and ``"ra"`` only pairs at distance 2 score above 0,
    so candidates are enumerated through two-hop neighbourhoods, never all :math:`n^2` pairs.
    ``"pa"`` scores every pair, so with ``sources`` each source walks the nodes in decreasing
    degree until it has ``top`` allowed partners (and those tied with the last), and without
    them pairs are taken in decreasing order of degree product (a best-first search over the
    degree-sorted nodes) until ``top`` pairs and all pairs tied with the last one are found;
    ``top=None`` with ``sources`` scores ``sources`` x all nodes. Pairs scoring 0 are never
    suggested.

    Parameters
    ----------
    G : networkx.Graph
        Undirected simple graph. Optional node attributes: ``name`` (see ``names``),
        ``clusters`` and ``sectors`` (lists), used in the reason.
    method : {"cn", "jaccard", "aa", "ra", "pa"}
        Score, see :func:`score_pairs`.
    top : int or None
        How many suggestions; ``None`` returns all (not allowed for ``"pa"`` without sources).
    sources, candidates
        Scope, see above.
    exclude_existing : bool
        Leave out pairs that are already adjacent (the default).
    exclude_pairs : iterable of node pairs, optional
        Unordered pairs never suggested, e.g. suggestions a person has dismissed: each a
        2-tuple or a frozenset of two nodes, in either order; nodes not in ``G`` are ignored.
    names : mapping, optional
        Display name of nodes in the reason; otherwise their ``name`` attribute, else the id.
        Shared clusters (values of the ``clusters`` attribute) are named from it too.

    Returns
    -------
    list of dict
        Highest score first, ties in (source, target) order (sorted node ids). Keys
        ``source``, ``target``, ``score``, ``reason``, ``shared_partners`` (node ids),
        ``shared_clusters`` and ``shared_sectors``. With ``sources`` given, ``source`` is one of
        them and ``target`` an accepted candidate.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])
    >>> G.nodes["b"]["name"] = "Beta"
    >>> G.add_nodes_from(["a", "d"], clusters=["cl-x"])
    >>> best = suggest_links(G, method="ra", top=2)
    >>> [(s["source"], s["target"], round(s["score"], 3)) for s in best]
    [('a', 'd', 1.0), ('b', 'c', 0.833)]
    >>> best[0]["reason"]
    '2 shared partners: Beta, c; both in cluster cl-x'
    >>> [s["target"] for s in suggest_links(G, sources=["e"])]
    ['b', 'c']
    >>> [(s["source"], s["target"]) for s in suggest_links(G, exclude_pairs=[("d", "a")])]
    [('b', 'c'), ('b', 'e'), ('c', 'e')]

    References
    ----------
    .. [1] D. Liben-Nowell, J. Kleinberg, "The link-prediction problem for social networks",
           J. Am. Soc. Inf. Sci. Technol. 58(7), 1019-1031 (2007).
    .. [2] T. Zhou, L. Lü, Y.-C. Zhang, "Predicting missing links via local information",
           Eur. Phys. J. B 71, 623-630 (2009).
    """
    nbrs = _neighbours(G)
    score = _scorer(method, nbrs)
    rank = _rank(G)
    source_set = set(G) if sources is None else {s for s in sources if s in G}
    if candidates is None:
        accept: Callable[[Hashable], bool] = lambda _node: True  # noqa: E731
    elif callable(candidates):
        accept = candidates
    else:
        accept = set(candidates).__contains__
    blocked = _blocked(exclude_pairs)

    def allowed(u: Hashable, v: Hashable) -> bool:
        if u == v or (exclude_existing and v in nbrs[u]):
            return False
        if blocked and v in blocked.get(u, ()):
            return False
        return (u in source_set and accept(v)) or (v in source_set and accept(u))

    pairs: set[tuple[Hashable, Hashable]] = set()
    if method != "pa":
        for s in source_set:
            for w in nbrs[s]:
                for t in nbrs[w]:
                    if allowed(s, t):
                        pairs.add((s, t) if rank[s] < rank[t] else (t, s))
        scored = [(score(u, v), u, v) for u, v in pairs]
    elif sources is not None and top is not None:
        scored = _best_by_degree(G, nbrs, rank, source_set, allowed, top)
    elif sources is not None:
        pairs = {(s, t) if rank[s] < rank[t] else (t, s) for s in source_set for t in G}
        scored = [(score(u, v), u, v) for u, v in pairs if allowed(u, v)]
    else:
        if top is None:
            raise ValueError('method="pa" needs sources or top')
        scored = _top_degree_pairs(nbrs, rank, allowed, top)

    def orient(u: Hashable, v: Hashable) -> tuple[Hashable, Hashable]:
        if sources is not None and not (u in source_set and accept(v)):
            return v, u
        return u, v

    results = []
    for value, u, v in scored:
        if value > 0:
            s, t = orient(u, v)
            results.append((-value, rank[s], rank[t], s, t, value))
    results.sort(key=lambda r: r[:3])
    out = []
    for _, _, _, s, t, value in results[:top] if top is not None else results:
        shared = sorted(nbrs[s] & nbrs[t], key=rank.__getitem__)
        why = _explain(G, s, t, shared, names or {})
        out.append({"source": s, "target": t, "score": value, **why})
    return out


def _blocked(pairs: Iterable[Collection[Hashable]] | None) -> dict[Hashable, set[Hashable]]:
    """Each node's partners in ``pairs`` (unordered: both ways), for a lookup without
    building a pair per test."""
    blocked: dict[Hashable, set[Hashable]] = {}
    for pair in pairs or ():
        ends = tuple(pair)
        if len(ends) != 2:
            raise ValueError(f"exclude_pairs holds {pair!r}, not a pair of two nodes")
        u, v = ends
        blocked.setdefault(u, set()).add(v)
        blocked.setdefault(v, set()).add(u)
    return blocked


def _best_by_degree(
    G: nx.Graph,
    nbrs: Neighbours,
    rank: Mapping[Hashable, int],
    sources: Iterable[Hashable],
    allowed: Callable[[Hashable, Hashable], bool],
    top: int,
) -> list[tuple[float, Hashable, Hashable]]:
    """Each source's ``top`` allowed partners of highest degree (and any tied with the last):
    a superset of the best ``top`` pairs by degree product, without scoring sources x nodes."""
    adj = G.adj
    degree = {n: len(adj[n]) - (n in adj[n]) for n in G}
    order = sorted(G, key=lambda n: (-degree[n], rank[n]))
    found: dict[tuple[Hashable, Hashable], float] = {}
    for s in sources:
        taken, last = 0, -1
        for t in order:
            if taken >= top and degree[t] < last:
                break
            if allowed(s, t):
                pair = (s, t) if rank[s] < rank[t] else (t, s)
                found[pair] = float(len(nbrs[s]) * len(nbrs[t]))
                taken, last = taken + 1, degree[t]
    return [(value, u, v) for (u, v), value in found.items()]


def _top_degree_pairs(
    nbrs: Neighbours,
    rank: Mapping[Hashable, int],
    allowed: Callable[[Hashable, Hashable], bool],
    top: int,
) -> list[tuple[float, Hashable, Hashable]]:
    """Allowed pairs in decreasing degree product, until ``top`` and all ties are found."""
    nodes = sorted(rank, key=lambda n: (-len(nbrs[n]), rank[n]))
    deg = [len(nbrs[n]) for n in nodes]
    heap = [(-deg[i] * deg[i + 1], i, i + 1) for i in range(len(nodes) - 1)]
    heapq.heapify(heap)
    found: list[tuple[float, Hashable, Hashable]] = []
    while heap:
        neg, i, j = heapq.heappop(heap)
        if (len(found) >= top and -neg < found[top - 1][0]) or neg == 0:
            break
        if j + 1 < len(nodes):
            heapq.heappush(heap, (-deg[i] * deg[j + 1], i, j + 1))
        u, v = nodes[i], nodes[j]
        if allowed(u, v):
            found.append((float(-neg), *((u, v) if rank[u] < rank[v] else (v, u))))
    return found
