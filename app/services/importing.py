"""Import input files into a store: read, validate everything, then write atomically."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.errors import ImportValidationError, Problem
from app.ingest.readers import Table, count_lines, read_csv, read_node_link_json, read_xlsx
from app.ingest.validate import validate_tables
from app.store.base import GraphStore, WriteSummary

__all__ = ["FORMATS", "ImportFormat", "ImportReport", "Progress", "import_files"]

logger = logging.getLogger(__name__)

ImportFormat = Literal["csv", "xlsx", "json"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")

#: Called as progress(phase, done, total) where phase is "validating" or "writing".
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class ImportReport:
    """What an import read, wrote and refused."""

    files: list[str]
    rows_read: int
    rows_rejected: int
    summary: WriteSummary = field(default_factory=WriteSummary)
    problems: list[Problem] = field(default_factory=list)


def _format_of(path: Path, fmt: str | None) -> ImportFormat:
    chosen = (fmt or path.suffix.lstrip(".")).lower()
    if chosen not in FORMATS:
        raise ImportValidationError(
            [
                Problem(
                    path.name, 0, "-", f"unknown format {chosen!r}; use one of {', '.join(FORMATS)}"
                )
            ]
        )
    return chosen  # type: ignore[return-value]


def read_tables(paths: Sequence[Path], fmt: str | None = None) -> list[Table]:
    """Read every input file into tables of records (nothing is validated yet)."""
    tables: list[Table] = []
    for path in paths:
        if not path.is_file():
            raise ImportValidationError([Problem(str(path), 0, "-", "no such file")])
        kind = _format_of(path, fmt)
        if kind == "csv":
            tables.append(read_csv(path))
        elif kind == "xlsx":
            tables.extend(read_xlsx(path))
        else:
            tables.extend(read_node_link_json(path))
    return tables


def import_files(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    valid_only: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Validate and import organizations and relationships from ``paths``.

    With any problem, nothing is written and :class:`ImportValidationError` lists them all,
    unless ``valid_only`` is set: then the valid rows are written (relationships to rejected
    organizations are rejected too) and the report lists the problems. Importing the same
    files twice changes nothing.
    """
    csv_files = [p for p in paths if p.is_file() and p.suffix.lower() == ".csv"]
    total_lines = sum(count_lines(p) - 1 for p in csv_files)  # less the header lines
    checked = 0

    def tick(n: int) -> None:
        nonlocal checked
        checked += n
        if progress:
            progress("validating", checked, max(total_lines, checked))

    tables = read_tables(paths, fmt)
    validated = validate_tables(tables, stored_kinds=store.organization_kinds(), tick=tick)
    report = ImportReport(
        files=[str(p) for p in paths],
        rows_read=validated.rows_read,
        rows_rejected=validated.rows_rejected,
        problems=validated.problems,
    )
    if validated.problems and not valid_only:
        raise ImportValidationError(validated.problems)

    def write_progress(done: int, total: int) -> None:
        if progress:
            progress("writing", done, total)

    report.summary = store.upsert(
        validated.organizations, validated.relationships, progress=write_progress
    )
    logger.info("imported %s: %s", ", ".join(report.files), report.summary)
    return report
