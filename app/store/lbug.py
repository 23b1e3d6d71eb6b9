"""Helpers for talking to LadybugDB: opening a database, embedded-dialect statements, Arrow
tables as rows and rows as Arrow tables."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.store.diff import ORG_CONTENT, RelRow, org_content
from app.store.queries import query
from app.vocabulary import ORGANIZATION_PROPERTIES, RELATIONSHIP_PROPERTIES, Kind

if TYPE_CHECKING:
    import ladybug

    from app.domain import Organization

__all__ = [
    "ORG_SCHEMA",
    "REL_COPY_SCHEMA",
    "REL_ROWS_SCHEMA",
    "TORN_WAL_MESSAGES",
    "columns",
    "iter_records",
    "now",
    "open_database",
    "organization_table",
    "q",
    "records",
    "relationship_table",
]

logger = logging.getLogger(__name__)

#: What LadybugDB 0.22 says when it opens a database whose write-ahead log ends in a record
#: torn by a process killed while it committed (tools/repro/lbug_kill_during_write.py).
TORN_WAL_MESSAGES = ("the WAL file is corrupted", "Reading past the end of the file")


def open_database(path: Path, **options: Any) -> ladybug.Database:
    """``ladybug.Database(path, **options)``, recovering from a torn write-ahead log.

    A process killed while it commits can leave the log ending in a torn record, and
    LadybugDB 0.22 then refuses to open the database at all, although that transaction never
    committed. Then the database is opened again replaying the log up to the torn record: every
    committed transaction is kept, the interrupted one is dropped (``tests/test_crash.py``
    checks that each reopened store holds the state before or after a killed write).
    """
    import ladybug

    try:
        return ladybug.Database(str(path), **options)
    except RuntimeError as exc:
        if not any(message in str(exc) for message in TORN_WAL_MESSAGES):
            raise
        logger.warning(
            "%s: the write-ahead log ends in a torn record (a write was interrupted while it "
            "committed); recovering the committed transactions before it: %s",
            path,
            exc,
        )
        return ladybug.Database(str(path), throw_on_wal_replay_failure=False, **options)


def q(name: str, **slots: Any) -> str:
    return query("embedded", name, **slots)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def columns(table: pa.Table, names: Sequence[str]) -> list[list[Any]]:
    return [table[name].to_pylist() for name in names]


def iter_records(table: pa.Table) -> Iterator[dict[str, Any]]:
    """Rows as dicts, made as they are consumed; faster than ``Table.to_pylist``."""
    names = table.column_names
    return (dict(zip(names, row, strict=True)) for row in zip(*columns(table, names), strict=True))


def records(table: pa.Table) -> list[dict[str, Any]]:
    return list(iter_records(table))


#: The node tables' columns, as Arrow types (lists of text, floats, 64-bit integers, text).
ORG_SCHEMA = pa.schema(
    [
        (name, pa.list_(pa.string()) if name in ("sectors", "tags") else
         pa.float64() if name in ("lat", "lon") else
         pa.int64() if name in ("employees", "founded") else pa.string())
        for name in ORGANIZATION_PROPERTIES
    ]
)  # fmt: skip
#: The rows of ``copy_relationships`` (LadybugDB's COPY takes the endpoints as ``from``, ``to``).
REL_COPY_SCHEMA = pa.schema(
    [("from", pa.string()), ("to", pa.string()), ("weight", pa.float64())]
    + [(name, pa.string()) for name in RELATIONSHIP_PROPERTIES if name != "weight"]
)
#: The rows of ``update_relationships`` and ``create_relationships`` (``from`` and ``to`` are
#: keywords after LOAD FROM).
REL_ROWS_SCHEMA = pa.schema(
    [("source", pa.string()), ("target", pa.string()), *list(REL_COPY_SCHEMA)[2:]]
)


def organization_table(orgs: Sequence[Organization], now: str) -> pa.Table:
    """Organizations as the Arrow rows of ``copy_nodes`` / ``create_nodes`` / ``update_nodes``,
    stamped ``now``."""
    columns: list[Sequence[Any]] = list(zip(*map(org_content, orgs), strict=True))
    data = dict(zip(ORG_CONTENT, columns, strict=True))
    data["kind"] = [Kind(k).value for k in data["kind"]]
    data["updated_at"] = [now] * len(orgs)
    return pa.table(data, schema=ORG_SCHEMA)


def relationship_table(rows: Sequence[RelRow], schema: pa.Schema) -> pa.Table:
    """Relationship rows as Arrow rows of ``schema`` (:data:`REL_COPY_SCHEMA` or
    :data:`REL_ROWS_SCHEMA`)."""
    source, _, target, *rest = zip(*rows, strict=True)
    return pa.table(dict(zip(schema.names, [source, target, *rest], strict=True)), schema=schema)
