"""Dismissed suggestions in the Neo4j store (a mixin of :class:`~app.store.neo4j.Neo4jStore`;
the statements are in ``cypher/suggestions.cypher``, :mod:`app.store.embedded_suggestions` is
the embedded store's half).

A write runs in the write session's transaction, or in one of its own that first locks the
version node, and bumps the version token; a read runs in one read transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from app.errors import NotFoundError, excerpt
from app.store.neo4j_tx import q, rows
from app.suggestions import Dismissal, dismissal_key

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["Neo4jSuggestions"]

T = TypeVar("T")


class Neo4jSuggestions:
    """Dismissed suggestions over Neo4j."""

    if TYPE_CHECKING:

        def _read(self, work: Callable[[ManagedTransaction], T]) -> T: ...

        def _write(
            self, work: Callable[[ManagedTransaction], T], changed: Callable[[T], bool] = bool
        ) -> T: ...

    def dismiss_link(self, dismissal: Dismissal) -> None:
        def work(tx: ManagedTransaction) -> bool:
            rows(tx, q("merge_dismissal"), {**dismissal.model_dump(), "key": dismissal.key})
            return True

        self._write(work)

    def dismissed_links(self) -> list[Dismissal]:
        found = self._read(lambda tx: rows(tx, q("all_dismissals")))
        return [Dismissal.model_validate(row) for row in found]

    def restore_link(self, source: str, target: str) -> Dismissal:
        key = {"key": dismissal_key(source, target)}

        def work(tx: ManagedTransaction) -> Dismissal:
            found = rows(tx, q("dismissal_of"), key)
            if not found:
                raise NotFoundError(
                    f"no dismissed suggestion of {excerpt(source)} and {excerpt(target)}"
                )
            rows(tx, q("delete_dismissal"), key)
            return Dismissal.model_validate(found[0])

        return self._write(work, lambda _: True)
