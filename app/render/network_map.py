"""Self-contained interactive network maps: pyvis builds the vis-network data, a Jinja2
template makes one HTML file that loads nothing from anywhere.

pyvis' own templates fetch vis-network and Bootstrap from CDNs even with
``cdn_resources="in_line"``; this module inlines vis-network 9.1.2 (the build pyvis ships,
vendored as package data in ``static/vis-network/``, see its README) plus EcoMap's script and
stylesheet (``static/``), so the file opens offline. Node and edge data travel as JSON inside
``<script type="application/json">`` (escaped by Jinja's ``tojson``); tooltips are built by
the script with ``textContent``, so no text from the data is ever parsed as HTML.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from app.render.style import Category, RelStyle

__all__ = ["MapDocument", "MapLegend", "render_html", "vis_network_assets"]


@dataclass(slots=True)
class MapLegend:
    """What the always-visible legend says.

    ``kinds`` and ``edge_types`` become toggles: ``(kind, count)`` and
    ``(type, style, count)``. ``banners`` are shown above the map (aggregation, truncation),
    ``notes`` at the foot of the legend (e.g. organizations without coordinates).
    """

    color_title: str
    colors: list[Category]
    size_title: str
    size_range: tuple[str, str] | None = None
    kinds: list[tuple[str, int]] = field(default_factory=list)
    edge_types: list[tuple[str, RelStyle, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    banners: list[str] = field(default_factory=list)


@dataclass(slots=True)
class MapDocument:
    """Everything one map page shows.

    ``nodes``: dicts with ``id``, ``name``, ``kind``, ``x``, ``y``, ``size``, ``color`` (hex),
    ``label`` (shown always, may be empty), ``tip`` (``[[key, value], ...]``, the first row is
    the title). ``edges``: dicts with ``from``, ``to``, ``types``, ``width``, ``color``,
    ``dashes``, ``arrow`` and optionally ``tip``. ``settle`` runs vis-network's physics from
    the given positions until stable and then freezes it; otherwise the positions stay as
    computed. ``relayout`` offers a button that runs the force layout again (not on a
    geographic map, whose positions mean something). ``basemap`` is drawn under the
    network (:func:`app.render.basemap.base_map`).
    """

    title: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: MapLegend
    settle: bool = True
    relayout: bool = True
    filename: str = "ecomap-map"
    basemap: dict[str, Any] | None = None


@functools.cache
def vis_network_assets() -> tuple[str, str]:
    """The JavaScript and CSS of vis-network, vendored in ``static/vis-network/``.

    EcoMap's own copy (package data) rather than the one inside pyvis, whose file layout is
    pyvis' private business and may change in any release.
    """
    return _static("vis-network/vis-network.min.js"), _static("vis-network/vis-network.min.css")


@functools.cache
def _static(name: str) -> str:
    """The text of ``static/<name>`` (``/`` separates folders), read as package data."""
    path = resources.files("app.render").joinpath("static")
    for part in name.split("/"):  # one step at a time: every Traversable takes that
        path = path.joinpath(part)
    return path.read_text(encoding="utf-8")


@functools.cache
def _environment() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    environment = Environment(
        loader=PackageLoader("app.render", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Compact JSON: a base map is long lists of numbers.
    environment.policies["json.dumps_kwargs"] = {"sort_keys": True, "separators": (",", ":")}
    return environment


def _options(doc: MapDocument, n_edges: int) -> dict[str, Any]:
    physics: dict[str, Any] = {
        "enabled": doc.settle,
        "solver": "forceAtlas2Based",
        "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 90, "avoidOverlap": 0.3},
        "stabilization": {"enabled": True, "iterations": 150, "updateInterval": 50, "fit": True},
    }
    return {
        "autoResize": True,
        "physics": physics,
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_edges > 3000},
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "font": {"size": 30, "strokeWidth": 6, "strokeColor": "#ffffff"},
        },
        "edges": {
            "smooth": False if n_edges > 800 else {"type": "continuous"},
            "selectionWidth": 2,
        },
        "layout": {"improvedLayout": False},
    }


def _network(doc: MapDocument) -> Any:
    """A pyvis Network holding the nodes and edges in vis-network's shape."""
    from pyvis.edge import Edge
    from pyvis.network import Network

    net = Network(height="100%", width="100%", directed=False, cdn_resources="local")
    for node in doc.nodes:
        color = node["color"]
        net.add_node(
            node["id"],
            label=node.get("label") or "",
            color={"background": color, "border": "#33415c", "highlight": {"background": color}},
            x=node["x"],
            y=node["y"],
            size=node["size"],
            name=node["name"],
            kind=node.get("kind"),
            drillable=bool(node.get("drillable")),
            fullLabel=node["name"],
            tip=node["tip"],
        )
        net.node_map[node["id"]]["label"] = node.get("label") or ""  # pyvis falls back to the id
    # add_edge scans every existing edge for duplicates (quadratic); the edges here are
    # already unique pairs, so they are appended through pyvis' Edge directly.
    for i, edge in enumerate(doc.edges):
        options = {
            "id": i,
            "types": edge["types"],
            "width": edge["width"],
            "color": {"color": edge["color"], "opacity": 0.75},
            "dashes": edge["dashes"],
            "arrows": {"to": {"enabled": bool(edge.get("arrow")), "scaleFactor": 0.5}},
        }
        if edge.get("tip"):
            options["tip"] = edge["tip"]
        net.edges.append(Edge(edge["from"], edge["to"], False, **options).options)
    net.options = _options(doc, len(doc.edges))
    return net


def render_html(doc: MapDocument) -> str:
    """The map as one self-contained HTML page.

    Examples
    --------
    >>> from app.render.style import Category
    >>> legend = MapLegend("kind", [Category("company", "company", "#0072B2", 1)], "degree")
    >>> node = {"id": "a", "name": "<b>A</b>", "kind": "company", "x": 0, "y": 0, "size": 10,
    ...         "color": "#0072B2", "label": "<b>A</b>", "tip": [["name", "<b>A</b>"]]}
    >>> page = render_html(MapDocument("Demo", [node], [], legend))
    >>> "<b>A</b>" in page, "\\\\u003cb\\\\u003eA" in page, "https://" in page.split("<script>")[0]
    (False, True, False)
    """
    net = _network(doc)
    nodes, edges, _heading, _height, _width, _options_json = net.get_network_data()
    vis_js, vis_css = vis_network_assets()
    data = {
        "nodes": nodes,
        "edges": edges,
        "options": net.options,
        "filename": doc.filename,
        "rerunPhysics": {**net.options["physics"], "enabled": True},
        "rerunIterations": 300,
    }
    if doc.basemap is not None:
        data["basemap"] = doc.basemap
    from markupsafe import Markup

    template = _environment().get_template("map.html")
    return str(
        template.render(
            title=doc.title,
            legend=doc.legend,
            data=data,
            node_count=len(nodes),
            edge_count=len(edges),
            relayout=doc.relayout,
            vis_js=Markup(vis_js),
            vis_css=Markup(vis_css),
            map_js=Markup(_static("map.js")),
            basemap_js=Markup(_static("basemap.js")) if doc.basemap is not None else None,
            map_css=Markup(_static("map.css")),
        )
    )
