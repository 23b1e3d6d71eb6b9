"""The analytics worker processes: killed and replaced when their task is cancelled or times
out, and gone with their server however it ends (``SIGKILL`` included), on a live
``ecomap serve``."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from app.api.workers import WorkerPool
from app.errors import QueryTimeoutError
from app.services.deadline import CancelledWorkError, Deadline, bound
from app.services.sample import load_sample
from app.store.embedded import EmbeddedStore

BIND = "127.0.0.2"  # not among the default allowed hosts: `serve --host` must add it


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((BIND, 0))
        port: int = sock.getsockname()[1]
        return port


def _get(url: str, host: str | None = None) -> int:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            status: int = answer.status
            return status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[psutil.Process, str]]:
    """``ecomap serve`` with two analytics workers on a copy of the sample."""
    db = tmp_path / "eco.lbug"
    with EmbeddedStore(db, buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3) as s:
        load_sample(s)
    port = _free_port()
    env = {**os.environ, "ECOMAP_DB": str(db), "ECOMAP_ANALYTICS_WORKERS": "2"}
    env.pop("ECOMAP_ALLOWED_HOSTS", None)
    ecomap = shutil.which("ecomap", path=str(Path(sys.executable).parent)) or "ecomap"
    process = subprocess.Popen(
        [ecomap, "serve", "--host", BIND, "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://{BIND}:{port}"
    try:
        for _ in range(300):
            try:
                if _get(f"{base}/api/health") == 200:
                    break
            except OSError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail("ecomap serve did not answer within 30 s")
        yield psutil.Process(process.pid), base
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _workers(server: psutil.Process, count: int) -> list[psutil.Process]:
    for _ in range(300):
        children = server.children(recursive=True)
        workers = [c for c in children if "spawn_main" in " ".join(c.cmdline())]
        if len(workers) >= count:
            return children
        time.sleep(0.1)
    pytest.fail(f"the server did not start {count} workers")


def test_workers_die_with_a_killed_server(server: tuple[psutil.Process, str]) -> None:
    process, base = server
    assert _get(f"{base}/api/stats") == 200  # `--host` added the bind address
    assert _get(f"{base}/api/stats", host="evil.example") == 400
    children = _workers(process, 2)
    os.kill(process.pid, signal.SIGKILL)
    _gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [p.cmdline() for p in alive]


def test_cancelled_task_kills_its_worker_and_a_new_one_serves() -> None:
    pool = WorkerPool(1)
    try:
        assert pool.submit(pow, 2, 10).result(timeout=60) == 1024
        first = pool.pids()
        deadline = Deadline(60)
        with bound(deadline):
            future = pool.submit(time.sleep, 120)
        threading.Timer(0.5, deadline.cancel, args=("the client went away",)).start()
        with pytest.raises(CancelledWorkError):
            future.result(timeout=30)
        assert pool.submit(pow, 3, 3).result(timeout=60) == 27
        assert pool.pids() and pool.pids() != first
        assert not psutil.pid_exists(first[0]) or psutil.Process(first[0]).status() == "zombie"
    finally:
        pool.shutdown()


def test_timed_out_task_raises_query_timeout() -> None:
    pool = WorkerPool(1)
    try:
        deadline = Deadline(60)
        with bound(deadline):
            future = pool.submit(time.sleep, 120)
        threading.Timer(0.5, deadline.expire).start()
        with pytest.raises(QueryTimeoutError):
            future.result(timeout=30)
    finally:
        pool.shutdown()
    assert pool.pids() == []
