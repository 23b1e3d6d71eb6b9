"""The one-page HTML report: key figures, top actors, communities against declared clusters,
cluster health, top missing links and the map, gathered from the analysis services.

:func:`report_data` returns plain, JSON-friendly data (its keys are documented in
:func:`app.render.report.render_report`); :func:`report_html` renders it as one
self-contained page, the interactive map embedded in it.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import networkx as nx

from app.domain import Organization
from app.filters import FilterSpec
from app.process_state import paused_gc
from app.render.report import render_report
from app.services.analyze import (
    Network,
    centrality_of,
    communities_of,
    fetch_network,
    health_of,
)
from app.services.deadline import checkpoint
from app.services.freshness import freshness_figures
from app.services.links import links_of
from app.services.scope import describe_filters
from app.services.suggestions import dismissed_pairs
from app.store.base import GraphStore
from app.vocabulary import Kind, RelType
from graph_analytics import collaboration_network

__all__ = [
    "DEFAULT_TITLE",
    "Progress",
    "ReportInputs",
    "analyse_report",
    "fetch_report",
    "report_data",
    "report_html",
]

logger = logging.getLogger(__name__)

DEFAULT_TITLE = "EcoMap ecosystem report"

#: The centralities of the "top actors" section, in the order shown.
ACTOR_METRICS = ("betweenness", "pagerank", "degree")


def _text(value: Any) -> str:
    return str(getattr(value, "value", value))


def _figures(graph: nx.MultiDiGraph, network: nx.Graph) -> dict[str, Any]:
    """Counts of the filtered graph (cluster nodes and memberships included) and the shape of
    its collaboration network (organizations only)."""
    kinds = Counter(_text(kind) for _, kind in graph.nodes(data="kind", default="unknown"))
    types = Counter(_text(key) for _, _, key in graph.edges(keys=True))
    n = len(network)
    pieces = sorted(map(len, nx.connected_components(network)), reverse=True) if n else []
    return {
        "organizations": graph.number_of_nodes(),
        "by_kind": {k.value: kinds[k.value] for k in Kind},
        "relationships": graph.number_of_edges(),
        "by_type": {t.value: types[t.value] for t in RelType},
        "network_organizations": n,
        "network_ties": network.number_of_edges(),
        "mean_partners": 2 * network.number_of_edges() / n if n else None,
        "density": float(nx.density(network)) if n > 1 else None,
        "components": len(pieces),
        "largest_component": pieces[0] if pieces else 0,
        "largest_component_share": pieces[0] / n if n else None,
        "isolates": sum(1 for size in pieces if size == 1),
    }


def _actors(
    analysed: Network, network: nx.Graph, *, seed: int, top_n: int, budget: int | None = None
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    ranked, notes = centrality_of(
        analysed, metrics=ACTOR_METRICS, top_n=top_n, seed=seed, budget=budget
    )
    rows: dict[str, list[dict[str, Any]]] = {m: ranked.rows(m) for m in ranked.root}
    for row in rows.get("degree", []):
        row["partners"] = network.degree(row["id"]) if row["id"] in network else None
    return rows, notes.model_dump()


def _communities(
    analysed: Network,
    network: nx.Graph,
    names: Mapping[str, str],
    *,
    seed: int,
    top_n: int,
) -> dict[str, Any]:
    """Detected communities (largest first, ``top_n`` of them described) and, per declared
    cluster, how its members split across them."""
    report = communities_of(analysed, seed=seed)
    membership = report.membership
    sizes = Counter(membership.values())
    order = sorted(sizes, key=lambda c: (-sizes[c], c))
    degree = dict(network.degree())
    described = []
    for community in order[:top_n]:
        members = [node for node, c in membership.items() if c == community]
        clusters = Counter(
            cluster for node in members for cluster in network.nodes[node].get("clusters") or ()
        )
        main = min(clusters.items(), key=lambda item: (-item[1], str(item[0])), default=None)
        leaders = sorted(members, key=lambda node: (-degree.get(node, 0), node))[:3]
        described.append(
            {
                "label": f"Community {community + 1}",
                "members": sizes[community],
                "main_cluster": None
                if main is None
                else {"id": main[0], "name": names.get(main[0], main[0]), "members": main[1]},
                "examples": [names.get(node, node) for node in leaders],
            }
        )
    clusters_split = [
        {
            "id": cluster,
            "name": names.get(cluster, cluster),
            "members": sum(split.values()),
            "communities": [
                {"label": f"Community {int(c) + 1}", "members": count} for c, count in split.items()
            ],
        }
        for cluster, split in report.cluster_split.items()
    ]
    clusters_split.sort(key=lambda row: (str(row["name"]).casefold(), row["id"]))
    agreement = report.agreement
    return {
        "algorithm": report.algorithm,
        "resolution": report.resolution,
        "modularity": report.modularity,
        "count": report.communities,
        "nmi": agreement and agreement.nmi,
        "ari": agreement and agreement.ari,
        "largest": described,
        "clusters": clusters_split,
    }


def _health(
    whole: nx.Graph,
    network: nx.Graph,
    clusters: list[str],
    names: Mapping[str, str],
    *,
    seed: int,
) -> list[dict[str, Any]]:
    """One row per declared cluster: its members in the filtered network, measured (like
    :func:`app.services.analyze.health_of`) inside the ``whole`` network."""
    members_of: dict[str, list[Hashable]] = {}
    for node, node_clusters in network.nodes(data="clusters"):
        for cluster in node_clusters or ():
            members_of.setdefault(cluster, []).append(node)
    rows = []
    for cluster in clusters:
        health = health_of(whole, members_of.get(cluster, []), seed=seed)
        top = health.brokers.top
        broker = None
        if top:
            broker = {
                "id": top[0].id,
                "name": names.get(str(top[0].id), str(top[0].id)),
                "betweenness": top[0].betweenness,
            }
        shares = health.triple_helix.shares
        rows.append(
            {
                "id": cluster,
                "name": names.get(cluster, cluster),
                "members": health.nodes,
                "ties": health.ties,
                "density": health.density,
                "mean_clustering": health.mean_clustering,
                "ei_index": health.ei_index,
                "components": health.components.count,
                "largest_share": health.components.largest_share,
                "isolates": [names.get(str(node), str(node)) for node in health.isolates],
                "top_broker": broker,
                "broker_path_share": health.brokers.path_share,
                "triple_helix": {
                    pair: share
                    for pair, share in sorted(shares.items(), key=lambda item: -(item[1] or 0))
                    if share
                },
            }
        )
    return rows


def _links(
    analysed: Network,
    names: Mapping[str, str],
    top_n: int,
    dismissed: frozenset[tuple[str, str]] = frozenset(),
) -> list[dict[str, Any]]:
    rows = []
    found = links_of(analysed, method="ra", top_n=top_n, names=names, exclude_pairs=dismissed)
    for link in found.root:
        source, target = str(link.source), str(link.target)
        rows.append(
            {
                "source": source,
                "target": target,
                "source_name": names.get(source, str(source)),
                "target_name": names.get(target, str(target)),
                "score": link.score,
                "reason": link.reason,
            }
        )
    return rows


#: Called with the name of each phase as it starts ("centralities", "communities", ...).
Progress = Callable[[str], None]


@dataclass(slots=True)
class ReportInputs:
    """What the report reads from the store (:func:`fetch_report`), as plain, picklable data:
    the filtered typed graph (cluster nodes and memberships included), its collaboration
    network as the analyses read it, the whole network (cluster health; empty when no
    declared cluster has members here), the declared clusters to measure, names of clusters
    and organizations, and the dismissed suggestions."""

    spec: FilterSpec
    graph: nx.MultiDiGraph
    analysed: Network
    whole: nx.Graph
    declared: list[str]
    names: dict[str, str]
    dismissed: frozenset[tuple[str, str]] = frozenset()
    truncated: bool = False
    limit: int | None = None


def _add_memberships(graph: nx.MultiDiGraph, clusters: Mapping[str, Organization]) -> None:
    """Add the clusters the selected organizations are members of, and those MEMBER_OF ties,
    as an export of the selection holds them (whatever the filters on kinds and types)."""
    member_of = RelType.MEMBER_OF.value
    for node, attrs in list(graph.nodes(data=True)):
        for cluster in attrs.get("clusters") or ():
            if cluster not in graph:
                stored = clusters.get(cluster)
                record = stored.model_dump(mode="json") if stored else {"name": cluster}
                graph.add_node(cluster, **{**record, "kind": "cluster", "clusters": []})
            if not graph.has_edge(node, cluster, key=member_of):
                graph.add_edge(node, cluster, key=member_of, type=member_of)


def fetch_report(store: GraphStore, spec: FilterSpec) -> ReportInputs:
    """Read what the report of the organizations ``spec`` selects needs, in one read
    session: the filtered typed graph (figures; with the clusters its organizations are
    members of and those memberships, as the selection's export holds them), its
    collaboration network for the analyses of :mod:`app.services.analyze` (centralities,
    communities, missing links), the whole network (cluster health, of each declared
    cluster with members here, measured inside it as ``health_of`` does), the cluster names
    and the dismissed suggestions (never among the missing links). The collector is paused
    meanwhile: every graph built there lives on."""
    with store.read_session() as view, paused_gc():
        result = view.subgraph(spec, include_clusters=True)
        graph = result.graph
        # Cluster health covers the declared clusters with members here (those of the filter).
        declared: set[str] = {
            str(c)
            for _, attrs in graph.nodes(data=True)
            if _text(attrs.get("kind")) != "cluster"
            for c in attrs.get("clusters") or ()
        }
        if spec.clusters:
            declared &= set(spec.clusters)
        checkpoint()
        analysed = fetch_network(view, spec)
        dismissed = dismissed_pairs(view)
        stored_clusters = view.list_organizations(FilterSpec(kinds=["cluster"]), limit=100_000)
        checkpoint()
        whole = collaboration_network(view.to_networkx()) if declared else nx.Graph()
    _add_memberships(graph, {c.id: c for c in stored_clusters.items})
    names: dict[str, str] = {c.id: c.name for c in stored_clusters.items}
    names |= {str(n): str(name or n) for n, name in graph.nodes(data="name")}
    ordered = sorted(declared, key=lambda c: ((names.get(c) or c).casefold(), c))
    return ReportInputs(
        spec=spec,
        graph=graph,
        analysed=analysed,
        whole=whole,
        declared=ordered,
        names=names,
        dismissed=frozenset(dismissed),
        truncated=result.truncated,
        limit=result.limit,
    )


def analyse_report(
    inputs: ReportInputs,
    *,
    seed: int = 0,
    top_n: int = 10,
    budget: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """The report's data (keys: see :func:`app.render.report.render_report`), ``top_n`` rows
    per ranking (centralities within the work ``budget``), from what :func:`fetch_report`
    read (no store: the API runs it in a worker process); ``progress`` hears each phase
    start, and the deadline is checked between them.

    ``freshness`` counts the selected records (clusters included) never verified and those
    last verified before ``spec.stale_since``, or a year ago when the filter names no date.
    """

    def step(phase: str) -> None:
        checkpoint()
        if progress is not None:
            progress(phase)

    graph, analysed, names, spec = inputs.graph, inputs.analysed, inputs.names, inputs.spec
    with paused_gc():
        organizations = [n for n, kind in graph.nodes(data="kind") if _text(kind) != "cluster"]
        network = collaboration_network(graph.subgraph(organizations))
        step("centralities")
        actors, notes = _actors(analysed, network, seed=seed, top_n=top_n, budget=budget)
        step("communities")
        communities = _communities(analysed, network, names, seed=seed, top_n=top_n)
        step("cluster health")
        health = _health(inputs.whole, network, inputs.declared, names, seed=seed)
        step("missing links")
        links = _links(analysed, names, top_n, inputs.dismissed)
        figures = _figures(graph, network)
    data: dict[str, Any] = {
        "title": DEFAULT_TITLE,
        "generated": date.today().isoformat(),
        "filters": describe_filters(spec, names),
        "truncated": inputs.truncated,
        "limit": inputs.limit,
        "seed": seed,
        "figures": figures,
        "freshness": freshness_figures(
            (attrs for _, attrs in graph.nodes(data=True)), since=spec.stale_since
        ),
        "actors": actors,
        "betweenness_sampled_sources": notes["betweenness_sampled_sources"],
        "communities": communities,
        "health": health,
        "links": links,
        "link_method": "resource allocation",
        "map_html": None,
    }
    logger.info("report data for %d organizations", len(network))
    return data


def report_data(
    store: GraphStore, spec: FilterSpec, *, seed: int = 0, top_n: int = 10
) -> dict[str, Any]:
    """Everything the report shows about the organizations ``spec`` selects, as plain data
    (keys: see :func:`app.render.report.render_report`): :func:`fetch_report`, then
    :func:`analyse_report`."""
    return analyse_report(fetch_report(store, spec), seed=seed, top_n=top_n)


def report_html(
    store: GraphStore,
    spec: FilterSpec,
    *,
    map_html: str | None,
    seed: int = 0,
    title: str = DEFAULT_TITLE,
    top_n: int = 10,
) -> str:
    """The report as one self-contained HTML page; ``map_html`` (a page from
    :func:`app.services.maps.build_map`) is embedded in it, or the page says it is left out."""
    data = report_data(store, spec, seed=seed, top_n=top_n)
    data["title"] = title
    data["map_html"] = map_html
    return render_report(data)
