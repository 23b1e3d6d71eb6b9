"""The two backends side by side: LadybugDB (embedded) against Neo4j, in one run.

For each size of generated ecosystem (10k and 100k organizations by default), on each
backend, from an empty database:
- import: the validated, atomic import of the canonical CSV pair (``import_files``);
- a selective filter: the members of one cluster as a NetworkX subgraph (median of 5);
- the whole graph to NetworkX (median of 3);
- a 2-hop ego network of a typical organization (median of 5);
- an upsert of 1 % changed rows: that many organizations renamed, written as one import.

Neo4j is the real test server (``tools/neo4j/serve``, Neo4j 5.26 Community, started here
unless ``NEO4J_URI`` names one: then its database is wiped first). The ratio column is
Neo4j's time over LadybugDB's, measured in the same run on the same machine.

Usage::

    python bench/bench_backends.py --orgs 10000 100000 --out bench/results-backends.md
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_import import ensure_data  # noqa: E402
from neo4j_server import Neo4jServer, start  # noqa: E402
from timing import median_seconds, seconds  # noqa: E402

STEPS = ("import", "selective filter", "whole graph", "2-hop ego network", "upsert 1 % changed")


@contextmanager
def _store(backend: str, n_orgs: int, folder: Path, server: Neo4jServer | None) -> Iterator[Any]:
    from app.settings import Settings
    from app.store import open_store
    from app.store.queries import query

    if backend == "embedded":
        settings = Settings(db=folder / f"bench-{n_orgs}.lbug", buffer_pool_mb=2048)
    else:
        assert server is not None
        env = {k: v for k, v in server.env().items() if k != "ECOMAP_BACKEND"}
        settings = Settings.model_validate({**env, "backend": "neo4j", "batch_size": 10_000})
    with open_store(settings) as store:
        if backend == "neo4j":  # an empty database, like the embedded one
            store._write(lambda tx: tx.run(query("neo4j", "delete_all")).consume())
        yield store


def _measure(store: Any, n_orgs: int) -> dict[str, float]:
    from app.domain import Organization
    from app.filters import FilterSpec
    from app.services.importing import import_files

    orgs_csv, rels_csv = ensure_data(n_orgs)
    times = {"import": seconds(lambda: import_files(store, [orgs_csv, rels_csv]))}
    cluster = store.list_organizations(FilterSpec(kinds=["cluster"]), limit=1).items[0].id
    spec = FilterSpec(clusters=[cluster])
    times["selective filter"] = median_seconds(lambda: store.subgraph(spec), 5)
    whole: list[Any] = []
    times["whole graph"] = median_seconds(lambda: whole.append(store.to_networkx()), 3)
    graph = whole[-1]
    degrees = sorted(graph.degree, key=lambda item: (item[1], item[0]))
    center = degrees[len(degrees) // 2][0]
    times["2-hop ego network"] = median_seconds(lambda: store.ego_network(center, hops=2), 5)
    stored = store.export().organizations[: max(1, n_orgs // 100)]
    changed = [
        Organization.model_validate({**row, "name": f"{row['name']} (renamed)"}) for row in stored
    ]
    times["upsert 1 % changed"] = seconds(lambda: store.upsert(changed, []))
    return times


def run(sizes: list[int], progress: Callable[[str], None]) -> list[tuple[int, str, float, float]]:
    rows: list[tuple[int, str, float, float]] = []
    # An import is one transaction: Neo4j holds all of it in memory until the commit.
    os.environ.setdefault("NEO4J_HEAP_SIZE", "6g")
    os.environ.setdefault("NEO4J_TX_MAX_MB", "4096")
    with tempfile.TemporaryDirectory() as tmp:
        server = start(Path(tmp) / "neo4j")
        try:
            for n_orgs in sizes:
                measured: dict[str, dict[str, float]] = {}
                for backend in ("embedded", "neo4j"):
                    progress(f"{n_orgs} organizations on {backend}")
                    with _store(backend, n_orgs, Path(tmp), server) as store:
                        measured[backend] = _measure(store, n_orgs)
                for step in STEPS:
                    rows.append((n_orgs, step, measured["embedded"][step], measured["neo4j"][step]))
        finally:
            server.stop()
    return rows


def render(rows: list[tuple[int, str, float, float]]) -> str:
    lines = [
        "# Backends side by side",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, Python "
        f"{platform.python_version()}, by `python bench/bench_backends.py`: LadybugDB "
        "(embedded) against the Neo4j 5.26 Community test server on loopback, one process, "
        "generated ecosystems (`ecomap generate`, seed 1). Each step on an empty database "
        "of each backend; ratio = Neo4j / LadybugDB.",
        "",
        "| organizations | step | LadybugDB | Neo4j | ratio |",
        "| ---: | --- | ---: | ---: | ---: |",
    ]
    for n_orgs, step, embedded, neo4j in rows:
        lines.append(
            f"| {n_orgs:,} | {step} | {embedded:.3f} s | {neo4j:.3f} s | {neo4j / embedded:.1f}x |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--out", type=Path, default=HERE / "results-backends.md")
    args = parser.parse_args()
    rows = run(args.orgs, lambda message: print(message, file=sys.stderr, flush=True))
    text = render(rows)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
