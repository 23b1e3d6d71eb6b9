"""Walks over Neo4j: ego networks and shortest paths, breadth-first, one statement per level
driven from Python (:func:`app.store.neo4j_tx.walk` says why), within the walk budget.

The walk half of :class:`~app.store.neo4j.Neo4jStore`, as :mod:`app.store.embedded_explore`
is the embedded store's.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, TypeVar

from app.store.base import PathResult, Subgraph
from app.store.explore import (
    assemble_ego,
    on_shortest_paths,
    path_frame,
    paths_between,
    select_members,
)
from app.store.neo4j_tx import Row, q, require, rows, walk, walk_parameters
from app.vocabulary import RelType

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["Neo4jWalks"]

T = TypeVar("T")


class Neo4jWalks:
    """Ego networks and shortest paths over Neo4j."""

    max_nodes: int
    max_walk: int

    if TYPE_CHECKING:

        def _read(self, work: Callable[[ManagedTransaction], T]) -> T: ...

    def ego_network(
        self,
        org_id: str,
        *,
        hops: int = 1,
        rel_types: Sequence[RelType] = (),
        include_clusters: bool = False,
    ) -> Subgraph:
        if hops not in (1, 2, 3):
            raise ValueError(f"hops must be 1, 2 or 3, got {hops!r}")
        along = walk_parameters(rel_types, include_clusters)

        def work(tx: ManagedTransaction) -> tuple[dict[str, int], bool, list[list[Row]]]:
            start = require(tx, org_id)[org_id]
            reached = walk(
                tx, start, hops, along, cap=self.max_nodes, budget=self.max_walk,
                what=f"the ego network of {org_id!r}",
            )  # fmt: skip
            members = ((i, distance) for i, (_, distance) in reached.items())
            distances, truncated = select_members(org_id, members, self.max_nodes)
            ids = {"element_ids": [start, *(reached[i][0] for i in distances if i != org_id)]}
            fetched = [
                rows(tx, q(name), ids)
                for name in (
                    "organizations_by_element_id",
                    "relationships_among_elements",
                    "memberships_by_element_id",
                )
            ]
            return distances, truncated, fetched

        distances, truncated, (organizations, relationships, memberships) = self._read(work)
        graph = assemble_ego(
            organizations,
            relationships,
            memberships,
            distances,
            include_clusters=include_clusters,
            rel_types=[RelType(t).value for t in rel_types],
        )
        return Subgraph(graph=graph, truncated=truncated, limit=self.max_nodes)

    def shortest_paths(
        self,
        source: str,
        target: str,
        *,
        max_length: int = 6,
        rel_types: Sequence[RelType] = (),
        include_clusters: bool = False,
        limit: int = 100,
    ) -> PathResult:
        """See :meth:`GraphStore.shortest_paths`. A BFS from ``source`` stops at the level
        that reaches ``target`` (length L); a BFS back from ``target`` keeps only the nodes
        whose two distances add up to L, the nodes of the shortest paths, which
        :func:`~app.store.explore.paths_between` then strings together."""
        along = walk_parameters(rel_types, include_clusters)
        types = {RelType(t).value for t in rel_types}

        def work(tx: ManagedTransaction) -> PathResult:
            located = require(tx, source, target)
            result = path_frame(source, target, max_length, limit)
            if result.paths:
                return result
            what = f"the path search from {source!r} to {target!r}"
            forward = walk(
                tx, located[source], max_length, along, stop=target, budget=self.max_walk,
                what=what,
            )  # fmt: skip
            if target not in forward:
                return result
            length = forward[target][1]
            from_source = {i: distance for i, (_, distance) in forward.items()}
            on_side = {source: 0, **from_source}
            backward = walk(
                tx, located[target], length, along, keep=lambda i, d: on_side.get(i) == length - d
            )
            from_target = {i: distance for i, (_, distance) in backward.items()}
            element_ids = {**{i: e for i, (e, _) in forward.items()}, **located}
            on_path = on_shortest_paths(source, target, from_source, from_target)
            among = rows(
                tx,
                q("relationships_among_elements"),
                {"element_ids": [element_ids[i] for i in sorted(on_path)]},
            )
            among = [r for r in among if not types or r["type"] in types]
            result.paths, result.truncated = paths_between(
                source, target, from_source, from_target, among, limit=limit
            )
            return result

        return self._read(work)
