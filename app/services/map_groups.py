"""The groups an aggregated map draws as circles, and opening one of them (a drill-down).

Above its node limit a map draws communities (or declared clusters) as circles
(:func:`map_groups`); ``MapOptions.drill`` names circles to open, outermost first, and
:func:`open_groups` keeps the members of each in turn, so that a click on a circle in the
explorer gives the map of exactly the organizations it counted.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any

import networkx as nx

from app.errors import NotFoundError
from app.services.deadline import checkpoint
from graph_analytics import detect_communities

__all__ = ["ISOLATED", "map_groups", "open_groups"]

#: The circle of organizations without ties when communities are aggregated.
ISOLATED = -1


def map_groups(
    collab: nx.Graph,
    aggregate_by: str,
    seed: int,
    names: Mapping[Hashable, str],
    executor: Executor | None,
) -> tuple[dict[Hashable, Any], dict[Any, str]]:
    """The groups an aggregated map draws as circles: each organization's group and each
    group's label. Communities are detected on the network in a canonical order (nodes and
    ties sorted), so that the same selection gives the same communities however it was read:
    a drill-down finds the circle that was clicked."""
    if aggregate_by == "community":
        ordered = nx.Graph()
        ordered.add_nodes_from(sorted(collab, key=str))
        ties = [(*sorted((u, v), key=str), w) for u, v, w in collab.edges(data="weight", default=1)]
        ordered.add_weighted_edges_from(sorted(ties, key=lambda t: (str(t[0]), str(t[1]))))
        found = detect_communities(ordered, seed=seed, max_iterations=2, executor=executor)
        membership: dict[Hashable, Any] = {  # numbered from 1, as the map labels them
            node: community + 1 if collab.degree(node) else ISOLATED
            for node, community in found.items()
        }
        labels = {c: f"Community {c}" for c in set(membership.values())}
        labels[ISOLATED] = "Organizations without ties"
        return membership, labels
    membership = {
        node: (clusters[0] if clusters else "(no cluster)")
        for node, clusters in collab.nodes(data="clusters", default=None)
        if collab.nodes[node].get("kind") != "cluster"
    }
    return membership, {c: names.get(c, str(c)) for c in set(membership.values())}


def open_groups(
    G: nx.MultiDiGraph,
    collab: nx.Graph,
    path: Sequence[str],
    aggregate_by: str,
    seed: int,
    names: Mapping[Hashable, str],
    executor: Executor | None,
) -> tuple[nx.MultiDiGraph, nx.Graph, list[str]]:
    """``G`` and its collaboration network ``collab`` cut down to the members of each circle
    of ``path`` in turn (a community number or a cluster id, as :func:`map_groups` names
    them), with a banner per step; ``NotFoundError`` for a circle the map does not have."""
    banners = []
    for group in path:
        membership, labels = map_groups(collab, aggregate_by, seed, names, executor)
        keep = [node for node, g in membership.items() if str(g) == group]
        if not keep:
            raise NotFoundError(f"no {aggregate_by} {group!r} in this map to open")
        label = next((labels[g] for g in labels if str(g) == group), group)
        banners.append(f"{label}: {len(keep):,} of {len(collab):,} organizations.")
        collab = collab.subgraph(keep).copy()
        G = G.subgraph(keep).copy()
        checkpoint()
    return G, collab, banners
