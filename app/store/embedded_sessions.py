"""Connections to one LadybugDB database: read snapshots, one writer, the version token.

What LadybugDB allows (``ladybug`` 0.22; checked by ``tests/test_store_sessions.py``):

- One ``ladybug.Database`` may have many ``ladybug.Connection`` objects; statements on
  different connections run concurrently. A connection is thread-safe but not isolated: a
  thread reading through the connection that holds an open write transaction sees that
  transaction's uncommitted rows.
- A read-only transaction (``BEGIN TRANSACTION READ ONLY``) keeps one snapshot across several
  statements while a writer commits. Only one write transaction runs at a time.
- One process at a time opens a database for writing (it holds a file lock); any number of
  processes open it read-only beside it, each seeing the state committed when it opened.
- A connection keeps every statement it prepared for an Arrow-table parameter (the bulk
  ``COPY`` path) and the buffer-pool pages that go with it until it closes, so connections
  that write are short-lived.

Hence: a read session is a pooled connection inside one read-only transaction; a write
session is a fresh connection inside one write transaction, one writer at a time under a
lock, closed afterwards. Since only the process holding the write lock can write, the
version token lives in that process: a per-open random prefix and a count of committed
writes. Another process sees a new prefix, and a read-only process cannot see later writes
at all.
"""

from __future__ import annotations

import copy
import logging
import secrets
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Self

from app.errors import QueryTimeoutError, StoreBusyError, StoreError

if TYPE_CHECKING:
    from pathlib import Path

    import ladybug

__all__ = ["Connections", "EmbeddedSessions", "translate"]

logger = logging.getLogger(__name__)

#: Threads per statement of a read session: requests run side by side, and a filtered read's
#: small plan runs faster on one thread than split across cores (``bench/bench_api.py``).
READ_THREADS = 1


def translate(exc: RuntimeError, *, path: object, timeout_s: float) -> StoreError:
    """The EcoMap error for a LadybugDB failure (its message kept)."""
    text = str(exc)
    if text.startswith("Interrupted"):
        return QueryTimeoutError(timeout_s)
    if "Could not set lock on file" in text:
        holder = text.split("Lock is held by PID ", 1)[-1].split(")", 1)[0]
        who = f"process {holder}" if holder.isdigit() else "another process"
        return StoreBusyError(
            f"the database {path} is open for writing in {who} (a running 'ecomap serve'?); "
            "write through its API (POST /api/import) or stop it first; reads work meanwhile"
        )
    return StoreError(f"LadybugDB: {text}")


@dataclass
class Connections:
    """The state a database's store and its session views share.

    ``connect`` makes a connection with the statement timeout set; ``writer`` serializes
    write transactions; ``committed`` counts the writes this process committed; ``idle``
    holds read connections between read sessions.
    """

    db: ladybug.Database
    path: object
    timeout_s: float
    read_only: bool
    writer: threading.Lock = field(default_factory=threading.Lock)
    committed: int = 0
    token: str = field(default_factory=lambda: secrets.token_hex(6))
    idle: list[ladybug.Connection] = field(default_factory=list)
    opened: list[ladybug.Connection] = field(default_factory=list)
    closed: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def version(self) -> str:
        return f"{self.token}-{self.committed}"

    def connect(self, threads: int = 0) -> ladybug.Connection:
        import ladybug

        if self.closed:
            raise StoreError("the store is closed")
        try:
            conn = ladybug.Connection(self.db, num_threads=threads)
            conn.set_query_timeout(max(1, int(self.timeout_s * 1000)))
        except RuntimeError as exc:
            raise translate(exc, path=self.path, timeout_s=self.timeout_s) from exc
        return conn

    def checkout(self) -> ladybug.Connection:
        """A read connection (pooled)."""
        with self._lock:
            if self.idle:
                return self.idle.pop()
        conn = self.connect(READ_THREADS)
        with self._lock:
            if self.closed:
                conn.close()
                raise StoreError("the store is closed")
            self.opened.append(conn)
        return conn

    def checkin(self, conn: ladybug.Connection, *, healthy: bool) -> None:
        with self._lock:
            if healthy and not self.closed:
                self.idle.append(conn)
                return
            if conn in self.opened:
                self.opened.remove(conn)
        conn.close()

    def close(self) -> None:
        """Close every pooled connection (the caller closes its own and the database)."""
        with self._lock:
            self.closed = True
            for conn in self.opened:
                conn.close()
            self.opened.clear()
            self.idle.clear()

    def run(self, conn: ladybug.Connection, statement: str, params: dict[str, Any]) -> Any:
        try:
            return conn.execute(statement, params)
        except RuntimeError as exc:
            raise translate(exc, path=self.path, timeout_s=self.timeout_s) from exc


