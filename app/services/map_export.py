"""Maps at print resolution: ``ecomap map -o FILE.svg`` or ``-o FILE.png``.

The same map as the interactive one (:func:`app.services.maps.map_document`: the same
selection, aggregation, layout, colours and sizes) drawn as one SVG page with a title, the
selection in words, a legend and a scale (:mod:`app.render.print_map`); a PNG is that SVG
rasterised by headless chromium (:mod:`app.render.chromium`) at the page's pixel size.
Files are written whole or not at all (:mod:`app.services.output`).
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Callable, Hashable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import networkx as nx

from app.filters import FilterSpec
from app.process_state import paused_gc
from app.render.chromium import find_chromium, screenshot_png
from app.render.network_map import MapDocument, render_html
from app.render.print_map import PrintPage, PrintScale, mercator_scale, svg_map
from app.services.deadline import checkpoint
from app.services.maps import MapGraph, MapOptions, MapResult, fetch_map_graph, map_document
from app.services.output import atomic_path, write_text_atomically
from app.services.scope import scope_text
from app.store.base import GraphStore

__all__ = [
    "PRINT_FORMATS",
    "PRINT_PHASES",
    "PrintedMap",
    "draw_map_and_print",
    "draw_print_map",
    "export_map",
    "geo_scale",
    "print_format",
    "selection_subtitle",
]

logger = logging.getLogger(__name__)

#: The file suffixes ``ecomap map -o`` prints to (anything else is the interactive page).
PRINT_FORMATS = ("svg", "png")

#: The phases of :func:`export_map`, in order (a PNG's last one is "rasterising with chromium").
PRINT_PHASES = ("reading the selection", "laying out the map", "writing the SVG")

#: The XML declaration of a standalone SVG file.
_XML = '<?xml version="1.0" encoding="UTF-8"?>\n'


@dataclass(slots=True)
class PrintedMap:
    """The SVG page of a map and what it shows."""

    svg: str
    organizations: int
    drawn_nodes: int
    drawn_edges: int
    aggregated: str | None = None
    banners: list[str] = field(default_factory=list)


def print_format(path: Path) -> str | None:
    """``"svg"`` or ``"png"`` from the suffix of ``path`` (any case), None otherwise.

    >>> print_format(Path("Map.PNG")), print_format(Path("map.html"))
    ('png', None)
    """
    suffix = Path(path).suffix.lower().lstrip(".")
    return suffix if suffix in PRINT_FORMATS else None


def selection_subtitle(spec: FilterSpec, cluster_names: Mapping[Hashable, str]) -> str:
    """What a printed map shows, in words: ``Selection: cluster: ...; kind: ...``."""
    return "Selection: " + scope_text(spec, {str(k): v for k, v in cluster_names.items()})


def _degrees(value: object, limit: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and -limit <= value <= limit else None


def geo_scale(graph: nx.Graph, doc: MapDocument) -> PrintScale | None:
    """The scale of a geographic map ``doc`` of ``graph``'s organizations (see
    :func:`~app.render.print_map.mercator_scale`), from where the layout put the
    organizations that have coordinates and sit where they are (distant partners drawn as
    edge markers do not); None when it cannot be told."""
    markers = (doc.basemap or {}).get("markers", [])
    distant = {str(node) for marker in markers for node in marker.get("ids", [])}
    samples = []
    for node in doc.nodes:
        if str(node["id"]) in distant:
            continue
        attrs = graph.nodes[node["id"]] if node["id"] in graph else {}
        lat, lon = _degrees(attrs.get("lat"), 90), _degrees(attrs.get("lon"), 180)
        if lat is not None and lon is not None:
            samples.append((lat, lon, float(node["x"])))
    return mercator_scale(samples)


def _footer(organizations: int, doc: MapDocument, seed: int) -> str:
    return (
        f"Made with EcoMap on {date.today().isoformat()} \u00b7 {organizations:,} "
        f"organizations, {len(doc.nodes):,} circles and {len(doc.edges):,} lines drawn "
        f"\u00b7 layout seed {seed}"
    )


def _printed(
    fetched: MapGraph,
    options: MapOptions,
    doc: MapDocument,
    aggregated: str | None,
    page: PrintPage,
    subtitle: str | None,
) -> PrintedMap:
    geographic = options.layout == "geo" and aggregated in (None, "top")
    scale = geo_scale(fetched.graph, doc) if geographic else None
    if geographic and scale is None:
        scale = PrintScale(note="No distance scale: too few organizations have coordinates.")
    organizations = len(fetched.graph)
    svg = svg_map(
        doc,
        page=page,
        subtitle=subtitle or "",
        footer=_footer(organizations, doc, options.seed),
        scale=scale,
    )
    return PrintedMap(
        svg=svg,
        organizations=organizations,
        drawn_nodes=len(doc.nodes),
        drawn_edges=len(doc.edges),
        aggregated=aggregated,
        banners=list(doc.legend.banners),
    )


def draw_print_map(
    fetched: MapGraph,
    options: MapOptions,
    *,
    page: PrintPage | None = None,
    subtitle: str | None = None,
    executor: Executor | None = None,
    budget: int | None = None,
) -> PrintedMap:
    """The map of ``fetched`` (:func:`~app.services.maps.fetch_map_graph`) as one SVG page;
    ``subtitle`` says what it selects. It reads no store."""
    with paused_gc():
        doc, aggregated, _warnings = map_document(
            fetched.graph,
            options,
            truncated_at=fetched.truncated_at,
            cluster_names=fetched.cluster_names,
            executor=executor,
            budget=budget,
        )
        return _printed(fetched, options, doc, aggregated, page or PrintPage(), subtitle)


def draw_map_and_print(
    fetched: MapGraph,
    options: MapOptions,
    *,
    page: PrintPage | None = None,
    subtitle: str | None = None,
    budget: int | None = None,
) -> tuple[MapResult, PrintedMap]:
    """The interactive page and the SVG page of one map (laid out once), for the report."""
    with paused_gc():
        doc, aggregated, warnings = map_document(
            fetched.graph,
            options,
            truncated_at=fetched.truncated_at,
            cluster_names=fetched.cluster_names,
            budget=budget,
        )
        html = render_html(doc)
        printed = _printed(fetched, options, doc, aggregated, page or PrintPage(), subtitle)
    interactive = MapResult(
        html=html,
        organizations=printed.organizations,
        drawn_nodes=printed.drawn_nodes,
        drawn_edges=printed.drawn_edges,
        aggregated=aggregated,
        banners=printed.banners,
        layout="geo" if doc.basemap is not None else "force",
        warnings=[banner for banner in doc.legend.banners if banner in warnings],
    )
    return interactive, printed


def _write_png(svg: str, out: Path, page: PrintPage, browser: Path) -> None:
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><style>html, body { margin: 0; '
        "background: #ffffff; overflow: hidden; } svg { display: block; }</style></head><body>"
        f"{svg}</body></html>"
    )
    with tempfile.TemporaryDirectory(prefix="ecomap-print-") as folder:
        source = Path(folder) / "map.html"
        source.write_text(html, encoding="utf-8")
        with atomic_path(out) as target:
            screenshot_png(
                source, target, width=page.width_px, height=page.height_px, browser=browser
            )


def export_map(
    store: GraphStore,
    spec: FilterSpec,
    options: MapOptions,
    out: Path,
    *,
    page: PrintPage | None = None,
    chromium: Path | str | None = None,
    budget: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> PrintedMap:
    """Write the map of the organizations ``spec`` selects to ``out``, an SVG or a PNG
    (by its suffix, :func:`print_format`) of ``page``'s size.

    A PNG needs chromium (``chromium``: the configured path, ``ECOMAP_CHROMIUM``): it is
    looked for before any work, so a machine without it fails at once with
    :class:`~app.render.chromium.ChromiumMissingError`. ``progress`` hears each phase.
    """
    page = page or PrintPage()
    kind = print_format(out)
    if kind is None:
        raise ValueError(f"{out}: a printed map is a .svg or a .png file")
    browser = find_chromium(chromium) if kind == "png" else None
    say = progress or (lambda _: None)
    say("reading the selection")
    fetched = fetch_map_graph(store, spec, options)
    checkpoint()
    say("laying out the map")
    subtitle = selection_subtitle(spec, fetched.cluster_names)
    printed = draw_print_map(fetched, options, page=page, subtitle=subtitle, budget=budget)
    checkpoint()
    if browser is None:
        say("writing the SVG")
        write_text_atomically(out, _XML + printed.svg)
    else:
        say("rasterising with chromium")
        _write_png(printed.svg, out, page, browser)
    logger.info("printed map of %d organizations to %s", printed.organizations, out)
    return printed
