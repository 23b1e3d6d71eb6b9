"""The map document of individual organizations: colours, sizes, labels, tooltips, ties."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import networkx as nx

from app.render.basemap import ATTRIBUTION, base_map
from app.render.geo_layout import GeoLayout
from app.render.network_map import MapDocument, MapLegend
from app.render.style import REL_STYLES, category_colors, first_value, node_sizes, top_labelled
from app.sectors import SECTIONS, sector_section
from app.vocabulary import SYMMETRIC

__all__ = ["COLOR_TITLES", "SIZE_TITLES", "organization_document"]

COLOR_TITLES = {
    "kind": "kind",
    "type": "type",
    "community": "detected community",
    "cluster": "declared cluster (of several: the largest)",
    "sector": "sector (NACE section)",
    "region": "region",
    "country": "country",
}
SIZE_TITLES = {
    "degree": "partners (degree)",
    "betweenness": "betweenness (brokerage)",
    "closeness": "closeness",
    "harmonic": "harmonic closeness",
    "eigenvector": "eigenvector",
    "pagerank": "PageRank",
    "none": "all equal",
}
#: When two organizations are tied in several ways, the edge takes the first type's style.
TYPE_PRIORITY = ("SPUN_OUT_OF", "INVESTS_IN", "FUNDS", "SUPPLIES", "COLLABORATES_WITH", "MEMBER_OF")
TIP_FIELDS = (
    "kind",
    "type",
    "sectors",
    "city",
    "region",
    "country",
    "employees",
    "founded",
    "website",
    "tags",
)


def _text(value: Any) -> str | None:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, list | tuple):
        return ", ".join(map(str, value))
    return str(value)


def _category(attrs: Mapping[str, Any], color_by: str, extra: Mapping[str, Any]) -> str | None:
    if color_by in ("kind", "type", "region", "country"):
        return _text(attrs.get(color_by))
    if color_by == "sector":
        return sector_section(first_value(attrs.get("sectors")))
    if color_by == "cluster":
        return first_value(attrs.get("clusters"))
    value = extra.get("community")
    return None if value is None else str(value)


def _main_clusters(G: nx.Graph, order: Sequence[str]) -> dict[Hashable, str]:
    """The cluster whose colour a member of several clusters takes: the largest of them in
    ``order`` (the whole data's clusters, most members first), so that it is the same in
    every view; without ``order``, the one with most members on this map (ties: the smaller
    id)."""
    clusters = {n: list(c) for n, c in G.nodes(data="clusters", default=None) if c}
    members = Counter(c for own in clusters.values() for c in own)
    rank = {value: i for i, value in enumerate(order)}
    return {
        node: min(own, key=lambda c: (rank.get(c, len(rank)), -members[c], str(c)))
        for node, own in clusters.items()
        if len(own) > 1
    }


def _tip(
    node: Hashable,
    attrs: Mapping[str, Any],
    extra: Sequence[tuple[str, str]],
    cluster_names: Mapping[Hashable, str],
) -> list[list[str]]:
    rows = [["name", str(attrs.get("name") or node)], ["id", str(node)]]
    for key in TIP_FIELDS:
        text = _text(attrs.get(key))
        if text is not None:
            rows.append([key, text])
    clusters = attrs.get("clusters") or []
    if clusters:
        rows.append(["clusters", ", ".join(cluster_names.get(c, str(c)) for c in clusters)])
    description = _text(attrs.get("description"))
    if description:
        rows.append(["about", description if len(description) <= 280 else description[:277] + "…"])
    rows.extend([key, value] for key, value in extra)
    return rows


def _edges(
    G: nx.MultiDiGraph, names: Mapping[Hashable, str]
) -> tuple[list[dict[str, Any]], Counter[str]]:
    """One edge per pair of organizations, styled by its most specific relationship type."""
    by_pair: dict[tuple[Hashable, Hashable], list[tuple[Hashable, Hashable, str, float]]] = (
        defaultdict(list)
    )
    counts: Counter[str] = Counter()
    for u, v, key, attrs in G.edges(keys=True, data=True):
        if u == v:
            continue
        rel_type = str(attrs.get("type", key))
        weight = attrs.get("weight")
        pair = (u, v) if str(u) <= str(v) else (v, u)
        by_pair[pair].append((u, v, rel_type, 1.0 if weight is None else float(weight)))
        counts[rel_type] += 1
    edges = []
    rank = {t: i for i, t in enumerate(TYPE_PRIORITY)}
    for pair in sorted(by_pair, key=lambda p: (str(p[0]), str(p[1]))):
        ties = sorted(by_pair[pair], key=lambda t: (rank.get(t[2], len(rank)), str(t[0])))
        source, target, main, _ = ties[0]
        style = REL_STYLES.get(main)
        total = sum(t[3] for t in ties)
        tip = [["ties", f"{names[pair[0]]} \u2013 {names[pair[1]]}"]]
        for u, v, rel_type, weight in ties:
            label = REL_STYLES[rel_type].label if rel_type in REL_STYLES else rel_type
            arrow = "\u2013" if rel_type in SYMMETRIC else "→"
            tip.append([label, f"{names[u]} {arrow} {names[v]} (weight {weight:g})"])
        edges.append(
            {
                "from": str(source),
                "to": str(target),
                "types": sorted({t[2] for t in ties}),
                "width": min(1.0 + 1.5 * math.log1p(total), 8.0),
                "color": style.color if style else "#7a8a9a",
                "dashes": style.dashes if style else False,
                "arrow": bool(style and style.arrow),
                "tip": tip,
            }
        )
    return edges, counts


def _number(value: float) -> str:
    return f"{value:.3g}"


def organization_document(
    G: nx.MultiDiGraph,
    collab: nx.Graph,
    *,
    title: str,
    color_by: str,
    size_by: str,
    labels: int,
    positions: Mapping[Hashable, tuple[float, float]],
    unplaced: Sequence[Hashable] = (),
    size_scores: Mapping[Hashable, float],
    community: Mapping[Hashable, int] | None = None,
    cluster_names: Mapping[Hashable, str] | None = None,
    banners: Sequence[str] = (),
    geographic: bool = False,
    geo: GeoLayout | None = None,
    color_order: Sequence[str] = (),
) -> MapDocument:
    """Nodes, edges and legend of a map that draws every organization of ``G``.

    ``collab`` is ``G``'s collaboration network (used for partner counts); ``size_scores``
    the metric that sizes nodes and picks the ``labels`` organizations whose names are
    always shown; ``community`` the detected communities when colouring by them. ``geo``,
    the geographic layout that gave ``positions``, adds the base map and the edge markers
    of distant organizations (:func:`app.render.basemap.base_map`). ``color_order``: every
    category of the whole data, most frequent first, for colours that mean the same in every
    view (:func:`~app.render.style.category_colors`). A member of several clusters takes the
    colour of the largest (its tooltip names them all).
    """
    geographic = geographic or geo is not None
    far = {node: d for d in (geo.distant if geo else []) for node in d.nodes}
    cluster_names = cluster_names or {}
    names = {node: str(attrs.get("name") or node) for node, attrs in G.nodes(data=True)}
    extra_of = {node: {"community": community.get(node)} if community else {} for node in G}
    categories = {
        node: _category(attrs, color_by, extra_of[node]) for node, attrs in G.nodes(data=True)
    }
    if color_by == "cluster":
        categories.update(_main_clusters(G, color_order))
    display = dict(SECTIONS) if color_by == "sector" else {}
    if color_by == "cluster":
        display.update({str(c): n for c, n in cluster_names.items()})
    if color_by == "community":
        display.update(
            {str(c): f"community {int(c) + 1}" for c in set(community.values())}
            if community
            else {}
        )
    colors, color_legend = category_colors(categories, labels=display, order=color_order)
    sizes = node_sizes(size_scores)
    labelled = top_labelled(size_scores, labels) if size_by != "none" else set()
    nodes: list[dict[str, Any]] = []
    for node in sorted(G, key=str):
        attrs = G.nodes[node]
        extra = [("partners", str(collab.degree(node)))]
        if size_by != "none" and size_by != "degree":
            extra.append((size_by, _number(size_scores.get(node, 0.0))))
        if community is not None and node in community:
            extra.append(("community", str(community[node] + 1)))
        if node in far:
            extra.append(("on the map", f"at the edge, {far[node].km:,.0f} km away (arrow)"))
        x, y = positions[node]
        nodes.append(
            {
                "id": str(node),
                "name": names[node],
                "kind": _text(attrs.get("kind")),
                "x": round(float(x), 2),
                "y": round(float(y), 2),
                "size": round(sizes.get(node, 12.0), 2),
                "color": colors[node],
                "label": names[node] if node in labelled else "",
                "tip": _tip(node, attrs, extra, cluster_names),
            }
        )
    edges, type_counts = _edges(G, names)
    kinds: Counter[str] = Counter(str(n["kind"] or "unknown") for n in nodes)
    values = list(size_scores.values())
    notes = []
    if labelled:
        notes.append(
            f"Names shown: the {len(labelled)} organizations of highest {size_by}; "
            "hover any circle for its details, click it to see its partners."
        )
    if geographic:
        notes.append(
            f"Placed by latitude and longitude. {len(unplaced):,} organizations "
            "without coordinates are in the grid on the right."
            if unplaced
            else "Placed by latitude and longitude."
        )
    if far:
        notes.append(
            f"{len(far):,} organizations far from the others are drawn at the map's edge, "
            "an arrow pointing toward where they are, with the distance."
            if len(far) > 1
            else "1 organization far from the others is drawn at the map's edge, an arrow "
            "pointing toward where it is, with the distance."
        )
    basemap = base_map(geo, G.nodes) if geo is not None else None
    if basemap is not None:
        notes.append(ATTRIBUTION)
    legend = MapLegend(
        color_title=COLOR_TITLES[color_by],
        colors=color_legend,
        size_title=SIZE_TITLES[size_by],
        size_range=(_number(min(values)), _number(max(values)))
        if values and size_by != "none"
        else None,
        kinds=sorted(kinds.items()),
        edge_types=[(t, REL_STYLES[t], type_counts[t]) for t in REL_STYLES if type_counts[t]],
        notes=notes,
        banners=list(banners),
    )
    return MapDocument(
        title,
        nodes,
        edges,
        legend,
        settle=not geographic and len(nodes) <= 600,
        relayout=not geographic,
        basemap=basemap,
    )
