"""Analyses on a filtered part of the ecosystem: FilterSpec -> subgraph -> graph_analytics.

Each function returns what the CLI prints with ``--json`` and the API will return.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from app.domain import FilterSpec
from app.store.base import GraphStore
from graph_analytics import METRICS, centrality, collaboration_network, top
from graph_analytics.centrality import Engine

__all__ = ["SAMPLED_SOURCES", "SAMPLE_ABOVE", "centrality_report"]

logger = logging.getLogger(__name__)

#: Above this many organizations, betweenness is estimated from sampled sources by default.
SAMPLE_ABOVE = 5000
SAMPLED_SOURCES = 256


def centrality_report(
    store: GraphStore,
    spec: FilterSpec,
    *,
    metrics: Sequence[str] = METRICS,
    top_n: int | None = 10,
    k: int | None = None,
    seed: int = 0,
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, Any]]:
    """The top organizations by each metric, and notes on how they were computed.

    Betweenness is exact up to :data:`SAMPLE_ABOVE` organizations and estimated from
    :data:`SAMPLED_SOURCES` sampled sources (seeded) above, unless ``k`` says otherwise; large
    graphs use the igraph engine, which the tests hold to NetworkX's values.
    """
    result = store.subgraph(spec)
    graph = collaboration_network(result.graph)
    large = len(graph) > SAMPLE_ABOVE
    if k is None and large and "betweenness" in metrics:
        k = SAMPLED_SOURCES
    k = min(k, len(graph)) if k else None
    engine: Engine = "igraph" if large else "networkx"
    scores = centrality(graph, metrics, k=k, seed=seed, engine=engine)
    names = {node: str(name) for node, name in graph.nodes(data="name", default="")}
    report = {metric: top(values, top_n, names=names) for metric, values in scores.items()}
    notes = {
        "organizations": len(graph),
        "ties": graph.number_of_edges(),
        "truncated": result.truncated,
        "betweenness_sampled_sources": k,
        "engine": engine,
    }
    logger.info("centrality on %s", notes)
    return report, notes
