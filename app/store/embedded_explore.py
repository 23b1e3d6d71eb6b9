"""Reading views of an embedded store: filtered subgraphs, listings, ego networks, paths.

A mixin of :class:`app.store.embedded.EmbeddedStore`, kept apart from the write path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from itertools import repeat
from typing import TYPE_CHECKING, Any, Self

import networkx as nx
import pyarrow as pa
import pyarrow.compute as pc

from app.domain import Organization
from app.errors import NotFoundError
from app.fields import STORED
from app.filters import FilterSpec
from app.store.base import OrganizationPage, PathResult, Subgraph
from app.store.explore import (
    assemble_ego,
    check_walk,
    on_shortest_paths,
    path_frame,
    paths_between,
    select_members,
)
from app.store.filtering import (
    NO_MATCH,
    FilterRead,
    constraints_in_use,
    filter_parameters,
    filter_statement_name,
)
from app.store.graph import build_graph_from_rows
from app.store.lbug import columns as _columns
from app.store.lbug import iter_records as _iter_records
from app.store.lbug import q as _q
from app.store.lbug import records as _records
from app.store.paging import page_window
from app.vocabulary import RELATIONSHIP_CONTENT, Kind, RelType

__all__ = ["EmbeddedExploration"]

_EDGE_COLUMNS = ("source", "type", "target", *RELATIONSHIP_CONTENT)


def _edge_rows(relationships: pa.Table, collapsed: bool) -> Iterator[tuple[Any, ...]]:
    """Rows in ``RelationshipRow`` order; the collaboration network (``collapsed``) needs no
    dates or evidence, so those stay None instead of becoming a million Python strings."""
    if not collapsed:
        return zip(*_columns(relationships, _EDGE_COLUMNS), strict=True)
    ends = _columns(relationships, _EDGE_COLUMNS[:4])
    return zip(*ends, repeat(None), repeat(None), repeat(None))


class EmbeddedExploration:
    """Filters, listings, ego networks and shortest paths over LadybugDB."""

    max_nodes: int
    max_walk: int

    if TYPE_CHECKING:

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table: ...

        def _table_of(
            self, statement: str, parameters: dict[str, Any] | None = None
        ) -> pa.Table: ...

        def organization_kinds(self, ids: Iterable[str] | None = None) -> dict[str, Kind]: ...

        def read_session(self) -> AbstractContextManager[Self]: ...

    def to_networkx(self, *, include_clusters: bool = False) -> nx.MultiDiGraph:
        return self.subgraph(FilterSpec(), include_clusters=include_clusters).graph

    def _filter_parameters(self, spec: FilterSpec, include_clusters: bool) -> dict[str, Any]:
        sectors = self._table("stored_sectors")["sector"].to_pylist() if spec.sectors else []
        return filter_parameters(spec, stored_sectors=sectors, include_clusters=include_clusters)

    def _filtered(
        self, read: FilterRead, parameters: dict[str, Any], anchored: bool, variant: str = ""
    ) -> pa.Table:
        """Run the statement of a filtered ``read`` with the clauses of the constraints in use
        and no others (LadybugDB would evaluate even a clause true for every node). When
        ``anchored``, it starts from the clusters the filter names, which enforces membership
        without the clusters clause."""
        where = constraints_in_use(parameters) - ({"clusters"} if anchored else set())
        name = filter_statement_name(read, anchored=anchored, variant=variant)
        return self._table_of(_q(name, where=where), parameters)

    def subgraph(
        self,
        spec: FilterSpec,
        *,
        include_clusters: bool = False,
        collapsed: bool = False,
        brief: bool = False,
    ) -> Subgraph:
        limit = min(spec.limit or self.max_nodes, self.max_nodes)
        if spec.is_empty():
            # Everything: plain scans, memberships from the MEMBER_OF rows themselves.
            nodes = self._table("scan_organizations_brief" if brief else "scan_organizations")
            scan = "scan_ties" if collapsed else "scan_relationships"
            relationships, memberships = self._table(scan), None
        else:
            parameters = self._filter_parameters(spec, include_clusters)
            anchored = bool(spec.clusters)  # start from the clusters the filter names
            window = {**parameters, "offset": 0, "limit": limit + 1}
            variant = "brief" if brief else ""
            nodes = self._filtered("filter_organizations", window, anchored, variant)
            # the collaboration network (collapsed) needs no provenance columns
            variant = "ties" if collapsed else ""
            relationships = self._filtered("filter_outgoing", parameters, anchored, variant)
            is_member_of = pc.equal(relationships["type"], RelType.MEMBER_OF.value)
            memberships = _records(relationships.filter(is_member_of).select(["source", "target"]))
            if spec.rel_types:
                wanted = pa.array([t.value for t in spec.rel_types])
                relationships = relationships.filter(pc.is_in(relationships["type"], wanted))
        if not include_clusters:
            nodes = nodes.filter(pc.not_equal(nodes["kind"], Kind.CLUSTER.value))
        truncated = nodes.num_rows > limit
        # A canonical order: parallel scans return rows in varying order, and graph
        # algorithms (Leiden, Louvain) depend on insertion order even with a fixed seed.
        nodes = nodes.sort_by("id").slice(0, limit)
        relationships = relationships.sort_by(
            [("source", "ascending"), ("type", "ascending"), ("target", "ascending")]
        )
        graph = build_graph_from_rows(
            _iter_records(nodes),
            _edge_rows(relationships, collapsed),
            include_clusters=include_clusters,
            memberships=memberships,
            collapsed=collapsed,
        )
        return Subgraph(graph=graph, truncated=truncated, limit=limit)

    def list_organizations(
        self, spec: FilterSpec, *, offset: int = 0, limit: int = 100
    ) -> OrganizationPage:
        """See :meth:`GraphStore.list_organizations`: the matches are counted first, in the
        same read transaction, and the engine is sent a window inside them only
        (:func:`~app.store.paging.page_window`)."""
        page_window(offset, limit, 0)  # the arguments, checked before any read
        with self.read_session() as view:
            parameters = view._filter_parameters(spec, include_clusters=True)
            anchored = bool(spec.clusters)
            count = view._filtered("count_organizations", parameters, anchored)["count"][0].as_py()
            window, has_more = page_window(offset, limit, count)
            rows = []
            if window:
                page = {**parameters, "offset": offset, "limit": window}
                rows = view._filtered("filter_organizations", page, anchored).to_pylist()
        items = [Organization.model_validate(row, context=STORED) for row in rows]
        return OrganizationPage(items, offset=offset, limit=limit, has_more=has_more, total=count)

    def _kind_of(self, org_id: str) -> Kind:
        rows = self._table("kind_of", {"id": org_id})["kind"].to_pylist()
        if not rows:
            raise NotFoundError(f"no organization with id {org_id!r}")
        return Kind(rows[0])

    def _walk_parameters(
        self, rel_types: Sequence[RelType], include_clusters: bool
    ) -> dict[str, Any]:
        kinds = [k.value for k in Kind if include_clusters or k is not Kind.CLUSTER]
        types = [RelType(t).value for t in rel_types]
        return {"kinds": kinds, "has_rel_types": bool(types), "rel_types": types or [NO_MATCH]}

    def _distances(
        self, org_id: str, kind: Kind, depth: int, walk: dict[str, Any]
    ) -> dict[str, int]:
        statement = _q("walk_distances", label=kind, max_length=depth)
        return dict(self._run(statement, {"id": org_id, **walk}).get_all())

    def _bounded_walk(
        self, org_id: str, kind: Kind, depth: int, walk: dict[str, Any], *, what: str,
        stop: str | None = None,
    ) -> dict[str, int]:  # fmt: skip
        """Distances from ``org_id`` up to ``depth`` hops, walked one more hop at a time: the
        walk stops at the first level past the walk budget (``BudgetExceededError``), when
        ``stop`` (an id) is reached, or when a level reaches nothing new."""
        reached: dict[str, int] = {}
        for hops in range(1, depth + 1):
            deeper = self._distances(org_id, kind, hops, walk)
            check_walk(len(deeper), self.max_walk, walk=what, hops=hops)
            grew, reached = len(deeper) > len(reached), deeper
            if not grew or stop in reached:
                break
        return reached

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
        """See :meth:`GraphStore.shortest_paths`: a bounded walk from ``source`` to the
        length L at which it reaches ``target``, one back from ``target`` to depth L, and
        the relationships among the nodes whose two distances add up to L."""
        source_kind, target_kind = self._kind_of(source), self._kind_of(target)
        result = path_frame(source, target, max_length, limit)
        if result.paths:
            return result
        walk = self._walk_parameters(rel_types, include_clusters)
        what = f"the path search from {source!r} to {target!r}"
        from_source = self._bounded_walk(
            source, source_kind, max_length, walk, what=what, stop=target
        )
        length = from_source.get(target)
        if length is None:
            return result
        from_target = self._distances(target, target_kind, length, walk)
        on_path = on_shortest_paths(source, target, from_source, from_target)
        rows = self._table("relationships_among", {"ids": sorted(on_path)}).to_pylist()
        types = {t.value for t in rel_types}
        rows = [r for r in rows if not types or r["type"] in types]
        result.paths, result.truncated = paths_between(
            source, target, from_source, from_target, rows, limit=limit
        )
        return result

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
        kind = self._kind_of(org_id)
        walk = self._walk_parameters(rel_types, include_clusters)
        self._bounded_walk(org_id, kind, hops, walk, what=f"the ego network of {org_id!r}")
        parameters = {"id": org_id, **walk}

        def rows(name: str) -> list[dict[str, Any]]:
            statement = _q(name, label=kind, max_length=hops)
            return _records(self._table_of(statement, parameters))

        organizations = rows("ego_organizations")
        members = [(o["id"], o.pop("distance")) for o in organizations]
        distances, truncated = select_members(org_id, members, self.max_nodes)
        graph = assemble_ego(
            [o for o in organizations if o["id"] in distances],
            rows("ego_relationships"),
            rows("ego_memberships"),
            distances,
            include_clusters=include_clusters,
            rel_types=[t.value for t in rel_types],
        )
        return Subgraph(graph=graph, truncated=truncated, limit=self.max_nodes)

    # -- writes ----------------------------------------------------------------------------
