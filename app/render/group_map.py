"""The map of groups: communities or declared clusters drawn as circles of their members,
with the strongest links between them (the summary of a network too large to draw whole).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import networkx as nx

from app.render.layout import force_layout
from app.render.network_map import MapDocument, MapLegend
from app.render.style import PALETTE, Category

__all__ = ["STRONGEST", "group_document", "strongest_links"]


#: Lines drawn per super-node: its strongest links (a summary of 200 communities would
#: otherwise draw some 20,000 lines, nearly all of them light).
STRONGEST = 6


def strongest_links(groups: nx.Graph, k: int) -> list[tuple[Any, Any, float]]:
    """Edges that are among the ``k`` heaviest of at least one of their ends.

    Examples
    --------
    >>> G = nx.Graph()
    >>> G.add_weighted_edges_from([("a", "b", 5), ("a", "c", 1), ("b", "c", 2), ("c", "d", 1)])
    >>> sorted((u, v) for u, v, _ in strongest_links(G, 1))
    [('a', 'b'), ('b', 'c'), ('c', 'd')]
    """
    keep: set[frozenset[Any]] = set()
    for node in groups:
        ranked = sorted(
            groups[node].items(), key=lambda item: (-item[1].get("weight", 1), str(item[0]))
        )
        keep.update(frozenset((node, other)) for other, _ in ranked[:k])
    return [
        (u, v, float(w))
        for u, v, w in groups.edges(data="weight", default=1)
        if frozenset((u, v)) in keep
    ]


def group_document(
    groups: nx.Graph,
    *,
    what: str,
    banners: list[str],
    title: str,
    seed: int = 0,
    check: Callable[[], None] | None = None,
) -> MapDocument:
    """A map whose nodes are groups of organizations (``what``: community or cluster), each
    sized by its ``members`` attribute and labelled by its ``label``, with each group's
    :data:`STRONGEST` links weighted by the ties between groups; ``check`` is called between
    the steps of the layout (a deadline)."""
    plural = "communities" if what == "community" else f"{what}s"
    positions = force_layout(groups, seed=seed, weight="weight", check=check)
    members = {g: int(a.get("members", 0)) for g, a in groups.nodes(data=True)}
    largest = max(members.values(), default=1) or 1
    ranked = sorted(groups, key=lambda g: (-members[g], str(g)))
    colors = {g: PALETTE[i % len(PALETTE)] for i, g in enumerate(ranked)}
    nodes = []
    for g in ranked:
        attrs = groups.nodes[g]
        label = str(attrs.get("label", g))
        tip = [
            ["name", label],
            ["members", f"{members[g]:,}"],
            ["ties inside", f"{int(attrs.get('internal_ties', 0)):,}"],
        ]
        if attrs.get("sample"):
            tip.append(["for example", ", ".join(map(str, attrs["sample"]))])
        x, y = positions[g]
        nodes.append(
            {
                "id": str(g),
                "name": label,
                "kind": what,
                "x": x,
                "y": y,
                "size": 10 + 40 * math.sqrt(members[g] / largest),
                "color": colors[g],
                "label": f"{label} ({members[g]:,})",
                "tip": tip,
                "drillable": True,
            }
        )
    kept = strongest_links(groups, STRONGEST)
    weights = [float(w) for _, _, w in kept]
    heaviest = max(weights, default=1.0)
    edges = []
    for u, v, w in sorted(kept, key=lambda e: (str(e[0]), str(e[1]))):
        label_u, label_v = groups.nodes[u].get("label", u), groups.nodes[v].get("label", v)
        edges.append(
            {
                "from": str(u),
                "to": str(v),
                "types": [],
                "dashes": False,
                "arrow": False,
                "width": 1 + 9 * math.log1p(float(w)) / math.log1p(heaviest),
                "color": "#7a8a9a",
                "tip": [
                    ["ties", f"{label_u} \u2013 {label_v}"],
                    ["ties between them", f"{int(w):,}"],
                ],
            }
        )
    shown = ranked[: len(PALETTE)]
    legend = MapLegend(
        color_title=what,
        colors=[
            Category(str(g), str(groups.nodes[g].get("label", g)), colors[g], members[g])
            for g in shown
        ],
        size_title="members",
        size_range=(f"{min(members.values(), default=0):,}", f"{largest:,}"),
        notes=[
            f"Each circle is a {what}, sized by its members; lines count the ties between {plural}"
            f" (each {what}'s {STRONGEST} strongest links: {len(kept):,} of "
            f"{groups.number_of_edges():,} shown)."
        ]
        + (
            [f"{len(ranked) - len(shown)} smaller {plural} share colours."]
            if len(ranked) > len(shown)
            else []
        ),
        banners=banners,
    )
    return MapDocument(title, nodes, edges, legend, settle=False, relayout=False)
