"""The exploration service: list, read and walk organizations, and count the store (the
writes are :mod:`app.services.editing`'s).

Routes and CLI commands call these functions and nothing of the store. The
``*_answer`` helpers make the typed answer (:mod:`app.results`) of a store's result, which
the CLI prints and the API returns.

Graphs use the node-link shape of ``networkx.node_link_data`` (``{"nodes": [...],
"links": [...]}``) with EcoMap's field names, so ``nx.node_link_graph(data, edges="links")``
rebuilds them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import networkx as nx

from app.changes import RelKey
from app.domain import Organization, Relationship, StoreCounts
from app.errors import NotFoundError
from app.filters import FilterSpec
from app.results import EgoGraph, GraphData, OrganizationsPage, OtherEnd, Paths, Tie, TiesPage
from app.services.hints import unknown_id_hint
from app.store.base import GraphStore, OrganizationPage, PathResult, Subgraph
from app.vocabulary import RelType

__all__ = [
    "ego_answer",
    "ego_network",
    "get_organization",
    "get_relationship",
    "graph_json",
    "list_organizations",
    "page_answer",
    "path_text",
    "paths_answer",
    "shortest_paths",
    "stats",
    "subgraph",
    "subgraph_answer",
    "ties_of",
]


def list_organizations(
    store: GraphStore, spec: FilterSpec, *, offset: int = 0, limit: int = 50
) -> OrganizationPage:
    """The organizations that match ``spec``, sorted by id, ``limit`` from ``offset``."""
    return store.list_organizations(spec, offset=offset, limit=limit)


def get_organization(store: GraphStore, org_id: str) -> Organization:
    """The organization with this id.

    Raises
    ------
    NotFoundError
        If there is none.
    """
    try:
        return store.get_organization(org_id)
    except NotFoundError as exc:
        raise NotFoundError(f"{exc}{unknown_id_hint(store, org_id)}") from None


def get_relationship(store: GraphStore, key: RelKey) -> Relationship:
    """The relationship ``key`` (source, type, target; a symmetric one named in either
    direction), as stored.

    Raises
    ------
    NotFoundError
        If there is none.
    """
    found = store.relationships_by_key([key])
    if not found:
        source, rel_type, target = key
        raise NotFoundError(f"no {rel_type} relationship from {source!r} to {target!r}")
    return next(iter(found.values()))


def ego_network(
    store: GraphStore,
    org_id: str,
    *,
    hops: int = 1,
    rel_types: Sequence[RelType] = (),
    include_clusters: bool = False,
) -> Subgraph:
    """``org_id`` and everyone within ``hops`` relationships of it, with the relationships
    among them (see :meth:`app.store.base.GraphStore.ego_network`)."""
    try:
        return store.ego_network(
            org_id, hops=hops, rel_types=rel_types, include_clusters=include_clusters
        )
    except NotFoundError as exc:
        raise NotFoundError(f"{exc}{unknown_id_hint(store, org_id)}") from None


def ties_of(store: GraphStore, org_id: str, *, offset: int = 0, limit: int = 200) -> TiesPage:
    """One page of an organization's relationships, read in one session: its cluster
    memberships first, then by type and the other end's name (then id), each with that
    other end; ``by_type`` counts every one (:class:`~app.results.TiesPage`).

    Raises
    ------
    NotFoundError
        If there is no organization with this id.
    """
    with store.read_session() as view:
        get_organization(view, org_id)
        rels = view.relationships_of([org_id])
        ends = {r.target if r.source == org_id else r.source for r in rels}
        others = view.organizations_by_id(ends)

    def other(rel: Relationship) -> str:
        return rel.target if rel.source == org_id else rel.source

    def order(rel: Relationship) -> tuple[bool, str, str, str]:
        end = others.get(other(rel))
        name = end.name.casefold() if end is not None else ""
        return (rel.type != RelType.MEMBER_OF, rel.type.value, name, other(rel))

    ranked = sorted(rels, key=order)
    page = ranked[offset : offset + limit]
    items = []
    for rel in page:
        end = others[other(rel)]
        items.append(
            Tie(**rel.model_dump(), other=OtherEnd(id=end.id, name=end.name, kind=end.kind))
        )
    return TiesPage(
        organization=org_id,
        total=len(ranked),
        by_type=dict(Counter(r.type.value for r in ranked)),
        offset=offset,
        limit=limit,
        has_more=offset + limit < len(ranked),
        items=items,
    )


def shortest_paths(
    store: GraphStore,
    source: str,
    target: str,
    *,
    max_length: int = 6,
    rel_types: Sequence[RelType] = (),
    include_clusters: bool = False,
    limit: int = 20,
) -> PathResult:
    """Every shortest path (at most ``limit``) of at most ``max_length`` relationships
    between two organizations (see :meth:`app.store.base.GraphStore.shortest_paths`)."""
    return store.shortest_paths(
        source,
        target,
        max_length=max_length,
        rel_types=rel_types,
        include_clusters=include_clusters,
        limit=limit,
    )


def subgraph(
    store: GraphStore, spec: FilterSpec, *, include_clusters: bool = False, collapsed: bool = False
) -> Subgraph:
    """The organizations ``spec`` selects and the relationships among them (``collapsed``:
    the weighted organization-to-organization network, memberships as ``clusters``)."""
    if collapsed:
        return store.subgraph(spec, collapsed=True)
    return store.subgraph(spec, include_clusters=include_clusters)


def stats(store: GraphStore) -> StoreCounts:
    """Organizations and relationships, in all, by kind and by type."""
    return store.counts()


def page_answer(page: OrganizationPage) -> OrganizationsPage:
    """One page of organizations: ``items``, ``offset``, ``limit``, ``has_more``, ``total``."""
    return OrganizationsPage(
        items=page.items,
        offset=page.offset,
        limit=page.limit,
        has_more=page.has_more,
        total=page.total,
    )


def graph_json(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Nodes (sorted by id, every attribute) and links (sorted by source, type, target).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", name="A")
    >>> g.add_edge("a", "a2", key="SUPPLIES", type="SUPPLIES", weight=2.0)
    'SUPPLIES'
    >>> graph_json(g)["links"]
    [{'source': 'a', 'target': 'a2', 'type': 'SUPPLIES', 'weight': 2.0}]
    """
    nodes = [{"id": node, **attrs} for node, attrs in sorted(graph.nodes(data=True))]
    links = [
        {"source": u, "target": v, **attrs}
        for u, v, _, attrs in sorted(graph.edges(keys=True, data=True), key=lambda e: e[:3])
    ]
    return {"directed": True, "multigraph": True, "nodes": nodes, "links": links}


