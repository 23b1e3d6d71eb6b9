"""Saved views in an embedded store (a mixin of :class:`~app.store.embedded.EmbeddedStore`;
the statements are in ``cypher/views.cypher``).

A write runs in the current write transaction, or in one of its own, and changes the
version token when it commits. A database made before saved views existed gains their table
when it is opened for writing (``setup_schema``); opened read-only, it has no table to read,
and holds no view: :attr:`_view_table` says which, decided when the store opens (a read-only
store sees the state committed then).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, Self

import pyarrow as pa

from app.errors import NotFoundError, excerpt
from app.store.lbug import q as _q
from app.views import ViewRecord

__all__ = ["VIEW_TABLE", "EmbeddedViews"]

#: The node table of saved views.
VIEW_TABLE = "SavedView"


class EmbeddedViews:
    """Saved views over LadybugDB."""

    _session: Literal["read", "write"] | None
    #: Whether the database has the table of saved views (False: an old database read-only).
    _view_table: bool

    if TYPE_CHECKING:

        def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table: ...

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _wrote(self, *, copied: bool = False) -> None: ...

        def write_session(self) -> AbstractContextManager[Self]: ...

    def _has_view_table(self) -> bool:
        """Ask the database whether the table of saved views exists."""
        return bool(self._table("table_named", {"name": VIEW_TABLE}).num_rows)

    def save_view(self, view: ViewRecord) -> None:
        if self._session != "write":
            with self.write_session() as writer:
                return writer.save_view(view)
        self._run(_q("merge_view"), view.model_dump())
        self._wrote()

    def saved_views(self) -> list[ViewRecord]:
        if not self._view_table:
            return []
        return [ViewRecord.model_validate(row) for row in self._table("all_views").to_pylist()]

    def saved_view(self, name: str) -> ViewRecord | None:
        if not self._view_table:
            return None
        found = self._table("view_named", {"name": name}).to_pylist()
        return ViewRecord.model_validate(found[0]) if found else None

    def delete_view(self, name: str) -> ViewRecord:
        if self._session != "write":
            with self.write_session() as writer:
                return writer.delete_view(name)
        found = self.saved_view(name)
        if found is None:
            raise NotFoundError(f"no saved view named {excerpt(name)}")
        self._run(_q("delete_view"), {"name": name})
        self._wrote()
        return found
