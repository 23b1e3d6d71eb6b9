"""HTTP API latency on loopback: the 10k-organization generated graph, 8 concurrent clients.

A live ``ecomap serve`` (uvicorn, one process) answers 8 client threads; each endpoint gets
``--requests`` requests in all. Reported: p50 and p95 latency of ``POST /api/subgraph`` and
``POST /api/analytics/centrality`` with a selective filter (one cluster's members), and the
baseline measured in the same run under the same load: ``GET /api/health``, which does no
work, so the difference is what the store and the analysis cost. Each endpoint is measured
twice: with every request different (another cluster, another row cap: nothing can come
from the result cache) and with one request repeated (served from the cache after the
first, as the explorer's repeated tabs are).

Usage::

    python bench/bench_api.py --orgs 10000 --out bench/results-api.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_import import ensure_data  # noqa: E402

CLIENTS = 8


def call(url: str, payload: dict[str, Any] | None) -> float:
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    request.add_header("Content-Type", "application/json")
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()
        if response.status != 200:
            raise RuntimeError(f"{url}: HTTP {response.status}")
    return time.perf_counter() - start


def percentiles(times: list[float]) -> tuple[float, float]:
    """p50 and p95 of these latencies."""
    times = sorted(times)
    return statistics.median(times), times[max(0, round(0.95 * len(times)) - 1)]


def load(url: str, payloads: list[dict[str, Any] | None]) -> tuple[float, float]:
    """p50 and p95 seconds of these requests, sent by CLIENTS threads at once."""
    with ThreadPoolExecutor(CLIENTS) as pool:
        return percentiles(list(pool.map(lambda payload: call(url, payload), payloads)))


def distinct(
    template: dict[str, Any] | None, clusters: list[str], total: int, cap: int = 10_000
) -> list[Any]:
    """``total`` request bodies that all differ (cluster x row cap), so none is cached."""
    if template is None:
        return [None] * total
    bodies = []
    for i in range(total):
        spec = {"clusters": [clusters[i % len(clusters)]], "limit": cap - i}
        bodies.append({**template, "filters": spec} if "filters" in template else spec)
    return bodies


def build_db(n_orgs: int, folder: Path) -> tuple[Path, list[str]]:
    """The generated ecosystem of ``n_orgs`` organizations imported into a new database in
    ``folder``, and the ids of its clusters."""
    from app.filters import FilterSpec
    from app.services.importing import import_files
    from app.store.embedded import EmbeddedStore

    orgs_csv, rels_csv = ensure_data(n_orgs)
    db = folder / "api.lbug"
    with EmbeddedStore(db, buffer_pool_bytes=1024**3) as store:
        import_files(store, [orgs_csv, rels_csv])
        kinds = FilterSpec(kinds=["cluster"])
        clusters = [c.id for c in store.list_organizations(kinds, limit=1000).items]
    return db, clusters


@contextmanager
def serving(db: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """A live ``ecomap serve`` on ``db`` and a free loopback port, with these environment
    variables added to ours; yields its base URL once it answers, stops it afterwards."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "--db", str(db), "serve", "--port", str(port)],
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                call(f"{base}/api/health", None)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def run(n_orgs: int, total: int) -> list[tuple[str, float, float]]:
    with tempfile.TemporaryDirectory() as tmp:
        db, clusters = build_db(n_orgs, Path(tmp))
        with serving(db) as base:
            selective = {"clusters": [clusters[0]]}
            cases = [
                ("GET /api/health (baseline)", f"{base}/api/health", None),
                ("POST /api/subgraph, one cluster", f"{base}/api/subgraph", selective),
                ("POST /api/analytics/centrality, one cluster",
                 f"{base}/api/analytics/centrality", {"filters": selective}),
            ]  # fmt: skip
            rows = []
            for label, url, payload in cases:
                # one client at a time: the service time of a request
                alone = [call(url, body) for body in distinct(payload, clusters, 20, 5000)]
                rows.append((f"{label}, all different, one client", *percentiles(alone)))
                # cold: every request a different filter, so every one is computed
                p50, p95 = load(url, distinct(payload, clusters, total))
                rows.append((f"{label}, all different", p50, p95))
                # warm: the same request again and again (the explorer's tabs and reloads)
                call(url, payload)
                p50, p95 = load(url, [payload] * total)
                rows.append((f"{label}, repeated", p50, p95))
                print(rows[-2:], file=sys.stderr)
    return rows


def render(n_orgs: int, total: int, rows: list[tuple[str, float, float]]) -> str:
    lines = [
        "## HTTP API latency (bench/bench_api.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"`ecomap serve` on loopback, generated ecosystem of {n_orgs:,} organizations, "
        f"{CLIENTS} concurrent clients, {total} requests per endpoint (one client: 20). "
        "The centrality request asks for all seven metrics. Target: p95 <= 500 ms for "
        "filtered requests.",
        "",
        "| request | p50 | p95 |",
        "| --- | ---: | ---: |",
    ]
    for label, p50, p95 in rows:
        lines.append(f"| {label} | {p50 * 1000:.0f} ms | {p95 * 1000:.0f} ms |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=160)
    parser.add_argument("--out", type=Path, default=HERE / "results-api.md")
    args = parser.parse_args()
    args.out.write_text(render(args.orgs, args.requests, run(args.orgs, args.requests)), "utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
