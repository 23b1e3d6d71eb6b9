"""The embedded store: LadybugDB (PyPI ``ladybug``), a database directory on disk.

Writes diff before they write: the store reads what it holds (a columnar scan, fast), then
bulk-loads new rows with ``COPY`` from Arrow tables, updates changed organizations in
``UNWIND`` batches and changed relationships one by one through the primary-key index, or, when
many relationships of one type change, rewrites that type's table. Everything happens in one
transaction, so an upsert lands whole or not at all, and re-importing the same data writes
nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

import networkx as nx
import pyarrow as pa

from app.domain import Organization, Relationship, StoreCounts
from app.errors import NotFoundError, StoreError
from app.settings import Settings
from app.store.base import GraphData, ProgressCallback, WriteSummary
from app.store.graph import build_graph
from app.store.queries import query
from app.vocabulary import (
    ORGANIZATION_PROPERTIES,
    RELATIONSHIP_PROPERTIES,
    Kind,
    RelType,
    kind_of_label,
)

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
_REL_UPDATE_PARAMETERS = ("source", "target", *RELATIONSHIP_PROPERTIES)

OrgValues = tuple[Any, ...]
RelKey = tuple[str, str, str]
RelValues = tuple[Any, ...]


def _q(name: str, **slots: Any) -> str:
    return query("embedded", name, **slots)


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _org_values(org: Organization | dict[str, Any]) -> OrgValues:
    """The stored properties of an organization that count as its content (no timestamp)."""
    row = org.model_dump(mode="json") if isinstance(org, Organization) else org
    return tuple(row.get(name) for name in ORGANIZATION_PROPERTIES[:-1])


def _rel_values(rel: Relationship | dict[str, Any]) -> RelValues:
    row = rel.model_dump(mode="json") if isinstance(rel, Relationship) else rel
    return tuple(row.get(name) for name in RELATIONSHIP_PROPERTIES[:-1])


class EmbeddedStore:
    """A LadybugDB database directory holding one ecosystem.

    Parameters
    ----------
    path : Path
        The database directory; created if absent, reopened with its data if present.
    buffer_pool_bytes, max_db_size_bytes : int
        LadybugDB's buffer pool and largest database size, set explicitly (the library
        defaults are ~80 % of RAM and 8 TB of address space).
    threads : int
        Query threads; 0 lets LadybugDB use every core.
    batch_size : int
        Rows per ``UNWIND`` update batch.
    read_only : bool
        Open without write access (several read-only stores may share a database).
    """

    def __init__(
        self,
        path: Path,
        *,
        buffer_pool_bytes: int = 1024**3,
        max_db_size_bytes: int = 64 * 1024**3,
        threads: int = 0,
        batch_size: int = 5000,
        read_only: bool = False,
    ) -> None:
        import ladybug

        self.path = Path(path)
        self.batch_size = batch_size
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = ladybug.Database(
                str(self.path),
                buffer_pool_size=buffer_pool_bytes,
                max_db_size=max_db_size_bytes,
                max_num_threads=threads,
                read_only=read_only,
            )
            self._conn: ladybug.Connection | None = ladybug.Connection(self._db)
        except RuntimeError as exc:
            raise StoreError(f"cannot open the database at {self.path}: {exc}") from exc
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
            read_only=read_only,
        )

    # -- lifecycle -------------------------------------------------------------------------

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
        if getattr(self, "_conn", None) is not None:
            assert self._conn is not None
            self._conn.close()
            self._db.close()
            self._conn = None

    def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any:
        if self._conn is None:
            raise StoreError("the store is closed")
        try:
            return self._conn.execute(statement, parameters or {})
        except RuntimeError as exc:
            raise StoreError(f"LadybugDB: {exc}") from exc

    def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table:
        return self._run(_q(name), parameters).get_as_arrow()

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
        return Organization.model_validate(rows[0])

    def organization_kinds(self, ids: Iterable[str] | None = None) -> dict[str, Kind]:
        table = self._table("organization_kinds")
        ids_stored, kinds_stored = table["id"].to_pylist(), table["kind"].to_pylist()
        kinds = dict(zip(ids_stored, map(Kind, kinds_stored), strict=True))
        if ids is None:
            return kinds
        return {i: kinds[i] for i in ids if i in kinds}

    def export(self) -> GraphData:
        return GraphData(
            organizations=self._table("all_organizations").to_pylist(),
            relationships=self._table("all_relationships").to_pylist(),
        )

    def to_networkx(self, *, include_clusters: bool = False) -> nx.MultiDiGraph:
        data = self.export()
        return build_graph(
            data.organizations, data.relationships, include_clusters=include_clusters
        )

    # -- writes ----------------------------------------------------------------------------

    def delete_organization(self, org_id: str) -> None:
        if not self._table("get_organization", {"id": org_id}).num_rows:
            raise NotFoundError(f"no organization with id {org_id!r}")
        with self._transaction():
            self._run(_q("delete_organization"), {"id": org_id})

    def upsert(
        self,
        organizations: Sequence[Organization],
        relationships: Sequence[Relationship],
        *,
        progress: ProgressCallback | None = None,
    ) -> WriteSummary:
        summary = WriteSummary()
        total = len(organizations) + len(relationships)
        done = 0

        def advance(n: int) -> None:
            nonlocal done
            done += n
            if progress:
                progress(done, total)

        now = _now()
        stored = {row["id"]: row for row in self._table("scan_organizations").to_pylist()}
        new_orgs, changed_orgs = _diff_organizations(stored, organizations, summary, now)
        kinds = {org_id: Kind(row["kind"]) for org_id, row in stored.items()}
        kinds.update((org.id, org.kind) for org in organizations)
        new_rels, changed_rels = self._diff_relationships(relationships, summary, now)
        with self._transaction():
            for kind, rows in new_orgs.items():
                for chunk in _chunks(rows, _COPY_CHUNK):
                    self._copy(_q("copy_nodes", label=kind), chunk, _ORG_SCHEMA)
                    advance(len(chunk))
            for kind, rows in changed_orgs.items():
                statement = _q("update_nodes", label=kind)
                for chunk in _chunks(rows, self.batch_size):
                    self._run(statement, {"rows": chunk})
                    advance(len(chunk))
            advance(summary.organizations_unchanged)
            self._write_relationships(new_rels, changed_rels, kinds, advance)
            advance(summary.relationships_unchanged)
        return summary

    def _diff_relationships(
        self, relationships: Sequence[Relationship], summary: WriteSummary, now: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        if not relationships:
            return [], []
        stored: dict[RelKey, RelValues] = {
            (r["source"], r["type"], r["target"]): _rel_values(r)
            for r in self._table("scan_relationships").to_pylist()
        }
        new: list[dict[str, Any]] = []
        changed: list[dict[str, Any]] = []
        for rel in relationships:
            row = rel.model_dump(mode="json")
            row["updated_at"] = now
            old = stored.get(rel.key)
            if old is None:
                new.append(row)
                summary.relationships_created += 1
            elif old != _rel_values(row):
                changed.append(row)
                summary.relationships_updated += 1
            else:
                summary.relationships_unchanged += 1
        return new, changed

    def _write_relationships(
        self,
        new: list[dict[str, Any]],
        changed: list[dict[str, Any]],
        kinds: dict[str, Kind],
        advance: Callable[[int], None],
    ) -> None:
        changed_by_type: dict[RelType, list[dict[str, Any]]] = defaultdict(list)
        for row in changed:
            changed_by_type[RelType(row["type"])].append(row)
        rewrite = {t for t, rows in changed_by_type.items() if len(rows) > _REWRITE_THRESHOLD}
        for rel_type in rewrite:
            replaced = {(r["source"], r["target"]): r for r in changed_by_type.pop(rel_type)}
            kept = [
                replaced.get((r["source"], r["target"]), r)
                for r in self._table("scan_relationships").to_pylist()
                if r["type"] == rel_type
            ]
            self._run(_q("delete_relationships_of_type", rel_type=rel_type))
            new.extend(kept)
            logger.info("rewriting %d %s relationships in bulk", len(kept), rel_type.value)
        groups: dict[tuple[RelType, Kind, Kind], list[dict[str, Any]]] = defaultdict(list)
        for row in new:
            groups[(RelType(row["type"]), kinds[row["source"]], kinds[row["target"]])].append(row)
        for (rel_type, from_kind, to_kind), rows in sorted(groups.items()):
            statement = _q(
                "copy_relationships",
                rel_type=rel_type,
                from_label=from_kind,
                to_label=to_kind,
            )
            for chunk in _chunks(rows, _COPY_CHUNK):
                arrow_rows = [{"from": r["source"], "to": r["target"], **r} for r in chunk]
                self._copy(statement, arrow_rows, _REL_SCHEMA)
                advance(len(chunk))
        for rel_type, rows in changed_by_type.items():
            statement = _q("update_relationship", rel_type=rel_type)
            for row in rows:
                self._run(statement, {k: row[k] for k in _REL_UPDATE_PARAMETERS})
            advance(len(rows))

    def _copy(self, statement: str, rows: list[dict[str, Any]], schema: pa.Schema) -> None:
        table = pa.Table.from_pylist(rows, schema=schema)
        self._run(statement, {"rows": table})

    def _transaction(self) -> _Transaction:
        return _Transaction(self)


class _Transaction:
    """``BEGIN TRANSACTION`` ... ``COMMIT``, or ``ROLLBACK`` when the block raises."""

    def __init__(self, store: EmbeddedStore) -> None:
        self._store = store

    def __enter__(self) -> None:
        self._store._run("BEGIN TRANSACTION")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self._store._run("COMMIT")
        else:
            self._store._run("ROLLBACK")


def _diff_organizations(
    stored: dict[str, dict[str, Any]],
    organizations: Sequence[Organization],
    summary: WriteSummary,
    now: str,
) -> tuple[dict[Kind, list[dict[str, Any]]], dict[Kind, list[dict[str, Any]]]]:
    """Split incoming organizations into new and changed rows, grouped by kind."""
    new: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    changed: dict[Kind, list[dict[str, Any]]] = defaultdict(list)
    for org in organizations:
        row = org.model_dump(mode="json")
        row["updated_at"] = now
        old = stored.get(org.id)
        if old is None:
            new[org.kind].append(row)
            summary.organizations_created += 1
        elif old["kind"] != org.kind.value:
            raise StoreError(
                f"organization {org.id!r} is stored as a {old['kind']}; its kind cannot "
                f"change to {org.kind.value} (delete it first)"
            )
        elif _org_values(old) != _org_values(row):
            changed[org.kind].append(row)
            summary.organizations_updated += 1
        else:
            summary.organizations_unchanged += 1
    return new, changed


def _chunks(rows: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
