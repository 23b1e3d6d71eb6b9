"""``ecomap map``: the interactive network map of a filtered ecosystem, as one HTML file.

``--view NAME`` draws a saved view (:mod:`app.services.views`): its filters, colour, size and
layout. FILTERS given beside it combine with the view's (:func:`app.services.views.combine`: a
filter given replaces the view's filter of the same name, the view's others stay), and
``--color-by``, ``--size-by``, ``--layout``, ``--max-nodes``, ``--drill`` and ``--title`` given
replace the view's.
``--view network|clusters`` meant ``--draw network|clusters`` before saved views existed, and
still does while no saved view has that name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import (
    JsonOption,
    analysis_bounds,
    errors_to_exit_codes,
    open_cli_store,
    print_counts,
    print_json,
    print_report,
    seed_option,
    stderr,
    stdout,
)
from app.cli.filters import SPEC_KEY, with_filters
from app.cli.map_options import (
    LayoutOption,
    check_choices,
    choice,
    color_by_option,
    size_by_option,
)
from app.cli.progress import interruptible, phases
from app.cli.views import view_and_filters
from app.errors import NotFoundError
from app.filters import FilterSpec
from app.render.chromium import find_chromium
from app.render.print_map import PrintPage
from app.services import explore, views
from app.services.map_export import PRINT_PHASES, export_map, print_format
from app.services.maps import AGGREGATIONS, MapOptions, build_map
from app.services.output import check_writable, write_text_atomically
from app.settings import Settings

__all__ = ["demo", "map_command", "write_atomically"]

#: The default sheet of a printed map: A4 landscape at 300 dpi.
_A4 = PrintPage()


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a failure
    never leaves a half-written file behind (raised as
    :class:`~app.services.output.OutputError`, naming ``path``)."""
    write_text_atomically(path, text)


#: What ``--draw`` takes; ``--view network|clusters`` meant it before saved views existed.
_DRAWINGS = ("network", "clusters")


def _saved_view(
    ctx: typer.Context, name: str, draw: str, spec: FilterSpec, as_json: bool
) -> tuple[views.View | None, str, FilterSpec]:
    """The saved view ``name``, what to draw and the filters (the view's combined with
    ``spec``). ``--view network`` and ``--view clusters`` keep their old meaning (``--draw``)
    unless a saved view has that name."""
    ctx.meta[SPEC_KEY] = None  # the hints are the combined filters', once the view is read
    with errors_to_exit_codes(as_json), open_cli_store(ctx) as store:
        try:
            view, spec = view_and_filters(ctx, store, name, spec)
        except NotFoundError:
            if name not in _DRAWINGS:
                raise
        else:
            return view, draw, spec
    stderr.print(
        f"note: no saved view named {name!r}: drawing --draw {name} ('--view {name}' is "
        f"now '--draw {name}'; --view names a saved view)",
        highlight=False,
        markup=False,
    )
    ctx.meta[SPEC_KEY] = spec
    return None, name, spec


@with_filters
def map_command(
    ctx: typer.Context,
    spec: FilterSpec,
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="File to write: .html (interactive), or .svg/.png (for print)."
        ),
    ],
    view_name: Annotated[
        str | None,
        typer.Option(
            "--view",
            metavar="NAME",
            help="A saved view (ecomap views list): its filters, colour, size and layout. "
            "FILTERS given replace the view's filter of the same name (its others stay); "
            "--color-by, --size-by, --layout given replace its options.",
            show_default=False,
        ),
    ] = None,
    color_by: Annotated[str | None, color_by_option("nodes", "kind")] = None,
    size_by: Annotated[str | None, size_by_option("nodes")] = None,
    layout: LayoutOption = None,
    max_nodes: Annotated[
        int | None,
        typer.Option(
            "--max-nodes",
            min=1,
            help="Above this many organizations, aggregate (default: 1500, or the view's).",
            show_default=False,
        ),
    ] = None,
    aggregate_by: Annotated[
        str,
        typer.Option(
            "--aggregate",
            help="Above --max-nodes: community|cluster super-nodes, or the top organizations "
            "by --size-by.",
        ),
    ] = "community",
    draw: Annotated[
        str, typer.Option("--draw", help="network, or clusters (cluster-of-clusters view).")
    ] = "network",
    labels: Annotated[
        int, typer.Option("--labels", min=0, help="Names always shown for the top N.")
    ] = 25,
    seed: Annotated[int, seed_option("Seed of the layout and communities")] = 0,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help="Title shown on the map (default: EcoMap, or the view's name).",
            show_default=False,
        ),
    ] = None,
    drill: Annotated[
        list[str] | None,
        typer.Option(
            "--drill",
            help="Open this circle of the aggregated map (its community number or cluster id, "
            "as the map names it); repeat to go deeper (default: the view's).",
            show_default=False,
        ),
    ] = None,
    width: Annotated[
        int, typer.Option("--width", min=100, max=20_000, help=".svg/.png: width in pixels.")
    ] = _A4.width_px,
    height: Annotated[
        int, typer.Option("--height", min=100, max=20_000, help=".svg/.png: height in pixels.")
    ] = _A4.height_px,
    dpi: Annotated[
        int, typer.Option("--dpi", min=36, max=1200, help=".svg/.png: print resolution.")
    ] = _A4.dpi,
    as_json: JsonOption = False,
) -> None:
    """Network map: interactive (one HTML file that works offline), or for print (.svg,
    .png: title, legend and scale; A4 landscape at 300 dpi unless --width/--height/--dpi)."""
    check_choices(color_by, size_by, layout)
    view = None
    if view_name is not None:
        view, draw, spec = _saved_view(ctx, view_name, draw, spec, as_json)
    chosen = view.options if view is not None else None
    options = MapOptions(
        color_by=color_by or (chosen.color_by if chosen else "kind"),
        size_by=size_by or (chosen.size_by if chosen else "degree"),
        layout=layout or (chosen.layout if chosen else "force"),  # type: ignore[arg-type]
        max_nodes=max_nodes or (chosen.max_nodes if chosen else 1500),
        aggregate_by=choice(aggregate_by, AGGREGATIONS, "--aggregate"),
        view=choice(draw, _DRAWINGS, "--draw"),  # type: ignore[arg-type]
        labels=labels,
        seed=seed,
        title=title or (view.name if view is not None else "EcoMap"),
        drill=tuple(drill or (chosen.drill if chosen else ())),
    )
    if print_format(out) is not None:
        _print_map(ctx, spec, options, out, PrintPage(width, height, dpi), as_json)
        return
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx) as budget,
    ):
        check_writable(out)
        if not as_json:
            stderr.print("Building the map…", highlight=False)
        result = build_map(store, spec, options, budget=budget)
        write_atomically(out, result.html)
    summary = {
        "path": str(out),
        "organizations": result.organizations,
        "drawn_nodes": result.drawn_nodes,
        "drawn_edges": result.drawn_edges,
        "aggregated": result.aggregated,
        "layout": result.layout,
        "banners": result.banners,
        "warnings": result.warnings,
    }
    for warning in result.warnings:  # on stderr also with --json (stdout holds the JSON)
        stderr.print(f"warning: {warning}", highlight=False, markup=False)
    if as_json:
        print_json(summary)
        return
    for banner in result.banners:
        if banner not in result.warnings:
            stderr.print(banner, highlight=False, markup=False)
    stderr.print(
        f"{result.drawn_nodes:,} nodes and {result.drawn_edges:,} lines drawn "
        f"for {result.organizations:,} organizations.",
        highlight=False,
    )
    stdout.print(str(out), markup=False)


