"""Heavy reads (analyses, maps, subgraphs) under a deadline, a concurrency cap and the cache.

:func:`run_heavy` is how a route computes anything expensive:

1. a :class:`~app.services.deadline.Deadline` of ``ECOMAP_QUERY_TIMEOUT_S`` starts; when it
   passes the answer is 504 ``query_timeout``, and when the client disconnects the work is
   cancelled as well: work in the worker pool is stopped by killing its worker (a fresh one
   replaces it), work in this process stops at its next
   :func:`~app.services.deadline.checkpoint`;
2. the computation runs in a thread with its own read session (so an abandoned computation
   still owns, and closes, the session it reads), and first looks in the
   :class:`~app.api.cache.ResultCache` under the route, the store's version and the
   request's normalized parameters;
3. on a miss it needs one of :class:`HeavySlots` (as many as analytics workers, at least
   :data:`MIN_SLOTS`), waiting for one at most :data:`SLOT_WAIT_S`: beyond that the answer is
   503 ``server_busy`` with ``Retry-After``; the slot is held until the computation really
   ends, even when its request was answered 504;
4. afterwards memory is given back to the system (:func:`release_memory`).

Every running computation is tracked (:class:`InFlight`): when the application stops, they
are cancelled and awaited before the store closes, so that none reads a closed database.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import logging
import sys
import threading
import time
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Executor
from contextlib import contextmanager
from typing import Any, TypeVar

import anyio
import anyio.to_thread
from fastapi import Request

from app.api.cache import ResultCache
from app.api.deps import get_served
from app.api.errors import ServerBusyError
from app.services.deadline import Deadline, bound, checkpoint
from app.store.base import GraphStore

__all__ = [
    "MIN_SLOTS",
    "SLOT_WAIT_S",
    "HeavySlots",
    "InFlight",
    "in_workers",
    "release_memory",
    "run_heavy",
]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: How often a running request checks whether its client is still there.
_WATCH_S = 0.25


#: Concurrent heavy computations at least (the explorer asks for a map and an analysis at
#: once), and at most as many as the analytics workers above that.
MIN_SLOTS = 2
#: Longest wait for a free slot before the answer is 503 ``server_busy``.
SLOT_WAIT_S = 10.0


class HeavySlots:
    """At most ``limit`` heavy computations at once; :meth:`acquire` waits at most
    ``wait_s`` seconds (within the request's deadline) for a free one."""

    def __init__(self, limit: int, wait_s: float = SLOT_WAIT_S) -> None:
        self.limit = max(MIN_SLOTS, limit)
        self.wait_s = wait_s
        self._semaphore = threading.BoundedSemaphore(self.limit)

    def acquire(self) -> Callable[[], None]:
        """Take a slot or raise :class:`ServerBusyError`; returns its release function."""
        give_up = time.monotonic() + self.wait_s
        while not self._semaphore.acquire(timeout=min(0.1, self.wait_s)):
            checkpoint()
            if time.monotonic() >= give_up:
                raise ServerBusyError(self.limit)
        released = threading.Event()

        def release() -> None:
            if not released.is_set():
                released.set()
                self._semaphore.release()

        return release


class InFlight:
    """The computations running now, so that shutdown can stop them and wait for them."""

    def __init__(self) -> None:
        self._running: set[Deadline] = set()
        self._changed = threading.Condition()

    def __len__(self) -> int:
        with self._changed:
            return len(self._running)

    @contextmanager
    def track(self, deadline: Deadline) -> Iterator[None]:
        with self._changed:
            self._running.add(deadline)
        try:
            yield
        finally:
            with self._changed:
                self._running.discard(deadline)
                self._changed.notify_all()

    def drain(self, timeout: float) -> bool:
        """Cancel every running computation and wait (at most ``timeout`` seconds) until
        each has stopped; False if some still run."""
        with self._changed:
            running = list(self._running)
        for deadline in running:
            deadline.cancel("the server is stopping")
        with self._changed:
            return self._changed.wait_for(lambda: not self._running, timeout)


def _malloc_trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    try:
        trim = ctypes.CDLL(name).malloc_trim if name else None
    except (OSError, AttributeError):  # pragma: no cover - not glibc
        return None
    return trim


_TRIM = _malloc_trim()


def release_memory() -> None:
    """Collect garbage, then hand freed heap pages back to the system (Arrow's memory pool,
    glibc's ``malloc_trim``): a large computation would otherwise leave the server's
    resident memory at its peak (measured on 50,000 organizations: 506 MB after a
    centrality, 354 MB after ``gc.collect`` alone, 255 MB after this)."""
    gc.collect()
    arrow = sys.modules.get("pyarrow")  # the store's results come as Arrow tables
    if arrow is not None:
        arrow.default_memory_pool().release_unused()
    if _TRIM is not None:
        _TRIM(0)


def in_workers(executor: Executor | None, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
    """``fn(*args, **kwargs)`` in one of the worker processes (here when there is no pool):
    the analysing half of a :func:`run_heavy` computation, after the read session fetched
    what it needs. Its arguments and answer travel pickled; the request's deadline kills the
    worker when it is cancelled or passes (see :class:`~app.api.workers.WorkerPool`)."""
    if executor is None:
        return fn(*args, **kwargs)
    return executor.submit(fn, *args, **kwargs).result()


async def run_heavy(
    request: Request,
    params: Hashable,
    compute: Callable[[GraphStore, Executor | None], T],
) -> T:
    """``compute(store, executor)`` for this request, bounded as the module says.

    Parameters
    ----------
    request : Request
        The request (its route names the cache entry, its connection is watched).
    params : hashable
        The normalized parameters: the cache key within the route and store version.
    compute : callable
        The computation, given a read session and the worker pool (or None).
    """
    app = request.app
    served = get_served(request)
    cache: ResultCache = app.state.cache
    slots: HeavySlots = app.state.heavy
    executor: Executor | None = app.state.analytics
    deadline = Deadline(app.state.settings.query_timeout_s)
    route = request.scope.get("route")
    name = getattr(route, "path", request.url.path)

    def work() -> T:
        computed = False

        def before() -> Callable[[], None]:
            nonlocal computed
            release = slots.acquire()
            computed = True
            return release

        with app.state.inflight.track(deadline), bound(deadline):
            try:
                with served.read_session() as store:
                    key = (name, store.version(), params)
                    return cache.get_or_compute(
                        key, lambda: compute(store, executor), before_computing=before
                    )
            finally:
                if computed:
                    release_memory()

    outcome: dict[str, Any] = {}

    async def watch(timer: anyio.CancelScope) -> None:
        while True:
            if await request.is_disconnected():
                deadline.cancel("the client went away")
                timer.cancel()
                return
            await anyio.sleep(_WATCH_S)

    with anyio.move_on_after(deadline.remaining()) as timer:
        async with anyio.create_task_group() as group:
            group.start_soon(watch, timer)
            try:
                outcome["value"] = await anyio.to_thread.run_sync(work, abandon_on_cancel=True)
            except Exception as exc:
                outcome["error"] = exc
            group.cancel_scope.cancel()
    if "value" in outcome:
        return outcome["value"]
    if "error" in outcome:
        raise outcome["error"]
    if not deadline.cancelled:
        deadline.expire()
    logger.warning("%s %s stopped: %s", request.method, request.url.path, deadline.reason)
    raise deadline.error()
