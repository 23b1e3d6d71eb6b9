"""Smaller maps of large networks: groups as super-nodes, clusters of clusters, the top nodes.

A map of tens of thousands of organizations is unreadable; these functions build the graphs
drawn instead. Ties are counted the same way throughout: a tie is a distinct unordered pair
of different nodes that some edge joins, so directions, parallel edges (a ``MultiGraph``'s
several relationship types) and self-loops do not change any count.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from itertools import combinations, product
from typing import Any

import networkx as nx

from app.process_state import paused_gc

__all__ = ["aggregate", "cluster_graph", "top_nodes"]

#: How many member names ``aggregate`` keeps as a sample.
SAMPLE_SIZE = 5


def _key(node: Hashable) -> tuple[str, str, str]:
    """Sort key that does not depend on insertion order or on nodes being comparable."""
    return (str(node), type(node).__name__, repr(node))


def _ties(G: nx.Graph) -> list[tuple[Any, Any]]:
    """Each distinct unordered pair of different adjacent nodes, once."""
    if not G.is_directed() and not G.is_multigraph():
        return [(u, v) for u, v in G.edges() if u != v]
    seen: set[frozenset[Any]] = set()
    ties = []
    for u, v in G.edges():
        pair = frozenset((u, v))
        if u != v and pair not in seen:
            seen.add(pair)
            ties.append((u, v))
    return ties


def _ordered(pair: Iterable[Hashable]) -> tuple[Any, Any]:
    """An unordered pair as a tuple in ``_key`` order."""
    first, second = sorted(pair, key=_key)
    return first, second


def aggregate(
    G: nx.Graph,
    membership: Mapping[Any, Hashable],
    *,
    labels: Mapping[Any, str] | None = None,
) -> nx.Graph:
    """One node per group, joined by the number of ties between the groups.

    Parameters
    ----------
    G : NetworkX graph
        Any graph; directed and multigraph inputs are read as their distinct unordered
        adjacent pairs (a pair joined in both directions, or by several edges, is one tie).
        Self-loops are ignored.
    membership : mapping
        ``{node: group}``; groups may be any hashable. Nodes of ``G`` missing from it, and
        keys that are not nodes of ``G``, are ignored.
    labels : mapping, optional
        ``{group: label}``; a group missing from it is labelled ``str(group)``.

    Returns
    -------
    networkx.Graph
        Nodes are the groups (largest first, then by ``str``), with ``members`` (how many
        nodes), ``internal_ties`` (ties with both ends in the group), ``label`` and ``sample``
        (up to five member names, the ``name`` attribute or else ``str`` of the id, highest
        degree first, ties by id). An edge joins two groups with ``weight`` = the number of
        ties between them.

    Examples
    --------
    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "d"), ("d", "e")])
    >>> nx.set_node_attributes(G, {"a": "Acme"}, "name")
    >>> A = aggregate(G, {"a": "x", "b": "x", "c": "y", "d": "y", "e": "z"})
    >>> A.nodes["x"]
    {'members': 2, 'internal_ties': 1, 'label': 'x', 'sample': ['Acme', 'b']}
    >>> sorted((u, v, w) for u, v, w in A.edges(data="weight"))
    [('x', 'y', 2), ('y', 'z', 1)]
    """
    ties = _ties(G)
    degree: Mapping[Any, int]
    if G.is_directed() or G.is_multigraph() or nx.number_of_selfloops(G):
        counted: Counter[Any] = Counter()
        for u, v in ties:
            counted[u] += 1
            counted[v] += 1
        degree = counted
    else:
        degree = dict(G.degree())
    groups: dict[Hashable, list[Any]] = defaultdict(list)
    for node in G:
        if node in membership:
            groups[membership[node]].append(node)
    internal: Counter[Hashable] = Counter()
    crossing: Counter[tuple[Any, Any]] = Counter()  # (a, b) as met; merged below
    with paused_gc():
        for u, v in ties:
            if u not in membership or v not in membership:
                continue
            a, b = membership[u], membership[v]
            if a == b:
                internal[a] += 1
            else:
                crossing[a, b] += 1
    between: Counter[tuple[Any, Any]] = Counter()
    for pair, count in crossing.items():
        between[_ordered(pair)] += count

    A = nx.Graph()
    for group in sorted(groups, key=lambda g: (-len(groups[g]), _key(g))):
        members = heapq.nsmallest(SAMPLE_SIZE, groups[group], key=lambda n: (-degree[n], _key(n)))
        A.add_node(
            group,
            members=len(groups[group]),
            internal_ties=internal[group],
            label=labels[group] if labels is not None and group in labels else str(group),
            sample=[G.nodes[n].get("name") or str(n) for n in members[:SAMPLE_SIZE]],
        )
    for (a, b), count in sorted(
        between.items(), key=lambda item: (_key(item[0][0]), _key(item[0][1]))
    ):
        A.add_edge(a, b, weight=count)
    return A


def _clusters_of(data: Mapping[str, Any]) -> set[Any]:
    """The clusters a node lists (a single string counts as one)."""
    listed = data.get("clusters")
    if not listed:
        return set()
    if isinstance(listed, str):
        return {listed}
    return set(listed)


def cluster_graph(G: nx.Graph) -> nx.Graph:
    """The clusters of clusters: declared clusters joined by their members' ties.

    The clusters are every value found in the ``clusters`` lists of the nodes, and every
    node whose ``kind`` is ``"cluster"``. Ties are distinct unordered pairs of adjacent
    organizations (directions, parallel edges and self-loops do not count), and ties
    incident to a cluster node itself (a ``kind == "cluster"`` node, or a node whose id is a
    cluster id, e.g. the ``MEMBER_OF`` edges) are left out. Write ``C(u)`` for the clusters
    node ``u`` lists; a tie ``(u, v)``

    * adds 1 to the ``internal_ties`` of each cluster in both ``C(u)`` and ``C(v)``;
    * adds 1 to the ``weight`` of each distinct unordered pair ``{A, B}``, ``A != B``, with
      ``A`` in ``C(u)`` and ``B`` in ``C(v)`` (or the other way round), once however many
      ways it arises. A tie between two members of both ``A`` and ``B`` counts as internal
      to each and also joins ``A`` and ``B``.

    Parameters
    ----------
    G : NetworkX graph
        Organizations with ``kind``, ``name`` and ``clusters`` (a list of cluster ids).

    Returns
    -------
    networkx.Graph
        Nodes are the cluster ids (most members first, then by ``str``) with ``members``
        (how many nodes list the cluster), ``label`` (the cluster node's ``name`` if it is a
        node of ``G``, otherwise ``str`` of the id) and ``internal_ties``. Two clusters are
        joined when some tie or some shared member connects them, with ``weight`` (ties, as
        above) and ``shared_members`` (how many nodes list both).

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_node("cl-mech", kind="cluster", name="Mechatronics")
    >>> G.add_node("a", kind="company", clusters=["cl-mech"])
    >>> G.add_node("b", kind="company", clusters=["cl-mech", "cl-auto"])
    >>> G.add_node("c", kind="company", clusters=["cl-auto"])
    >>> G.add_edges_from([("a", "b"), ("b", "c"), ("a", "cl-mech")])
    >>> C = cluster_graph(G)
    >>> C.nodes["cl-mech"]
    {'members': 2, 'label': 'Mechatronics', 'internal_ties': 1}
    >>> C.edges["cl-mech", "cl-auto"]
    {'weight': 2, 'shared_members': 1}
    """
    listed = {node: _clusters_of(data) for node, data in G.nodes(data=True)}
    clusters: set[Any] = set().union(*listed.values())
    clusters |= {node for node, kind in G.nodes(data="kind") if kind == "cluster"}
    members: Counter[Any] = Counter()
    shared: Counter[tuple[Any, Any]] = Counter()
    for own in listed.values():
        members.update(own)
        shared.update(_ordered(pair) for pair in combinations(own, 2))
    internal: Counter[Any] = Counter()
    weight: Counter[tuple[Any, Any]] = Counter()
    for u, v in _ties(G):
        if u in clusters or v in clusters:
            continue
        if G.nodes[u].get("kind") == "cluster" or G.nodes[v].get("kind") == "cluster":
            continue
        internal.update(listed[u] & listed[v])
        weight.update({_ordered((a, b)) for a, b in product(listed[u], listed[v]) if a != b})

    C = nx.Graph()
    for cluster in sorted(clusters, key=lambda c: (-members[c], _key(c))):
        name = G.nodes[cluster].get("name") if cluster in G else None
        C.add_node(
            cluster,
            members=members[cluster],
            label=name or str(cluster),
            internal_ties=internal[cluster],
        )
    for a, b in sorted(set(weight) | set(shared), key=lambda p: (_key(p[0]), _key(p[1]))):
        C.add_edge(a, b, weight=weight[a, b], shared_members=shared[a, b])
    return C


def top_nodes(G: nx.Graph, scores: Mapping[Any, float], n: int) -> nx.Graph:
    """The subgraph induced by the ``n`` best-scoring nodes, as a copy.

    Nodes of ``G`` without a score are never chosen, and scores of nodes not in ``G`` are
    ignored. Equal scores are broken by ``str`` of the node id, ascending.

    Parameters
    ----------
    G : NetworkX graph
    scores : mapping
        ``{node: score}``, higher is better.
    n : int
        How many nodes to keep (all scored nodes if there are fewer; none if ``n <= 0``).

    Returns
    -------
    NetworkX graph
        Of the same class as ``G``, with all attributes of the kept nodes and of the edges
        among them.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c", "d"])
    >>> sorted(top_nodes(G, {"a": 1.0, "b": 3.0, "c": 2.0, "d": 2.0}, 2).edges())  # c before d
    [('b', 'c')]
    """
    scored = [node for node in G if node in scores]
    scored.sort(key=lambda node: (-scores[node], _key(node)))
    return G.subgraph(scored[: max(n, 0)]).copy()
