"""From EcoMap's typed multigraph to the simple networks that the algorithms are defined on."""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

__all__ = ["collaboration_network"]


def collaboration_network(
    G: nx.Graph,
    *,
    weight: str = "weight",
    rel_types: Iterable[str] | None = None,
) -> nx.Graph:
    """Collapse a (multi)graph of typed, directed ties into a simple undirected weighted graph.

    Two organizations are adjacent when any relationship joins them, in either direction; the
    edge weight is the sum of the weights of those relationships (a missing weight counts as
    1), and the edge keeps the sorted list of their ``types``. Self-loops are dropped. Every
    node and its attributes are kept, isolated ones included.

    Parameters
    ----------
    G : NetworkX graph
        Typically the ``MultiDiGraph`` of ``GraphStore.subgraph``: edge keys or the ``type``
        attribute name the relationship type.
    weight : str
        Edge attribute read, and written, as the weight.
    rel_types : iterable of str, optional
        Only relationships of these types; ``None`` takes all.

    Returns
    -------
    networkx.Graph

    Examples
    --------
    >>> M = nx.MultiDiGraph()
    >>> M.add_edge("a", "b", key="SUPPLIES", type="SUPPLIES", weight=2.0)
    'SUPPLIES'
    >>> M.add_edge("b", "a", key="FUNDS", type="FUNDS", weight=1.0)
    'FUNDS'
    >>> G = collaboration_network(M)
    >>> G["a"]["b"]
    {'weight': 3.0, 'types': ['FUNDS', 'SUPPLIES']}
    """
    wanted = set(rel_types) if rel_types is not None else None
    simple = nx.Graph()
    simple.add_nodes_from(G.nodes(data=True))
    edges = G.edges(keys=True, data=True) if G.is_multigraph() else G.edges(data=True)
    for edge in edges:
        u, v, attrs = edge[0], edge[1], edge[-1]
        if u == v:
            continue
        rel_type = attrs.get("type", edge[2] if G.is_multigraph() else None)
        if wanted is not None and rel_type not in wanted:
            continue
        value = attrs.get(weight)
        value = 1.0 if value is None else float(value)
        if simple.has_edge(u, v):
            data = simple[u][v]
            data[weight] += value
            if rel_type is not None and rel_type not in data["types"]:
                data["types"] = sorted([*data["types"], rel_type])
        else:
            simple.add_edge(u, v, **{weight: value, "types": [rel_type] if rel_type else []})
    return simple
