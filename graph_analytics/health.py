"""Cluster health: how cohesive, open, balanced and robust a cluster's network is.

``cluster_health`` summarises the network of a set of members (a declared cluster, a
community, or the whole graph) in one JSON-friendly dict: size and cohesion, openness to the
rest of the ecosystem (E-I index), the mix of industry, academia and government ties (triple
helix), how much the members rely on a few brokers to reach each other, and the k-core
profile.
"""

from __future__ import annotations

import random
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

import networkx as nx

__all__ = ["ACADEMIA_TYPES", "GOVERNMENT_TYPES", "SECTORS", "cluster_health", "sector"]

SECTORS: tuple[str, ...] = ("industry", "academia", "government", "other")
ACADEMIA_TYPES = frozenset({"university", "research_institute"})
GOVERNMENT_TYPES = frozenset({"government", "development_agency"})


def _text(value: Any) -> str | None:
    value = getattr(value, "value", value)  # enum members count by their value
    return value.lower() if isinstance(value, str) else None


def sector(attrs: Mapping[str, Any]) -> str:
    """Triple-helix sector of an organization from its ``kind`` and ``type``.

    ``industry`` for ``kind`` company; ``academia`` for type university or
    research_institute; ``government`` for type government or development_agency; ``other``
    for everything else (clusters, associations, investors, incubators, unknown).

    Examples
    --------
    >>> sector({"kind": "company", "type": "sme"}), sector({"type": "university"})
    ('industry', 'academia')
    >>> sector({"kind": "institution", "type": "development_agency"}), sector({})
    ('government', 'other')
    """
    if _text(attrs.get("kind")) == "company":
        return "industry"
    org_type = _text(attrs.get("type"))
    if org_type in ACADEMIA_TYPES:
        return "academia"
    if org_type in GOVERNMENT_TYPES:
        return "government"
    return "other"


def _ordered(G: nx.Graph, nodes: Iterable[Hashable]) -> list[Any]:
    chosen = list(nodes)
    try:
        return sorted(chosen)
    except TypeError:
        position = {node: i for i, node in enumerate(G)}
        return sorted(chosen, key=position.__getitem__)


def _bfs(H: nx.Graph, source: Hashable, removed: frozenset[Hashable]) -> tuple[dict, dict]:
    """Hop distances and numbers of shortest paths from ``source``, avoiding ``removed``."""
    dist = {source: 0}
    sigma = {source: 1}
    queue = deque([source])
    while queue:
        v = queue.popleft()
        for w in H[v]:
            if w in removed:
                continue
            if w not in dist:
                dist[w] = dist[v] + 1
                sigma[w] = 0
                queue.append(w)
            if dist[w] == dist[v] + 1:
                sigma[w] += sigma[v]
    return dist, sigma


def _path_share(
    H: nx.Graph, brokers: Sequence[Hashable], sources: Iterable[Hashable]
) -> float | None:
    """Mean over connected ordered pairs (s, t) of non-brokers, s in ``sources``, of the
    fraction of shortest s-t paths with a broker inside."""
    group = frozenset(brokers)
    total, pairs = 0.0, 0
    for s in sources:
        dist, sigma = _bfs(H, s, frozenset())
        dist_out, sigma_out = _bfs(H, s, group)
        for t, d in dist.items():
            if t == s or t in group:
                continue
            pairs += 1
            avoiding = sigma_out[t] if dist_out.get(t) == d else 0
            total += 1 - avoiding / sigma[t]
    return total / pairs if pairs else None


