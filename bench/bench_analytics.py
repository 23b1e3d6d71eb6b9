"""Analytics benchmark on the generated 100k-organization ecosystem.

Each analysis runs with the engine EcoMap uses on large graphs (python-igraph) and with plain
NetworkX on the same graph in the same run; the table gives both and their ratio. NetworkX's
sampled betweenness is timed on fewer sources and scaled per source (its cost is linear in k),
which the table says.

Usage::

    python bench/bench_analytics.py --orgs 100000 --out bench/results-analytics.md
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_import import ensure_data  # noqa: E402


def seconds(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def run(n_orgs: int) -> list[tuple[str, float, float, str, str]]:
    from app.services.importing import import_files
    from app.store.embedded import EmbeddedStore
    from graph_analytics import betweenness, collaboration_network, pagerank

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
    for row in rows:
        print(row, file=sys.stderr)
    return rows


def render(n_orgs: int, rows: list[tuple[str, float, float, str, str]]) -> str:
    lines = [
        "## Analytics (bench/bench_analytics.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, generated "
        f"ecosystem of {n_orgs:,} organizations (seed 1), collaboration network.",
        "",
        "| analysis | EcoMap (igraph) | plain NetworkX | speed-up | target | note |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, ours, plain, target, note in rows:
        met = "met" if ours <= float(target.split()[1]) else "MISSED"
        lines.append(
            f"| {label} | {ours:.2f} s | {plain:.1f} s | {plain / ours:.0f}x | {target} {met} "
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
