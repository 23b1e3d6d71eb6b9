"""Interactive maps of a filtered ecosystem: FilterSpec -> subgraph -> styled, laid-out map.

Up to ``max_nodes`` organizations every organization is drawn; above it the map aggregates
(communities or declared clusters become super-nodes) or keeps the top organizations by a
metric, and says so in a banner. ``view="clusters"`` draws the cluster-of-clusters view.

A map is made in two steps, as an analysis is (:mod:`app.services.analyze`): *fetch*
(:func:`fetch_map_graph`) reads what the map needs from the store, in the caller's read
session; *draw* (:func:`draw_map`) computes metrics, communities, aggregation and layout and
renders the page from that plain, picklable data alone, so the API runs it in a worker
process. :func:`build_map` is both, for the CLI, the notebook and the report.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Literal, get_args

import networkx as nx

from app.filters import FilterSpec
from app.process_state import paused_gc
from app.render.aggregate import aggregate, cluster_graph, top_nodes
from app.render.geo_layout import MIN_LOCATED_SHARE, GeoLayout, geo_layout, located_share
from app.render.group_map import group_document
from app.render.layout import force_layout
from app.render.network_map import MapDocument, render_html
from app.render.organization_map import organization_document
from app.services.analyze import SAMPLE_ABOVE, SAMPLED_SOURCES, SEED_MAX, check_budget
from app.services.deadline import checkpoint
from app.services.map_groups import map_groups, open_groups
from app.store.base import GraphStore
from graph_analytics import centrality, collaboration_network, detect_communities

__all__ = [
    "AGGREGATIONS",
    "COLOR_BY",
    "LAYOUTS",
    "SIZE_BY",
    "MapGraph",
    "MapOptions",
    "MapResult",
    "build_map",
    "color_order",
    "draw_map",
    "fetch_map_graph",
    "geo_fallback",
    "map_document",
]

logger = logging.getLogger(__name__)

ColorBy = Literal["kind", "type", "community", "cluster", "sector", "region", "country"]
SizeBy = Literal[
    "degree", "betweenness", "closeness", "harmonic", "eigenvector", "pagerank", "none"
]
Layout = Literal["force", "geo"]
Aggregation = Literal["community", "cluster", "top"]
View = Literal["network", "clusters"]
COLOR_BY: tuple[str, ...] = get_args(ColorBy)
SIZE_BY: tuple[str, ...] = get_args(SizeBy)
LAYOUTS: tuple[str, ...] = get_args(Layout)
AGGREGATIONS: tuple[str, ...] = get_args(Aggregation)


@dataclass(frozen=True, slots=True)
class MapOptions:
    """How to draw the map; every choice is one of the module's tuples."""

    color_by: str = "kind"
    size_by: str = "degree"
    layout: Layout = "force"
    max_nodes: int = 1500
    aggregate_by: str = "community"
    view: View = "network"
    labels: int = 25
    seed: int = 0
    title: str = "EcoMap"
    include_clusters: bool = False
    #: Groups drilled into, outermost first: at each step the map keeps the members of that
    #: group (a community number or a cluster id, as the aggregated map names its circles)
    #: of the groups its ``aggregate_by`` makes of what the previous step kept.
    drill: tuple[str, ...] = ()
    #: Every category of ``color_by`` in the whole data, most frequent first
    #: (:func:`color_order`): the same category then has the same colour in every view.
    color_order: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for name, allowed in (
            ("color_by", COLOR_BY),
            ("size_by", SIZE_BY),
            ("layout", LAYOUTS),
            ("aggregate_by", AGGREGATIONS),
            ("view", get_args(View)),
        ):
            if getattr(self, name) not in allowed:
                raise ValueError(f"{name} must be one of {', '.join(allowed)}")
        if self.max_nodes < 1 or self.labels < 0:
            raise ValueError("max_nodes must be at least 1 and labels at least 0")
        if not 0 <= self.seed <= SEED_MAX:
            raise ValueError(f"seed must be between 0 and {SEED_MAX}")


