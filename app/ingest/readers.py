"""Readers for the input formats of DESIGN.md section 3.

Each reader yields :class:`Table` objects: the records of one file or sheet, each with the line
it starts on, plus the problems found in the file's shape (unknown or missing columns,
malformed rows). Cell values are left as they are (text for CSV); :mod:`app.ingest.validate`
checks them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from app.errors import Problem
from app.ingest.spreadsheet import unescape_formula
from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS

__all__ = [
    "ORGANIZATION_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "Record",
    "Table",
    "TableKind",
    "count_lines",
    "read_csv",
    "read_node_link_json",
    "read_xlsx",
]

TableKind = Literal["organizations", "relationships"]

# Beyond the canonical columns, organizations may carry ``source``; ``updated_at`` is managed
# by the store and ignored on input.
_ACCEPTED = {
    "organizations": (*ORGANIZATION_COLUMNS, "source", "updated_at"),
    "relationships": (*RELATIONSHIP_COLUMNS, "updated_at"),
}
_REQUIRED = {"organizations": ("id", "name", "kind"), "relationships": ("source", "target", "type")}
_IGNORED = frozenset({"updated_at"})


@dataclass(frozen=True, slots=True)
class Record:
    """One input row: the line it starts on and its cells by column (blank cells are None)."""

    line: int
    cells: dict[str, Any]


@dataclass(slots=True)
class Table:
    """The records of one file or sheet, and the problems in its shape.

    ``records`` may be a one-pass iterator (CSV files stream); problems found while iterating
    are appended to ``problems``.
    """

    name: str
    kind: TableKind
    records: Iterable[Record] = ()
    problems: list[Problem] = field(default_factory=list)


def count_lines(path: Path) -> int:
    """Number of newline characters in a file (a cheap total for progress bars)."""
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            count += chunk.count(b"\n")
    return count


def detect_kind(header: list[str]) -> TableKind:
    """A header with ``source`` and ``target`` but no ``id`` belongs to a relationships file."""
    names = {h.strip().lower() for h in header}
    return (
        "relationships" if {"source", "target"} <= names and "id" not in names else "organizations"
    )


def _check_header(name: str, kind: TableKind, header: list[str]) -> tuple[list[str], list[Problem]]:
    columns = [h.strip().lower() for h in header]
    problems = []
    seen: set[str] = set()
    for column in columns:
        if column in seen:
            problems.append(Problem(name, 1, column, "column appears twice in the header"))
        elif column not in _ACCEPTED[kind]:
            allowed = ",".join(_ACCEPTED[kind][:-1])
            problems.append(
                Problem(name, 1, column or "(empty)", f"unknown column; expected {allowed}")
            )
        seen.add(column)
    for required in _REQUIRED[kind]:
        if required not in seen:
            problems.append(Problem(name, 1, required, "required column is missing"))
    return columns, problems


def _decode(path: Path) -> tuple[str | None, Problem | None]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(path.name, line, "-", "the file is not UTF-8 text")


def read_csv(path: Path, kind: TableKind | None = None) -> Table:
    """Read one canonical CSV file; ``kind`` is detected from the header when not given."""
    text, problem = _decode(path)
    if text is None:
        return Table(path.name, kind or "organizations", problems=[problem] if problem else [])
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        empty = Problem(path.name, 1, "-", "the file is empty")
        return Table(path.name, kind or "organizations", problems=[empty])
    kind = kind or detect_kind(header)
    columns, problems = _check_header(path.name, kind, header)
    table = Table(path.name, kind, problems=problems)
    if not problems:
        table.records = _csv_records(reader, columns, table)
    return table


def _csv_records(reader: Any, columns: list[str], table: Table) -> Iterator[Record]:
    keep = [(i, c) for i, c in enumerate(columns) if c not in _IGNORED]
    width = len(columns)
    line = reader.line_num + 1
    for cells in reader:
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # a blank line, or a row of empty cells as spreadsheets export them
        if len(cells) != width:
            message = f"expected {width} cells, found {len(cells)}"
            table.problems.append(Problem(table.name, start, "-", message))
            continue
        yield Record(start, {c: unescape_formula(cells[i].strip()) or None for i, c in keep})


def _cell_text(value: Any) -> Any:
    """A spreadsheet or JSON scalar as the text a CSV cell would hold (lists stay lists).

    Ids, years and codes are often typed as numbers; the data model parses text either way.
    """
    if isinstance(value, bool) or value is None or isinstance(value, list | dict):
        return value
    if isinstance(value, datetime):
        midnight = value.time() == datetime.min.time()
        return value.date().isoformat() if midnight else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value).strip() or None


def read_xlsx(path: Path) -> list[Table]:
    """Read the ``organizations`` and ``relationships`` sheets of one workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError for broken files
        return [
            Table(
                path.name,
                "organizations",
                [],
                [Problem(path.name, 1, "-", f"not a readable .xlsx workbook ({exc})")],
            )
        ]
    tables = []
    try:
        for kind in ("organizations", "relationships"):
            name = f"{path.name}[{kind}]"
            if kind not in book.sheetnames:
                if kind == "organizations":
                    tables.append(
                        Table(
                            name,
                            kind,
                            [],
                            [Problem(name, 1, "-", f"the workbook has no sheet named {kind!r}")],
                        )
                    )
                continue
            rows = book[kind].iter_rows(values_only=True)
            header = [str(h) if h is not None else "" for h in next(rows, ())]
            columns, problems = _check_header(name, kind, header)
            records: list[Record] = []
            table = Table(name, kind, records, problems)
            tables.append(table)
            if problems:
                continue
            for line, values in enumerate(rows, start=2):
                if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    continue
                cells = {
                    c: _cell_text(v)
                    for c, v in zip(columns, values, strict=False)
                    if c not in _IGNORED
                }
                records.append(Record(line, cells))
    finally:
        book.close()
    return tables


