"""The embedded store: LadybugDB (PyPI ``ladybug``), one database file on disk (plus its WAL).

Writes diff before they write: the store reads what it holds (a columnar scan, fast), then
bulk-loads new rows with ``COPY`` from Arrow tables and updates changed organizations and
relationships in place, in batches (``LOAD FROM`` an Arrow table, ``MATCH`` by primary key,
``SET``). No write deletes rows to copy them back: a process killed during such a rewrite
could reopen with whole relationship tables empty (issue 13; ``tests/test_crash.py`` kills
writers at random points). Everything happens in one write transaction (a write session, see
:mod:`app.store.embedded_sessions`), so an upsert lands whole or not at all, and re-importing
the same data writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import pyarrow as pa

from app.domain import Organization, Relationship, StoreCounts
from app.errors import NotFoundError, StoreError
from app.fields import STORED
from app.settings import Settings
from app.store.base import (
    ClosesOnExit,
    GraphData,
    ProgressCallback,
    WriteSummary,
)
from app.store.diff import (
    ORG_CONTENT,
    REL_CONTENT,
    RelKey,
    RelRow,
    by_labels,
    chunks,
    plan_writes,
)
from app.store.embedded_explore import EmbeddedExploration
from app.store.embedded_history import EmbeddedHistory
from app.store.embedded_records import EmbeddedRecords
from app.store.embedded_sessions import Connections, EmbeddedSessions, translate
from app.store.embedded_suggestions import EmbeddedSuggestions
from app.store.embedded_views import EmbeddedViews
from app.store.explore import WALK_BUDGET
from app.store.lbug import REL_COPY_SCHEMA, REL_ROWS_SCHEMA, organization_table, relationship_table
from app.store.lbug import columns as _columns
from app.store.lbug import now as _now
from app.store.lbug import open_database as _open_database
from app.store.lbug import q as _q
from app.store.lbug import records as _records
from app.vocabulary import (
    Kind,
    RelType,
    kind_of_label,
)

if TYPE_CHECKING:
    import ladybug

__all__ = ["EmbeddedStore"]

logger = logging.getLogger(__name__)

_SCHEMA_STATEMENTS = (
    "create_company", "create_institution", "create_cluster", "create_member_of",
    "create_collaborates_with", "create_supplies", "create_invests_in", "create_funds",
    "create_spun_out_of", "create_change_set_table", "create_change_chunk_table",
    "create_user_table", "create_dismissal_table", "create_view_table",
)  # fmt: skip
_COPY_CHUNK = 50_000


class EmbeddedStore(
    EmbeddedSessions,
    EmbeddedExploration,
    EmbeddedRecords,
    EmbeddedHistory,
    EmbeddedSuggestions,
    EmbeddedViews,
    ClosesOnExit,
):
    """A LadybugDB database holding one ecosystem.

    Parameters
    ----------
    path : Path
        The database file; created if absent, reopened with its data if present.
    buffer_pool_bytes, max_db_size_bytes : int
        LadybugDB's buffer pool and largest database size, set explicitly (the library
        defaults are ~80 % of RAM and 8 TB of address space).
    threads : int
        Query threads; 0 lets LadybugDB use every core.
    batch_size : int
        Rows per update batch.
    max_nodes : int
        Cap on the organizations of one filtered subgraph (a FilterSpec's ``limit`` may lower it).
    max_walk : int
        The walk budget: most organizations an ego walk or a path search may reach
        (:data:`~app.store.explore.WALK_BUDGET`).
    query_timeout_s : float
        Longest a statement may run before LadybugDB interrupts it (``QueryTimeoutError``).
    read_only : bool
        Open without write access: any number of processes may, beside the one process that
        holds the database for writing; each sees the state committed when it opened.
    """

    def __init__(
        self,
        path: Path,
        *,
        buffer_pool_bytes: int = 1024**3,
        max_db_size_bytes: int = 64 * 1024**3,
        threads: int = 0,
        batch_size: int = 5000,
        max_nodes: int = 250_000,
        max_walk: int = WALK_BUDGET,
        query_timeout_s: float = 60.0,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.batch_size = batch_size
        self.max_nodes = max_nodes
        self.max_walk = max_walk
        self.read_only = read_only
        self._session: Literal["read", "write"] | None = None
        self._dirty = False
        self._bulk = False
        self._copied: set[str] = set()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = _open_database(
                self.path,
                buffer_pool_size=buffer_pool_bytes,
                max_db_size=max_db_size_bytes,
                max_num_threads=threads,
                read_only=read_only,
            )
        except RuntimeError as exc:
            error = translate(exc, path=self.path, timeout_s=query_timeout_s)
            if type(error) is StoreError:
                error = StoreError(f"cannot open the database at {self.path}: {exc}")
            raise error from exc
        self._access = Connections(db, self.path, query_timeout_s, read_only)
        self._conn: ladybug.Connection | None = self._access.connect()
        if not read_only:
            self.setup_schema()
        self._dismissal_table = not read_only or self._has_dismissal_table()
        self._view_table = not read_only or self._has_view_table()

    @classmethod
    def from_settings(cls, settings: Settings, *, read_only: bool = False) -> EmbeddedStore:
        return cls(
            settings.db,
            buffer_pool_bytes=settings.buffer_pool_bytes,
            max_db_size_bytes=settings.max_db_size_bytes,
            threads=settings.threads,
            batch_size=settings.batch_size,
            max_nodes=settings.max_nodes,
            query_timeout_s=settings.query_timeout_s,
            read_only=read_only,
        )

    # -- lifecycle and sessions ----------------------------------------------------------------

    backend = "embedded"

    def close(self) -> None:
        if self._session is not None or getattr(self, "_conn", None) is None:
            return  # a session's view: the session closes its connection
        assert self._conn is not None
        self._access.close()
        self._conn.close()
        self._access.db.close()
        self._conn = None

    def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any:
        if self._conn is None:
            raise StoreError("the store is closed")
        return self._access.run(self._conn, statement, parameters or {})

    def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        """Run statement ``name`` (one without a FilterSpec predicate: see ``_filtered``)."""
        return self._table_of(_q(name), parameters)

    def _table_of(self, statement: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        return self._run(statement, parameters).get_as_arrow()

    def setup_schema(self) -> None:
        """Create the tables that are missing (a database made by an earlier version gains
        those of people, dismissed suggestions and saved views), and give the node tables of such a
        database the columns it lacks (``verified_at``, ``verified_by``)."""
        for name in _SCHEMA_STATEMENTS:
            self._run(_q(name))
        for kind in Kind:
            for name in ("add_verified_at_column", "add_verified_by_column"):
                self._run(_q(name, label=kind))

    # -- reads -----------------------------------------------------------------------------

    def counts(self) -> StoreCounts:
        by_kind = {k.value: 0 for k in Kind}
        for row in self._table("count_nodes_by_label").to_pylist():
            by_kind[kind_of_label(row["label"]).value] = row["count"]
        by_type = {t.value: 0 for t in RelType}
        for row in self._table("count_relationships_by_type").to_pylist():
            by_type[row["type"]] = row["count"]
        return StoreCounts(
            nodes=sum(by_kind.values()),
            relationships=sum(by_type.values()),
            by_kind=by_kind,
            by_type=by_type,
        )

    def get_organization(self, org_id: str) -> Organization:
        rows = self._table("get_organization", {"id": org_id}).to_pylist()
        if not rows:
            raise NotFoundError(f"no organization with id {org_id!r}")
        return Organization.model_validate(rows[0], context=STORED)

    def organization_kinds(self, ids: Iterable[str] | None = None) -> dict[str, Kind]:
        table = self._table("organization_kinds")
        ids_stored, kinds_stored = table["id"].to_pylist(), table["kind"].to_pylist()
        kinds = dict(zip(ids_stored, map(Kind, kinds_stored), strict=True))
        if ids is None:
            return kinds
        return {i: kinds[i] for i in ids if i in kinds}

    def export(self) -> GraphData:
        return GraphData(
            organizations=_records(self._table("all_organizations")),
            relationships=_records(self._table("all_relationships")),
        )

    def upsert(
        self,
        organizations: Sequence[Organization],
        relationships: Sequence[Relationship],
        *,
        progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        if self._session != "write":  # reads, plan and writes in one write transaction
            with self.write_session() as view:
                return view.upsert(organizations, relationships, progress=progress)
        total = len(organizations) + len(relationships)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done = min(done + n, total)
            if progress and n:
                progress(done, total)

        now = _now()
        scan = self._table("scan_organizations")
        ids = scan["id"].to_pylist()
        stored_orgs = dict(zip(ids, zip(*_columns(scan, ORG_CONTENT), strict=True), strict=True))
        kinds = dict(zip(ids, map(Kind, scan["kind"].to_pylist()), strict=True))
        del scan
        kinds.update((org.id, org.kind) for org in organizations)
        unknown = sorted({i for r in relationships for i in (r.source, r.target)} - kinds.keys())
        if unknown:
            raise StoreError(f"relationships refer to unknown organizations: {unknown[:5]}")
        plan = plan_writes(
            stored_orgs,
            self._stored_relationships(relationships),
            organizations,
            relationships,
            now,
        )
        del stored_orgs
        # COPY only in a transaction that writes nothing else: LadybugDB 0.22 may recover a
        # transaction killed while it commits without its COPYed rows but with its other
        # writes (tools/repro/lbug_kill_during_write.py); LOAD FROM ... CREATE is safe.
        bulk = not (self._dirty or plan.changed_organizations or plan.changed_relationships)
        self._insert_organizations(plan.new_organizations, now, bulk, advance)
        for kind, orgs in plan.changed_organizations.items():
            statement = _q("update_nodes", label=kind)
            for chunk in chunks(orgs, self.batch_size):
                self._run(statement, {"rows": organization_table(chunk, now)})
                advance(len(chunk))
        advance(plan.summary.organizations_unchanged)
        self._update_relationships(plan.changed_relationships, kinds, advance)
        self._insert_relationships(plan.new_relationships, kinds, bulk, advance)
        advance(plan.summary.relationships_unchanged)
        if plan.summary.changed:
            self._wrote(copied=bulk)
        return plan.summary

    def _stored_relationships(
        self, incoming: Sequence[Relationship]
    ) -> dict[RelKey, tuple[Any, ...]]:
        if not incoming:
            return {}
        scan = self._table("scan_relationships")
        keys = zip(*_columns(scan, ("source", "type", "target")), strict=True)
        return dict(zip(keys, zip(*_columns(scan, REL_CONTENT), strict=True), strict=True))

    def _update_relationships(
        self, rows: list[RelRow], kinds: dict[str, Kind], advance: Callable[[int], None]
    ) -> None:
        """Update changed relationships in place, set-based: one ``LOAD FROM ... MATCH ...
        SET`` per batch of one (type, source label, target label), ends found by primary key.

        Never a delete and copy back: that was faster for many changes of one type, but a kill
        during it could leave the type's table empty after recovery (issue 13).
        """
        for (type_name, from_kind, to_kind), group in by_labels(rows, kinds).items():
            statement = _q(
                "update_relationships",
                rel_type=RelType(type_name),
                from_label=from_kind,
                to_label=to_kind,
            )
            for chunk in chunks(group, self.batch_size):
                found = self._run(statement, {"rows": relationship_table(chunk, REL_ROWS_SCHEMA)})
                matched = found.get_all()[0][0]
                if matched != len(chunk):  # the plan read these rows in this transaction
                    raise StoreError(
                        f"updating {type_name} relationships matched {matched} of "
                        f"{len(chunk)} stored rows"
                    )
                advance(len(chunk))

    def _insert_organizations(
        self,
        organizations: dict[Kind, list[Organization]],
        now: str,
        bulk: bool,
        advance: Callable[[int], None],
    ) -> None:
        """New organizations: with ``bulk``, one COPY per node table (never two in one
        transaction, ``tools/repro/lbug_copy_rollback.py``), else ``LOAD FROM ... CREATE``
        in batches."""
        for kind, orgs in organizations.items():
            if bulk and kind not in self._copied:
                self._copied.add(kind)
                self._run(_q("copy_nodes", label=kind), {"rows": organization_table(orgs, now)})
                advance(len(orgs))
                continue
            statement = _q("create_nodes", label=kind)
            for chunk in chunks(orgs, self.batch_size):
                self._run(statement, {"rows": organization_table(chunk, now)})
                advance(len(chunk))

    def _insert_relationships(
        self,
        rows: list[RelRow],
        kinds: dict[str, Kind],
        bulk: bool,
        advance: Callable[[int], None],
    ) -> None:
        """New relationships: with ``bulk``, COPY per (type, source label, target label),
        else ``LOAD FROM ... MATCH ... CREATE`` in batches."""
        for (type_name, from_kind, to_kind), group in by_labels(rows, kinds).items():
            name = "copy_relationships" if bulk else "create_relationships"
            statement = _q(
                name, rel_type=RelType(type_name), from_label=from_kind, to_label=to_kind
            )
            schema, size = (
                (REL_COPY_SCHEMA, _COPY_CHUNK) if bulk else (REL_ROWS_SCHEMA, self.batch_size)
            )
            for chunk in chunks(group, size):
                self._run(statement, {"rows": relationship_table(chunk, schema)})
                advance(len(chunk))