def subgraph_answer(result: Subgraph) -> GraphData:
    """A subgraph with its truncation flag and node cap."""
    return GraphData(**graph_json(result.graph), truncated=result.truncated, limit=result.limit)


def ego_answer(result: Subgraph, *, center: str, hops: int) -> EgoGraph:
    """An ego network: the subgraph around ``center``, ``hops`` steps out."""
    return EgoGraph(
        center=center,
        hops=hops,
        **graph_json(result.graph),
        truncated=result.truncated,
        limit=result.limit,
    )


def paths_answer(result: PathResult) -> Paths:
    """All shortest paths, each as its nodes, relationship types and directions."""
    return Paths.model_validate(
        {
            "source": result.source,
            "target": result.target,
            "length": result.length,
            "max_length": result.max_length,
            "paths": [
                {"nodes": p.nodes, "types": p.types, "directions": p.directions}
                for p in result.paths
            ],
            "truncated": result.truncated,
            "limit": result.limit,
        }
    )


def path_text(nodes: list[str], types: list[str], directions: list[str]) -> str:
    """``a -[SUPPLIES]-> b <-[FUNDS]- c``

    Examples
    --------
    >>> path_text(["a", "b", "c"], ["SUPPLIES", "FUNDS"], ["->", "<-"])
    'a -[SUPPLIES]-> b <-[FUNDS]- c'
    """
    parts = [nodes[0]]
    for node, rel_type, direction in zip(nodes[1:], types, directions, strict=True):
        arrow = f"-[{rel_type}]->" if direction == "->" else f"<-[{rel_type}]-"
        parts += [arrow, node]
    return " ".join(parts)
