"""Analyses of the ecosystem's collaboration network, in two steps: *fetch* reads the network
of a selection once (:func:`fetch_network`, :func:`fetch_members`), *analyse* computes on a
graph (:func:`centrality_of`, :func:`communities_of`, :func:`brokerage_of`,
:func:`health_of`; missing links: :func:`app.services.links.links_of`), so the CLI, the API,
the notebook and the report call the same functions, and an analysis runs as well on a graph
a user already has.

Each analysis returns one typed answer (:mod:`app.results`): what the CLI prints (with
``--json``, its JSON) and the API returns.

Examples
--------
>>> import networkx as nx
>>> network = Network.of(nx.path_graph(["a", "b", "c"]))
>>> [row.id for row in centrality_of(network, metrics=["degree"], top_n=1)[0].root["degree"]]
['b']
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, Literal, get_args

import networkx as nx

from app.errors import BudgetExceededError
from app.filters import FilterSpec
from app.process_state import paused_gc
from app.results import (
    TOP_MEMBERS,
    Brokerage,
    Centrality,
    CentralityNotes,
    Communities,
    Health,
)
from app.services.deadline import checkpoint
from app.store.base import GraphStore
from graph_analytics import (
    METRICS,
    brokerage_roles,
    centrality,
    cluster_health,
    cluster_split,
    collaboration_network,
    detect_communities,
    modularity,
    partition_agreement,
    structural_holes,
    top,
)
from graph_analytics.centrality import Engine
from graph_analytics.communities import Algorithm

__all__ = [
    "ALL_SOURCES",
    "GROUPINGS",
    "SAMPLED_SOURCES",
    "SAMPLE_ABOVE",
    "SEED_MAX",
    "Network",
    "as_network",
    "brokerage_of",
    "centrality_of",
    "check_budget",
    "communities_of",
    "fetch_members",
    "fetch_network",
    "health_of",
]

logger = logging.getLogger(__name__)

#: Above this many organizations, betweenness is estimated from sampled sources by default.
SAMPLE_ABOVE = 5000
SAMPLED_SOURCES = 256

#: Largest seed an analysis or a map takes (the generators want an unsigned 32-bit value).
SEED_MAX = 2**32 - 1

#: Metrics that walk the network from every source (or from ``k`` sampled sources): their
#: work is about sources x (organizations + ties).
ALL_SOURCES = ("betweenness", "closeness", "harmonic")


def check_budget(
    metrics: Sequence[str], organizations: int, ties: int, *, k: int | None, budget: int | None
) -> None:
    """Raise :class:`~app.errors.BudgetExceededError` when one of ``metrics`` would take
    more than ``budget`` steps on a network of this size (no budget: never).

    Examples
    --------
    >>> check_budget(["closeness"], 100, 400, k=None, budget=10**6)
    >>> try:
    ...     check_budget(["closeness"], 10**5, 10**6, k=None, budget=10**9)
    ... except BudgetExceededError as exc:
    ...     print(str(exc)[:59])
    closeness on 100,000 organizations and 1,000,000 ties needs
    """
    if budget is None:
        return
    for metric in metrics:
        if metric not in ALL_SOURCES:
            continue
        sampled = metric == "betweenness" and k is not None
        sources = min(k, organizations) if sampled and k is not None else organizations
        steps = sources * (organizations + ties)
        if steps > budget:
            cheaper = (
                "sample fewer betweenness sources (k)"
                if metric == "betweenness"
                else "use degree, pagerank or eigenvector"
            )
            raise BudgetExceededError(
                f"{metric} on {organizations:,} organizations and {ties:,} ties needs about "
                f"{steps:.2g} steps, over the analysis budget of {budget:.2g} (sources x "
                f"(organizations + ties)); narrow the filters (cluster, kind, sector, region, "
                f"country) or {cheaper}"
            )


@dataclass(frozen=True, slots=True)
class Network:
    """The collaboration network an analysis reads: organizations, one undirected tie per
    pair (see ``graph_analytics.collaboration_network``); ``truncated`` when the node cap
    (``limit`` organizations) cut the selection. Every analysis takes one, from
    :func:`fetch_network`, or a plain graph, taken whole (:meth:`of`)."""

    graph: nx.Graph
    truncated: bool = False
    limit: int | None = None

    @classmethod
    def of(cls, graph: nx.Graph) -> Network:
        """A graph taken whole: a typed (directed or multi-) graph is collapsed first.

        >>> Network.of(nx.MultiDiGraph([("a", "b", "SUPPLIES")])).graph.edges(data="weight")
        EdgeDataView([('a', 'b', 1.0)])
        """
        if graph.is_directed() or graph.is_multigraph():
            with paused_gc():
                graph = collaboration_network(graph)
        return cls(graph, truncated=False, limit=len(graph))


def fetch_network(store: GraphStore, spec: FilterSpec | None = None) -> Network:
    """The collaboration network of the organizations ``spec`` selects (None: all, up to the
    store's node cap), with only the properties the analyses read."""
    found = store.subgraph(spec or FilterSpec(), collapsed=True, brief=True)
    return Network(found.graph, truncated=found.truncated, limit=found.limit)


def fetch_members(store: GraphStore, spec: FilterSpec) -> list[Hashable] | None:
    """The organizations ``spec`` selects, as :func:`health_of` measures them (None: an
    empty spec, every organization)."""
    if spec.is_empty():
        return None
    return list(fetch_network(store, spec).graph)


def as_network(network: Network | nx.Graph) -> Network:
    return network if isinstance(network, Network) else Network.of(network)


def centrality_of(
    network: Network | nx.Graph,
    *,
    metrics: Sequence[str] = METRICS,
    top_n: int | None = 10,
    k: int | None = None,
    seed: int = 0,
    executor: Executor | None = None,
    budget: int | None = None,
) -> tuple[Centrality, CentralityNotes]:
    """The top organizations by each metric, and notes on how they were computed.

    Betweenness is exact up to :data:`SAMPLE_ABOVE` organizations and estimated from
    :data:`SAMPLED_SOURCES` sampled sources (seeded) above, unless ``k`` says otherwise. The
    compiled engine computes every metric (the tests hold it to NetworkX's values), in
    ``executor`` if given (the API's worker processes). ``budget`` bounds the work of each
    metric (:func:`check_budget`; None: unbounded).
    """
    result = as_network(network)
    graph = result.graph
    large = len(graph) > SAMPLE_ABOVE
    if k is None and large and "betweenness" in metrics:
        k = SAMPLED_SOURCES
    k = min(k, len(graph)) if k else None
    check_budget(metrics, len(graph), graph.number_of_edges(), k=k, budget=budget)
    checkpoint()
    engine: Engine = "igraph"
    with paused_gc():
        scores = centrality(graph, metrics, k=k, seed=seed, engine=engine, executor=executor)
    names = {node: str(name) for node, name in graph.nodes(data="name", default="")}
    report = {metric: top(values, top_n, names=names) for metric, values in scores.items()}
    notes = CentralityNotes(
        organizations=len(graph),
        ties=graph.number_of_edges(),
        truncated=result.truncated,
        betweenness_sampled_sources=k,
        engine=engine,
    )
    logger.info("centrality on %s", notes)
    return Centrality.model_validate(report), notes


def communities_of(
    network: Network | nx.Graph,
    *,
    algorithm: Algorithm = "leiden",
    resolution: float = 1.0,
    seed: int = 0,
    executor: Executor | None = None,
) -> Communities:
    """Detected communities, their modularity, and how they compare with declared clusters.

    Leiden runs in ``executor`` if given (the API's worker processes).

    ``agreement`` compares the detected partition with the declared one (each organization's
    first cluster; organizations in no cluster left out) by NMI and adjusted Rand index;
    ``cluster_split`` says, per declared cluster, how many members fall in each community.
    """
    graph = as_network(network).graph
    checkpoint()
    with paused_gc():
        membership = detect_communities(
            graph, algorithm=algorithm, resolution=resolution, seed=seed, executor=executor
        )
    clusters_of = {node: list(c) for node, c in graph.nodes(data="clusters") if c}
    first_cluster = {node: clusters[0] for node, clusters in clusters_of.items()}
    members: dict[Any, list[Any]] = {}
    for node, clusters in clusters_of.items():
        for cluster in clusters:
            members.setdefault(cluster, []).append(node)
    report = {
        "algorithm": algorithm,
        "resolution": resolution,
        "seed": seed,
        "modularity": modularity(graph, membership, resolution=resolution)
        if graph.number_of_edges()
        else None,
        "communities": len(set(membership.values())),
        "membership": {str(node): community for node, community in sorted(membership.items())},
        "agreement": partition_agreement(membership, first_cluster) if first_cluster else None,
        "cluster_split": {
            str(cluster): {str(c): n for c, n in split.items()}
            for cluster, split in sorted(cluster_split(membership, members).items())
        },
        "groups": _groups(graph, membership, clusters_of),
    }
    return Communities.model_validate(report)


def _groups(
    graph: nx.Graph, membership: Mapping[Any, int], clusters_of: Mapping[Any, list[Any]]
) -> list[dict[str, Any]]:
    """Every community, the largest first: members by degree (most ties first, then id),
    the names of the best-connected, and the declared clusters among them."""
    degree = dict(graph.degree())
    by_community: dict[int, list[Any]] = {}
    for node, community in membership.items():
        by_community.setdefault(community, []).append(node)
    groups = []
    for community, nodes in sorted(by_community.items()):
        nodes.sort(key=lambda n: (-degree.get(n, 0), str(n)))
        clusters = Counter(c for n in nodes for c in clusters_of.get(n, ()))
        groups.append(
            {
                "community": community,
                "size": len(nodes),
                "members": nodes,
                "top": [graph.nodes[n].get("name") or str(n) for n in nodes[:TOP_MEMBERS]],
                "clusters": {str(c): k for c, k in sorted(clusters.items(), key=_by_count)},
            }
        )
    return groups


def _by_count(item: tuple[Any, int]) -> tuple[int, str]:
    return -item[1], str(item[0])


Grouping = Literal["clusters", "kind", "type", "sectors", "region", "country", "community"]
#: What defines the groups of brokerage roles: a node attribute (of a list, ``clusters`` and
#: ``sectors``, the first item) or the detected ``community`` (Leiden, :func:`communities_of`).
GROUPINGS: tuple[str, ...] = get_args(Grouping)


def brokerage_of(
    network: Network | nx.Graph,
    *,
    group_by: str = "clusters",
    top_n: int | None = 20,
    seed: int = 0,
) -> Brokerage:
    """Brokers: Gould-Fernandez roles between groups (first declared cluster by default) and
    Burt's constraint and effective size, organizations with the most brokerage first.

    ``groups`` says how many groups the organizations fall in and ``ungrouped`` how many
    have none (no role: on data without declared clusters, group by ``community``); the
    detected communities depend on ``seed``.
    """
    if group_by not in GROUPINGS:
        raise ValueError(f"group_by must be one of {', '.join(GROUPINGS)}")
    graph = as_network(network).graph
    checkpoint()
    group: dict[Hashable, Hashable | None]
    if group_by == "community":
        with paused_gc():
            community = detect_communities(graph, seed=seed)
        group = {node: community[node] for node in graph}
    else:
        group = {node: _first(attrs.get(group_by)) for node, attrs in graph.nodes(data=True)}
    checkpoint()
    roles = brokerage_roles(graph, group_of=lambda node, _attrs: group[node])
    checkpoint()
    holes = structural_holes(graph)
    checkpoint()
    rows = [
        {
            "id": node,
            "name": graph.nodes[node].get("name", str(node)),
            **roles[node],
            **holes[node],
        }
        for node in graph
    ]
    rows.sort(key=lambda row: (-row["total"], str(row["id"])))
    present = [g for g in group.values() if g is not None]
    return Brokerage.model_validate(
        {
            "group_by": group_by,
            "groups": len(set(present)),
            "ungrouped": len(group) - len(present),
            "organizations": rows[:top_n],
        }
    )


def _first(value: Any) -> Hashable | None:
    """A node's group from its attribute: a list's first item; nothing for empty values."""
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return None if value is None or value == "" else value


def health_of(
    whole: Network | nx.Graph, members: Sequence[Hashable] | None = None, *, seed: int = 0
) -> Health:
    """Health of ``members`` (None: every organization; a cluster's: :func:`fetch_members`
    of ``FilterSpec(clusters=[id])``), measured inside the ``whole`` network
    (:func:`fetch_network` of everything) so that ties to outsiders count as external."""
    graph = as_network(whole).graph
    checkpoint()
    with paused_gc():
        report = cluster_health(graph, members, seed=seed)
    report["k_core"] = {str(k): v for k, v in report.get("k_core", {}).items()}
    return Health.model_validate(report)
