"""Safe use of one store from the many threads FastAPI runs sync routes in.

What LadybugDB allows (checked against ``ladybug`` 0.22 and by ``tests/test_api_concurrency.py``):

- One ``ladybug.Database`` may have many ``ladybug.Connection`` objects; queries on different
  connections run concurrently. Calls on one connection are serialized by the library, so a
  connection is thread-safe but not isolated: a thread reading through the connection that
  holds an open write transaction sees that transaction's uncommitted rows.
- A connection outside the write transaction sees the last committed state. A read-only
  transaction (``BEGIN TRANSACTION READ ONLY``) keeps one snapshot across several statements,
  and a writer may commit while it is open.
- Only one write transaction may run at a time.
- A connection keeps every statement it prepared for an Arrow-table parameter (the store's
  bulk ``COPY`` path) and the buffer-pool pages that go with it until it is closed: a
  long-lived connection that writes runs out of buffer pool after some dozens of writes.

So for the embedded store: every request that reads checks out a *view* (the same database,
its own connection) from a pool and runs inside one read-only transaction; every write gets a
fresh view, one writer at a time under a lock, closed after the write. Reads never wait for an
import and always see the state before or after it, never a half-written one.

The Neo4j store opens a session per operation on a thread-safe driver: reads share it as is;
writes are serialized by the same lock.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from app.api.cache import ResultCache
from app.errors import StoreError
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

__all__ = ["StoreAccess"]

logger = logging.getLogger(__name__)

#: Threads per read statement (see :class:`_View`).
READ_THREADS = 1


class _View(EmbeddedStore):
    """An :class:`EmbeddedStore` that shares another store's database through its own
    connection; closing it closes the connection, not the database.

    ``threads`` caps the threads LadybugDB runs one statement on (0: all cores). Read views
    use one: requests run side by side, and a filtered read's small plan runs faster on one
    thread than split across cores (``bench/bench_api.py``).
    """

    def __init__(self, base: EmbeddedStore, *, threads: int = 0) -> None:
        import ladybug  # no super().__init__: no new database

        self.path = base.path
        self.batch_size = base.batch_size
        self.max_nodes = base.max_nodes
        self._db = base._db
        try:
            self._conn = ladybug.Connection(base._db, num_threads=threads)
        except RuntimeError as exc:
            raise StoreError(f"cannot connect to the database at {self.path}: {exc}") from exc

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


class StoreAccess:
    """Hands each request the store to read from, or the store to write to.

    Parameters
    ----------
    store : GraphStore
        The open store.
    owns_store : bool
        Close ``store`` in :meth:`close` (an injected store is left to its owner).
    """

    def __init__(self, store: GraphStore, *, owns_store: bool) -> None:
        self._store = store
        self._owns_store = owns_store
        self._write_lock = threading.Lock()  # released from whichever thread ends the request
        self._pool_lock = threading.Lock()
        self._idle: list[_View] = []
        self._views: list[_View] = []
        self._closed = False
        #: Incremented by every write: results computed under an older one are stale.
        self.generation = 0
        self.cache = ResultCache()

    @property
    def backend(self) -> str:
        """``embedded`` or ``neo4j`` (the class name for anything else)."""
        if isinstance(self._store, EmbeddedStore):
            return "embedded"
        name = type(self._store).__name__
        return "neo4j" if name == "Neo4jStore" else name

    @contextmanager
    def read(self) -> Iterator[GraphStore]:
        """A store for reads; with LadybugDB, one snapshot for the whole block."""
        if self._closed:
            raise StoreError("the store is closed")
        if not isinstance(self._store, EmbeddedStore):
            yield self._store
            return
        view = self._checkout(self._store)
        try:
            view._run("BEGIN TRANSACTION READ ONLY")
        except StoreError:
            self._discard(view)
            raise
        try:
            yield view
        finally:
            self._checkin(view)

    @contextmanager
    def write(self) -> Iterator[GraphStore]:
        """A store for one writer at a time; with LadybugDB, on a connection of its own."""
        with self._write_lock:
            if self._closed:
                raise StoreError("the store is closed")
            try:
                if not isinstance(self._store, EmbeddedStore):
                    yield self._store
                    return
                view = _View(self._store)
                try:
                    yield view
                finally:
                    view.close()
            finally:
                self.generation += 1

    def close(self) -> None:
        """Close every read connection, then the store if this object owns it."""
        with self._write_lock, self._pool_lock:
            if self._closed:
                return
            self._closed = True
            for view in self._views:
                view.close()
            self._views.clear()
            self._idle.clear()
            if self._owns_store:
                self._store.close()

    # -- the pool of read views ------------------------------------------------------------

    def _checkout(self, base: EmbeddedStore) -> _View:
        with self._pool_lock:
            if self._idle:
                return self._idle.pop()
        view = _View(base, threads=READ_THREADS)
        with self._pool_lock:
            if self._closed:
                view.close()
                raise StoreError("the store is closed")
            self._views.append(view)
        return view

    def _checkin(self, view: _View) -> None:
        try:
            view._run("COMMIT")
        except StoreError:
            logger.warning("a read transaction did not end cleanly; dropping its connection")
            self._discard(view)
            return
        with self._pool_lock:
            if self._closed:
                return
            self._idle.append(view)

    def _discard(self, view: _View) -> None:
        with self._pool_lock:
            if view in self._views:
                self._views.remove(view)
        view.close()
