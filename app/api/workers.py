"""The analytics worker processes: spawned, killable one by one, never outliving the server.

:class:`WorkerPool` is a :class:`concurrent.futures.Executor` whose every worker is its own
spawned process, reached through a pipe. A task submitted under a
:class:`~app.services.deadline.Deadline` (the request's) is stopped when the deadline is
cancelled or passes: its worker is killed (``SIGKILL``: compiled code holds the interpreter
lock and checks nothing) and a fresh one started in its place.

Workers exit with the server however it ends:

- each asks the kernel for ``SIGKILL`` when its parent dies (``prctl(PR_SET_PDEATHSIG)``,
  Linux); the signal follows the *thread* that started the worker, so every worker is
  started by the pool's own spawner thread, which lives as long as the pool;
- a watchdog thread in each worker exits it once its parent process is gone (the parent pid
  changes), for systems without ``prctl``;
- an idle worker also ends when its pipe closes (the server's end is closed with it).
"""

from __future__ import annotations

import ctypes
import logging
import os
import queue
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from multiprocessing import get_context
from multiprocessing.connection import Connection
from typing import Any

from app.process_state import paused_gc
from app.services.deadline import current

__all__ = ["WorkerPool", "die_with_parent"]

logger = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_WATCH_EVERY_S = 0.5


def die_with_parent(parent: int) -> None:
    """Make this process end when process ``parent`` (its parent) ends."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            logger.debug("prctl(PR_SET_PDEATHSIG) is unavailable")
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_WATCH_EVERY_S)
        os._exit(0)

    threading.Thread(target=watch, name="ecomap-parent-watchdog", daemon=True).start()


def _worker_main(conn: Connection, parent: int, initializer: Callable[[], None] | None) -> None:
    """A worker's life: run the tasks that come down the pipe until it closes.

    A worker runs one task at a time and every task is bulk graph work (an edge list in and
    scores or communities out, or a graph in and a map out), so the garbage collector is
    paused for the length of each task (:func:`~app.process_state.paused_gc`) and is back on
    between tasks.
    """
    die_with_parent(parent)
    if initializer is not None:
        initializer()
    while True:
        try:
            fn, args, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            with paused_gc():
                answer: tuple[bool, Any] = (True, fn(*args, **kwargs))
        except BaseException as exc:  # the error travels back to the caller
            answer = (False, exc)
        try:
            conn.send(answer)
        except Exception as exc:  # e.g. an unpicklable result or exception
            conn.send((False, RuntimeError(f"the worker could not send its answer: {exc}")))


class _Worker:
    def __init__(self, process: Any, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()


class WorkerPool(Executor):
    """``workers`` spawned processes, each running one task at a time.

    Parameters
    ----------
    workers : int
        Processes to keep (at least 1).
    initializer : callable, optional
        Run once in each worker when it starts (e.g. importing the compiled libraries).
    """

    def __init__(self, workers: int, initializer: Callable[[], None] | None = None) -> None:
        if workers < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.workers = workers
        self._initializer = initializer
        self._context = get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._spawns: queue.Queue[int | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self._spawner = threading.Thread(target=self._spawn_loop, name="ecomap-spawner")
        self._spawner.daemon = True
        self._spawner.start()
        for _ in range(workers):
            self._spawns.put(1)

    # -- the spawner thread: starts every worker (PR_SET_PDEATHSIG follows this thread) --

    def _spawn_loop(self) -> None:
        while self._spawns.get() is not None:
            with self._lock:
                if self._closed:
                    continue
            try:
                worker = self._start()
            except Exception:  # pragma: no cover - e.g. out of processes
                logger.exception("could not start an analytics worker")
                continue
            with self._lock:
                if self._closed:
                    worker.kill()
                    continue
                self._all.add(worker)
            self._idle.put(worker)

    def _start(self) -> _Worker:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main,
            args=(theirs, os.getpid(), self._initializer),
            name="ecomap-analytics",
            daemon=True,
        )
        process.start()
        theirs.close()
        return _Worker(process, mine)

    def pids(self) -> list[int]:
        """The process ids of the current workers."""
        with self._lock:
            return [w.process.pid for w in self._all if w.process.pid is not None]

    # -- tasks -------------------------------------------------------------------------

    def _take(self) -> _Worker:
        """An idle worker, waiting for one within the bound deadline (if any)."""
        deadline = current()
        while True:
            if self._closed:
                raise RuntimeError("cannot submit to a worker pool after shutdown")
            if deadline is not None:
                deadline.check()
            try:
                return self._idle.get(timeout=0.1)
            except queue.Empty:
                continue

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run ``fn(*args, **kwargs)`` in an idle worker; the bound deadline, if any,
        stops it (the future then raises the deadline's error)."""
        worker = self._take()
        future: Future[Any] = Future()
        future.set_running_or_notify_cancel()
        deadline = current()
        try:
            worker.conn.send((fn, args, kwargs))
        except BaseException:
            self._retire(worker)
            raise
        unregister = deadline.on_cancel(worker.kill) if deadline is not None else None

        def wait() -> None:
            try:
                ok, value = worker.conn.recv()
            except (EOFError, OSError):
                self._retire(worker)
                stopped = deadline is not None and deadline.cancelled
                future.set_exception(
                    deadline.error()  # type: ignore[union-attr]
                    if stopped
                    else RuntimeError("an analytics worker ended abruptly")
                )
                return
            finally:
                if unregister is not None:
                    unregister()
            self._idle.put(worker)
            if ok:
                future.set_result(value)
            else:
                future.set_exception(value)

        threading.Thread(target=wait, name="ecomap-task", daemon=True).start()
        return future

    def _retire(self, worker: _Worker) -> None:
        """Forget a dead (or doomed) worker and start another."""
        worker.kill()
        worker.process.join(timeout=5)
        worker.conn.close()
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        if not closed:
            self._spawns.put(1)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Stop every worker (running tasks included) and the spawner thread."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        self._spawns.put(None)
        for worker in workers:
            worker.conn.close()
            worker.kill()
        if wait:
            for worker in workers:
                worker.process.join(timeout=5)
            self._spawner.join(timeout=5)
