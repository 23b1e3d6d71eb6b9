"""Analytics benchmark on the generated 100k-organization ecosystem.

Each analysis runs as EcoMap runs it on large graphs (python-igraph for PageRank, betweenness
and Leiden; a two-hop candidate search for missing links) and with plain NetworkX on the same
graph in the same run; the table gives both and their ratio. NetworkX's sampled betweenness is
timed on fewer sources and scaled per source (its cost is linear in k), and NetworkX has no
Leiden of its own, so its Louvain stands in; the table says so.

Usage::

    python bench/bench_analytics.py --orgs 100000 --out bench/results-analytics.md
"""

from __future__ import annotations

import argparse
import heapq
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_import import ensure_data  # noqa: E402
from timing import seconds  # noqa: E402


def run(n_orgs: int) -> list[tuple[str, float, float, str, str]]:
    from app.services.importing import import_files
    from app.store.embedded import EmbeddedStore
    from graph_analytics import (
        betweenness,
        collaboration_network,
        detect_communities,
        pagerank,
        suggest_links,
    )

    orgs_csv, rels_csv = ensure_data(n_orgs)
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_bytes=1024**3)
        import_files(store, [orgs_csv, rels_csv])
        graph = collaboration_network(store.to_networkx())
        store.close()
    rows: list[tuple[str, float, float, str, str]] = []
    ours = seconds(lambda: pagerank(graph, engine="igraph"))
    plain = seconds(lambda: nx.pagerank(graph, weight="weight"))
    rows.append(("PageRank", ours, plain, "<= 2 s", "measured"))
    ours = seconds(lambda: betweenness(graph, k=256, seed=0, engine="igraph"))
    few = 16
    plain = seconds(lambda: nx.betweenness_centrality(graph, k=few, seed=0)) * 256 / few
    rows.append(("betweenness, 256 sampled sources", ours, plain, "<= 10 s",
                 f"NetworkX timed on {few} sources, x{256 // few}"))  # fmt: skip
    ours = seconds(lambda: detect_communities(graph, algorithm="leiden", seed=0))
    plain = seconds(lambda: nx.community.louvain_communities(graph, weight="weight", seed=0))
    rows.append(("Leiden communities", ours, plain, "<= 15 s",
                 "NetworkX has no Leiden of its own: its Louvain"))  # fmt: skip
    members = cluster_scope(graph, 1000)
    ours = seconds(lambda: suggest_links(graph, top=20, sources=members, candidates=members))
    plain = seconds(lambda: plain_links(graph, members, members))
    rows.append((f"missing links within {len(members):,} cluster members", ours, plain, "<= 2 s",
                 "scored in the whole network; top 20"))  # fmt: skip
    org = max(graph, key=graph.degree)
    ours = seconds(lambda: suggest_links(graph, top=20, sources=[org]))
    plain = seconds(lambda: plain_links(graph, [org], graph))
    rows.append(("one organization's suggestions", ours, plain, "<= 0.5 s",
                 f"the best-connected organization ({graph.degree(org)} partners)"))  # fmt: skip
    for row in rows:
        print(row, file=sys.stderr)
    return rows


def cluster_scope(graph: nx.Graph, size: int) -> set[Any]:
    """Members of the largest declared clusters, taken until there are ``size`` of them.

    The generator makes clusters of about 300 members, so the 1k-member scope joins several.
    """
    by_cluster: dict[str, set[Any]] = {}
    for node, clusters in graph.nodes(data="clusters"):
        for cluster in clusters or ():
            by_cluster.setdefault(cluster, set()).add(node)
    members: set[Any] = set()
    for cluster in sorted(by_cluster, key=lambda c: (-len(by_cluster[c]), c)):
        if len(members) >= size:
            break
        members |= by_cluster[cluster]
    return members


def plain_links(graph: nx.Graph, sources: Any, candidates: Any) -> list[tuple[Any, Any, float]]:
    """Plain NetworkX: resource allocation of every non-adjacent pair in scope, top 20."""
    pairs = {
        (u, v) if u < v else (v, u)
        for u in sources
        for v in candidates
        if u != v and not graph.has_edge(u, v)
    }
    scored = nx.resource_allocation_index(graph, pairs)
    return heapq.nlargest(20, scored, key=lambda t: t[2])


def render(n_orgs: int, rows: list[tuple[str, float, float, str, str]]) -> str:
    lines = [
        "## Analytics (bench/bench_analytics.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, generated "
        f"ecosystem of {n_orgs:,} organizations (seed 1), collaboration network.",
        "",
        "| analysis | EcoMap | plain NetworkX | speed-up | target | note |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, ours, plain, target, note in rows:
        met = "met" if ours <= float(target.split()[1]) else "MISSED"
        lines.append(
            f"| {label} | {ours:.2f} s | {plain:.2f} s | {plain / ours:.1f}x | {target} {met} "
            f"| {note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=HERE / "results-analytics.md")
    args = parser.parse_args()
    args.out.write_text(render(args.orgs, run(args.orgs)), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
