"""Heavy reads against a live ``ecomap serve``: server memory and ``/api/health`` latency while
several clients ask for expensive analyses and maps (issue 13, "heavy reads exhaust the
server").

The script starts ``ecomap serve`` on 127.0.0.1 (only) on an existing store, then for
``--seconds`` runs ``--clients`` threads, each looping over heavy requests whose seeds change
every time (the way a client would bypass a result cache): all-metric centrality, sampled
betweenness, Leiden communities and the aggregated map of everything. Meanwhile one thread
asks ``GET /api/health`` every 0.2 s and another samples the resident memory of the server
and of its worker processes. After the load it waits ``--idle`` seconds and samples again.
Every loop is bounded (by time and by a per-request timeout); the server and every process
it started are stopped at the end.

With ``--upload FILE`` the clients upload that file to ``POST /api/import`` instead (the
issue's "small uploads that expand": ``python tests/hostile/big_cell_xlsx.py big.xlsx``
writes a 400 KiB ``.xlsx`` holding one 400 MB cell).

Usage::

    ecomap generate --orgs 50000 --out DIR --seed 1
    ECOMAP_DB=DB ecomap import DIR/organizations.csv DIR/relationships.csv
    python bench/bench_hostile.py --db DB [--ecomap PATH/TO/ecomap] [--out FILE.md]
    python bench/bench_hostile.py --db DB --upload big.xlsx --seconds 60
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

import psutil

HOST = "127.0.0.1"
HEALTH_EVERY_S = 0.2
SAMPLE_EVERY_S = 0.5


def _multipart(path: Path) -> tuple[bytes, dict[str, str]]:
    """A ``files=@PATH`` form, as ``curl -F`` sends it (with the explorer's CSRF header)."""
    boundary = "ecomap-bench-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; '
        f'filename="{path.name}"\r\nContent-Type: application/octet-stream\r\n\r\n'
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-EcoMap-CSRF": "1"}
    return body, headers


def _request(
    url: str,
    body: dict[str, Any] | bytes | None,
    timeout: float,
    headers: dict[str, str] | None = None,
) -> tuple[int, float]:
    if isinstance(body, bytes):
        data: bytes | None = body
    else:
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Content-Type": "application/json"} if body is not None else {}
    request = urllib.request.Request(url, data=data, headers=headers or {})
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            answer.read()
            status = answer.status
    except urllib.error.HTTPError as error:
        error.read()
        status = error.code
    except (TimeoutError, OSError):
        status = 0  # no answer within the client's timeout
    return status, time.perf_counter() - start


def _heavy(client: int, turn: int) -> tuple[str, str, dict[str, Any]]:
    seed = client * 100_000 + turn
    kinds = [
        ("centrality-all", "/api/analytics/centrality", {"seed": seed}),
        (
            "betweenness-sampled",
            "/api/analytics/centrality",
            {"metrics": ["betweenness", "pagerank"], "seed": seed},
        ),
        ("communities", "/api/analytics/communities", {"seed": seed}),
        ("map", "/api/maps", {"seed": seed}),
    ]
    return kinds[(client + turn) % len(kinds)]


def _rss(process: psutil.Process) -> tuple[int, int]:
    """(server RSS, sum of its children's RSS) in bytes."""
    try:
        server = process.memory_info().rss
        children = 0
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                children += child.memory_info().rss
        return server, children
    except psutil.Error:
        return 0, 0


def run(args: argparse.Namespace) -> dict[str, Any]:
    env = {
        **os.environ,
        "ECOMAP_DB": str(args.db),
        "ECOMAP_ANALYTICS_WORKERS": str(args.workers),
        "ECOMAP_QUERY_TIMEOUT_S": str(args.query_timeout),
    }
    server = subprocess.Popen(
        [args.ecomap, "serve", "--host", HOST, "--port", str(args.port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    base = f"http://{HOST}:{args.port}"
    process = psutil.Process(server.pid)
    stop = threading.Event()
    health: list[float] = []
    health_failures = Counter[int]()
    samples: list[tuple[float, int, int]] = []
    outcomes: Counter[tuple[str, int]] = Counter()
    durations: dict[str, list[float]] = {}
    try:
        for _ in range(600):
            if _request(f"{base}/api/health", None, 2)[0] == 200:
                break
            time.sleep(0.2)
        else:
            raise SystemExit("ecomap serve did not start within 120 s")
        _request(f"{base}/api/stats", None, 60)
        time.sleep(2)
        before = _rss(process)

        def probe() -> None:
            while not stop.is_set():
                status, seconds = _request(f"{base}/api/health", None, 30)
                if status == 200:
                    health.append(seconds)
                else:
                    health_failures[status] += 1
                stop.wait(HEALTH_EVERY_S)

        def sample() -> None:
            start = time.monotonic()
            while not stop.is_set():
                server_rss, children_rss = _rss(process)
                samples.append((time.monotonic() - start, server_rss, children_rss))
                stop.wait(SAMPLE_EVERY_S)

        upload = _multipart(args.upload) if args.upload else None

        def client(number: int) -> None:
            turn = 0
            while not stop.is_set():
                if upload is not None:
                    name, path = "upload", "/api/import"
                    status, seconds = _request(
                        base + path, upload[0], args.request_timeout, upload[1]
                    )
                else:
                    name, path, body = _heavy(number, turn)
                    status, seconds = _request(base + path, body, args.request_timeout)
                outcomes[(name, status)] += 1
                durations.setdefault(name, []).append(seconds)
                turn += 1
                if status in (0, 503):
                    stop.wait(1.0)

        threads = [threading.Thread(target=probe), threading.Thread(target=sample)]
        threads += [threading.Thread(target=client, args=(n,)) for n in range(args.clients)]
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(timeout=args.request_timeout + 10)
        time.sleep(args.idle)
        after = _rss(process)
    finally:
        children: list[psutil.Process] = []
        with contextlib.suppress(psutil.Error):
            children = process.children(recursive=True)
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        _gone, alive = psutil.wait_procs(children, timeout=10)
        for child in alive:  # the processes this server started (old builds orphan them)
            child.kill()
    ordered = sorted(health)
    p95 = ordered[int(0.95 * (len(ordered) - 1))] if ordered else float("nan")
    return {
        "rss_before_mb": before[0] / 2**20,
        "workers_before_mb": before[1] / 2**20,
        "rss_peak_mb": max((s[1] for s in samples), default=0) / 2**20,
        "workers_peak_mb": max((s[2] for s in samples), default=0) / 2**20,
        "rss_after_mb": after[0] / 2**20,
        "workers_after_mb": after[1] / 2**20,
        "health_n": len(health),
        "health_p50_ms": statistics.median(ordered) * 1000 if ordered else float("nan"),
        "health_p95_ms": p95 * 1000,
        "health_max_ms": ordered[-1] * 1000 if ordered else float("nan"),
        "health_failures": dict(health_failures),
        "outcomes": {f"{name} {status}": n for (name, status), n in sorted(outcomes.items())},
        "median_s": {name: statistics.median(v) for name, v in sorted(durations.items())},
        "orphans_killed": len(alive),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="an existing embedded store")
    default = shutil.which("ecomap", path=str(Path(sys.executable).parent)) or "ecomap"
    parser.add_argument("--ecomap", default=default, help="the ecomap executable to serve")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="ECOMAP_ANALYTICS_WORKERS")
    parser.add_argument("--seconds", type=float, default=90, help="length of the load")
    parser.add_argument("--idle", type=float, default=10, help="wait before the last sample")
    parser.add_argument("--request-timeout", type=float, default=120)
    parser.add_argument("--query-timeout", type=float, default=60)
    parser.add_argument("--upload", type=Path, help="clients upload this file instead")
    parser.add_argument("--out", type=Path, help="append the figures to this Markdown file")
    args = parser.parse_args()
    result = run(args)
    text = json.dumps(result, indent=2)
    print(text)
    if args.out is not None:
        with args.out.open("a", encoding="utf-8") as out:
            out.write(f"\n## {args.ecomap} on {args.db}\n\n```json\n{text}\n```\n")


if __name__ == "__main__":
    main()