def cluster_health(
    G: nx.Graph,
    members: Iterable[Hashable] | None = None,
    *,
    top_brokers: int = 3,
    seed: int | None = None,
    max_exact: int = 1000,
    samples: int = 200,
) -> dict[str, Any]:
    """Health indicators of a cluster's network, or of the whole graph.

    The members' network is the subgraph of ``G`` induced by ``members``; everything below is
    computed on it, except the E-I index, which also looks at ties leaving it. Ties count
    once whatever their weight; paths are counted in hops.

    - ``nodes``, ``ties``, ``density`` (``None`` below 2 members) and ``mean_clustering``
      (``networkx.average_clustering``, zeros included [1]_; ``None`` without members).
    - ``components``: ``{"count", "largest_share"}``, the share of members in the largest
      connected piece; ``isolates``: members without a tie to another member, sorted.
    - ``ei_index`` [2]_: ``(E - I) / (E + I)`` with ``E`` the ties from members to
      non-members and ``I`` the ties among members (``external_ties``, ``internal_ties``);
      -1 for a closed group, +1 for a group whose ties all point outside, ``None`` without
      ties. On the whole graph it is -1 (or ``None``).
    - ``triple_helix`` [3]_: ``{"counts": {pair: n}, "shares": {pair: float | None}}`` over
      the ties among members, by the sectors of their ends (see :func:`sector`); the pairs
      are ``"industry-industry"``, ``"industry-academia"``, ... in the order of
      ``SECTORS``, all ten always present.
    - ``brokers``: the ``top_brokers`` members of highest betweenness [4]_ in the members'
      network (ties broken by id; only members with a positive betweenness), as
      ``top: [{"id", "betweenness"}]``; ``path_share``: over the pairs of other members
      that are connected, the mean fraction of their shortest paths that pass through at
      least one of them (normalised group betweenness [5]_; ``None`` without such a
      pair, 0.0 with no broker); ``components_without_top``: the number of connected pieces
      (isolated members included) the members' network falls into once the single
      highest-betweenness member is removed (``None`` with no broker). With more than
      ``max_exact`` members, betweenness and path share are estimated from ``samples``
      source members drawn with ``seed`` (Brandes & Pich [6]_), and ``estimated`` is true.
    - ``k_core``: ``{k: number of members in the k-core}`` for ``k = 1..`` the largest core
      number [7]_ (``{}`` without ties).

    Parameters
    ----------
    G : networkx.Graph
        Simple undirected graph (directed or multi graphs are collapsed with
        ``collaboration_network``); nodes may carry ``kind`` and ``type``.
    members : iterable, optional
        The cluster's nodes; nodes not in ``G`` are ignored. ``None`` takes every node.
    top_brokers : int
        How many brokers the path share is computed for.
    seed : int, optional
        Seed of the source sample for large member sets.
    max_exact : int
        Largest member count computed exactly.
    samples : int
        Number of sampled sources above ``max_exact``.

    Returns
    -------
    dict
        The keys above; JSON-friendly (``None`` where a value is undefined, never ``nan``),
        except that the ``k_core`` keys are ints.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 1)  # triangles 0-1-2 and 4-5-6 joined through 3
    >>> health = cluster_health(G, top_brokers=1)
    >>> health["nodes"], health["ties"], health["k_core"]
    (7, 8, {1: 7, 2: 7})
    >>> health["brokers"]["top"], health["brokers"]["path_share"]  # 9 of 15 pairs
    ([{'id': 3, 'betweenness': 0.6}], 0.6)
    >>> health["brokers"]["components_without_top"], health["brokers"]["estimated"]
    (2, False)
    >>> cluster_health(G, [0, 1, 2])["ei_index"]  # 3 ties inside, 1 out
    -0.5

    References
    ----------
    .. [1] D. J. Watts and S. H. Strogatz, "Collective dynamics of 'small-world' networks",
       Nature 393, 440-442, 1998.
    .. [2] D. Krackhardt and R. N. Stern, "Informal networks and organizational crises: an
       experimental simulation", Social Psychology Quarterly 51(2), 123-140, 1988.
    .. [3] H. Etzkowitz and L. Leydesdorff, "The dynamics of innovation: from National
       Systems and 'Mode 2' to a Triple Helix of university-industry-government relations",
       Research Policy 29(2), 109-123, 2000.
    .. [4] L. C. Freeman, "A set of measures of centrality based on betweenness",
       Sociometry 40(1), 35-41, 1977.
    .. [5] M. G. Everett and S. P. Borgatti, "The centrality of groups and classes", Journal
       of Mathematical Sociology 23(3), 181-201, 1999.
    .. [6] U. Brandes and C. Pich, "Centrality estimation in large networks", International
       Journal of Bifurcation and Chaos 17(7), 2303-2318, 2007.
    .. [7] V. Batagelj and M. Zaversnik, "An O(m) algorithm for cores decomposition of
       networks", arXiv cs/0310049, 2003.
    """
    if G.is_directed() or G.is_multigraph():
        from graph_analytics.convert import collaboration_network

        G = collaboration_network(G)
    chosen = set(G) if members is None else {node for node in members if node in G}
    H = nx.Graph(G.subgraph(chosen))  # a copy, in G's node order
    H.remove_edges_from(list(nx.selfloop_edges(H)))
    n, ties = H.number_of_nodes(), H.number_of_edges()

    external = sum(1 for u in chosen for v in G[u] if v not in chosen)
    pieces = list(nx.connected_components(H))

    pair_names = [f"{a}-{b}" for i, a in enumerate(SECTORS) for b in SECTORS[i:]]
    counts = dict.fromkeys(pair_names, 0)
    sectors = {node: sector(attrs) for node, attrs in H.nodes(data=True)}
    for u, v in H.edges():
        a, b = sorted((sectors[u], sectors[v]), key=SECTORS.index)
        counts[f"{a}-{b}"] += 1

    core = nx.core_number(H) if ties else {}
    max_core = max(core.values(), default=0)

    return {
        "nodes": n,
        "ties": ties,
        "density": float(nx.density(H)) if n > 1 else None,
        "mean_clustering": float(nx.average_clustering(H)) if n else None,
        "components": {
            "count": len(pieces),
            "largest_share": max(map(len, pieces)) / n if n else None,
        },
        "isolates": _ordered(G, nx.isolates(H)),
        "ei_index": (external - ties) / (external + ties) if external + ties else None,
        "internal_ties": ties,
        "external_ties": external,
        "triple_helix": {
            "counts": counts,
            "shares": {pair: (c / ties if ties else None) for pair, c in counts.items()},
        },
        "brokers": _brokers(H, top_brokers, seed, max_exact, samples),
        "k_core": {k: sum(1 for c in core.values() if c >= k) for k in range(1, max_core + 1)},
    }


def _brokers(
    H: nx.Graph, top_brokers: int, seed: int | None, max_exact: int, samples: int
) -> dict[str, Any]:
    n = len(H)
    estimated = n > max_exact
    rng = random.Random(seed)
    k = min(samples, n) if estimated else None
    scores = nx.betweenness_centrality(H, k=k, seed=rng.randrange(2**32) if k else None)
    position = {node: i for i, node in enumerate(H)}
    positive = sorted(
        (node for node, score in scores.items() if score > 0),
        key=lambda node: (-scores[node], position[node]),
    )
    ranked = positive[: max(top_brokers, 0)]
    others = [node for node in H if node not in set(ranked)]
    sources = rng.sample(others, min(samples, len(others))) if estimated else others
    without_top = None
    if positive:
        rest = H.subgraph(node for node in H if node != positive[0])
        without_top = nx.number_connected_components(rest)
    return {
        "top": [{"id": node, "betweenness": float(scores[node])} for node in ranked],
        "path_share": _path_share(H, ranked, sources),
        "components_without_top": without_top,
        "estimated": estimated,
    }