def _print_map(
    ctx: typer.Context,
    spec: FilterSpec,
    options: MapOptions,
    out: Path,
    page: PrintPage,
    as_json: bool,
) -> None:
    """``ecomap map -o FILE.svg|FILE.png``: the map for print (:mod:`app.services.map_export`)."""
    settings: Settings = ctx.obj
    with interruptible(), errors_to_exit_codes(as_json):
        if print_format(out) == "png":
            find_chromium(settings.chromium)  # before any work: a missing browser fails at once
        check_writable(out)
        with (
            open_cli_store(ctx) as store,
            analysis_bounds(ctx) as budget,
            phases(PRINT_PHASES, enabled=not as_json) as say,
        ):
            printed = export_map(
                store,
                spec,
                options,
                out,
                page=page,
                chromium=settings.chromium,
                budget=budget,
                progress=say,
            )
    summary = {
        "path": str(out),
        "width": page.width_px,
        "height": page.height_px,
        "organizations": printed.organizations,
        "drawn_nodes": printed.drawn_nodes,
        "drawn_edges": printed.drawn_edges,
        "aggregated": printed.aggregated,
        "banners": printed.banners,
    }
    if as_json:
        print_json(summary)
        return
    for banner in printed.banners:
        stderr.print(banner, highlight=False, markup=False)
    stdout.print(str(out), markup=False)


def demo(
    ctx: typer.Context,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for map.html and report.html (default: the database's folder).",
            show_default=False,
        ),
    ] = None,
    into_existing: Annotated[
        bool,
        typer.Option(
            "--into-existing",
            help="Load the sample even into a database that holds other organizations.",
        ),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Load the bundled (fictional) sample ecosystem; write its interactive map and report.

    Refuses a database that holds organizations of its own (the fictional ones would mix
    with them) unless --into-existing.
    """
    from app.services.maps import MapOptions, build_map
    from app.services.report_page import ReportOptions, build_report_page
    from app.services.sample import load_sample, other_organizations

    folder = out if out is not None else ctx.obj.db.resolve().parent
    title = "Valmora business-cluster ecosystem (fictional sample)"
    with errors_to_exit_codes(as_json), open_cli_store(ctx, write=True) as store:
        check_writable(folder, folder=True)
        others = other_organizations(store)
        if others and not into_existing:
            raise typer.BadParameter(
                f"the database holds {others:,} organizations that are not the "
                "sample's; load the fictional sample into it anyway with --into-existing, or "
                "give another --db",
                param_hint="--into-existing",
            )
        report = load_sample(store)
        counts = explore.stats(store)
        if not as_json:
            stderr.print("Drawing the map and running the analyses for the report…")
        page = build_map(store, FilterSpec(), MapOptions(title=title, color_by="cluster"))
        write_atomically(folder / "map.html", page.html)
        pages = build_report_page(store, FilterSpec(), ReportOptions(title=title))
        write_atomically(folder / "report.html", pages.html)
    paths = {"map": str(folder / "map.html"), "report": str(folder / "report.html")}
    if as_json:
        print_json({**counts.model_dump(), **paths})
        return
    stderr.print(f"Sample ecosystem loaded into {ctx.obj.db}", highlight=False, markup=False)
    print_report(report)
    print_counts(counts)
    for path in paths.values():
        stdout.print(path, markup=False)
