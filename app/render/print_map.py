"""Maps for print: a :class:`~app.render.network_map.MapDocument` as one SVG page with its
title, a legend of the colours, sizes and ties, and a scale (a bar in kilometres on a
geographic map, a note on a force-directed one).

The page is laid out in CSS pixels (96 per inch) of a sheet of ``width_px`` x ``height_px``
printed at ``dpi``: A4 landscape at 300 dpi by default (3,508 x 2,480 pixels, 297 x 210 mm);
its ``width`` and ``height`` attributes are the pixel size, so that chromium rasterises it
(:func:`app.render.chromium.screenshot_png`) at exactly that size. Nodes and ties are drawn
where the layout put them (:mod:`app.render.layout`), fitted into the map area with their
aspect ratio kept, in the colours and relative sizes of the interactive map
(:mod:`app.render.style`). Every text is XML-escaped, and characters XML cannot hold are
replaced, so any name makes a valid document.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from app.render.network_map import MapDocument

__all__ = ["EARTH_RADIUS_KM", "PrintPage", "PrintScale", "mercator_scale", "svg_map"]

#: Mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088
_FONT = "system-ui, 'Liberation Sans', 'DejaVu Sans', Arial, Helvetica, sans-serif"
_INK, _MUTED, _RULE = "#1d2433", "#5a6477", "#d9dee7"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLOR = re.compile("#[0-9A-Fa-f]{3,8}")


@dataclass(frozen=True, slots=True)
class PrintPage:
    """The sheet: its size in pixels and the resolution it is printed at.

    Examples
    --------
    >>> page = PrintPage()
    >>> round(page.width, 1), round(page.height, 1), page.width_mm, page.height_mm
    (1122.6, 793.6, 297.0, 210.0)
    """

    width_px: int = 3508
    height_px: int = 2480
    dpi: int = 300

    def __post_init__(self) -> None:
        if self.width_px < 100 or self.height_px < 100 or not 36 <= self.dpi <= 1200:
            raise ValueError("a printed map is at least 100 x 100 pixels, at 36 to 1,200 dpi")

    @property
    def width(self) -> float:
        """Width in CSS pixels (1/96 inch)."""
        return self.width_px * 96 / self.dpi

    @property
    def height(self) -> float:
        return self.height_px * 96 / self.dpi

    @property
    def width_mm(self) -> float:
        return round(self.width_px / self.dpi * 25.4, 1)

    @property
    def height_mm(self) -> float:
        return round(self.height_px / self.dpi * 25.4, 1)


@dataclass(frozen=True, slots=True)
class PrintScale:
    """How distances read: ``units_per_km`` (layout units per kilometre, at ``latitude``)
    on a geographic map, which gets a scale bar; otherwise ``note`` says why there is none."""

    units_per_km: float | None = None
    latitude: float | None = None
    note: str = (
        "No distance scale: a force-directed layout draws organizations that are tied close "
        "together; distances on the page are not geographic."
    )


def mercator_scale(samples: Iterable[tuple[float, float, float]]) -> PrintScale | None:
    """The scale of a Web Mercator layout from ``(lat, lon, x)`` samples of placed nodes:
    ``x`` is fitted to the longitude in radians (least squares), and a kilometre is
    ``slope / (R cos(lat))`` layout units at the median latitude. None when fewer than two
    distinct longitudes or when ``x`` does not follow the longitude (R^2 < 0.98: not a
    geographic layout, or one with insets).

    Examples
    --------
    >>> scale = mercator_scale([(45.0, 10.0, 0.0), (45.0, 11.0, 100.0), (46.0, 10.5, 50.0)])
    >>> round(scale.units_per_km, 3), scale.latitude
    (1.272, 45.0)
    """
    rows = [(lat, math.radians(lon), x) for lat, lon, x in samples]
    if len({lon for _, lon, _ in rows}) < 2:
        return None
    n = len(rows)
    mean_l, mean_x = sum(r[1] for r in rows) / n, sum(r[2] for r in rows) / n
    sxx = sum((lon - mean_l) ** 2 for _, lon, _ in rows)
    sxy = sum((lon - mean_l) * (x - mean_x) for _, lon, x in rows)
    syy = sum((x - mean_x) ** 2 for _, _, x in rows)
    if sxx <= 0 or syy <= 0 or sxy <= 0 or sxy * sxy / (sxx * syy) < 0.98:
        return None
    slope = sxy / sxx
    latitude = sorted(lat for lat, _, _ in rows)[n // 2]
    return PrintScale(slope / (EARTH_RADIUS_KM * math.cos(math.radians(latitude))), latitude)


def _text(value: Any) -> str:
    return _NOT_XML.sub("\ufffd", str(value))


def _attr(value: Any) -> str:
    return quoteattr(_text(value))


def _color(value: Any, fallback: str = "#7a8a9a") -> str:
    return value if isinstance(value, str) and _COLOR.fullmatch(value) else fallback


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines of about ``width`` units at font ``size`` (average glyph 0.52 em)."""
    per_line = max(8, int(width / (0.52 * size)))
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= per_line:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _label(x: float, y: float, text: str, size: float, **extra: Any) -> str:
    attributes = "".join(f" {k.rstrip('_').replace('_', '-')}={_attr(v)}" for k, v in extra.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size:.1f}"{attributes}>'
        f"{escape(_text(text))}</text>"
    )


