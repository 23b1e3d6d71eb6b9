"""The data commands: ``ecomap import``, ``stats``, ``export`` and ``generate``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.cli.common import (
    JsonOption,
    author_of,
    errors_to_exit_codes,
    open_cli_store,
    print_changes,
    print_counts,
    print_json,
    print_report,
    stderr,
    stdout,
)
from app.cli.filters import with_filters
from app.filters import FilterSpec
from app.ingest.validate import ImportMode
from app.services.explore import stats as store_stats
from app.services.export import EXPORT_FORMATS, ExportFormat, export_data, write_export
from app.services.importing import FORMATS, import_files
from app.services.output import check_writable

__all__ = ["export", "generate", "import_command", "stats"]


@contextmanager
def _progress(enabled: bool = True) -> Iterator[Any]:
    """A progress display on stderr; yields a callback ``(phase, done, total)``."""
    columns = (
        TextColumn("{task.description:<11}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=stderr, transient=True, disable=not enabled) as bar:
        tasks: dict[str, Any] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update


def import_command(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(
            metavar="ORGS [RELS]",
            help=(
                "Organizations then relationships (CSV), one .xlsx or node-link .json file, "
                "or one CORDIS participations file (.csv or .csv.gz) with --format cordis."
            ),
            show_default=False,
        ),
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format", help=f"Input format: {'|'.join(FORMATS)} (default: from the file suffix)."
        ),
    ] = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help=(
                "CORDIS projects file (rcn, programme_parts): tags each organization with the "
                "programme parts of its projects (ERC, MSCA, SC1, ...) and fills missing "
                "start years. Only with --format cordis."
            ),
            show_default=False,
        ),
    ] = None,
    valid_only: Annotated[
        bool,
        typer.Option("--valid-only", help="Load the valid rows and report the others."),
    ] = False,
    clear_empty: Annotated[
        bool,
        typer.Option("--clear-empty", help="A blank cell clears the stored value."),
    ] = False,
    replace: Annotated[
        bool,
        typer.Option(
            "--replace", help="Replace whole records: absent columns and blank cells clear."
        ),
    ] = False,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print what would change, field by field; write nothing."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Validate and import organizations and relationships (atomic and idempotent).

    An import changes only what its file gives: the columns it has, the cells with a value
    (--clear-empty: blank cells clear; --replace: whole records). It is recorded as one
    change set (see 'ecomap history'; undo with 'ecomap revert').

    --format cordis reads EU research participations (CORDIS, e.g. Horizon 2020): one
    organization per PIC (id pic-<PIC>) and a COLLABORATES_WITH tie between every two
    organizations that share projects, weighted by the number of shared projects.
    """
    if len(files) > 2:
        raise typer.BadParameter("give at most two files: ORGS [RELS]")
    if clear_empty and replace:
        raise typer.BadParameter("give --clear-empty or --replace, not both")
    mode: ImportMode = "replace" if replace else "clear_empty" if clear_empty else "merge"
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx, write=True) as store,
        _progress() as progress,
    ):
        report = import_files(
            store,
            files,
            fmt=fmt,
            valid_only=valid_only,
            progress=progress,
            projects=projects,
            max_input_bytes=ctx.obj.max_input_bytes,
            mode=mode,
            dry_run=dry_run,
            author=author_of(ctx),
        )
    if as_json:
        print_json(report.answer())
    elif dry_run:
        print_changes(report.changes)
        stderr.print(
            f"dry run: {len(report.changes):,} field(s) would change; nothing was written",
            highlight=False,
        )
    else:
        print_report(report)


def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Count organizations and relationships, by kind and by type."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        counts = store_stats(store)
    if as_json:
        print_json(counts.model_dump())
    else:
        print_counts(counts)


@with_filters
def export(
    ctx: typer.Context,
    spec: FilterSpec,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help=f"Output format: {'|'.join(EXPORT_FORMATS)}.", show_default=False
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "-o", "--output", help="File to write (a directory for csv).", show_default=False
        ),
    ],
) -> None:
    """Export the organizations and relationships, all or those matching FILTERS.

    A filtered export also holds the clusters its organizations are members of, with their
    MEMBER_OF relationships, so it imports back on its own; --rel-type restricts the other
    relationships.
    """
    if fmt not in EXPORT_FORMATS:
        raise typer.BadParameter(f"use one of {', '.join(EXPORT_FORMATS)}", param_hint="--format")
    export_format: ExportFormat = fmt  # type: ignore[assignment]
    with errors_to_exit_codes(), open_cli_store(ctx) as store:
        check_writable(output, folder=export_format == "csv")
        selection = export_data(store, spec)
        whole = store if selection.whole else None
        written = write_export(selection.data, export_format, output, history=whole)
    if selection.truncated:
        stderr.print(
            f"[yellow]warning:[/] more organizations match than the node cap of "
            f"{selection.limit:,}; only the first {selection.limit:,} (by id) were exported",
            highlight=False,
        )
    for path in written:
        stdout.print(str(path), markup=False)


def generate(
    orgs: Annotated[
        int, typer.Option("--orgs", min=10, help="Number of organizations.", show_default=False)
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Directory for the CSV pair.", show_default=False)
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same files).")] = 0,
) -> None:
    """Write a synthetic ecosystem of any size in the canonical CSV format."""
    from app.services.generate import generate_ecosystem, write_ecosystem_csv

    with errors_to_exit_codes():
        check_writable(out, folder=True)
    with errors_to_exit_codes(), _progress() as progress:
        ecosystem = generate_ecosystem(orgs, seed=seed)
        total = len(ecosystem.organizations) + len(ecosystem.relationships)
        paths = write_ecosystem_csv(
            ecosystem, out, progress=lambda done: progress("writing", done, total)
        )
    for path in paths:
        stdout.print(str(path), markup=False)
