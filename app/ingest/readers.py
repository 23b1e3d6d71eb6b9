"""Readers for the input formats of DESIGN.md section 3.

Each reader yields :class:`Table` objects: the records of one file or sheet, each with the line
it starts on, plus the problems found in the file's shape (unknown or missing columns,
malformed rows). Cell values are left as they are (text for CSV); :mod:`app.ingest.validate`
checks them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from app.errors import Problem, excerpt
from app.fields import MAX_CELL_LENGTH
from app.ingest.limits import (
    MAX_COLUMNS,
    cell_problem,
    check_workbook,
    file_size_problem,
)
from app.ingest.spreadsheet import unescape_formula
from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS, VERIFICATION_PROPERTIES

__all__ = [
    "ORGANIZATION_COLUMNS",
    "RELATIONSHIP_COLUMNS",
    "Record",
    "Table",
    "TableKind",
    "count_lines",
    "read_csv",
    "read_xlsx",
]

TableKind = Literal["organizations", "relationships"]

# Beyond the canonical columns, organizations may carry ``source`` and their verification
# (an export does); ``updated_at`` is managed by the store and ignored on input.
_ACCEPTED = {
    "organizations": (*ORGANIZATION_COLUMNS, "source", *VERIFICATION_PROPERTIES, "updated_at"),
    "relationships": (*RELATIONSHIP_COLUMNS, "updated_at"),
}
# Only the columns that name a record: an update of stored organizations needs no name or
# kind (a new organization without them is refused row by row).
_REQUIRED = {"organizations": ("id",), "relationships": ("source", "target", "type")}
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
    if len(header) > MAX_COLUMNS:
        message = f"the header has {len(header):,} columns; at most {MAX_COLUMNS} are read"
        return [], [Problem(name, 1, "-", message)]
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


def _decode(path: Path, max_bytes: int | None) -> tuple[str | None, Problem | None]:
    too_large = file_size_problem(path, max_bytes)
    if too_large is not None:
        return None, too_large
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, Problem(path.name, line, "-", "the file is not UTF-8 text")


def read_csv(path: Path, kind: TableKind | None = None, *, max_bytes: int | None = None) -> Table:
    """Read one canonical CSV file; ``kind`` is detected from the header when not given.

    ``max_bytes``: a larger file is refused unread (``None``: no limit).
    """
    text, problem = _decode(path, max_bytes)
    if text is None:
        return Table(path.name, kind or "organizations", problems=[problem] if problem else [])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return Table(path.name, kind or "organizations", problems=[_csv_problem(path.name, 1, exc)])
    if header is not None and any(len(cell) > MAX_CELL_LENGTH for cell in header):
        return Table(path.name, kind or "organizations", problems=[cell_problem(path.name, 1, "-")])
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
    while True:
        try:
            cells = next(reader, None)
        except csv.Error as exc:  # the rest of the file cannot be trusted to split right
            table.problems.append(_csv_problem(table.name, line, exc))
            return
        if cells is None:
            return
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue  # a blank line, or a row of empty cells as spreadsheets export them
        if len(cells) != width:
            message = f"expected {width} cells, found {len(cells)}"
            table.problems.append(Problem(table.name, start, "-", message))
            continue
        long = [c for i, c in keep if len(cells[i]) > MAX_CELL_LENGTH]
        if long:
            table.problems.extend(cell_problem(table.name, start, c) for c in long)
            continue
        yield Record(start, {c: unescape_formula(cells[i].strip()) or None for i, c in keep})


def _csv_problem(name: str, line: int, exc: csv.Error) -> Problem:
    """A located problem for what the csv module refuses (a cell over its field limit)."""
    if "field larger than field limit" in str(exc):
        return cell_problem(name, line, "-")
    return Problem(name, line, "-", f"malformed CSV ({excerpt(str(exc))})")


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


def read_xlsx(path: Path, *, max_bytes: int | None = None) -> list[Table]:
    """Read the ``organizations`` and ``relationships`` sheets of one workbook.

    The archive is checked first (:func:`~app.ingest.limits.check_workbook`: sizes as they
    expand against ``max_bytes``, XML without entities, cells within the cap); openpyxl
    then parses it (through defusedxml). Whatever openpyxl still refuses is a located problem.
    """
    from openpyxl import load_workbook

    refused = check_workbook(path, max_bytes)
    if refused is not None:
        return [Table(path.name, "organizations", [], [refused])]
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile/KeyError/ValueError for broken files
        reason = excerpt(str(exc) or type(exc).__name__)
        problem = Problem(path.name, 1, "-", f"not a readable .xlsx workbook ({reason})")
        return [Table(path.name, "organizations", [], [problem])]
    tables = []
    try:
        for kind in ("organizations", "relationships"):
            name = f"{path.name}[{kind}]"
            if kind not in book.sheetnames:
                if kind == "organizations":
                    message = f"the workbook has no sheet named {kind!r}"
                    tables.append(Table(name, kind, [], [Problem(name, 1, "-", message)]))
                continue
            table = Table(name, kind, [], [])
            tables.append(table)
            _read_sheet(book[kind], table)
    finally:
        book.close()
    return tables


def _read_sheet(sheet: Any, table: Table) -> None:
    """Read one sheet into ``table``; what openpyxl cannot read is a problem at its row."""
    line = 0
    records: list[Record] = []
    table.records = records
    try:
        header_row = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
        header = [str(h) if h is not None else "" for h in header_row]
        while header and not header[-1].strip():
            header.pop()  # a formatted but empty cell right of the header
        if any(len(h) > MAX_CELL_LENGTH for h in header):
            table.problems.append(cell_problem(table.name, 1, "-"))
            return
        columns, problems = _check_header(table.name, table.kind, header)
        table.problems.extend(problems)
        if problems:
            return
        line = 1
        rows = sheet.iter_rows(min_row=2, min_col=1, max_col=len(columns), values_only=True)
        for line, values in enumerate(rows, start=2):
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            cells = {c: _cell_text(v) for c, v in zip(columns, values, strict=False)}
            long = [c for c, v in cells.items() if isinstance(v, str) and len(v) > MAX_CELL_LENGTH]
            if long:
                table.problems.extend(cell_problem(table.name, line, c) for c in long)
                continue
            records.append(Record(line, {c: v for c, v in cells.items() if c not in _IGNORED}))
    except Exception as exc:  # openpyxl raises ValueError, IndexError, KeyError, ...
        reason = excerpt(str(exc) or type(exc).__name__)
        table.problems.append(
            Problem(table.name, line + 1, "-", f"unreadable row in the workbook ({reason})")
        )