def _dashes(dashes: Any, unit: float) -> str:
    if dashes is True:
        dashes = [5, 5]
    if not isinstance(dashes, list) or not dashes:
        return ""
    return f' stroke-dasharray="{" ".join(f"{float(d) * unit:.1f}" for d in dashes)}"'


def _nice(length: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``length`` (> 0)."""
    power = 10 ** math.floor(math.log10(length))
    return max(step * power for step in (1, 2, 5) if step * power <= length)


class _Legend:
    """The legend column, written top to bottom from ``y``."""

    def __init__(self, x: float, y: float, width: float, size: float) -> None:
        self.x, self.y, self.width, self.size = x, y, width, size
        self.parts: list[str] = []

    def heading(self, text: str) -> None:
        self.y += self.size * 1.9
        self.parts.append(_label(self.x, self.y, text, self.size, font_weight="600"))
        self.y += self.size * 0.3

    def row(self, swatch: Callable[[float, float], str], text: str, count: int) -> None:
        """A line of the legend: ``swatch(x, y)`` draws its symbol centred at (x, y); a long
        ``text`` is cut, its ``count`` never."""
        self.y += self.size * 1.4
        self.parts.append(swatch(self.x + self.size * 0.6, self.y - self.size * 0.35))
        tail = f" ({count:,})"
        room = int((self.width - self.size * 1.7) / (0.52 * self.size)) - len(tail)
        label = _short(text, max(room, 6)) + tail
        self.parts.append(_label(self.x + self.size * 1.7, self.y, label, self.size))

    def note(self, text: str) -> None:
        size = self.size * 0.85
        for line in _wrap(text, self.width, size):
            self.y += size * 1.3
            self.parts.append(_label(self.x, self.y, line, size, fill=_MUTED))

    def scale_bar(self, scale: PrintScale, per_km: float) -> None:
        """A bar of a round number of kilometres, about 70% of the column wide."""
        km = _nice(self.width * 0.7 / per_km)
        length, half = km * per_km, km * per_km / 2
        self.y += self.size * 1.3
        top = self.y - self.size * 0.35
        bar = f'y="{top:.1f}" width="{half:.1f}" height="{self.size * 0.35:.1f}"'
        self.parts.append(
            f'<g class="scale-bar" data-km="{km:g}" stroke="{_INK}" stroke-width="0.6">'
            f'<rect x="{self.x:.1f}" {bar} fill="{_INK}"/>'
            f'<rect x="{self.x + half:.1f}" {bar} fill="#ffffff"/></g>'
        )
        self.y += self.size * 1.1
        small = self.size * 0.85
        self.parts.append(_label(self.x, self.y, "0", small))
        self.parts.append(_label(self.x + length, self.y, f"{km:,g} km", small, text_anchor="end"))
        self.note(f"Web Mercator, true at latitude {scale.latitude or 0:.1f}\u00b0.")


def _dot(color: str, radius: float) -> Callable[[float, float], str]:
    return lambda x, y: (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{_color(color)}" '
        f'stroke="#33415c" stroke-width="0.5"/>'
    )


def _stroke(color: str, dashes: Any, half: float) -> Callable[[float, float], str]:
    return lambda x, y: (
        f'<line x1="{x - half:.1f}" y1="{y:.1f}" x2="{x + half:.1f}" y2="{y:.1f}" '
        f'stroke="{_color(color)}" stroke-width="1.6"{_dashes(dashes, 0.4)}/>'
    )


def _legend(
    doc: MapDocument, legend: _Legend, scale: PrintScale | None, fit: float, labelled: int
) -> None:
    """Colours, sizes, ties, the scale and the map's notes, in the legend column."""
    info, size = doc.legend, legend.size
    legend.heading(f"Colour: {info.color_title}")
    for category in info.colors:
        legend.row(_dot(category.color, size * 0.45), category.label, category.count)
    legend.heading(f"Size: {info.size_title}")
    if info.size_range:
        low, high = info.size_range
        legend.note(f"Circle area grows with the value, from {low} to {high}.")
    else:
        legend.note("All circles have the same size.")
    if info.edge_types:
        legend.heading("Ties")
        for _type, style, count in info.edge_types:
            legend.row(_stroke(style.color, style.dashes, size * 0.6), style.label, count)
    legend.heading("Scale")
    if scale is not None and scale.units_per_km:
        legend.scale_bar(scale, scale.units_per_km * fit)
    else:
        legend.note((scale or PrintScale()).note)
    # The interactive map's notes, without what only a screen can do (hover, click).
    notes = [note.split("; hover")[0].rstrip(".") + "." for note in info.notes]
    if labelled and info.kinds:  # organizations (a map of groups names every group)
        notes = [n for n in notes if not n.startswith("Names shown")]
        notes.insert(
            0, f"Names shown for the {labelled:,} organizations of highest {info.size_title}."
        )
    for text in [*info.banners, *notes]:
        legend.y += size * 0.4
        legend.note(text)


def _fit(
    nodes: Sequence[Mapping[str, Any]], box: tuple[float, float, float, float]
) -> tuple[float, float, float]:
    """Scale and offsets that fit every circle (position and radius) into ``box``
    (left, top, width, height), centred, aspect kept."""
    left, top, width, height = box
    if not nodes:
        return 1.0, left + width / 2, top + height / 2
    xs = [(float(n["x"]) - float(n["size"]), float(n["x"]) + float(n["size"])) for n in nodes]
    ys = [(float(n["y"]) - float(n["size"]), float(n["y"]) + float(n["size"])) for n in nodes]
    x0, x1 = min(a for a, _ in xs), max(b for _, b in xs)
    y0, y1 = min(a for a, _ in ys), max(b for _, b in ys)
    fit = min(width / max(x1 - x0, 1e-9), height / max(y1 - y0, 1e-9))
    return (
        fit,
        left + (width - (x1 - x0) * fit) / 2 - x0 * fit,
        top + (height - (y1 - y0) * fit) / 2 - y0 * fit,
    )


def _labels(
    nodes: Sequence[Mapping[str, Any]], place: Mapping[str, tuple[float, float, float]], size: float
) -> list[str]:
    """Names under their circles, largest circles first; a name that would overlap one
    already placed is left out."""
    taken: list[tuple[float, float, float, float]] = []
    parts = []
    for node in sorted((n for n in nodes if n.get("label")), key=lambda n: -float(n["size"])):
        x, y, r = place[str(node["id"])]
        text = _short(_text(node["label"]), 40)
        half = 0.27 * size * len(text)
        box = (x - half, y + r + 0.2 * size, x + half, y + r + 1.25 * size)
        if any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in taken):
            continue
        taken.append(box)
        parts.append(
            _label(x, box[3] - 0.25 * size, text, size, text_anchor="middle", class_="label")
        )
    return parts


