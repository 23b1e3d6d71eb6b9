"""Sessions and transactions of the Neo4j store (a mixin of :class:`~app.store.neo4j.Neo4jStore`).

A method called on the store runs in a managed transaction of its own, through
``session.execute_read`` or ``session.execute_write`` (the driver retries it whole on
transient errors: a deadlock, a leader switch). A session is a copy of the store bound to one
explicit transaction. Every transaction runs under ``query_timeout_s`` (the server stops it
with ``Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration``, which the driver
does not retry: ``QueryTimeoutError``). Every session uses the configured database and the
driver's query bookmark manager, so each sees the writes committed before it. The version
token lives on the one ``EcoMapState`` node: every write transaction locks it first (so EcoMap
writers take turns) and bumps it last when it changed something.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Literal, Self, TypeVar, cast

from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from app.errors import QueryTimeoutError, StaleReadError, StoreError
from app.store.neo4j_tx import q, rows

if TYPE_CHECKING:
    from neo4j import Driver, ManagedTransaction, Session

__all__ = ["Neo4jSessions"]

T = TypeVar("T")


class Neo4jSessions:
    """Sessions, transactions and error translation for the Neo4j store."""

    database: str
    query_timeout_s: float
    _driver: Driver
    _closed: bool
    _tx: ManagedTransaction | None
    _session: Literal["read", "write"] | None
    _dirty: bool
    _seen: str | None

    def version(self) -> str:
        found = self._read(lambda tx: rows(tx, q("store_version")))
        return str(found[0]["version"]) if found else "0"

    @contextmanager
    def read_session(self) -> Iterator[Self]:
        """A view whose reads run in one read transaction. Neo4j isolates reads at *read
        committed* only, so the session checks the version token when it ends: if a write
        committed meanwhile, it raises ``StoreError`` rather than let a mix of two states
        pass for one."""
        if self._session is not None:
            yield self
            return
        with self._transaction("read") as view:
            view._seen = view.version()
            yield view
            if view.version() != view._seen:
                raise StaleReadError(
                    "the ecosystem changed while it was being read (a write by another user "
                    "committed meanwhile); please try again"
                )

    @contextmanager
    def write_session(self) -> Iterator[Self]:
        """A view whose writes form one transaction, committed when the block ends and rolled
        back if it raises. It first locks the version node, so EcoMap writers take turns."""
        if self._session == "write":
            yield self
            return
        if self._session == "read":
            raise StoreError("a read session cannot write")
        with self._transaction("write") as view:
            rows(view._tx_open(), q("lock_store"))
            yield view
            if view._dirty:
                rows(view._tx_open(), q("bump_version"))

    @contextmanager
    def _transaction(self, mode: Literal["read", "write"]) -> Iterator[Self]:
        import neo4j

        if self._closed:
            raise StoreError("the store is closed")
        access = neo4j.READ_ACCESS if mode == "read" else neo4j.WRITE_ACCESS
        with self._translated():
            session = self._driver.session(
                database=self.database,
                default_access_mode=access,
                bookmark_manager=self._driver.execute_query_bookmark_manager,
            )
        try:
            with self._translated():
                tx = session.begin_transaction(timeout=self.query_timeout_s)
            view = copy.copy(self)
            view._tx, view._session, view._dirty = cast("ManagedTransaction", tx), mode, False
            try:
                with self._translated():
                    yield view
                    tx.commit()
            finally:
                view._tx = None
                tx.close()  # rolls back unless committed
        finally:
            session.close()

    def _tx_open(self) -> ManagedTransaction:
        if self._tx is None:
            raise StoreError("the session has ended")
        return self._tx

    @contextmanager
    def _translated(self) -> Iterator[None]:
        """The driver's errors as EcoMap's (the message names the database)."""
        try:
            yield
        except AuthError as exc:
            raise StoreError(f"Neo4j refused the credentials: {exc}") from exc
        except (ServiceUnavailable, SessionExpired) as exc:
            raise StoreError(f"Neo4j is unreachable: {exc}") from exc
        except Neo4jError as exc:
            code = exc.code or type(exc).__name__
            if "TransactionTimedOut" in code:
                raise QueryTimeoutError(self.query_timeout_s) from exc
            message = exc.message or str(exc)
            raise StoreError(f"Neo4j ({code}) on {self.database!r}: {message}") from exc
        except DriverError as exc:
            raise StoreError(f"Neo4j ({type(exc).__name__}) on {self.database!r}: {exc}") from exc

    def _session_of_its_own(self) -> Session:
        if self._closed:
            raise StoreError("the store is closed")
        return self._driver.session(
            database=self.database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _read(self, work: Callable[[ManagedTransaction], T]) -> T:
        """Run ``work`` in the session's transaction, or in a managed read transaction of its
        own (which the driver retries whole on transient errors)."""
        from neo4j import unit_of_work

        if self._session is not None:
            with self._translated():
                return work(self._tx_open())
        if self._closed:
            raise StoreError("the store is closed")
        unit = unit_of_work(timeout=self.query_timeout_s)(work)
        with self._translated(), self._session_of_its_own() as session:
            return session.execute_read(unit)

    def _write(
        self, work: Callable[[ManagedTransaction], T], changed: Callable[[T], bool] = bool
    ) -> T:
        """Run ``work`` in the write session's transaction, or in a managed write transaction
        of its own (retried whole on transient errors); the version token is bumped when
        ``changed(result)``."""
        from neo4j import unit_of_work

        if self._session == "write":
            with self._translated():
                result = work(self._tx_open())
            self._dirty = self._dirty or changed(result)
            return result
        if self._session == "read":
            raise StoreError("a read session cannot write")
        if self._closed:
            raise StoreError("the store is closed")

        def locked(tx: ManagedTransaction) -> T:
            rows(tx, q("lock_store"))
            result = work(tx)
            if changed(result):
                rows(tx, q("bump_version"))
            return result

        unit = unit_of_work(timeout=self.query_timeout_s)(locked)
        with self._translated(), self._session_of_its_own() as session:
            return session.execute_write(unit)
