"""Import input files into a store: read, validate everything, then write atomically.

The whole import is one write session: the stored records it updates are read, the rows
merged with them as the import mode says (:mod:`app.ingest.validate`), checked, and written
with the change set that records them (:func:`app.services.history.recorded_write`); with
``dry_run`` the changes are computed the same way and nothing is written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from app.changes import Change, ChangeSet
from app.errors import ImportValidationError, Problem
from app.ingest.cordis import read_cordis
from app.ingest.nodelink import read_node_link_json
from app.ingest.readers import Table, count_lines, read_csv, read_xlsx
from app.ingest.validate import ImportMode, merge_relationships, validate_tables
from app.results import ImportResult, ImportSummary
from app.services.history import (
    HISTORY_FILE,
    planned_changes,
    read_history_file,
    recorded_write,
)
from app.settings import MIB, Settings
from app.store.base import GraphStore, WriteSummary

__all__ = [
    "DEFAULT_MAX_INPUT_BYTES",
    "FORMATS",
    "ImportFormat",
    "ImportReport",
    "Progress",
    "import_files",
]

logger = logging.getLogger(__name__)

ImportFormat = Literal["csv", "xlsx", "json", "cordis"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json", "cordis")
#: The input limit when a caller gives none: the default of ``ECOMAP_MAX_INPUT_MB`` (callers
#: with settings pass ``settings.max_input_bytes``).
DEFAULT_MAX_INPUT_BYTES: int = Settings.model_fields["max_input_mb"].default * MIB

#: Called as progress(phase, done, total) where phase is "validating" or "writing" (and
#: "reading", "pairing" for CORDIS participations).
Progress = Callable[[str, int, int], None]


@dataclass(slots=True)
class ImportReport:
    """What an import read, wrote and refused; ``notes`` are remarks that are not errors."""

    files: list[str]
    rows_read: int
    rows_rejected: int
    summary: WriteSummary = field(default_factory=WriteSummary)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    dry_run: bool = False
    #: With ``dry_run``: what the import would change; else empty.
    changes: list[Change] = field(default_factory=list)
    #: The change set that records the import (None: nothing changed, or a dry run).
    change_id: int | None = None

    def answer(self, files: Sequence[str] | None = None) -> ImportResult:
        """The answer of ``ecomap import --json`` and ``POST /api/import`` (``files``: the
        names to show instead of :attr:`files`, e.g. an upload's own file names)."""
        return ImportResult(
            ok=True,
            files=list(self.files if files is None else files),
            rows_read=self.rows_read,
            rows_rejected=self.rows_rejected,
            summary=ImportSummary.model_validate(self.summary),
            problems=[str(p) for p in self.problems],
            notes=self.notes,
            dry_run=self.dry_run,
            change_id=self.change_id,
            changes=self.changes,
        )


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


def read_tables(
    paths: Sequence[Path],
    fmt: str | None = None,
    *,
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
) -> list[Table]:
    """Read every input file into tables of records (nothing is validated yet); a file
    larger than ``max_input_bytes`` once decompressed is a problem."""
    tables: list[Table] = []
    for path in paths:
        if not path.is_file():
            raise ImportValidationError([Problem(str(path), 0, "-", "no such file")])
        kind = _format_of(path, fmt)
        if kind == "csv":
            tables.append(read_csv(path, max_bytes=max_input_bytes))
        elif kind == "xlsx":
            tables.extend(read_xlsx(path, max_bytes=max_input_bytes))
        elif kind == "json":
            tables.extend(read_node_link_json(path, max_bytes=max_input_bytes))
        else:
            tables.extend(read_cordis(path, max_bytes=max_input_bytes).tables)
    return tables


def import_files(
    store: GraphStore,
    paths: Sequence[Path],
    *,
    fmt: str | None = None,
    valid_only: bool = False,
    progress: Progress | None = None,
    projects: Path | None = None,
    max_input_bytes: int = DEFAULT_MAX_INPUT_BYTES,
    mode: ImportMode = "merge",
    dry_run: bool = False,
    author: str = "ecomap",
) -> ImportReport:
    """Validate and import organizations and relationships from ``paths``.

    With any problem, nothing is written and :class:`ImportValidationError` lists them all,
    unless ``valid_only`` is set: then the valid rows are written (relationships to rejected
    organizations are rejected too) and the report lists the problems. Importing the same
    files twice changes nothing.

    With ``fmt="cordis"``, ``paths`` is one CORDIS participations file (.csv or .csv.gz) and
    ``projects`` an optional CORDIS projects file (see :mod:`app.ingest.cordis`); the report
    counts the rows of those files.

    Every file is read within ``max_input_bytes`` once decompressed (``ECOMAP_MAX_INPUT_MB``:
    pass ``settings.max_input_bytes``) and the other caps of :mod:`app.ingest.limits`.

    ``mode`` says what blank cells and absent columns mean (``"merge"``: keep the stored
    value; see :mod:`app.ingest.validate`); ``dry_run`` computes the changes field by field
    (``report.changes``) and writes nothing. A real import is one change set by ``author``
    from the files' names (``report.change_id``); each organization it changes or creates is
    stamped as verified now by ``author``, unless its row gives a verification of its own
    (``verified_at``, ``verified_by``: an export imported back).
    """
    history_file = paths[0].parent / HISTORY_FILE if paths else None
    restore = None
    if history_file is not None and history_file.is_file() and (fmt or "csv") == "csv":
        restore = read_history_file(history_file, max_bytes=max_input_bytes)
    write = _Write(
        mode=mode, dry_run=dry_run, author=author, valid_only=valid_only, restore=restore
    )
    if (fmt or "").lower() == "cordis":
        return _import_cordis(
            store, paths, projects, write, progress=progress, max_input_bytes=max_input_bytes
        )
    if projects is not None:
        message = "a projects file goes with the cordis format only"
        raise ImportValidationError([Problem(projects.name, 0, "-", message)])
    csv_files = [
        p
        for p in paths
        if p.is_file() and p.suffix.lower() == ".csv" and p.stat().st_size <= max_input_bytes
    ]
    total_lines = sum(count_lines(p) - 1 for p in csv_files)  # less the header lines
    tables = read_tables(paths, fmt, max_input_bytes=max_input_bytes)
    report = ImportReport(files=[str(p) for p in paths], rows_read=0, rows_rejected=0)
    return _validate_and_write(store, tables, total_lines, report, write, progress)


@dataclass(frozen=True, slots=True)
class _Write:
    """How an import writes: its mode, dry run or not, its author, valid rows only."""

    mode: ImportMode
    dry_run: bool
    author: str
    valid_only: bool
    #: The history of an export (``history.jsonl`` beside the files) to restore.
    restore: list[ChangeSet] | None = None


def _import_cordis(
    store: GraphStore,
    paths: Sequence[Path],
    projects: Path | None,
    write: _Write,
    *,
    progress: Progress | None,
    max_input_bytes: int,
) -> ImportReport:
    if len(paths) != 1:
        message = "give one CORDIS participations file; a projects file goes in --projects"
        raise ImportValidationError([Problem(str(paths[-1]) if paths else "-", 0, "-", message)])
    files = [paths[0], *([projects] if projects is not None else [])]
    for path in files:
        if not path.is_file():
            raise ImportValidationError([Problem(str(path), 0, "-", "no such file")])
    read = read_cordis(paths[0], projects=projects, progress=progress, max_bytes=max_input_bytes)
    # The rows are those of the files; validation adds what it rejects (nothing, normally).
    report = ImportReport(
        [str(p) for p in files], read.rows_read, read.rows_rejected, notes=read.notes
    )
    return _validate_and_write(
        store, read.tables, read.records, report, write, progress, count_rows=False
    )


def _validate_and_write(
    store: GraphStore,
    tables: list[Table],
    total: int,
    report: ImportReport,
    write: _Write,
    progress: Progress | None,
    *,
    count_rows: bool = True,
) -> ImportReport:
    """Validate ``tables`` (``total`` records, for progress) and upsert them into ``store``,
    in one write session that also records the change set.

    ``count_rows``: count the validated records as the rows read (else the report has them).
    """
    checked = 0

    def tick(n: int) -> None:
        nonlocal checked
        checked += n
        if progress:
            progress("validating", checked, max(total, checked))

    def write_progress(done: int, total: int) -> None:
        if progress:
            progress("writing", done, total)

    source = ", ".join(Path(name).name for name in report.files)
    with recorded_write(store, author=write.author, source=source) as recorder:
        view = recorder.view
        kinds = view.organization_kinds()
        restore = write.restore
        if restore is not None and (kinds or view.change_sets(limit=1)[0]):
            message = f"{HISTORY_FILE} was not restored: the database is not empty"
            report.notes.append(message)
            restore = None
        stored = {}
        if write.mode != "replace":
            for table in tables:
                if table.kind == "organizations":
                    table.records = list(table.records)  # read twice: ids, then rows
            ids = {
                org_id
                for table in tables
                if table.kind == "organizations"
                for record in table.records
                if isinstance(org_id := record.cells.get("id"), str) and org_id in kinds
            }
            stored = view.organizations_by_id(ids)
        validated = validate_tables(
            tables, stored_kinds=kinds, stored=stored, mode=write.mode, tick=tick
        )
        if count_rows:
            report.rows_read = validated.rows_read
        report.rows_rejected += validated.rows_rejected
        report.problems = validated.problems
        if validated.problems and not write.valid_only:
            raise ImportValidationError(validated.problems)
        relationships = validated.relationships
        if write.mode != "replace" and relationships:
            stored_rels = view.relationships_by_key(rel.key for rel in relationships)
            relationships = merge_relationships(relationships, stored_rels, write.mode)
        if write.dry_run:
            report.dry_run = True
            report.changes = planned_changes(
                view, validated.organizations, relationships, verified_by=write.author
            )
            return report
        if restore is not None:  # the restored history says how these records came about
            view.restore_change_sets(restore)
            report.summary = view.upsert(
                validated.organizations, relationships, progress=write_progress
            )
            report.notes.append(f"restored {len(restore):,} change sets from {HISTORY_FILE}")
        else:
            report.summary = recorder.upsert(
                validated.organizations,
                relationships,
                progress=write_progress,
                verified_by=write.author,
            )
    report.change_id = recorder.change_id
    logger.info("imported %s: %s", ", ".join(report.files), report.summary)
    return report
