"""Dismissed suggestions in an embedded store (a mixin of
:class:`~app.store.embedded.EmbeddedStore`; the statements are in ``cypher/suggestions.cypher``).

A write runs in the current write transaction, or in one of its own, and changes the
version token when it commits. A database made before dismissals existed gains their table
when it is opened for writing (``setup_schema``); opened read-only, it has no table to read,
and holds no dismissal: :attr:`_dismissal_table` says which, decided when the store opens (a
read-only store sees the state committed then).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Literal, Self

import pyarrow as pa

from app.errors import NotFoundError, excerpt
from app.store.lbug import q as _q
from app.suggestions import Dismissal, dismissal_key

__all__ = ["DISMISSAL_TABLE", "EmbeddedSuggestions"]

#: The node table of dismissed suggestions.
DISMISSAL_TABLE = "Dismissal"


class EmbeddedSuggestions:
    """Dismissed suggestions over LadybugDB."""

    _session: Literal["read", "write"] | None
    #: Whether the database has the table of dismissals (False: an old database read-only).
    _dismissal_table: bool

    if TYPE_CHECKING:

        def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table: ...

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _wrote(self, *, copied: bool = False) -> None: ...

        def write_session(self) -> AbstractContextManager[Self]: ...

    def _has_dismissal_table(self) -> bool:
        """Ask the database whether the table of dismissals exists."""
        return bool(self._table("table_named", {"name": DISMISSAL_TABLE}).num_rows)

    def dismiss_link(self, dismissal: Dismissal) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.dismiss_link(dismissal)
        self._run(_q("merge_dismissal"), {**dismissal.model_dump(), "key": dismissal.key})
        self._wrote()

    def dismissed_links(self) -> list[Dismissal]:
        if not self._dismissal_table:
            return []
        return [Dismissal.model_validate(row) for row in self._table("all_dismissals").to_pylist()]

    def restore_link(self, source: str, target: str) -> Dismissal:
        if self._session != "write":
            with self.write_session() as view:
                return view.restore_link(source, target)
        key = {"key": dismissal_key(source, target)}
        found = self._table("dismissal_of", key).to_pylist()
        if not found:
            raise NotFoundError(
                f"no dismissed suggestion of {excerpt(source)} and {excerpt(target)}"
            )
        self._run(_q("delete_dismissal"), key)
        self._wrote()
        return Dismissal.model_validate(found[0])
