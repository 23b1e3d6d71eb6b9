"""Assemble ego networks and paths from query rows, and bound the walks that find them; shared
by both stores (no database here).

Walk budget: an ego network or a path search walks breadth-first, one level (hop) at a time,
on both backends. Once the organizations reached exceed :data:`WALK_BUDGET` (a store's
``max_walk``), the walk stops and :func:`check_walk` raises ``BudgetExceededError``: a 3-hop
ego network around a hub of a 50,000-organization graph reaches most of it, and four such
requests at once used to fill LadybugDB's buffer pool (issue 13).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

import networkx as nx

from app.errors import BudgetExceededError
from app.store.base import GraphPath, PathResult
from app.store.graph import build_graph
from app.store.queries import MAX_PATH_LENGTH

__all__ = [
    "WALK_BUDGET",
    "assemble_ego",
    "check_walk",
    "on_shortest_paths",
    "path_frame",
    "paths_between",
    "select_members",
]

#: Most organizations an ego walk or a path search may reach (its start not counted).
WALK_BUDGET = 10_000


def check_walk(reached: int, budget: int, *, walk: str, hops: int) -> None:
    """Raise ``BudgetExceededError`` when a walk ``hops`` deep reached more than ``budget``
    organizations; the message names the budget and how to narrow the walk.

    Examples
    --------
    >>> check_walk(10, 10, walk="the ego network of 'a'", hops=2)
    >>> check_walk(11, 10, walk="the ego network of 'a'", hops=2)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    app.errors.BudgetExceededError: the ego network of 'a' reaches more than 10 organizations ...
    """
    if reached > budget:
        raise BudgetExceededError(
            f"{walk} reaches more than {budget} organizations within {hops} "
            f"hop{'s' if hops != 1 else ''} (the walk budget); ask for fewer hops, or follow "
            "fewer relationship types"
        )


def select_members(
    center: str, members: Iterable[tuple[str, int]], limit: int
) -> tuple[dict[str, int], bool]:
    """Distances of the organizations kept in an ego network, nearest first.

    The center (distance 0) is always kept; then members by (distance, id) up to ``limit``
    nodes in all. Returns the kept distances and whether anything was cut.

    Examples
    --------
    >>> select_members("a", [("c", 2), ("b", 1), ("d", 1)], limit=3)
    ({'a': 0, 'b': 1, 'd': 1}, True)
    """
    ranked = sorted((d, i) for i, d in members if i != center)
    kept = {center: 0} | {i: d for d, i in ranked[: max(limit - 1, 0)]}
    return kept, len(ranked) + 1 > limit


def assemble_ego(
    organizations: Iterable[Mapping[str, Any]],
    relationships: Iterable[Mapping[str, Any]],
    memberships: Iterable[Mapping[str, Any]],
    distances: Mapping[str, int],
    *,
    include_clusters: bool,
    rel_types: Sequence[str] = (),
) -> nx.MultiDiGraph:
    """The induced subgraph on ``distances``' keys; nodes get a ``distance`` attribute.

    ``relationships`` may include edges leaving the member set (they are dropped) and, when
    ``rel_types`` is given, edges of other types (dropped too). Whatever order the rows come
    in, nodes are added nearest first, then by id, and edges by (source, type, target): the
    same graph, iteration order included, from either store.
    """
    wanted = set(rel_types)
    inside = sorted(
        (
            r
            for r in relationships
            if r["source"] in distances
            and r["target"] in distances
            and (not wanted or r["type"] in wanted)
        ),
        key=itemgetter("source", "type", "target"),
    )
    ordered = sorted(
        (o for o in organizations if o["id"] in distances),
        key=lambda o: (distances[o["id"]], o["id"]),
    )
    graph = build_graph(ordered, inside, include_clusters=include_clusters, memberships=memberships)
    for node, distance in distances.items():
        if node in graph:
            graph.nodes[node]["distance"] = distance
    return graph


def path_frame(source: str, target: str, max_length: int, limit: int) -> PathResult:
    """The answer of a path search before any walk: from an organization to itself, its one
    path of no step (already complete), else no path yet. ``ValueError`` for a
    ``max_length`` outside 1 to ``MAX_PATH_LENGTH`` (walk depths are spliced into Cypher).

    Examples
    --------
    >>> path_frame("a", "a", 6, 10).paths[0].nodes, path_frame("a", "b", 6, 10).paths
    (['a'], [])
    """
    result = PathResult(source, target, max_length, [], truncated=False, limit=limit)
    if source == target:
        result.paths.append(GraphPath(nodes=[source], types=[], directions=[]))
    elif isinstance(max_length, bool) or not 1 <= max_length <= MAX_PATH_LENGTH:
        raise ValueError(
            f"max_length must be an integer from 1 to {MAX_PATH_LENGTH}, got {max_length!r}"
        )
    return result


def on_shortest_paths(
    source: str,
    target: str,
    distances_from_source: Mapping[str, int],
    distances_from_target: Mapping[str, int],
) -> set[str]:
    """The nodes of the shortest paths: their distances from both ends add up to the
    shortest length (empty when ``target`` was not reached).

    Examples
    --------
    >>> sorted(on_shortest_paths("a", "c", {"b": 1, "c": 2, "x": 1}, {"b": 1, "a": 2, "x": 3}))
    ['a', 'b', 'c']
    """
    from_source = {source: 0, **distances_from_source}
    from_target = {target: 0, **distances_from_target}
    length = from_source.get(target)
    if length is None:
        return set()
    return {n for n, d in from_source.items() if d + from_target.get(n, length + 1) == length}


def paths_between(
    source: str,
    target: str,
    distances_from_source: Mapping[str, int],
    distances_from_target: Mapping[str, int],
    relationships: Iterable[Mapping[str, Any]],
    *,
    limit: int,
) -> tuple[list[GraphPath], bool]:
    """Every shortest path from ``source`` to ``target`` (at most ``limit``), and whether more
    exist.

    The distances come from two breadth-first walks, one from each end. A node lies on a
    shortest path exactly when its two distances add up to the shortest length; a step goes
    from distance d to d + 1. ``relationships`` must contain the relationships among those
    nodes (more are ignored). Parallel relationships give one path each, as in Cypher.

    Examples
    --------
    >>> rels = [{"source": "a", "target": "b", "type": "SUPPLIES"},
    ...         {"source": "c", "target": "b", "type": "FUNDS"}]
    >>> paths, cut = paths_between("a", "c", {"a": 0, "b": 1, "c": 2},
    ...                            {"c": 0, "b": 1, "a": 2}, rels, limit=10)
    >>> paths[0]
    GraphPath(nodes=['a', 'b', 'c'], types=['SUPPLIES', 'FUNDS'], directions=['->', '<-'])
    """
    from_source = {source: 0, **distances_from_source}
    on_path = on_shortest_paths(source, target, distances_from_source, distances_from_target)
    if not on_path:
        return [], False
    steps: dict[str, list[tuple[str, str, str]]] = {}
    for rel in relationships:
        u, v, rel_type = rel["source"], rel["target"], rel["type"]
        if u not in on_path or v not in on_path:
            continue
        if from_source[v] == from_source[u] + 1:
            steps.setdefault(u, []).append((v, rel_type, "->"))
        elif from_source[u] == from_source[v] + 1:
            steps.setdefault(v, []).append((u, rel_type, "<-"))
    paths: list[GraphPath] = []
    stack: list[tuple[str, list[str], list[str], list[str]]] = [(source, [source], [], [])]
    while stack and len(paths) <= limit:
        node, nodes, types, directions = stack.pop()
        if node == target:
            paths.append(GraphPath(nodes=nodes, types=types, directions=directions))
            continue
        for nxt, rel_type, direction in sorted(steps.get(node, ()), reverse=True):
            stack.append((nxt, [*nodes, nxt], [*types, rel_type], [*directions, direction]))
    return paths[:limit], len(paths) > limit
