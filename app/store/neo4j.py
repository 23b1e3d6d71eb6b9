"""The Neo4j store: the official ``neo4j`` driver, Cypher from ``cypher/neo4j/`` (DESIGN.md 4).

Every operation runs in one transaction on the configured database, its own or that of a
read or write session (:mod:`app.store.neo4j_sessions`); reads are routed as reads. Sessions
share the driver's query bookmark manager, so each operation sees the writes of the ones
before it, in a cluster too.

Every statement starts from a label: lookups by id go through the uniqueness constraint of
each label, filters start from the labels of the kinds they want or from the clusters they
name, relationships are expanded from the organizations found (``tests/test_neo4j_plans.py``
checks each plan). A walk addresses the nodes it found by ``elementId`` for the rest of its
transaction. An upsert diffs before it writes, like the embedded store: inside its write
transaction it reads the stored rows of the ids and (source, type, target) keys it writes,
nothing else, plans with :func:`app.store.diff.plan_writes` and writes only new and changed
rows with batched ``UNWIND ... MERGE``; re-importing the same data writes nothing and keeps
every ``updated_at``. Ego networks and shortest paths walk breadth-first, one statement per
level driven from Python (:func:`app.store.neo4j_tx.walk` says why). Rows come back in the
embedded store's order (organizations by id, relationships by (source, type, target)), so
the analyses, whose results depend on insertion order, answer the same on both backends.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import networkx as nx

from app.domain import Organization, Relationship, StoreCounts
from app.errors import NotFoundError, StoreError
from app.fields import STORED
from app.filters import FilterSpec
from app.store.base import (
    ClosesOnExit,
    GraphData,
    OrganizationPage,
    ProgressCallback,
    Subgraph,
    WriteSummary,
)
from app.store.diff import ORG_CONTENT, plan_writes
from app.store.explore import (
    WALK_BUDGET,
)
from app.store.filtering import filter_parameters
from app.store.graph import build_graph
from app.store.neo4j_history import Neo4jHistory
from app.store.neo4j_records import Neo4jRecords
from app.store.neo4j_sessions import Neo4jSessions
from app.store.neo4j_suggestions import Neo4jSuggestions
from app.store.neo4j_tx import (
    Row,
    filter_statement,
    locate,
    merge_organizations,
    merge_relationships,
    now,
    q,
    rows,
    stored_organizations,
    stored_relationships,
)
from app.store.neo4j_views import Neo4jViews
from app.store.neo4j_walks import Neo4jWalks
from app.store.paging import page_window
from app.vocabulary import ANALYSIS_PROPERTIES, LABELS, Kind, RelType

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction

__all__ = ["SCHEMA_STATEMENTS", "Neo4jStore"]

T = TypeVar("T")
#: The schema statements besides the id constraint of each label: the version node's key,
#: change sets by id and their chunks by set, people by name and by token digest, dismissed
#: suggestions by pair, saved views by name.
SCHEMA_STATEMENTS = (
    "create_state_constraint",
    "create_change_set_constraint",
    "create_change_chunk_index",
    "create_user_constraint",
    "create_user_token_index",
    "create_dismissal_constraint",
    "create_view_constraint",
)
_KIND_OF_LABEL = {label: kind for kind, label in LABELS.items()}
_REL_ORDER = itemgetter("source", "type", "target")


class Neo4jStore(
    Neo4jSessions,
    Neo4jWalks,
    Neo4jRecords,
    Neo4jHistory,
    Neo4jSuggestions,
    Neo4jViews,
    ClosesOnExit,
):
    """A Neo4j database holding one ecosystem.

    Parameters
    ----------
    driver : neo4j.Driver
        An open driver; the store never builds one (see :func:`app.store.open_store`).
    database : str
        The database every session uses (always passed explicitly: no home-database lookup).
    batch_size : int
        Rows per ``UNWIND`` batch of a write.
    max_nodes : int
        Cap on the organizations of one filtered subgraph or ego network.
    max_walk : int
        The walk budget: most organizations an ego walk or a path search may reach
        (:data:`~app.store.explore.WALK_BUDGET`).
    owns_driver : bool
        Close the driver on :meth:`close` (true when ``open_store`` built it).
    """

    def __init__(
        self,
        driver: Driver,
        *,
        database: str,
        batch_size: int = 5000,
        max_nodes: int = 250_000,
        max_walk: int = WALK_BUDGET,
        query_timeout_s: float = 60.0,
        owns_driver: bool = False,
    ) -> None:
        self._driver = driver
        self.database = database
        self.batch_size = batch_size
        self.max_nodes = max_nodes
        self.max_walk = max_walk
        self.query_timeout_s = query_timeout_s
        self._owns_driver = owns_driver
        self._closed = False
        self._tx: ManagedTransaction | None = None  # a session's transaction (views only)
        self._session: Literal["read", "write"] | None = None
        self._dirty = False
        self._seen: str | None = None  # the version a read session started from

    # -- lifecycle, sessions and transactions ------------------------------------------------

    backend = "neo4j"

    def close(self) -> None:
        if self._session is None and not self._closed:
            self._closed = True
            if self._owns_driver:
                self._driver.close()

    def setup_schema(self) -> None:
        """A uniqueness constraint on ``id`` per label, then :data:`SCHEMA_STATEMENTS`;
        each in a schema transaction of its own (Neo4j does not mix schema and data)."""
        statements = [q("create_id_constraint", label=kind) for kind in Kind]
        statements += [q(name) for name in SCHEMA_STATEMENTS]
        with self._translated(), self._driver.session(database=self.database) as session:
            for statement in statements:
                session.execute_write(rows, statement)

    # -- reads -------------------------------------------------------------------------------

    def counts(self) -> StoreCounts:
        labels, types = self._read(
            lambda tx: (
                rows(tx, q("count_nodes_by_label")),
                rows(tx, q("count_relationships_by_type")),
            )
        )
        by_kind = {k.value: 0 for k in Kind}
        for row in labels:
            if row["label"] in _KIND_OF_LABEL:  # a node may carry labels of other applications
                by_kind[_KIND_OF_LABEL[row["label"]].value] += row["count"]
        by_type = {t.value: 0 for t in RelType}
        for row in types:
            if row["type"] in by_type:
                by_type[row["type"]] += row["count"]
        return StoreCounts(
            nodes=sum(by_kind.values()),
            relationships=sum(by_type.values()),
            by_kind=by_kind,
            by_type=by_type,
        )

    def get_organization(self, org_id: str) -> Organization:
        found = self._read(lambda tx: rows(tx, q("get_organization"), {"id": org_id}))
        if not found:
            raise NotFoundError(f"no organization with id {org_id!r}")
        return Organization.model_validate(found[0], context=STORED)

    def organization_kinds(self, ids: Iterable[str] | None = None) -> dict[str, Kind]:
        if ids is None:
            stored = self._read(lambda tx: rows(tx, q("organization_kinds")))
            return {row["id"]: Kind(row["kind"]) for row in stored}
        wanted = list(ids)
        found = self._read(lambda tx: locate(tx, wanted))
        return {i: found[i][0] for i in wanted if i in found}

    def export(self) -> GraphData:
        organizations, relationships = self._read(
            lambda tx: (
                rows(tx, q("all_organizations")),
                rows(tx, q("all_relationships")),
            )
        )
        # The embedded store's order, whatever order Neo4j's scans return.
        organizations.sort(key=itemgetter("id"))
        relationships.sort(key=_REL_ORDER)
        return GraphData(organizations=organizations, relationships=relationships)

    def to_networkx(self, *, include_clusters: bool = False) -> nx.MultiDiGraph:
        """The unfiltered subgraph, as in the embedded store (and capped like it)."""
        return self.subgraph(FilterSpec(), include_clusters=include_clusters).graph

    @staticmethod
    def _filter_parameters(
        tx: ManagedTransaction, spec: FilterSpec, include_clusters: bool
    ) -> dict[str, Any]:
        sectors = [r["sector"] for r in rows(tx, q("stored_sectors"))] if spec.sectors else []
        return filter_parameters(spec, stored_sectors=sectors, include_clusters=include_clusters)

    def _filtered(
        self, tx: ManagedTransaction, spec: FilterSpec, include_clusters: bool, limit: int,
        offset: int = 0, *, outgoing: bool = True,
    ) -> tuple[list[Row], list[Row]]:  # fmt: skip
        """The organizations of ``spec`` (a window of ``limit`` from ``offset``, by id) and
        every relationship leaving them (none unless ``outgoing``)."""
        parameters = self._filter_parameters(tx, spec, include_clusters)
        anchored = bool(spec.clusters)  # start from the clusters, as the embedded store
        window = {**parameters, "offset": offset, "limit": limit}
        statement = filter_statement("filter_organizations", window, anchored=anchored)
        nodes = rows(tx, statement, window)
        if not outgoing:
            return nodes, []
        statement = filter_statement("filter_outgoing", parameters, anchored=anchored)
        return nodes, rows(tx, statement, parameters)

    def subgraph(
        self,
        spec: FilterSpec,
        *,
        include_clusters: bool = False,
        collapsed: bool = False,
        brief: bool = False,
    ) -> Subgraph:
        limit = min(spec.limit or self.max_nodes, self.max_nodes)
        nodes, outgoing = self._read(
            lambda tx: self._filtered(tx, spec, include_clusters, limit + 1)
        )
        truncated = len(nodes) > limit
        # The embedded store's order, nodes and relationships: graph algorithms (Leiden,
        # Louvain, even float sums of centralities) depend on insertion order.
        nodes = sorted(nodes, key=itemgetter("id"))[:limit]
        if brief:  # the same answer as the embedded store's brief statements
            nodes = [{key: row[key] for key in ANALYSIS_PROPERTIES} for row in nodes]
        outgoing.sort(key=_REL_ORDER)
        member_of = RelType.MEMBER_OF.value
        memberships = [r for r in outgoing if r["type"] == member_of]
        types = {t.value for t in spec.rel_types}
        relationships = [r for r in outgoing if not types or r["type"] in types]
        graph = build_graph(
            nodes, relationships, include_clusters=include_clusters,
            memberships=memberships, collapsed=collapsed,
        )  # fmt: skip
        return Subgraph(graph=graph, truncated=truncated, limit=limit)

    def list_organizations(
        self, spec: FilterSpec, *, offset: int = 0, limit: int = 100
    ) -> OrganizationPage:
        """See :meth:`GraphStore.list_organizations`; counted first, in the same
        transaction, like the embedded store (:func:`~app.store.paging.page_window`)."""
        page_window(offset, limit, 0)  # the arguments, checked before any read

        def work(tx: ManagedTransaction) -> tuple[list[Row], bool, int]:
            parameters = self._filter_parameters(tx, spec, True)
            anchored = bool(spec.clusters)
            statement = filter_statement("count_organizations", parameters, anchored=anchored)
            count = rows(tx, statement, parameters)[0]["count"]
            window, has_more = page_window(offset, limit, count)
            if not window:
                return [], has_more, count
            found, _ = self._filtered(tx, spec, True, window, offset, outgoing=False)
            return found, has_more, count

        found, has_more, total = self._read(work)
        items = [Organization.model_validate(row, context=STORED) for row in found]
        return OrganizationPage(items, offset=offset, limit=limit, has_more=has_more, total=total)

    # -- writes ------------------------------------------------------------------------------

    def upsert(
        self,
        organizations: Sequence[Organization],
        relationships: Sequence[Relationship],
        *,
        progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        """See :meth:`GraphStore.upsert`: read, plan and write in one write transaction."""
        total = len(organizations) + len(relationships)

        def work(tx: ManagedTransaction) -> WriteSummary:
            done = 0  # restarts when the driver retries the transaction

            def advance(n: int) -> None:
                nonlocal done
                done = min(done + n, total)
                if progress and n:
                    progress(done, total)

            stamp = now()
            endpoints = [i for r in relationships for i in (r.source, r.target)]
            found = stored_organizations(
                tx, [o.id for o in organizations] + endpoints, self.batch_size
            )
            stored = {i: tuple(row[name] for name in ORG_CONTENT) for i, row in found.items()}
            stored_kinds = {i: Kind(row["kind"]) for i, row in found.items()}
            kinds = {org.id: org.kind for org in organizations} | stored_kinds
            unknown = sorted(set(endpoints) - kinds.keys())
            if unknown:
                raise StoreError(f"relationships refer to unknown organizations: {unknown[:5]}")
            keys = (r.key for r in relationships)
            stored_rels = stored_relationships(tx, keys, stored_kinds, self.batch_size)
            plan = plan_writes(stored, stored_rels, organizations, relationships, stamp)
            new, changed = plan.new_organizations, plan.changed_organizations
            writes = {kind: new.get(kind, []) + changed.get(kind, []) for kind in Kind}
            merge_organizations(tx, writes, stamp, self.batch_size, advance)
            advance(plan.summary.organizations_unchanged)
            rels = plan.new_relationships + plan.changed_relationships
            merge_relationships(tx, rels, kinds, self.batch_size, advance)
            advance(plan.summary.relationships_unchanged)
            return plan.summary

        return self._write(work, lambda summary: summary.changed)
