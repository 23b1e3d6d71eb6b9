"""Change sets and people in an embedded store (a mixin of
:class:`~app.store.embedded.EmbeddedStore`; :mod:`app.store.history` says how they are kept).

A change set is written in the current write transaction, beside the write it records. Its
chunks go in by ``UNWIND $rows ... CREATE`` (a list, not a ``LOAD FROM`` table: a connection
keeps what it prepared for each Arrow table until it closes), unless every write of the
transaction so far was a ``COPY`` (a first import into empty tables): then the header and the
chunks are COPYed too, so that the transaction still holds nothing but COPYs. LadybugDB 0.22
may recover a transaction killed while it commits without its COPYed rows but with its other
writes (``tools/repro/lbug_kill_during_write.py``): a change set created after a COPYed import
came back without the import in 4 of 13 kills of ``tests/test_crash.py``; COPYed beside it,
in none.

The uncommitted rows of a transaction live in LadybugDB's buffer pool: an import of 290,000
relationships with its change set of 1.6 million changes commits with the default 1 GiB, but
its checkpoint then fails (the store logs it; the data is safe in the write-ahead log).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, Self

import pyarrow as pa

from app.changes import Change, ChangeSet
from app.errors import ConflictError, NotFoundError
from app.people import User
from app.store.diff import chunks
from app.store.history import (
    CHUNKS_PER_STATEMENT,
    change_chunks,
    read_change_set,
    read_change_sets,
)
from app.store.lbug import now as _now
from app.store.lbug import q as _q

__all__ = ["CHANGE_SET_SCHEMA", "CHUNK_SCHEMA", "EmbeddedHistory"]

#: The rows of ``copy_change_set`` and ``copy_change_chunks``, in the tables' column order.
CHANGE_SET_SCHEMA = pa.schema(
    [("id", pa.int64()), ("at", pa.string()), ("author", pa.string()), ("source", pa.string())]
)
CHUNK_SCHEMA = pa.schema(
    [
        ("key", pa.string()),
        ("change_set", pa.int64()),
        ("seq", pa.int64()),
        ("entities", pa.list_(pa.string())),
        ("changes", pa.string()),
    ]
)
_CHANGE_TABLES = frozenset({"ChangeSet", "ChangeChunk"})


class EmbeddedHistory:
    """Change sets and people over LadybugDB."""

    _session: Literal["read", "write"] | None
    _bulk: bool
    _copied: set[str]

    if TYPE_CHECKING:

        def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table: ...

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _wrote(self, *, copied: bool = False) -> None: ...

        def read_session(self) -> AbstractContextManager[Self]: ...

        def write_session(self) -> AbstractContextManager[Self]: ...

    def _fetch(self, name: str, parameters: dict[str, Any]) -> list[dict[str, Any]]:
        return self._table(name, parameters).to_pylist()

    # -- change sets -----------------------------------------------------------------------

    def append_change_set(self, author: str, source: str, changes: Sequence[Change]) -> int:
        if self._session != "write":
            with self.write_session() as view:
                return view.append_change_set(author, source, changes)
        last = self._table("last_change_set_id")["id"][0].as_py()
        change_id = (last or 0) + 1
        header = {"id": change_id, "at": _now(), "author": author, "source": source}
        self._store_change_set(header, changes)
        return change_id

    def restore_change_sets(self, change_sets: Sequence[ChangeSet]) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.restore_change_sets(change_sets)
        if self._table("last_change_set_id")["id"][0].as_py() is not None:
            raise ConflictError("this database has a history already; cannot restore another")
        for change_set in change_sets:
            header = change_set.model_dump(exclude={"changes"})
            self._store_change_set(header, change_set.changes)

    def _store_change_set(self, header: dict[str, Any], changes: Sequence[Change]) -> None:
        change_id = header["id"]
        rows = change_chunks(change_id, changes)
        copied = self._bulk and not self._copied & _CHANGE_TABLES  # once per table: copy_nodes
        if copied:
            self._copied |= _CHANGE_TABLES
            set_table = pa.Table.from_pylist([header], schema=CHANGE_SET_SCHEMA)
            self._run(_q("copy_change_set"), {"rows": set_table})
            if rows:
                chunk_table = pa.Table.from_pylist(rows, schema=CHUNK_SCHEMA)
                self._run(_q("copy_change_chunks"), {"rows": chunk_table})
        else:
            self._run(_q("create_change_set"), header)
            statement = _q("create_change_chunks")
            for batch in chunks(rows, CHUNKS_PER_STATEMENT):
                self._run(statement, {"rows": list(batch)})
        self._wrote(copied=copied)

    def change_sets(
        self,
        *,
        entity: str | None = None,
        since: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> tuple[list[ChangeSet], bool]:
        with self.read_session() as view:
            return read_change_sets(
                view._fetch, entity=entity, since=since, after=after, limit=limit
            )

    def change_set(self, change_id: int) -> ChangeSet:
        with self.read_session() as view:
            return read_change_set(view._fetch, change_id)

    # -- people ----------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.add_user(user)
        if self._table("user_named", {"name": user.name}).num_rows:
            raise ConflictError(f"there is a user named {user.name!r} already")
        self._run(_q("create_user"), user.model_dump())
        self._wrote()

    def users(self) -> list[User]:
        return [User.model_validate(row) for row in self._fetch("all_users", {})]

    def remove_user(self, name: str) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.remove_user(name)
        if not self._table("user_named", {"name": name}).num_rows:
            raise NotFoundError(f"no user named {name!r}")
        self._run(_q("delete_user"), {"name": name})
        self._wrote()

    def user_by_token(self, token_digest: str) -> User | None:
        found = self._fetch("user_by_token", {"token_digest": token_digest})
        return User.model_validate(found[0]) if found else None
