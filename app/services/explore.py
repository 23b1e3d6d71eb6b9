"""Exploration results as JSON-ready dicts: one shape for the CLI's ``--json`` and the API.

Graphs use the node-link shape of ``networkx.node_link_data`` (``{"nodes": [...],
"links": [...]}``) with EcoMap's field names, so ``nx.node_link_graph(data, edges="links")``
rebuilds them.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from app.store.base import PathResult, Subgraph

__all__ = ["graph_json", "path_text", "paths_json", "subgraph_json"]


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


def subgraph_json(result: Subgraph, **context: Any) -> dict[str, Any]:
    """A subgraph with its truncation flag and node cap (plus any ``context`` fields)."""
    return {
        **context,
        **graph_json(result.graph),
        "truncated": result.truncated,
        "limit": result.limit,
    }


def paths_json(result: PathResult) -> dict[str, Any]:
    """All shortest paths, each as its nodes, relationship types and directions."""
    return {
        "source": result.source,
        "target": result.target,
        "length": result.length,
        "max_length": result.max_length,
        "paths": [
            {"nodes": p.nodes, "types": p.types, "directions": p.directions} for p in result.paths
        ],
        "truncated": result.truncated,
        "limit": result.limit,
    }


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
