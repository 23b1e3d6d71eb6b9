"""The embedded store: LadybugDB (PyPI ``ladybug``), one database file on disk (plus its WAL).

Writes diff before they write: the store reads what it holds (a columnar scan, fast), then
bulk-loads new rows with ``COPY`` from Arrow tables, updates changed organizations in batches
(``LOAD FROM`` an Arrow table) and changed relationships one by one through the primary-key
index, or, when many relationships of one type change, rewrites that type's table.
Everything happens in one write transaction (a write session, see
:mod:`app.store.embedded_sessions`), so an upsert lands whole or not at all, and re-importing
the same data writes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Self, TypeVar

import pyarrow as pa

from app.domain import STORED, Organization, Relationship, StoreCounts
from app.errors import NotFoundError, StoreError
from app.settings import Settings
from app.store.base import (
    GraphData,
    ProgressCallback,
    WriteSummary,
)
from app.store.diff import ORG_CONTENT, REL_CONTENT, RelKey, RelRow, org_content, plan_writes
from app.store.embedded_explore import EmbeddedExploration
from app.store.embedded_sessions import Connections, EmbeddedSessions, translate
from app.store.lbug import columns as _columns
from app.store.lbug import now as _now
from app.store.lbug import q as _q
from app.store.lbug import records as _records
from app.vocabulary import (
    ORGANIZATION_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    Kind,
    RelType,
    kind_of_label,
)

if TYPE_CHECKING:
    import ladybug

__all__ = ["EmbeddedStore"]

logger = logging.getLogger(__name__)

_ORG_SCHEMA = pa.schema(
    [
        (name, pa.list_(pa.string()) if name in ("sectors", "tags") else
         pa.float64() if name in ("lat", "lon") else
         pa.int64() if name in ("employees", "founded") else pa.string())
        for name in ORGANIZATION_PROPERTIES
    ]
)  # fmt: skip
_REL_SCHEMA = pa.schema(
    [("from", pa.string()), ("to", pa.string()), ("weight", pa.float64())]
    + [(name, pa.string()) for name in RELATIONSHIP_PROPERTIES if name != "weight"]
)
_SCHEMA_STATEMENTS = (
    "create_company", "create_institution", "create_cluster", "create_member_of",
    "create_collaborates_with", "create_supplies", "create_invests_in", "create_funds",
    "create_spun_out_of",
)  # fmt: skip
#: Above this many changed relationships of one type, rewrite the type's table in bulk.
_REWRITE_THRESHOLD = 2000
_COPY_CHUNK = 50_000
_REL_COLUMNS = ("source", "type", "target", "weight", "since", "until", "evidence", "updated_at")
_EDGE_COLUMNS = _REL_COLUMNS[:-1]


class EmbeddedStore(EmbeddedSessions, EmbeddedExploration):
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
        query_timeout_s: float = 60.0,
        read_only: bool = False,
    ) -> None:
        import ladybug

        self.path = Path(path)
        self.batch_size = batch_size
        self.max_nodes = max_nodes
        self.read_only = read_only
        self._session: Literal["read", "write"] | None = None
        self._dirty = False
        self._copied: set[Kind] = set()
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = ladybug.Database(
                str(self.path),
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

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

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
        """Run statement ``name``; a FilterSpec predicate in it keeps only the constraints in
        use (LadybugDB evaluates even the clauses a false ``$has_*`` flag makes true)."""
        unused = frozenset(
            key[4:] for key, value in (parameters or {}).items()
            if key.startswith("has_") and value is False
        )  # fmt: skip
        return self._table_of(_q(name, unused=unused), parameters)

    def _table_of(self, statement: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        return self._run(statement, parameters).get_as_arrow()

    def setup_schema(self) -> None:
        for name in _SCHEMA_STATEMENTS:
            self._run(_q(name))

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

    def delete_organization(self, org_id: str) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.delete_organization(org_id)
        if not self._table("get_organization", {"id": org_id}).num_rows:
            raise NotFoundError(f"no organization with id {org_id!r}")
        self._run(_q("delete_organization"), {"id": org_id})
        self._dirty = True

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
            done = min(done + n, total)  # a table rewrite re-copies rows counted as unchanged
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
        for kind, orgs in plan.new_organizations.items():
            for chunk in _chunks(orgs, _COPY_CHUNK):
                statement = "create_nodes" if kind in self._copied else "copy_nodes"
                self._copied.add(kind)
                self._run(_q(statement, label=kind), {"rows": _org_table(chunk, now)})
                advance(len(chunk))
        for kind, orgs in plan.changed_organizations.items():
            statement = _q("update_nodes", label=kind)
            for chunk in _chunks(orgs, self.batch_size):
                self._run(statement, {"rows": _org_table(chunk, now)})
                advance(len(chunk))
        advance(plan.summary.organizations_unchanged)
        new_rels = plan.new_relationships + self._apply_changes(plan.changed_relationships, advance)
        self._copy_relationships(new_rels, kinds, advance)
        advance(plan.summary.relationships_unchanged)
        self._dirty = self._dirty or plan.summary.changed
        return plan.summary

    def _stored_relationships(
        self, incoming: Sequence[Relationship]
    ) -> dict[RelKey, tuple[Any, ...]]:
        if not incoming:
            return {}
        scan = self._table("scan_relationships")
        keys = zip(*_columns(scan, ("source", "type", "target")), strict=True)
        return dict(zip(keys, zip(*_columns(scan, REL_CONTENT), strict=True), strict=True))

    def _apply_changes(self, changed: list[RelRow], advance: Callable[[int], None]) -> list[RelRow]:
        """Update changed relationships in place; return those to re-copy after a rewrite.

        A few changes go one by one through the primary-key index; many changes of one type
        rewrite that type's table (delete all, copy back), which is much faster in LadybugDB.
        """
        by_type: dict[str, list[RelRow]] = defaultdict(list)
        for row in changed:
            by_type[row[1]].append(row)
        recopy: list[RelRow] = []
        for type_name, rows in by_type.items():
            rel_type = RelType(type_name)
            if len(rows) > _REWRITE_THRESHOLD:
                replaced = {(r[0], r[2]): r for r in rows}
                scan = self._table("scan_relationships")
                stored = zip(*_columns(scan, _REL_COLUMNS), strict=True)
                recopy.extend(replaced.get((r[0], r[2]), r) for r in stored if r[1] == type_name)
                self._run(_q("delete_relationships_of_type", rel_type=rel_type))
                logger.info("rewriting the %s table (%d changed rows)", type_name, len(rows))
                continue
            statement = _q("update_relationship", rel_type=rel_type)
            for row in rows:
                self._run(statement, dict(zip(_REL_COLUMNS, row, strict=True)))
            advance(len(rows))
        return recopy

    def _copy_relationships(
        self, rows: list[RelRow], kinds: dict[str, Kind], advance: Callable[[int], None]
    ) -> None:
        groups: dict[tuple[str, Kind, Kind], list[RelRow]] = defaultdict(list)
        for row in rows:
            groups[(row[1], kinds[row[0]], kinds[row[2]])].append(row)
        for (type_name, from_kind, to_kind), group in sorted(groups.items()):
            statement = _q(
                "copy_relationships",
                rel_type=RelType(type_name),
                from_label=from_kind,
                to_label=to_kind,
            )
            for chunk in _chunks(group, _COPY_CHUNK):
                self._run(statement, {"rows": _rel_table(chunk)})
                advance(len(chunk))


def _org_table(orgs: Sequence[Organization], now: str) -> pa.Table:
    columns: list[Sequence[Any]] = list(zip(*map(org_content, orgs), strict=True))
    data = dict(zip(ORG_CONTENT, columns, strict=True))
    data["kind"] = [Kind(k).value for k in data["kind"]]
    data["updated_at"] = [now] * len(orgs)
    return pa.table(data, schema=_ORG_SCHEMA)


def _rel_table(rows: Sequence[RelRow]) -> pa.Table:
    source, _, target, *rest = zip(*rows, strict=True)
    names = _REL_SCHEMA.names
    return pa.table(dict(zip(names, [source, target, *rest], strict=True)), schema=_REL_SCHEMA)


T = TypeVar("T")


def _chunks(rows: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
