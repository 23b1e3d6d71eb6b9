"""Turn stored rows into the NetworkX graph that analytics work on (DESIGN.md sections 2, 5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from app.process_state import paused_gc
from app.vocabulary import RELATIONSHIP_CONTENT, Kind, RelType

__all__ = ["EDGE_ATTRIBUTES", "RelationshipRow", "build_graph", "build_graph_from_rows"]

#: Relationship properties copied onto NetworkX edges.
EDGE_ATTRIBUTES: tuple[str, ...] = RELATIONSHIP_CONTENT


def build_graph(
    organizations: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    *,
    include_clusters: bool = False,
    memberships: Iterable[Mapping[str, Any]] | None = None,
    collapsed: bool = False,
) -> nx.Graph:
    """Build a directed multigraph, one edge per stored relationship, keyed by its type.

    Nodes carry every stored property plus ``clusters`` (the ids of the clusters the
    organization is a MEMBER_OF, sorted). Unless ``include_clusters`` is true, Cluster nodes
    and MEMBER_OF edges are left out, because membership hubs would dominate every
    centrality; the membership survives as the ``clusters`` attribute. ``memberships``
    (rows with ``source`` and ``target``) gives that attribute when the MEMBER_OF rows among
    ``relationships`` are not all of them (a filtered view). ``collapsed`` builds the
    collaboration network instead (``graph_analytics.collaboration_network`` of the
    multigraph, without making the multigraph first).

    Examples
    --------
    >>> orgs = [{"id": "a", "kind": "company"}, {"id": "c", "kind": "cluster"}]
    >>> rels = [{"source": "a", "type": "MEMBER_OF", "target": "c", "weight": 1.0}]
    >>> g = build_graph(orgs, rels)
    >>> list(g.nodes(data="clusters"))
    [('a', ['c'])]
    """
    rows = (
        (r["source"], r["type"], r["target"], r.get("weight"), r.get("since"), r.get("until"),
         r.get("evidence"))
        for r in relationships
    )  # fmt: skip
    return build_graph_from_rows(
        organizations,
        rows,
        include_clusters=include_clusters,
        memberships=memberships,
        collapsed=collapsed,
    )


#: (source, type, target, weight, since, until, evidence)
RelationshipRow = tuple[str, str, str, Any, Any, Any, Any]


def build_graph_from_rows(
    organizations: Iterable[Mapping[str, Any]],
    relationships: Iterable[RelationshipRow],
    *,
    include_clusters: bool = False,
    memberships: Iterable[Mapping[str, Any]] | None = None,
    collapsed: bool = False,
) -> nx.Graph:
    """:func:`build_graph` for relationships given as tuples in :data:`RelationshipRow` order
    (straight from columns, without a dict per row)."""
    with paused_gc():  # a million container objects, none of them garbage
        nodes, edges = _build(
            organizations, relationships, include_clusters, memberships, collapsed
        )
        return _collapsed(nodes, edges) if collapsed else _multidigraph(nodes, edges)


def _build(
    organizations: Iterable[Mapping[str, Any]],
    relationships: Iterable[RelationshipRow],
    include_clusters: bool,
    memberships: Iterable[Mapping[str, Any]] | None,
    bare: bool = False,
) -> tuple[dict[str, dict[str, Any]], list[tuple[str, str, str, Any]]]:
    """Node attributes by id, and edges ``(source, target, type, attributes)``; with
    ``bare``, the weight stands in for the attribute dict (all the collaboration network
    reads: a million fewer dicts on a large graph)."""
    nodes: dict[str, dict[str, Any]] = {}
    for org in organizations:
        if include_clusters or org.get("kind") != Kind.CLUSTER:
            attrs = dict(org)
            node = attrs.pop("id")
            attrs["clusters"] = []
            nodes[node] = attrs
    member_of: dict[str, list[str]] = {}
    edges: list[tuple[str, str, str, Any]] = []
    for source, rel_type, target, weight, since, until, evidence in relationships:
        if rel_type == RelType.MEMBER_OF:
            if memberships is None:
                member_of.setdefault(source, []).append(target)
            if not include_clusters:
                continue
        if source in nodes and target in nodes:  # else an endpoint outside this view
            if bare:
                edges.append((source, target, rel_type, weight))
                continue
            attrs = {"type": rel_type, "weight": weight, "since": since, "until": until,
                     "evidence": evidence}  # fmt: skip
            edges.append((source, target, rel_type, attrs))
    for row in memberships or ():
        member_of.setdefault(row["source"], []).append(row["target"])
    for org_id, clusters in member_of.items():
        if org_id in nodes:
            nodes[org_id]["clusters"] = sorted(clusters)
    return nodes, edges


def _multidigraph(
    nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str, Any]]
) -> nx.MultiDiGraph:
    """``MultiDiGraph`` with these nodes and keyed edges, built 2-3x faster than
    ``add_edges_from`` by filling NetworkX's adjacency dicts directly, the way ``add_edge``
    does (``succ[u][v]`` and ``pred[v][u]`` share one key dict). ``tests/test_graph.py``
    holds it equal to the public-API build."""
    succ: dict[str, dict[str, dict[str, Any]]] = {node: {} for node in nodes}
    pred: dict[str, dict[str, dict[str, Any]]] = {node: {} for node in nodes}
    for source, target, key, attrs in edges:
        keys = succ[source].get(target)
        if keys is None:
            keys = succ[source][target] = pred[target][source] = {}
        keys[key] = attrs
    graph = nx.MultiDiGraph()
    graph._node.update(nodes)
    graph._succ = graph._adj = succ
    graph._pred = pred
    return graph


def _collapsed(
    nodes: dict[str, dict[str, Any]], edges: list[tuple[str, str, str, Any]]
) -> nx.Graph:
    """The collaboration network of these nodes and edges, equal to
    ``graph_analytics.collaboration_network`` of the multigraph, neighbour order included
    (community detection depends on it): summed weights (missing = 1), sorted ``types``, no
    self-loops. ``tests/test_graph.py`` holds the two equal."""
    succ: dict[str, dict[str, list[tuple[str, Any]]]] = {node: {} for node in nodes}
    for source, target, rel_type, weight in edges:  # bare edges: the weight, no dict
        succ[source].setdefault(target, []).append((rel_type, weight))
    adj: dict[str, dict[str, dict[str, Any]]] = {node: {} for node in nodes}
    for source, targets in succ.items():
        for target, ties in targets.items():
            if source == target:
                continue
            for rel_type, weight in ties:
                value = 1.0 if weight is None else float(weight)
                data = adj[source].get(target)
                if data is None:
                    data = {"weight": value, "types": [rel_type]}
                    adj[source][target] = adj[target][source] = data
                else:
                    data["weight"] += value
                    if rel_type not in data["types"]:
                        data["types"] = sorted([*data["types"], rel_type])
    graph = nx.Graph()
    graph._node.update(nodes)
    graph._adj = adj
    return graph
