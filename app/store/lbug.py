"""Helpers for talking to LadybugDB: embedded-dialect statements and Arrow tables as rows."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa

from app.store.queries import query

__all__ = ["columns", "iter_records", "now", "q", "records"]


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
