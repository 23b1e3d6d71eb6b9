"""Helpers for talking to LadybugDB: opening a database, embedded-dialect statements and Arrow
tables as rows."""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from app.store.queries import query

if TYPE_CHECKING:
    import ladybug

__all__ = ["TORN_WAL_MESSAGES", "columns", "iter_records", "now", "open_database", "q", "records"]

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
