"""Turn stored rows into the NetworkX graph that analytics work on (DESIGN.md sections 2, 5)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from app.vocabulary import Kind, RelType

__all__ = ["EDGE_ATTRIBUTES", "build_graph"]

#: Relationship properties copied onto NetworkX edges.
EDGE_ATTRIBUTES: tuple[str, ...] = ("weight", "since", "until", "evidence")


def build_graph(
    organizations: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    *,
    include_clusters: bool = False,
    memberships: Iterable[Mapping[str, Any]] | None = None,
) -> nx.MultiDiGraph:
    """Build a directed multigraph, one edge per stored relationship, keyed by its type.

    Nodes carry every stored property plus ``clusters`` (the ids of the clusters the
    organization is a MEMBER_OF, sorted). Unless ``include_clusters`` is true, Cluster nodes
    and MEMBER_OF edges are left out, because membership hubs would dominate every
    centrality; the membership survives as the ``clusters`` attribute. ``memberships``
    (rows with ``source`` and ``target``) gives that attribute when the MEMBER_OF rows among
    ``relationships`` are not all of them (a filtered view).

    Examples
    --------
    >>> orgs = [{"id": "a", "kind": "company"}, {"id": "c", "kind": "cluster"}]
    >>> rels = [{"source": "a", "type": "MEMBER_OF", "target": "c", "weight": 1.0}]
    >>> g = build_graph(orgs, rels)
    >>> list(g.nodes(data="clusters"))
    [('a', ['c'])]
    """
    graph = nx.MultiDiGraph()
    for org in organizations:
        if not include_clusters and org.get("kind") == Kind.CLUSTER:
            continue
        attrs = {k: v for k, v in org.items() if k != "id"}
        attrs["clusters"] = []
        graph.add_node(org["id"], **attrs)
    member_of: dict[str, list[str]] = {}
    for rel in relationships:
        source, target, rel_type = rel["source"], rel["target"], rel["type"]
        if rel_type == RelType.MEMBER_OF:
            if memberships is None:
                member_of.setdefault(source, []).append(target)
            if not include_clusters:
                continue
        if source not in graph or target not in graph:
            continue  # an endpoint outside this view
        attrs = {k: rel.get(k) for k in EDGE_ATTRIBUTES}
        graph.add_edge(source, target, key=rel_type, type=rel_type, **attrs)
    for row in memberships or ():
        member_of.setdefault(row["source"], []).append(row["target"])
    for org_id, clusters in member_of.items():
        if org_id in graph:
            graph.nodes[org_id]["clusters"] = sorted(clusters)
    return graph
