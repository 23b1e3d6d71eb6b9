"""The report of any selection: what ``ecomap report``, ``POST /api/report`` and the
explorer's "Download report" make.

One page (:mod:`app.render.report`) with the analyses of :mod:`app.services.report` on the
organizations the filters select, the interactive map of the same selection and, for print,
the same map as an SVG page with its legend and scale (:mod:`app.services.map_export`). A PDF
is that page printed by headless chromium on A4 (:func:`write_report`).

Like every analysis it is made in two steps: *fetch* (:func:`fetch_report_page`, one read
session) and *draw* (:func:`draw_report_page`, no store: the API runs it in a worker
process). ``progress`` callbacks hear the name of each phase as it starts (:data:`PHASES`).
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from app.filters import FilterSpec
from app.render.chromium import print_pdf
from app.render.print_map import PrintPage
from app.render.report import render_report
from app.services.deadline import checkpoint
from app.services.map_export import draw_map_and_print, selection_subtitle
from app.services.maps import Layout, MapGraph, MapOptions, fetch_map_graph
from app.services.output import atomic_path, check_writable, write_text_atomically
from app.services.report import DEFAULT_TITLE, ReportInputs, analyse_report, fetch_report
from app.store.base import GraphStore

__all__ = [
    "PHASES",
    "ReportFetched",
    "ReportOptions",
    "ReportPage",
    "build_report_page",
    "draw_report_page",
    "fetch_report_page",
    "report_filename",
    "write_report",
]

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]

#: The phases of a report, in order (a PDF adds "printing the PDF").
PHASES = (
    "reading the selection",
    "centralities",
    "communities",
    "cluster health",
    "missing links",
    "drawing the map",
    "writing the report",
)


@dataclass(frozen=True, slots=True)
class ReportOptions:
    """What the report shows besides the selection: its title, the seed of everything
    random, rows per ranking, and whether and how its map is drawn."""

    title: str = DEFAULT_TITLE
    seed: int = 0
    top_n: int = 10
    include_map: bool = True
    color_by: str = "cluster"
    size_by: str = "degree"
    layout: Layout = "force"
    max_nodes: int = 1500

    def map_options(self) -> MapOptions:
        """The map's options (checked there: an unknown colouring raises ValueError)."""
        return MapOptions(
            color_by=self.color_by,
            size_by=self.size_by,
            layout=self.layout,
            max_nodes=self.max_nodes,
            seed=self.seed,
            title=self.title,
        )


@dataclass(slots=True)
class ReportFetched:
    """What a report reads from the store: the analyses' inputs and the map's graph (None
    without a map). Plain data: it travels pickled to a worker process."""

    report: ReportInputs
    map: MapGraph | None = None


@dataclass(slots=True)
class ReportPage:
    """The report: ``html`` for the screen (the interactive map, and the printed one when
    printed from a browser) and ``print_html``, the same page with the printed map only
    (what the PDF is made from)."""

    html: str
    print_html: str
    organizations: int
    banners: list[str] = field(default_factory=list)


def report_filename(title: str) -> str:
    """A safe file name for a report titled ``title`` (what a download is saved as).

    >>> report_filename("Valmora: fashion & textile / 2025")
    'valmora-fashion-textile-2025.html'
    >>> report_filename("***")
    'ecomap-report.html'
    """
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in title.lower()).split()
    stem = "-".join(words)[:80].strip("-")
    return f"{stem or 'ecomap-report'}.html"


def fetch_report_page(
    store: GraphStore, spec: FilterSpec, options: ReportOptions, progress: Progress | None = None
) -> ReportFetched:
    """Read everything the report of the organizations ``spec`` selects needs, in one read
    session (the fetch step)."""
    if progress is not None:
        progress(PHASES[0])
    map_options = options.map_options()  # checked before any work
    with store.read_session() as view:
        report = fetch_report(view, spec)
        checkpoint()
        drawn = fetch_map_graph(view, spec, map_options) if options.include_map else None
    return ReportFetched(report, drawn)


def draw_report_page(
    fetched: ReportFetched,
    options: ReportOptions,
    *,
    budget: int | None = None,
    progress: Progress | None = None,
) -> ReportPage:
    """The report page from what :func:`fetch_report_page` read (the draw step): the
    analyses, then the map (interactive and printed), then the page; the centralities, of
    the actors and the map's sizes, within the work ``budget``."""
    data = analyse_report(
        fetched.report,
        seed=options.seed,
        top_n=options.top_n,
        budget=budget,
        progress=progress,
    )
    data["title"] = options.title
    banners: list[str] = []
    if fetched.map is not None:
        checkpoint()
        if progress is not None:
            progress(PHASES[5])
        subtitle = selection_subtitle(fetched.report.spec, fetched.map.cluster_names)
        interactive, printed = draw_map_and_print(
            fetched.map, options.map_options(), page=PrintPage(), subtitle=subtitle, budget=budget
        )
        data["map_html"], data["map_svg"] = interactive.html, printed.svg
        banners = printed.banners
    checkpoint()
    if progress is not None:
        progress(PHASES[6])
    html = render_report(data)
    print_html = render_report({**data, "map_html": None}) if data.get("map_svg") else html
    organizations = int(data["figures"]["network_organizations"])
    logger.info("report of %d organizations", organizations)
    return ReportPage(html, print_html, organizations, banners)


def build_report_page(
    store: GraphStore,
    spec: FilterSpec,
    options: ReportOptions,
    *,
    budget: int | None = None,
    progress: Progress | None = None,
) -> ReportPage:
    """:func:`fetch_report_page` then :func:`draw_report_page`."""
    fetched = fetch_report_page(store, spec, options, progress)
    return draw_report_page(fetched, options, budget=budget, progress=progress)


def write_report(
    page: ReportPage,
    out: Path,
    *,
    pdf: Path | None = None,
    browser: Path | None = None,
    progress: Progress | None = None,
) -> list[Path]:
    """Write the report to ``out`` (HTML) and, given ``pdf`` and a ``browser``
    (:func:`~app.render.chromium.find_chromium`), its A4 PDF; both or neither: each goes to
    a temporary file beside its target, renamed once both are complete (an interruption, a
    browser that fails, removes them). Returns the paths written."""
    check_writable(out)
    if pdf is None:
        write_text_atomically(out, page.html)
        return [out]
    if browser is None:
        raise ValueError("a PDF needs the browser that prints it")
    check_writable(pdf)
    if progress is not None:
        progress("printing the PDF")
    with tempfile.TemporaryDirectory(prefix="ecomap-report-") as folder:
        source = Path(folder) / "report.html"
        source.write_text(page.print_html, encoding="utf-8")
        with atomic_path(pdf) as target:
            print_pdf(source, target, browser=browser)
            write_text_atomically(out, page.html)
    return [out, pdf]
