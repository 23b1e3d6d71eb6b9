"""Change sets and people in the Neo4j store (a mixin of :class:`~app.store.neo4j.Neo4jStore`;
:mod:`app.store.history` says how change sets are kept, :mod:`app.store.embedded_history` is
the embedded store's half).

A change set is written in the current write transaction (the write session's, or one of its
own), which first locked the version node: writers take turns, so the next id is the largest
one plus one. Every read runs in one read transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

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
from app.store.neo4j_tx import Row, now, q, rows

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["Neo4jHistory"]

T = TypeVar("T")


def _fetch(tx: ManagedTransaction) -> Callable[[str, dict[str, Any]], list[Row]]:
    return lambda name, parameters: rows(tx, q(name), parameters)


def _store_change_set(
    tx: ManagedTransaction, header: dict[str, Any], changes: Sequence[Change]
) -> None:
    rows(tx, q("create_change_set"), header)
    statement = q("create_change_chunks")
    for batch in chunks(change_chunks(header["id"], changes), CHUNKS_PER_STATEMENT):
        rows(tx, statement, {"rows": list(batch)})


class Neo4jHistory:
    """Change sets and people over Neo4j."""

    if TYPE_CHECKING:

        def _read(self, work: Callable[[ManagedTransaction], T]) -> T: ...

        def _write(
            self, work: Callable[[ManagedTransaction], T], changed: Callable[[T], bool] = bool
        ) -> T: ...

    # -- change sets -----------------------------------------------------------------------

    def append_change_set(self, author: str, source: str, changes: Sequence[Change]) -> int:
        def work(tx: ManagedTransaction) -> int:
            last = rows(tx, q("last_change_set_id"))[0]["id"]
            change_id = (last or 0) + 1
            header = {"id": change_id, "at": now(), "author": author, "source": source}
            _store_change_set(tx, header, changes)
            return change_id

        return self._write(work, lambda _: True)

    def restore_change_sets(self, change_sets: Sequence[ChangeSet]) -> None:
        def work(tx: ManagedTransaction) -> None:
            if rows(tx, q("last_change_set_id"))[0]["id"] is not None:
                raise ConflictError("this database has a history already; cannot restore another")
            for change_set in change_sets:
                header = change_set.model_dump(exclude={"changes"})
                _store_change_set(tx, header, change_set.changes)

        self._write(work, lambda _: bool(change_sets))

    def change_sets(
        self,
        *,
        entity: str | None = None,
        since: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> tuple[list[ChangeSet], bool]:
        return self._read(
            lambda tx: read_change_sets(
                _fetch(tx), entity=entity, since=since, after=after, limit=limit
            )
        )

    def change_set(self, change_id: int) -> ChangeSet:
        return self._read(lambda tx: read_change_set(_fetch(tx), change_id))

    # -- people ----------------------------------------------------------------------------

    def add_user(self, user: User) -> None:
        def work(tx: ManagedTransaction) -> bool:
            if rows(tx, q("user_named"), {"name": user.name}):
                raise ConflictError(f"there is a user named {user.name!r} already")
            rows(tx, q("create_user"), user.model_dump())
            return True

        self._write(work)

    def users(self) -> list[User]:
        found = self._read(lambda tx: rows(tx, q("all_users")))
        return [User.model_validate(row) for row in found]

    def remove_user(self, name: str) -> None:
        def work(tx: ManagedTransaction) -> bool:
            if not rows(tx, q("user_named"), {"name": name}):
                raise NotFoundError(f"no user named {name!r}")
            rows(tx, q("delete_user"), {"name": name})
            return True

        self._write(work)

    def user_by_token(self, token_digest: str) -> User | None:
        found = self._read(lambda tx: rows(tx, q("user_by_token"), {"token_digest": token_digest}))
        return User.model_validate(found[0]) if found else None