def svg_map(
    doc: MapDocument,
    *,
    page: PrintPage | None = None,
    subtitle: str = "",
    footer: str = "",
    scale: PrintScale | None = None,
) -> str:
    """The map ``doc`` as one SVG document (no XML declaration: it is also inlined in HTML).

    ``subtitle`` goes under the title (what the map selects), ``footer`` at the foot of
    the page; ``scale`` is a :func:`mercator_scale` for a geographic layout (None: the note
    of a force-directed one). Each node is a ``circle`` of class ``node`` with its id in
    ``data-id`` and its name in a ``title``; the legend is the group ``#legend``.
    """
    page = page or PrintPage()
    width, height = page.width, page.height
    margin = 0.03 * min(width, height)
    size = min(max(min(width, height) / 62, 7.0), 28.0)
    title_y = margin + size * 1.8
    head = title_y + (size * 1.6 if subtitle else 0) + size * 0.9
    foot = height - margin - size * 1.4
    column = min(max(width * 0.24, size * 13), size * 26)
    legend = _Legend(width - margin - column, head - size * 1.5, column, size)
    # room under the lowest circles for their names
    area = (margin, head, width - 2 * margin - column - size * 1.5, foot - head - size * 1.2)
    fit, dx, dy = _fit(doc.nodes, area)
    place = {
        str(n["id"]): (
            float(n["x"]) * fit + dx,
            float(n["y"]) * fit + dy,
            max(float(n["size"]) * fit, 1.2),
        )
        for n in doc.nodes
    }
    edges = []
    for edge in doc.edges:
        a, b = place.get(str(edge["from"])), place.get(str(edge["to"]))
        if a is None or b is None:
            continue
        stroke = max(float(edge.get("width", 1)) * fit, 0.35)
        edges.append(
            f'<line x1="{a[0]:.1f}" y1="{a[1]:.1f}" x2="{b[0]:.1f}" y2="{b[1]:.1f}" '
            f'stroke="{_color(edge.get("color"))}" stroke-width="{stroke:.2f}"'
            f"{_dashes(edge.get('dashes'), max(fit, 0.3))}/>"
        )
    circles = []
    for node in doc.nodes:
        x, y, r = place[str(node["id"])]
        circles.append(
            f'<circle class="node" data-id={_attr(node["id"])} cx="{x:.1f}" cy="{y:.1f}" '
            f'r="{r:.2f}" fill="{_color(node.get("color"))}"><title>'
            f"{escape(_text(node.get('name') or node['id']))}</title></circle>"
        )
    labelled = sum(1 for n in doc.nodes if n.get("label"))
    rule = legend.x - size * 0.75
    _legend(doc, legend, scale, fit, labelled)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{page.width_px}" '
        f'height="{page.height_px}" viewBox="0 0 {width:.1f} {height:.1f}" '
        f'font-family="{_FONT}" fill="{_INK}" data-width-mm="{page.width_mm:g}" '
        f'data-height-mm="{page.height_mm:g}" role="img">',
        f"<title>{escape(_text(doc.title))}</title>",
        f'<rect width="{width:.1f}" height="{height:.1f}" fill="#ffffff"/>',
        _label(margin, title_y, _short(_text(doc.title), 120), size * 1.8, font_weight="600"),
    ]
    if subtitle:
        below = title_y + size * 1.6
        parts.append(_label(margin, below, _short(subtitle, 220), size, fill=_MUTED))
    parts += [
        f'<g class="edges" stroke-opacity="0.55" stroke-linecap="round">{"".join(edges)}</g>',
        f'<g class="nodes" stroke="#33415c" stroke-width="{max(0.6 * fit, 0.25):.2f}">'
        f"{''.join(circles)}</g>",
        '<g class="labels" paint-order="stroke" stroke="#ffffff" '
        f'stroke-width="{size * 0.25:.1f}" stroke-linejoin="round">'
        f"{''.join(_labels(doc.nodes, place, size * 0.75))}</g>",
        f'<line x1="{rule:.1f}" y1="{head:.1f}" x2="{rule:.1f}" y2="{foot:.1f}" stroke="{_RULE}"/>',
        f'<g id="legend">{"".join(legend.parts)}</g>',
    ]
    if footer:
        small = size * 0.8
        parts.append(_label(margin, height - margin, _short(footer, 240), small, fill=_MUTED))
    parts.append("</svg>")
    return "\n".join(parts)
