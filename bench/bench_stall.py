"""Does one heavy analysis stall the API's other requests? Worker processes against none.

A live ``ecomap serve`` on the generated ecosystem (10k organizations by default) is started
twice in the same run: with the analyses and maps in 2 worker processes
(``ECOMAP_ANALYTICS_WORKERS=2``, the default) and in the server process itself (``=0``). In
each, two light requests, ``GET /api/health`` (no work) and ``GET /api/organizations?limit=10``
(a small real read), are sent every 20 ms, one client each, first with nothing else running
(the baseline: ``--idle`` requests each, just before every heavy request, so that the
baseline sees the same machine as the measurement) and then while one heavy request runs
alone on the whole network: brokerage (``{"top": 20}``), the network's health (``{}``) and
the map of everything (``{}``). Each heavy request is sent ``--repeat`` times, each time
with a body that differs in a way that does not change the work (a row cap above the
organization count, another seed), so that none comes from the result cache.

Reported per setting and analysis: the analysis' own duration, the p50, p95 and max latency
of the light requests sent while it ran, and their p95 against the idle p95 (1.0: no
stall). The server's deadline is raised to 10 minutes so that the slowest analysis on a
busy machine is not answered 504.

Usage::

    python bench/bench_stall.py --orgs 10000 --out bench/results-stall.md
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_api import build_db, call, percentiles, serving  # noqa: E402

#: Worker settings compared (``ECOMAP_ANALYTICS_WORKERS``).
WORKERS = (2, 0)
#: Seconds between the starts of two light requests of one poller.
EVERY_S = 0.02
#: The light requests, polled together.
LIGHT = ("/api/health", "/api/organizations?limit=10")
#: The server's statement and request deadline: the network's health takes 30-40 s on 10k
#: organizations and two busy cores, near the default 60 s (the work budget refuses none).
QUERY_TIMEOUT_S = "600"
#: Above any generated ecosystem's size: as a row cap it selects the whole network.
WHOLE = 10**9

#: label, path, request body of run ``i`` (every ``i`` a different cache key, the same work).
ANALYSES: tuple[tuple[str, str, Callable[[int], dict[str, Any]]], ...] = (
    ("POST /api/analytics/brokerage", "/api/analytics/brokerage",
     lambda i: {"top": 20, "filters": {"limit": WHOLE - i}}),
    ("POST /api/analytics/health", "/api/analytics/health", lambda i: {"seed": i}),
    ("POST /api/maps", "/api/maps", lambda i: {"seed": i}),
)  # fmt: skip


@dataclass
class Row:
    """One setting, analysis and light request: what the table shows."""

    workers: int
    analysis: str
    light: str
    analysis_s: list[float]
    idle: list[float]
    during: list[float]


def poll(url: str, stop: threading.Event | None = None, count: int = 0) -> list[float]:
    """Latencies of ``GET url`` started every :data:`EVERY_S` seconds (at once after one
    that took longer), until ``stop`` is set or ``count`` requests were sent."""
    times: list[float] = []
    while not (stop is not None and stop.is_set()) and not (count and len(times) >= count):
        start = time.perf_counter()
        times.append(call(url, None))
        time.sleep(max(0.0, start + EVERY_S - time.perf_counter()))
    return times


def during(base: str, path: str, body: dict[str, Any]) -> tuple[float, list[list[float]]]:
    """The seconds of one heavy request, and the latencies of each light request polled
    while it ran."""
    stop = threading.Event()

    def heavy() -> float:
        try:
            return call(base + path, body)
        finally:
            stop.set()

    with ThreadPoolExecutor(1 + len(LIGHT)) as pool:
        analysis = pool.submit(heavy)
        pollers = [pool.submit(poll, base + light, stop) for light in LIGHT]
        return analysis.result(), [poller.result() for poller in pollers]


def idle(base: str, count: int) -> list[list[float]]:
    """Latencies of ``count`` of each light request, polled together with nothing else."""
    with ThreadPoolExecutor(len(LIGHT)) as pool:
        return list(pool.map(lambda light: poll(base + light, count=count), LIGHT))


def _extend(pooled: list[list[float]], more: list[list[float]]) -> None:
    """Add each light request's new latencies to its pooled ones."""
    for times, these in zip(pooled, more, strict=True):
        times.extend(these)


def measure(db: Path, clusters: list[str], workers: int, repeat: int, count: int) -> list[Row]:
    """Every analysis against a server with ``workers`` analytics workers."""
    env = {"ECOMAP_ANALYTICS_WORKERS": str(workers), "ECOMAP_QUERY_TIMEOUT_S": QUERY_TIMEOUT_S}
    rows: list[Row] = []
    with serving(db, env) as base:
        # warm up the server and every worker (imports, first calls): each analysis once per
        # worker, on one cluster each (other cache keys than the measured requests')
        for cluster in clusters[: max(1, workers)]:
            for _label, path, _body in ANALYSES:
                call(base + path, {"filters": {"clusters": [cluster]}})
        time.sleep(2)
        for label, path, body in ANALYSES:
            seconds: list[float] = []
            baseline: list[list[float]] = [[] for _ in LIGHT]
            polled: list[list[float]] = [[] for _ in LIGHT]
            for i in range(repeat):
                _extend(baseline, idle(base, count))
                took, latencies = during(base, path, body(i))
                print(f"workers={workers} {label} run {i}: {took:.2f} s", file=sys.stderr)
                seconds.append(took)
                _extend(polled, latencies)
            for light, idle_times, times in zip(LIGHT, baseline, polled, strict=True):
                rows.append(Row(workers, label, light, seconds, idle_times, times))
    return rows


def run(n_orgs: int, repeat: int, count: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        db, clusters = build_db(n_orgs, Path(tmp))
        return [row for w in WORKERS for row in measure(db, clusters, w, repeat, count)]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def render(n_orgs: int, repeat: int, count: int, rows: list[Row]) -> str:
    lines = [
        "## One heavy analysis against the API's light requests (bench/bench_stall.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, `ecomap serve` on loopback, generated ecosystem of "
        f"{n_orgs:,} organizations. The light requests are sent every {EVERY_S * 1000:.0f} ms "
        f"(one client each, both at once): idle, {count} each just before every heavy "
        "request; during, for as long as one heavy request on the whole network runs alone "
        f"({repeat} runs each, bodies that miss the result cache; duration: median). "
        "Ratio: p95 during / p95 idle (1.0: no stall). Workers: `ECOMAP_ANALYTICS_WORKERS` "
        "(0: the analysis runs in the server process).",
        "",
        "| workers | heavy request | its duration | light request | n | idle p95 "
        "| p50 during | p95 during | max during | ratio |",
        "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        idle_p95 = percentiles(row.idle)[1]
        p50, p95 = percentiles(row.during)
        lines.append(
            f"| {row.workers} | {row.analysis} | {statistics.median(row.analysis_s):.2f} s "
            f"| GET {row.light} | {len(row.during)} | {_ms(idle_p95)} | {_ms(p50)} "
            f"| {_ms(p95)} | {_ms(max(row.during))} | {p95 / idle_p95:.1f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each heavy request")
    parser.add_argument("--idle", type=int, default=50, help="idle requests of each kind")
    parser.add_argument("--out", type=Path, default=HERE / "results-stall.md")
    args = parser.parse_args()
    rows = run(args.orgs, args.repeat, args.idle)
    args.out.write_text(render(args.orgs, args.repeat, args.idle, rows), "utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
