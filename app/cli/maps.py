"""``ecomap map``: the interactive network map of a filtered ecosystem, as one HTML file.

``--view NAME`` draws a saved view (:mod:`app.services.views`): its filters, colour, size and
layout. FILTERS given beside it combine with the view's (:func:`app.services.views.combine`: a
filter given replaces the view's filter of the same name, the view's others stay), and
``--color-by``, ``--size-by`` and ``--layout`` given replace the view's.
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
    print_hint,
    print_json,
    print_report,
    seed_option,
    stderr,
    stdout,
)
from app.cli.filters import SPEC_KEY, with_filters
from app.cli.views import cli_person
from app.errors import NotFoundError
from app.filters import FilterSpec
from app.services import explore, views
from app.services.hints import filter_hints
from app.services.maps import (
    AGGREGATIONS,
    COLOR_BY,
    LAYOUTS,
    SIZE_BY,
    MapOptions,
    build_map,
)
from app.services.output import check_writable, write_text_atomically
from app.store.base import GraphStore

__all__ = ["demo", "map_command", "write_atomically"]


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder, so a failure
    never leaves a half-written file behind (raised as
    :class:`~app.services.output.OutputError`, naming ``path``)."""
    write_text_atomically(path, text)


def _choice(value: str, allowed: tuple[str, ...], option: str) -> str:
    if value not in allowed:
        raise typer.BadParameter(f"use {'|'.join(allowed)}", param_hint=option)
    return value


#: What ``--draw`` takes; ``--view network|clusters`` meant it before saved views existed.
_DRAWINGS = ("network", "clusters")


def _saved_view(
    ctx: typer.Context, store: GraphStore, name: str, draw: str
) -> tuple[views.View | None, str]:
    """The saved view ``name`` and what to draw. ``--view network`` and ``--view clusters``
    kept their old meaning (``--draw``) unless a saved view has that name."""
    try:
        return views.resolve(store, name, cli_person(ctx)), draw
    except NotFoundError:
        if name not in _DRAWINGS:
            raise
    stderr.print(
        f"note: no saved view named {name!r}: drawing --draw {name} ('--view {name}' is "
        f"now '--draw {name}'; --view names a saved view)",
        highlight=False,
        markup=False,
    )
    return None, name


def _with_view(
    ctx: typer.Context, store: GraphStore, name: str, draw: str, spec: FilterSpec
) -> tuple[views.View | None, str, FilterSpec]:
    """The saved view ``name`` (see :func:`_saved_view`), what to draw, and the filters: the
    view's combined with ``spec`` (:func:`app.services.views.combine`), whose hints are
    printed (values that match nothing)."""
    view, draw = _saved_view(ctx, store, name, draw)
    if view is not None:
        spec = views.combine(view.filters, spec)
        if view.pinned:
            stderr.print(
                f"note: the view pins {view.pinned:,} position(s); maps do not take pinned "
                "positions yet, so this one is laid out afresh",
                highlight=False,
            )
    with store.read_session() as reader:
        for hint in filter_hints(reader, spec):
            print_hint(hint)
    return view, draw, spec


@with_filters
def map_command(
    ctx: typer.Context,
    spec: FilterSpec,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
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
    color_by: Annotated[
        str | None,
        typer.Option(
            "--color-by",
            help=f"Colour nodes by {'|'.join(COLOR_BY)} (default: kind, or the view's).",
            show_default=False,
        ),
    ] = None,
    size_by: Annotated[
        str | None,
        typer.Option(
            "--size-by",
            help=f"Size nodes by {'|'.join(SIZE_BY)} (default: degree, or the view's).",
            show_default=False,
        ),
    ] = None,
    layout: Annotated[
        str | None,
        typer.Option(
            "--layout", help="force|geo (default: force, or the view's).", show_default=False
        ),
    ] = None,
    max_nodes: Annotated[
        int,
        typer.Option("--max-nodes", min=1, help="Above this many organizations, aggregate."),
    ] = 1500,
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
    as_json: JsonOption = False,
) -> None:
    """Interactive network map (one HTML file that works offline)."""
    for value, allowed, option in (
        (color_by, COLOR_BY, "--color-by"),
        (size_by, SIZE_BY, "--size-by"),
        (layout, LAYOUTS, "--layout"),
    ):
        if value is not None:
            _choice(value, allowed, option)
    _choice(aggregate_by, AGGREGATIONS, "--aggregate")
    _choice(draw, _DRAWINGS, "--draw")
    if view_name is not None:
        ctx.meta[SPEC_KEY] = None  # the hints are the combined filters', once the view is read
    with (
        errors_to_exit_codes(as_json),
        open_cli_store(ctx) as store,
        analysis_bounds(ctx) as budget,
    ):
        check_writable(out)
        view = None
        if view_name is not None:
            view, draw, spec = _with_view(ctx, store, view_name, draw, spec)
        chosen = view.options if view is not None else None
        options = MapOptions(
            color_by=color_by or (chosen.color_by if chosen else "kind"),
            size_by=size_by or (chosen.size_by if chosen else "degree"),
            layout=(layout or (chosen.layout if chosen else "force")),  # type: ignore[arg-type]
            max_nodes=max_nodes,
            aggregate_by=aggregate_by,
            view=draw,  # type: ignore[arg-type]
            labels=labels,
            seed=seed,
            title=title or (view.name if view is not None else "EcoMap"),
        )
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
        "banners": result.banners,
    }
    if as_json:
        print_json(summary)
        return
    for banner in result.banners:
        stderr.print(banner, highlight=False, markup=False)
    stderr.print(
        f"{result.drawn_nodes:,} nodes and {result.drawn_edges:,} lines drawn "
        f"for {result.organizations:,} organizations.",
        highlight=False,
    )
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
    from app.services.report import report_html
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
        write_atomically(
            folder / "report.html",
            report_html(store, FilterSpec(), map_html=page.html, title=title),
        )
    paths = {"map": str(folder / "map.html"), "report": str(folder / "report.html")}
    if as_json:
        print_json({**counts.model_dump(), **paths})
        return
    stderr.print(f"Sample ecosystem loaded into {ctx.obj.db}", highlight=False, markup=False)
    print_report(report)
    print_counts(counts)
    for path in paths.values():
        stdout.print(path, markup=False)