@dataclass(frozen=True, slots=True)
class MapGraph:
    """What a map is drawn from, as read from the store (:func:`fetch_map_graph`).

    ``graph`` is the typed multigraph of ``GraphStore.subgraph``, or the collaboration
    network when the map can only summarise groups; ``truncated_at`` is the node cap when it
    cut the selection; ``cluster_names`` names every declared cluster (legend, tooltips).
    Plain data: it travels pickled to a worker process.
    """

    graph: nx.Graph
    truncated_at: int | None = None
    cluster_names: Mapping[Hashable, str] = field(default_factory=dict)


@dataclass(slots=True)
class MapResult:
    """The HTML page and what it shows: ``layout`` is the one drawn (``force`` when a
    geographic map was asked for data with too few coordinates, see :func:`geo_fallback`),
    ``warnings`` the banners that say something went other than asked."""

    html: str
    organizations: int
    drawn_nodes: int
    drawn_edges: int
    aggregated: str | None = None
    banners: list[str] = field(default_factory=list)
    layout: str = "force"
    warnings: list[str] = field(default_factory=list)


def scores_for(
    graph: nx.Graph,
    metric: str,
    *,
    seed: int = 0,
    executor: Executor | None = None,
    budget: int | None = None,
) -> dict[Hashable, float]:
    """One centrality of every node (compiled engine, in ``executor`` if given; sampled
    betweenness on large graphs), within ``budget`` (see
    :func:`~app.services.analyze.check_budget`)."""
    if metric == "none" or not len(graph):
        return dict.fromkeys(graph, 1.0)
    if metric == "degree":  # partners, which reads better in a legend than a share
        return {node: float(degree) for node, degree in graph.degree()}
    large = len(graph) > SAMPLE_ABOVE
    k = SAMPLED_SOURCES if large and metric == "betweenness" else None
    check_budget([metric], len(graph), graph.number_of_edges(), k=k, budget=budget)
    values = centrality(graph, [metric], k=k, seed=seed, engine="igraph", executor=executor)
    return values[metric]


def _cluster_names(G: nx.Graph) -> dict[Hashable, str]:
    return {n: str(a.get("name") or n) for n, a in G.nodes(data=True) if a.get("kind") == "cluster"}


def geo_fallback(G: nx.Graph) -> str | None:
    """Why a geographic map of ``G`` would mean little, or ``None`` if it is fine: fewer
    than ``MIN_LOCATED_SHARE`` (half) of the organizations have coordinates."""
    share = located_share(G)
    if share >= MIN_LOCATED_SHARE:
        return None
    located = round(share * len(G))
    return (
        f"Only {located:,} of {len(G):,} organizations ({share:.0%}) have coordinates, "
        f"fewer than the {MIN_LOCATED_SHARE:.0%} a geographic map needs: this map uses the "
        "force layout instead."
    )


def _not_geographic(options: MapOptions, drawn: str) -> list[str]:
    """The warning of a map of groups asked for with the geographic layout (a group has no
    one place): it is laid out by the ties between them."""
    if options.layout != "geo":
        return []
    return [f"The geographic layout draws organizations; this map draws {drawn}, laid out "
            "by the ties between them."]  # fmt: skip


def _drawing(options: MapOptions) -> dict[str, Any]:
    return {"title": options.title, "seed": options.seed, "check": checkpoint}