def read_node_link_json(path: Path) -> list[Table]:
    """Read ``{"nodes": [...], "links": [...]}`` (``"edges"`` is accepted for ``"links"``)."""
    text, problem = _decode(path)
    if text is None:
        return [Table(path.name, "organizations", problems=[problem] if problem else [])]
    node_records: list[Record] = []
    link_records: list[Record] = []
    nodes = Table(path.name, "organizations", node_records)
    links = Table(path.name, "relationships", link_records)
    try:
        for key, line, value in _top_level_arrays(text, ("nodes", "links", "edges")):
            table, records = (nodes, node_records) if key == "nodes" else (links, link_records)
            if not isinstance(value, dict):
                table.problems.append(Problem(path.name, line, key, "expected an object"))
                continue
            cells = {
                k.lower(): _cell_text(v) for k, v in value.items() if k.lower() not in _IGNORED
            }
            unknown = sorted(set(cells) - set(_ACCEPTED[table.kind]))
            for column in unknown:
                table.problems.append(Problem(path.name, line, column, "unknown field"))
            if not unknown:
                records.append(Record(line, cells))
    except json.JSONDecodeError as exc:
        nodes.problems.append(Problem(path.name, exc.lineno, "-", f"invalid JSON: {exc.msg}"))
    except ValueError as exc:
        nodes.problems.append(Problem(path.name, 1, "-", str(exc)))
    return [nodes, links]


def _top_level_arrays(text: str, keys: tuple[str, ...]) -> Iterator[tuple[str, int, Any]]:
    """Yield (key, line, element) for the elements of the named top-level arrays, in order."""
    decoder = json.JSONDecoder()
    pos, line, counted = _skip(text, 0), 1, 0

    def line_at(p: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, p)
        counted = p
        return line

    if not text[pos : pos + 1] == "{":
        raise ValueError('expected a JSON object with "nodes" and "links" arrays')
    pos = _skip(text, pos + 1)
    seen_nodes = False
    while text[pos : pos + 1] != "}":
        key, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos : pos + 1] != ":":
            raise json.JSONDecodeError("expected ':'", text, pos)
        pos = _skip(text, pos + 1)
        if key in keys and text[pos : pos + 1] == "[":
            seen_nodes = seen_nodes or key == "nodes"
            pos = _skip(text, pos + 1)
            while text[pos : pos + 1] != "]":
                element_line = line_at(pos)
                value, pos = decoder.raw_decode(text, pos)
                yield ("nodes" if key == "nodes" else "links"), element_line, value
                pos = _skip(text, pos)
                if text[pos : pos + 1] == ",":
                    pos = _skip(text, pos + 1)
                elif text[pos : pos + 1] != "]":
                    raise json.JSONDecodeError("expected ',' or ']'", text, pos)
            pos += 1
        else:
            _, pos = decoder.raw_decode(text, pos)
        pos = _skip(text, pos)
        if text[pos : pos + 1] == ",":
            pos = _skip(text, pos + 1)
        elif text[pos : pos + 1] != "}":
            raise json.JSONDecodeError("expected ',' or '}'", text, pos)
    if not seen_nodes:
        raise ValueError('the JSON object has no "nodes" array')


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos
