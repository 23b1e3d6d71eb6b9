"""Saved views in the Neo4j store (a mixin of :class:`~app.store.neo4j.Neo4jStore`; the
statements are in ``cypher/views.cypher``, :mod:`app.store.embedded_views` is the embedded
store's half).

A write runs in the write session's transaction, or in one of its own that first locks the
version node, and bumps the version token; a read runs in one read transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from app.errors import NotFoundError, excerpt
from app.store.neo4j_tx import q, rows
from app.views import ViewRecord

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["Neo4jViews"]

T = TypeVar("T")


class Neo4jViews:
    """Saved views over Neo4j."""

    if TYPE_CHECKING:

        def _read(self, work: Callable[[ManagedTransaction], T]) -> T: ...

        def _write(
            self, work: Callable[[ManagedTransaction], T], changed: Callable[[T], bool] = bool
        ) -> T: ...

    def save_view(self, view: ViewRecord) -> None:
        def work(tx: ManagedTransaction) -> bool:
            rows(tx, q("merge_view"), view.model_dump())
            return True

        self._write(work)

    def saved_views(self) -> list[ViewRecord]:
        found = self._read(lambda tx: rows(tx, q("all_views")))
        return [ViewRecord.model_validate(row) for row in found]

    def saved_view(self, name: str) -> ViewRecord | None:
        found = self._read(lambda tx: rows(tx, q("view_named"), {"name": name}))
        return ViewRecord.model_validate(found[0]) if found else None

    def delete_view(self, name: str) -> ViewRecord:
        def work(tx: ManagedTransaction) -> ViewRecord:
            found = rows(tx, q("view_named"), {"name": name})
            if not found:
                raise NotFoundError(f"no saved view named {excerpt(name)}")
            rows(tx, q("delete_view"), {"name": name})
            return ViewRecord.model_validate(found[0])

        return self._write(work, lambda _: True)
