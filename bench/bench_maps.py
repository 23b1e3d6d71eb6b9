"""Map benchmark: generating and opening a 1,500-organization map, and aggregating 100k.

Measures, in one run:
- ``build_map`` on a generated ecosystem of 1,500 organizations (store query, metrics,
  layout, HTML), median of 5; baseline: plain pyvis (``Network.from_nx`` + ``generate_html``)
  on the same graph, which has no layout, legend or offline assets;
- opening that page in headless chromium until the network is drawn and the layout frozen
  (``data-ready``), median of 3; baseline: opening an empty page in the same browser;
- ``build_map`` on the generated 100k-organization ecosystem (aggregated into communities);
  baseline: reading the same whole graph from the store into NetworkX, which the map needs.

Usage::

    python bench/bench_maps.py --out bench/results-maps.md
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_import import ensure_data  # noqa: E402
from timing import median_seconds  # noqa: E402

Row = tuple[str, float, float, str, str]


def open_until_still(path: Path, repeat: int) -> tuple[float, float]:
    """Seconds from navigation to a drawn, frozen map; and to an empty page, same browser."""
    from browser import open_page

    empty = path.with_name("empty.html")
    empty.write_text("<!doctype html><title>empty</title><p>empty</p>", encoding="utf-8")
    with open_page(empty) as session:
        page = session.page
        drawn, blank = [], []
        for _ in range(repeat):
            start = time.perf_counter()
            page.goto(path.as_uri())
            page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
            drawn.append(time.perf_counter() - start)
            start = time.perf_counter()
            page.goto(empty.as_uri())
            blank.append(time.perf_counter() - start)
        errors = session.console_errors + session.external_requests
    if errors:
        raise RuntimeError(f"the map page was not clean: {errors}")
    return statistics.median(drawn), statistics.median(blank)


def child(what: str, db: Path) -> tuple[float, int]:
    """Seconds (and nodes drawn) of one step, run in a new Python process on ``db``."""
    import json
    import subprocess

    out = subprocess.run(
        [sys.executable, __file__, "--child", what, str(db)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    result = json.loads(out.stdout)
    return float(result["seconds"]), int(result["nodes"])


def child_main(what: str, db: Path) -> None:
    import json

    from app.filters import FilterSpec
    from app.services.maps import MapOptions, build_map
    from app.store.embedded import EmbeddedStore

    with EmbeddedStore(db, buffer_pool_bytes=1024**3) as store:
        start = time.perf_counter()
        if what == "map":
            nodes = build_map(store, FilterSpec(), MapOptions()).drawn_nodes
        else:
            nodes = len(store.subgraph(FilterSpec()).graph)
        seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "nodes": nodes}))


def run(big: int) -> list[Row]:
    from pyvis.network import Network

    from app.filters import FilterSpec
    from app.services.generate import generate_ecosystem, write_ecosystem_csv
    from app.services.importing import import_files
    from app.services.maps import MapOptions, build_map
    from app.store.embedded import EmbeddedStore
    from graph_analytics import collaboration_network

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # 1,503 generated organizations = 3 clusters + 1,500 organizations on the map
        paths = write_ecosystem_csv(generate_ecosystem(1503, seed=1), folder / "gen")
        store = EmbeddedStore(folder / "small.lbug", buffer_pool_bytes=512 * 1024**2)
        import_files(store, paths)
        options = MapOptions(title="1,500 organizations")
        result = build_map(store, FilterSpec(), options)
        assert result.aggregated is None and result.drawn_nodes == 1500, result
        ours = median_seconds(lambda: build_map(store, FilterSpec(), options), 5)
        graph = collaboration_network(store.subgraph(FilterSpec()).graph)
        store.close()

        def plain() -> None:
            net = Network()
            net.from_nx(graph)
            net.generate_html()

        baseline = median_seconds(plain, 3)
        rows.append(("generate a 1,500-organization map", ours, baseline, "<= 1 s",
                     f"{result.drawn_edges:,} lines; baseline plain pyvis from_nx"))  # fmt: skip
        page = folder / "map.html"
        page.write_text(result.html, encoding="utf-8")
        drawn, blank = open_until_still(page, 3)
        rows.append(("open it in headless chromium until drawn and still", drawn, blank,
                     "<= 5 s", "baseline: an empty page"))  # fmt: skip

        orgs_csv, rels_csv = ensure_data(big)
        with EmbeddedStore(folder / "big.lbug", buffer_pool_bytes=1024**3) as store:
            import_files(store, [orgs_csv, rels_csv])
        # Fresh processes, as `ecomap map` runs: not after an import's heap in this one.
        ours, drawn = child("map", folder / "big.lbug")
        baseline, _ = child("subgraph", folder / "big.lbug")
        rows.append((f"aggregated map of {big:,} generated organizations", ours, baseline,
                     "<= 10 s", f"{drawn:,} communities drawn, fresh process; baseline: "
                     "the whole graph into NetworkX"))  # fmt: skip
    for row in rows:
        print(row, file=sys.stderr)
    return rows


def render(rows: list[Row]) -> str:
    lines = [
        "## Maps (bench/bench_maps.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        "Debian chromium headless, 2 cores.",
        "",
        "| step | EcoMap | baseline | ratio | target | note |",
        "| --- | ---: | ---: | ---: | --- | --- |",
    ]
    for label, ours, baseline, target, note in rows:
        met = "met" if ours <= float(target.split()[1]) else "MISSED"
        lines.append(
            f"| {label} | {ours:.2f} s | {baseline:.2f} s | {ours / baseline:.1f}x "
            f"| {target} {met} | {note} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=100_000, help="size of the aggregated map")
    parser.add_argument("--out", type=Path, default=HERE / "results-maps.md")
    parser.add_argument("--child", nargs=2, metavar=("STEP", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(args.child[0], Path(args.child[1]))
        return
    args.out.write_text(render(run(args.orgs)), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
