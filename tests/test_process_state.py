"""Process-wide state (the garbage collector, igraph's random generator) changed only in
scoped helpers that threads can share: the API builds graphs and runs seeded analyses side
by side."""

from __future__ import annotations

import ast
import gc
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import networkx as nx

import graph_analytics
from app.api.workers import WorkerPool
from app.process_state import paused_gc
from app.render.layout import force_layout
from graph_analytics.compiled import edge_list, leiden_membership


def test_gc_pauses_overlapping_in_threads_end_with_the_last() -> None:
    """Thread A pauses, B pauses, A ends: the collector stays off until B ends too (a plain
    disable/enable pair turned it back on under B)."""
    assert gc.isenabled()
    a_paused, b_paused, a_done = threading.Event(), threading.Event(), threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_gc():
            a_paused.set()
            b_paused.wait(5)
        a_done.set()

    def second() -> None:
        a_paused.wait(5)
        with paused_gc():
            b_paused.set()
            a_done.wait(5)
            seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert seen == [False]
    assert gc.isenabled()


def test_gc_pause_keeps_a_collector_that_was_off_off() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_graph_analytics_leaves_the_collector_to_the_application() -> None:
    """No module of the pure analytics package imports ``gc``: the application decides
    which work pauses the collector (app.process_state)."""
    package = Path(graph_analytics.__file__).parent
    importers = []
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [alias.name for alias in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if "gc" in names:
                importers.append(path.name)
    assert importers == []


def test_a_worker_runs_each_task_with_the_collector_paused() -> None:
    pool = WorkerPool(1)
    try:
        assert pool.submit(gc.isenabled).result(timeout=60) is False
    finally:
        pool.shutdown()


def test_seeded_igraph_work_is_reproducible_across_threads() -> None:
    """Seeded Leiden runs and layouts interleaved in threads give what each gives alone."""
    graph = nx.connected_caveman_graph(6, 5)
    nodes, edges, weights = edge_list(graph, None)

    def leiden(seed: int) -> list[int]:
        return leiden_membership(len(nodes), edges, weights, 1.0, seed, 2)

    def layout(seed: int) -> dict[object, tuple[float, float]]:
        return force_layout(graph, seed=seed)

    alone = [leiden(seed) for seed in range(6)], [layout(seed) for seed in range(6)]
    with ThreadPoolExecutor(4) as pool:
        together = (
            list(pool.map(leiden, range(6))),
            list(pool.map(layout, range(6))),
        )
    assert together == alone