def map_document(
    G: nx.MultiDiGraph,
    options: MapOptions,
    *,
    truncated_at: int | None = None,
    cluster_names: Mapping[Hashable, str] | None = None,
    executor: Executor | None = None,
    budget: int | None = None,
) -> tuple[MapDocument, str | None, list[str]]:
    """The map of a typed multigraph (as ``GraphStore.subgraph`` returns), how it was
    aggregated (``None`` when every organization is drawn) and its warnings (the banners
    that say the map differs from what ``options`` asked: a geographic map drawn with the
    force layout, :func:`geo_fallback`). ``cluster_names`` names the declared clusters in
    the legend and tooltips (cluster nodes in ``G`` name themselves). Metrics and
    communities are computed in ``executor`` if given, within ``budget``."""
    typed = G.is_multigraph()
    collab = collaboration_network(G) if typed or G.is_directed() else G
    names = {**(cluster_names or {}), **_cluster_names(collab)}
    banners = []
    if truncated_at is not None:
        banners.append(
            f"The filter matched more organizations than the node cap of "
            f"{truncated_at:,}; only the first {truncated_at:,} are mapped."
        )
    n = len(collab)
    checkpoint()
    if options.view == "clusters":
        groups = cluster_graph(collab)
        banners.append(
            f"Cluster-of-clusters view: {groups.number_of_nodes():,} declared "
            f"clusters of {n:,} organizations."
        )
        warnings = _not_geographic(options, "declared clusters")
        banners.extend(warnings)
        doc = group_document(groups, what="cluster", banners=banners, **_drawing(options))
        return doc, "clusters", warnings
    if options.drill:
        G, collab, opened = open_groups(
            G, collab, options.drill, options.aggregate_by, options.seed, names, executor
        )
        banners.extend(opened)
        n = len(collab)
    if n > options.max_nodes and options.aggregate_by != "top":
        membership, labels = map_groups(collab, options.aggregate_by, options.seed, names, executor)
        groups = aggregate(collab, membership, labels=labels)
        what = options.aggregate_by
        banners.append(
            f"{n:,} organizations are more than the {options.max_nodes:,} drawn one by one: "
            f"each circle is a {what} ({groups.number_of_nodes():,} in all), sized by its "
            f"members and joined by the number of ties between them. Open a circle (in the "
            f"explorer: click it), narrow the filters, or raise the node limit, to see "
            f"organizations."
        )
        warnings = _not_geographic(options, f"{what} circles")
        banners.extend(warnings)
        doc = group_document(groups, what=what, banners=banners, **_drawing(options))
        return doc, what, warnings
    if not typed:
        raise ValueError("drawing organizations needs the typed multigraph, not a collapsed one")
    size_scores = scores_for(
        collab, options.size_by, seed=options.seed, executor=executor, budget=budget
    )
    checkpoint()
    aggregated = None
    if n > options.max_nodes:
        keep = top_nodes(collab, size_scores, options.max_nodes)
        banners.append(
            f"Showing the {options.max_nodes:,} organizations of highest "
            f"{options.size_by} out of {n:,}."
        )
        G = G.subgraph(keep).copy()
        collab = collab.subgraph(keep).copy()
        size_scores = {node: size_scores[node] for node in keep}
        aggregated = "top"
    community = None
    if options.color_by == "community":
        community = detect_communities(collab, seed=options.seed, executor=executor)
    checkpoint()
    geo: GeoLayout | None = None
    warning = geo_fallback(collab) if options.layout == "geo" else None
    if warning is not None:
        logger.info("geographic map of %d organizations: %s", n, warning)
        banners.append(warning)
    if options.layout == "geo" and warning is None:
        geo = geo_layout(collab)
        positions, unplaced = geo.positions, geo.unplaced
    else:
        positions, unplaced = force_layout(collab, seed=options.seed, check=checkpoint), []
    checkpoint()
    doc = organization_document(
        G,
        collab,
        title=options.title,
        color_by=options.color_by,
        size_by=options.size_by,
        labels=options.labels,
        positions=positions,
        unplaced=unplaced,
        size_scores=size_scores,
        community=community,
        cluster_names=names,
        banners=banners,
        geo=geo,
        color_order=options.color_order,
    )
    return doc, aggregated, [] if warning is None else [warning]


#: The values of :func:`app.services.facets.facets` that each ``color_by`` colours by.
_FACET_OF = {
    "kind": "kinds",
    "type": "types",
    "sector": "sectors",
    "region": "regions",
    "country": "countries",
    "cluster": "clusters",
}


