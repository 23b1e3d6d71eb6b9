"""The whole CORDIS H2020 network: import, then PageRank, Leiden and sampled betweenness.

Real data (``../shared/data/cordis-h2020``, see its README): 144,726 participations become
35,871 organizations and 796,670 co-participation ties. Each step runs in a fresh Python
process, as the CLI runs it, and reports its wall time and the process's peak resident memory.
The baselines run in the same run, also in fresh processes: for the import, one ``csv`` pass
over the same gzip file; for the analyses, plain NetworkX on the graph read straight from the
published edge list (its sampled betweenness timed on fewer sources and scaled per source; its
Louvain stands in for Leiden, which NetworkX lacks).

Usage::

    python bench/bench_cordis.py --data ../shared/data/cordis-h2020 --out bench/results-cordis.md
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEFAULT_DATA = HERE.parents[1] / "shared" / "data" / "cordis-h2020"
SAMPLED = 256  # betweenness sources, as `ecomap analyze centrality` samples on large graphs
PLAIN_SAMPLED = 8  # NetworkX's sources, scaled to SAMPLED (its cost is linear in k)


def peak_mib() -> float:
    """Peak resident memory of this process so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(steps: dict[str, Any], name: str, action: Any) -> Any:
    start = time.perf_counter()
    result = action()
    steps[name] = {"seconds": time.perf_counter() - start, "peak_mib": peak_mib()}
    print(name, steps[name], file=sys.stderr)
    return result


def child_import(data: Path, db: Path) -> dict[str, Any]:
    from app.services.importing import import_files
    from app.store.embedded import EmbeddedStore

    steps: dict[str, Any] = {}
    with EmbeddedStore(db, buffer_pool_bytes=4 * 1024**3) as store:
        report = timed(
            steps,
            "import",
            lambda: import_files(store, [data / "raw" / "h2020.csv.gz"], fmt="cordis"),
        )
        counts = store.counts()
    steps["import"]["rows"] = report.rows_read
    steps["import"]["organizations"] = counts.nodes
    steps["import"]["ties"] = counts.relationships
    return steps


def child_csv_pass(data: Path) -> dict[str, Any]:
    import csv
    import gzip

    def read() -> int:
        with gzip.open(data / "raw" / "h2020.csv.gz", "rt", encoding="utf-8", newline="") as f:
            return sum(1 for _ in csv.reader(f))

    steps: dict[str, Any] = {}
    timed(steps, "csv pass", read)
    return steps


def child_ours(db: Path) -> dict[str, Any]:
    from app.filters import FilterSpec
    from app.store.embedded import EmbeddedStore
    from graph_analytics import betweenness, detect_communities, pagerank

    steps: dict[str, Any] = {}
    with EmbeddedStore(db, read_only=True, buffer_pool_bytes=4 * 1024**3) as store:
        graph = timed(steps, "load", lambda: store.subgraph(FilterSpec(), collapsed=True).graph)
    steps["load"]["organizations"] = len(graph)
    steps["load"]["ties"] = graph.number_of_edges()
    timed(steps, "pagerank", lambda: pagerank(graph, engine="igraph"))
    found = timed(steps, "leiden", lambda: detect_communities(graph, algorithm="leiden", seed=0))
    sizes = Counter(found.values())
    steps["leiden"]["communities"] = sum(1 for size in sizes.values() if size > 1)
    steps["leiden"]["isolated"] = sum(1 for size in sizes.values() if size == 1)
    timed(steps, "betweenness", lambda: betweenness(graph, k=SAMPLED, seed=0, engine="igraph"))
    return steps


def child_plain(data: Path) -> dict[str, Any]:
    import csv

    import networkx as nx

    def load() -> nx.Graph:
        graph = nx.Graph()
        with (data / "edges_coparticipation.csv").open(encoding="utf-8", newline="") as f:
            rows = csv.reader(f)
            next(rows)
            graph.add_weighted_edges_from((a, b, float(w)) for a, b, w in rows)
        return graph

    steps: dict[str, Any] = {}
    graph = timed(steps, "load", load)
    timed(steps, "pagerank", lambda: nx.pagerank(graph, weight="weight"))
    found = timed(steps, "leiden", lambda: nx.community.louvain_communities(graph, seed=0))
    steps["leiden"]["communities"] = len(found)
    timed(steps, "betweenness", lambda: nx.betweenness_centrality(graph, k=PLAIN_SAMPLED, seed=0))
    steps["betweenness"]["seconds"] *= SAMPLED / PLAIN_SAMPLED
    return steps


def child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


def _versus(ours: float, baseline: float) -> str:
    if ours <= baseline:
        return f"{baseline / ours:.1f}x faster"
    return f"{ours / baseline:.1f}x the time"


def render(ours: dict[str, Any], plain: dict[str, Any]) -> str:
    imported = ours["import"]
    lines = [
        "## The whole CORDIS H2020 network (bench/bench_cordis.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, 2 cores. "
        f"`import --format cordis raw/h2020.csv.gz`: {imported['rows']:,} participations, "
        f"{imported['organizations']:,} organizations, {imported['ties']:,} "
        "COLLABORATES_WITH ties written. Every step in a fresh process; peak memory is that "
        "process's peak resident set. Baselines in the same run: a `csv` pass over the file "
        "(import); plain NetworkX on the published edge list (analyses).",
        "",
        "| step | EcoMap | peak MiB | baseline | baseline peak MiB | EcoMap vs baseline | note |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    notes = {
        "import": "validated, atomic; baseline: one csv pass over the gzip file",
        "load": "collaboration network from the store; baseline: nx.Graph from the edge CSV",
        "pagerank": "igraph; baseline nx.pagerank",
        "leiden": f"igraph Leiden: {ours['leiden']['communities']:,} communities (and "
        f"{ours['leiden']['isolated']:,} organizations without ties); baseline NetworkX "
        f"Louvain on the edge list: {plain['leiden']['communities']:,}",
        "betweenness": f"{SAMPLED} sampled sources, igraph; NetworkX timed on "
        f"{PLAIN_SAMPLED} sources, x{SAMPLED // PLAIN_SAMPLED}",
    }
    for step in ("import", "load", "pagerank", "leiden", "betweenness"):
        mine, base = ours[step], plain["csv pass" if step == "import" else step]
        lines.append(
            f"| {step} | {mine['seconds']:.2f} s | {mine['peak_mib']:,.0f} | "
            f"{base['seconds']:.2f} s | {base['peak_mib']:,.0f} | "
            f"{_versus(mine['seconds'], base['seconds'])} | {notes[step]} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="cordis-h2020 folder")
    parser.add_argument("--out", type=Path, default=HERE / "results-cordis.md")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        what, *rest = args.child
        paths = [Path(p) for p in rest]
        work = {
            "import": child_import,
            "csv": child_csv_pass,
            "ours": child_ours,
            "plain": child_plain,
        }[what]
        print(json.dumps(work(*paths)))
        return
    if not (args.data / "raw" / "h2020.csv.gz").is_file():
        sys.exit(f"no CORDIS data at {args.data} (see ../shared/data/README.md)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "cordis.lbug"
        ours = child("import", str(args.data), str(db))
        ours |= child("ours", str(db))
    plain = child("csv", str(args.data)) | child("plain", str(args.data))
    args.out.write_text(render(ours, plain), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