class EmbeddedSessions:
    """The session half of :class:`~app.store.embedded.EmbeddedStore`: a session is a copy
    of the store on a connection of its own (``_session`` says which kind)."""

    path: Path
    read_only: bool
    _access: Connections
    _conn: ladybug.Connection | None
    _session: Literal["read", "write"] | None
    _dirty: bool  # the write session changed something
    _bulk: bool  # every write of the session so far was a COPY (a first import)
    _copied: set[str]  # node tables (kinds, change set tables) the session has COPYed into

    def version(self) -> str:
        return self._access.version()

    @contextmanager
    def read_session(self) -> Iterator[Self]:
        """A view on a pooled connection inside one read-only transaction: every read sees
        the state committed when the session began (a session's view is its own session)."""
        if self._session is not None:
            yield self
            return
        conn = self._access.checkout()
        try:
            self._access.run(conn, "BEGIN TRANSACTION READ ONLY", {})
        except StoreError:
            self._access.checkin(conn, healthy=False)
            raise
        view = self._view(conn, "read")
        healthy = False
        try:
            yield view
        finally:
            view._conn = None
            try:
                self._access.run(conn, "COMMIT", {})
                healthy = True
            except StoreError:
                logger.warning("a read transaction did not end cleanly; dropping its connection")
            self._access.checkin(conn, healthy=healthy)

    @contextmanager
    def write_session(self) -> Iterator[Self]:
        """A view on a fresh connection inside one write transaction, committed when the
        block ends and rolled back if it raises; one write session at a time."""
        if self._session == "write":
            yield self
            return
        if self._session == "read":
            raise StoreError("a read session cannot write")
        if self.read_only:
            raise StoreError(f"the database at {self.path} is open read-only")
        with self._access.writer:
            conn = self._access.connect()
            view = self._view(conn, "write")
            try:
                self._access.run(conn, "BEGIN TRANSACTION", {})
                try:
                    yield view
                except BaseException:
                    self._rollback(conn)
                    raise
                self._commit(conn)
                if view._dirty:
                    self._access.committed += 1
            finally:
                view._conn = None
                conn.close()

    def _view(self, conn: ladybug.Connection, session: Literal["read", "write"]) -> Self:
        view = copy.copy(self)
        view._conn, view._session, view._dirty, view._bulk = conn, session, False, False
        view._copied = set()  # node tables this transaction has COPYed into
        return view

    def _wrote(self, *, copied: bool = False) -> None:
        """Note a write of the session (the version token changes when it commits);
        ``copied``: the write was COPYs alone, so the session still holds nothing else."""
        self._bulk = copied and (self._bulk or not self._dirty)
        self._dirty = True

    def _commit(self, conn: ladybug.Connection) -> None:
        try:
            self._access.run(conn, "COMMIT", {})
        except StoreError as error:
            # LadybugDB checkpoints after a commit; if that fails (e.g. a full buffer
            # pool) the data is committed and safe in the WAL: report, don't fail.
            if "committed successfully" not in str(error):
                raise
            logger.warning("committed; the checkpoint after it failed: %s", error)

    def _rollback(self, conn: ladybug.Connection) -> None:
        try:
            self._access.run(conn, "ROLLBACK", {})
        except StoreError:
            # A failed statement makes LadybugDB roll the transaction back by itself.
            logger.debug("transaction was already rolled back", exc_info=True)
