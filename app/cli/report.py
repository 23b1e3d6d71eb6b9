"""``ecomap report``: the one-page report of any selection, as HTML and, with ``--pdf``, an A4
PDF printed by headless chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import (
    JsonOption,
    analysis_bounds,
    errors_to_exit_codes,
    open_cli_store,
    print_json,
    seed_option,
    stderr,
    stdout,
)
from app.cli.filters import SPEC_KEY, with_filters
from app.cli.map_options import (
    LayoutOption,
    check_choices,
    color_by_option,
    size_by_option,
)
from app.cli.progress import interruptible, phases
from app.cli.views import view_and_filters
from app.filters import FilterSpec
from app.render.chromium import find_chromium
from app.services.output import check_writable
from app.services.report import DEFAULT_TITLE
from app.services.report_page import PHASES, ReportOptions, build_report_page, write_report
from app.settings import Settings

__all__ = ["report_command"]


def _suffix(path: Path, suffix: str, option: str) -> Path:
    if path.suffix.lower() != suffix:
        raise typer.BadParameter(f"{path} is not a {suffix} file", param_hint=option)
    return path


@with_filters
def report_command(
    ctx: typer.Context,
    spec: FilterSpec,
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write.")],
    view_name: Annotated[
        str | None,
        typer.Option(
            "--view",
            metavar="NAME",
            help="A saved view (ecomap views list): its filters and its map's colour, size "
            "and layout. FILTERS given replace the view's filter of the same name (its "
            "others stay); --color-by, --size-by, --layout given replace its options.",
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        Path | None,
        typer.Option("--pdf", help="Also an A4 PDF, printed by headless chromium."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option(
            "--title",
            help=f"The report's title (default: {DEFAULT_TITLE!r}, or the view's name).",
            show_default=False,
        ),
    ] = None,
    top: Annotated[int, typer.Option("--top", min=1, max=100, help="Rows per ranking.")] = 10,
    with_map: Annotated[
        bool, typer.Option("--map/--no-map", help="Include the map (interactive and printed).")
    ] = True,
    color_by: Annotated[str | None, color_by_option("the map's nodes", "cluster")] = None,
    size_by: Annotated[str | None, size_by_option("the map's nodes")] = None,
    layout: LayoutOption = None,
    seed: Annotated[int, seed_option("Seed of the communities, samples and layout")] = 0,
    as_json: JsonOption = False,
) -> None:
    """The one-page report of the selected organizations: key figures, top actors,
    communities against declared clusters, cluster health, missing links and the map.

    Progress goes to stderr; Ctrl-C stops it and leaves no file behind.
    """
    settings: Settings = ctx.obj
    check_choices(color_by, size_by, layout)
    _suffix(out, ".html", "--out")
    if pdf is not None:
        _suffix(pdf, ".pdf", "--pdf")
    if view_name is not None:
        ctx.meta[SPEC_KEY] = None  # the hints are the combined filters', once the view is read
    with interruptible(), errors_to_exit_codes(as_json):
        view = None
        if view_name is not None:
            with open_cli_store(ctx) as store:
                view, spec = view_and_filters(ctx, store, view_name, spec)
        chosen = view.options if view is not None else None
        options = ReportOptions(
            title=title or (view.name if view is not None else DEFAULT_TITLE),
            seed=seed,
            top_n=top,
            include_map=with_map,
            color_by=color_by or (chosen.color_by if chosen else "cluster"),
            size_by=size_by or (chosen.size_by if chosen else "degree"),
            layout=layout or (chosen.layout if chosen else "force"),  # type: ignore[arg-type]
        )
        browser = find_chromium(settings.chromium) if pdf is not None else None
        check_writable(out)
        if pdf is not None:
            check_writable(pdf)
        known = (*PHASES, "printing the PDF") if pdf is not None else PHASES
        with (
            open_cli_store(ctx) as store,
            analysis_bounds(ctx) as budget,
            phases(known, enabled=not as_json) as say,
        ):
            page = build_report_page(store, spec, options, budget=budget, progress=say)
            written = write_report(page, out, pdf=pdf, browser=browser, progress=say)
    if as_json:
        print_json(
            {
                "html": str(out),
                "pdf": str(pdf) if pdf is not None else None,
                "organizations": page.organizations,
                "banners": page.banners,
            }
        )
        return
    for banner in page.banners:
        stderr.print(banner, highlight=False, markup=False)
    stderr.print(f"Report of {page.organizations:,} organizations.", highlight=False)
    for path in written:
        stdout.print(str(path), markup=False)
