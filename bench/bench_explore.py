"""Exploration benchmark on the generated 100k-organization ecosystem (LadybugDB).

Measures, each as a median over repeated runs in one process:
- a selective filter (the members of one cluster) to a NetworkX subgraph;
- the whole graph to NetworkX;
- a 2-hop ego network;
- all shortest paths between two organizations.

Baseline, measured in the same run: building the same whole graph with NetworkX's own
``add_edges_from`` from rows already in memory (the floor for any NetworkX result).

Usage::

    python bench/bench_explore.py --orgs 100000 --out bench/results-explore.md
"""

from __future__ import annotations

import argparse
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import networkx as nx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_import import ensure_data  # noqa: E402
from timing import median_seconds  # noqa: E402


def run(n_orgs: int) -> list[tuple[str, str, float, str]]:
    from app.filters import FilterSpec
    from app.services.importing import import_files
    from app.store.embedded import EmbeddedStore

    orgs_csv, rels_csv = ensure_data(n_orgs)
    rows: list[tuple[str, str, float, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        store = EmbeddedStore(Path(tmp) / "bench.lbug", buffer_pool_bytes=1024**3)
        import_files(store, [orgs_csv, rels_csv])
        clusters = store.list_organizations(FilterSpec(kinds=["cluster"]), limit=1).items
        spec = FilterSpec(clusters=[clusters[0].id])
        selective = store.subgraph(spec).graph
        whole = store.to_networkx()
        degrees = sorted(whole.degree, key=lambda item: (item[1], item[0]))
        center = degrees[len(degrees) // 2][0]  # a typical organization
        ego = store.ego_network(center, hops=2).graph
        far = max(nx.single_source_shortest_path_length(whole.to_undirected(as_view=True),
                                                        center, cutoff=4).items(),
                  key=lambda item: (item[1], item[0]))[0]  # fmt: skip

        data = store.export()
        edges = [(r["source"], r["target"], r["type"], r) for r in data.relationships]

        def baseline() -> None:
            graph = nx.MultiDiGraph()
            graph.add_nodes_from((o["id"], o) for o in data.organizations)
            graph.add_edges_from(edges)

        base = median_seconds(baseline, 3)
        measured = [
            (f"selective filter to NetworkX ({len(selective):,} orgs, "
             f"{selective.number_of_edges():,} ties)", lambda: store.subgraph(spec), 7, 0.3),
            (f"whole graph to NetworkX ({len(whole):,} orgs, {whole.number_of_edges():,} ties)",
             store.to_networkx, 3, 5.0),
            (f"2-hop ego network ({len(ego):,} orgs)",
             lambda: store.ego_network(center, hops=2), 7, 0.1),
            ("all shortest paths (4 steps apart)",
             lambda: store.shortest_paths(center, far), 7, None),
        ]  # fmt: skip
        for label, action, repeat, target in measured:
            seconds = median_seconds(action, repeat)
            verdict = "" if target is None else ("met" if seconds <= target else "MISSED")
            rows.append((label, f"{seconds * 1000:,.0f} ms", seconds / base,
                         f"<= {target * 1000:,.0f} ms {verdict}" if target else "-"))  # fmt: skip
            print(rows[-1], file=sys.stderr)
        rows.append(
            ("baseline: nx add_edges_from, whole graph", f"{base * 1000:,.0f} ms", 1.0, "-")
        )
        store.close()
    return rows


def render(n_orgs: int, rows: list[tuple[str, str, float, str]]) -> str:
    lines = [
        "## Exploration (bench/bench_explore.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, generated "
        f"ecosystem of {n_orgs:,} organizations (seed 1), LadybugDB; medians.",
        "",
        "| operation | median | vs baseline | target |",
        "| --- | ---: | ---: | --- |",
    ]
    lines += [
        f"| {label} | {value} | {ratio:.2f} | {target} |" for label, value, ratio, target in rows
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=HERE / "results-explore.md")
    args = parser.parse_args()
    args.out.write_text(render(args.orgs, run(args.orgs)), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