def color_order(facets: Mapping[str, Any], color_by: str) -> tuple[str, ...]:
    """Every category ``color_by`` colours by, most frequent first (ties by value), from the
    filter values of the whole data (:func:`app.services.facets.facets`); empty for
    ``community``, whose numbers depend on the view.

    >>> color_order({"kinds": [{"value": "company", "count": 2},
    ...                        {"value": "cluster", "count": 5}]}, "kind")
    ('cluster', 'company')
    """
    values = facets.get(_FACET_OF.get(color_by, ""), [])
    ranked = sorted(values, key=lambda v: (-int(v["count"]), str(v["value"])))
    return tuple(str(v["value"]) for v in ranked)


def _summary_only(store: GraphStore, spec: FilterSpec, options: MapOptions) -> bool:
    """Whether the map certainly summarises groups, so the collaboration network suffices
    (known without reading the graph for the cluster view, or for an unfiltered map from
    the store's counts; never when drilling into a group, whose members may be drawn)."""
    if options.view == "clusters":
        return True
    if options.drill:
        return False
    if options.aggregate_by == "top" or not spec.is_empty() or spec.limit is not None:
        return False
    counts = store.counts()
    clusters = 0 if options.include_clusters else counts.by_kind.get("cluster", 0)
    return counts.nodes - clusters > options.max_nodes


def fetch_map_graph(store: GraphStore, spec: FilterSpec, options: MapOptions) -> MapGraph:
    """Read what the map of the organizations ``spec`` selects needs (the fetch step, in
    ``store``'s read session): the filtered graph, collapsed when ``options`` certainly
    summarise groups, and the names of the declared clusters."""
    with paused_gc():  # a large graph is built, and lives on
        result = store.subgraph(
            spec,
            include_clusters=options.include_clusters,
            collapsed=_summary_only(store, spec, options),
        )
        checkpoint()
        clusters = store.list_organizations(FilterSpec(kinds=["cluster"]), limit=100_000).items
    return MapGraph(
        result.graph,
        truncated_at=result.limit if result.truncated else None,
        cluster_names={c.id: c.name for c in clusters},
    )


def draw_map(
    fetched: MapGraph,
    options: MapOptions,
    *,
    executor: Executor | None = None,
    budget: int | None = None,
) -> MapResult:
    """The map of ``fetched`` as one HTML page (the draw step; it reads no store).

    Metrics and communities are computed in ``executor`` if given, each within ``budget``
    (see :func:`map_document`); the API runs this whole step in a worker process and passes
    no executor there.
    """
    with paused_gc():  # the collaboration network, aggregates and layout: long-lived
        doc, aggregated, warnings = map_document(
            fetched.graph,
            options,
            truncated_at=fetched.truncated_at,
            cluster_names=fetched.cluster_names,
            executor=executor,
            budget=budget,
        )
        html = render_html(doc)
    organizations = len(fetched.graph)
    logger.info("map of %d organizations: %d nodes drawn", organizations, len(doc.nodes))
    return MapResult(
        html=html,
        organizations=organizations,
        drawn_nodes=len(doc.nodes),
        drawn_edges=len(doc.edges),
        aggregated=aggregated,
        banners=doc.legend.banners,
        layout="geo" if doc.basemap is not None else "force",
        warnings=[banner for banner in doc.legend.banners if banner in warnings],
    )


def build_map(
    store: GraphStore,
    spec: FilterSpec,
    options: MapOptions,
    *,
    executor: Executor | None = None,
    budget: int | None = None,
) -> MapResult:
    """The interactive map of the organizations ``spec`` selects, as one HTML page:
    :func:`fetch_map_graph` then :func:`draw_map` (metrics and communities in ``executor``
    if given, each within ``budget``)."""
    # Millions of long-lived objects: the collector would rescan them at every step, and
    # once more on resuming if the graph were still alive then.
    with paused_gc():
        fetched = fetch_map_graph(store, spec, options)
        result = draw_map(fetched, options, executor=executor, budget=budget)
        del fetched
    return result
