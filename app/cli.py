"""The ``ecomap`` command line (typer). Thin: parse options, call a service, print.

Results go to stdout (``--json``: JSON and nothing else); messages and progress go to stderr.
Exit codes: 0 ok, 1 runtime failure, 2 invalid input or usage.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app.cli_analyze import analyze_app, links
from app.cli_common import (
    JsonOption,
    errors_to_exit_codes,
    open_cli_store,
    print_counts,
    print_json,
    print_report,
    stderr,
    stdout,
)
from app.cli_filters import with_filters
from app.cli_map import demo, map_command
from app.cli_serve import serve
from app.domain import FilterSpec
from app.services.explore import path_text, paths_json, subgraph_json
from app.services.export import EXPORT_FORMATS, ExportFormat, export_data, write_export
from app.services.importing import FORMATS, ImportReport, import_files
from app.services.output import check_writable
from app.settings import Settings
from app.vocabulary import RelType

__all__ = ["app", "main"]

app = typer.Typer(
    name="ecomap",
    rich_markup_mode=None,
    help="Map, filter and analyse business-cluster ecosystems.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            envvar="ECOMAP_DB",
            help="Embedded database path (default: ./ecomap.lbug).",
            show_default=False,
        ),
    ] = None,
) -> None:
    try:
        ctx.obj = Settings(db=db) if db else Settings()
    except ValidationError as exc:
        stderr.print(f"[red]error:[/] invalid settings: {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None


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


def _report_json(report: ImportReport) -> dict[str, object]:
    summary = {name: getattr(report.summary, name) for name in report.summary.__slots__}
    return {
        "ok": True,
        "files": report.files,
        "rows_read": report.rows_read,
        "rows_rejected": report.rows_rejected,
        "summary": summary,
        "problems": [str(p) for p in report.problems],
        "notes": report.notes,
    }


@app.command("import")
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
    as_json: JsonOption = False,
) -> None:
    """Validate and import organizations and relationships (atomic and idempotent).

    --format cordis reads EU research participations (CORDIS, e.g. Horizon 2020): one
    organization per PIC (id pic-<PIC>) and a COLLABORATES_WITH tie between every two
    organizations that share projects, weighted by the number of shared projects.
    """
    if len(files) > 2:
        raise typer.BadParameter("give at most two files: ORGS [RELS]")
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
        )
    if as_json:
        print_json(_report_json(report))
    else:
        print_report(report)


@app.command()
def stats(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Count organizations and relationships, by kind and by type."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        counts = store.counts()
    if as_json:
        print_json(counts.model_dump())
    else:
        print_counts(counts)


@app.command()
@with_filters
def orgs(
    ctx: typer.Context,
    spec: FilterSpec,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many matches.")] = 0,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Rows to show.")] = 50,
    as_json: JsonOption = False,
) -> None:
    """List the organizations that match the filters, sorted by id."""
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        page = store.list_organizations(spec, offset=offset, limit=limit)
    if as_json:
        print_json(
            {
                "items": [o.model_dump(mode="json") for o in page.items],
                "offset": page.offset,
                "limit": page.limit,
                "has_more": page.has_more,
            }
        )
        return
    table = Table(box=None, pad_edge=False)
    for column in ("id", "name", "kind", "type", "city", "country", "employees"):
        table.add_column(column, justify="right" if column == "employees" else "left")
    for org in page.items:
        cells = (org.id, org.name, org.kind.value, org.type, org.city, org.country, org.employees)
        table.add_row(*("" if c is None else str(c) for c in cells))
    stdout.print(table, markup=False)
    shown = f"{offset + 1}-{offset + len(page.items)}" if page.items else "none"
    more = f"; more with --offset {offset + limit}" if page.has_more else ""
    stderr.print(f"rows {shown}{more}", highlight=False)


RelTypeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--rel-type", help="Walk only these relationship types (repeatable).", show_default=False
    ),
]
ClustersOption = Annotated[
    bool,
    typer.Option("--include-clusters", help="Walk through Cluster nodes and show them."),
]


def _rel_types(values: list[str] | None) -> list[RelType]:
    try:
        return [RelType(v.strip().upper()) for v in values or ()]
    except ValueError:
        allowed = ", ".join(t.value for t in RelType)
        raise typer.BadParameter(f"use {allowed}", param_hint="--rel-type") from None


@app.command()
def ego(
    ctx: typer.Context,
    org_id: Annotated[str, typer.Argument(metavar="ID", help="The organization in the middle.")],
    hops: Annotated[int, typer.Option("--hops", min=1, max=3, help="Steps out (1-3).")] = 1,
    rel_types: RelTypeOption = None,
    include_clusters: ClustersOption = False,
    as_json: JsonOption = False,
) -> None:
    """Show an organization's ego network: everyone within --hops relationships."""
    types = _rel_types(rel_types)
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        result = store.ego_network(
            org_id, hops=hops, rel_types=types, include_clusters=include_clusters
        )
    if as_json:
        print_json(subgraph_json(result, center=org_id, hops=hops))
        return
    graph = result.graph
    table = Table(box=None, pad_edge=False)
    for column in ("distance", "id", "name", "kind", "type"):
        table.add_column(column)
    ranked = sorted(graph.nodes(data=True), key=lambda item: (item[1]["distance"], item[0]))
    for node, attrs in ranked:
        cells = (attrs["distance"], node, attrs.get("name"), attrs.get("kind"), attrs.get("type"))
        table.add_row(*("" if c is None else str(c) for c in cells))
    stdout.print(table, markup=False)
    cut = f" (cut at {result.limit} organizations)" if result.truncated else ""
    stderr.print(
        f"{len(graph) - 1} organizations within {hops} step(s) of {org_id}, "
        f"{graph.number_of_edges()} relationships among them{cut}",
        highlight=False,
        markup=False,
    )


@app.command()
def path(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(metavar="A", help="One organization id.")],
    target: Annotated[str, typer.Argument(metavar="B", help="The other organization id.")],
    max_length: Annotated[
        int, typer.Option("--max-length", min=1, max=10, help="Longest path to look for.")
    ] = 6,
    rel_types: RelTypeOption = None,
    include_clusters: ClustersOption = False,
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000, help="Paths to show.")] = 20,
    as_json: JsonOption = False,
) -> None:
    """Show every shortest path between two organizations."""
    types = _rel_types(rel_types)
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        result = store.shortest_paths(
            source,
            target,
            max_length=max_length,
            rel_types=types,
            include_clusters=include_clusters,
            limit=limit,
        )
    if as_json:
        print_json(paths_json(result))
        return
    if not result.paths:
        stderr.print(f"no path of at most {max_length} steps", highlight=False)
        return
    for found in result.paths:
        stdout.print(path_text(found.nodes, found.types, found.directions), markup=False)
    more = f" (the first {limit}; there are more)" if result.truncated else ""
    stderr.print(f"{len(result.paths)} shortest path(s) of length {result.length}{more}")


@app.command()
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
        written = write_export(selection.data, export_format, output)
    if selection.truncated:
        stderr.print(
            f"[yellow]warning:[/] more organizations match than the node cap of "
            f"{selection.limit:,}; only the first {selection.limit:,} (by id) were exported",
            highlight=False,
        )
    for path in written:
        stdout.print(str(path), markup=False)


@app.command()
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


app.add_typer(analyze_app, name="analyze")
app.command()(links)
app.command()(demo)
app.command("map")(map_command)
app.command()(serve)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
