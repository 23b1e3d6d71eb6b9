"""Records by identity in an embedded store: organizations by id, relationships by key or by
organization, and deletes (a mixin of :class:`~app.store.embedded.EmbeddedStore`).

Organization ids travel as lists to ``UNWIND`` statements, in batches of the store's
``batch_size``, never as ``LOAD FROM`` Arrow tables: a LadybugDB connection keeps what it
prepared for each Arrow table (some MiB of buffer pool) until it closes, and reads run on
pooled connections. A few relationships (by key or by organization) are looked up one by one,
milliseconds each. More come from one scan of every relationship, filtered here: a statement
over a list of ids or keys costs a pass over a relationship table anyway, and a connection
keeps the buffer pool that each such statement used (one per type and pair of labels) until
it closes, which could fill the pool of a long-lived read connection.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, Self

import pyarrow as pa
import pyarrow.compute as pc

from app.changes import rel_entity
from app.domain import Organization, Relationship
from app.fields import STORED
from app.store.diff import RelKey, chunks
from app.store.identity import joinable, plan_delete, records_in_order, stored_key
from app.store.lbug import iter_records as _iter_records
from app.store.lbug import q as _q
from app.vocabulary import Kind, RelType

__all__ = ["EmbeddedRecords"]

#: At most this many organizations or keys are looked up one by one.
_ONE_BY_ONE = 16
_KEY_ORDER = itemgetter("source", "type", "target")


def _ends(keys: Sequence[RelKey]) -> list[dict[str, str]]:
    return [{"source": source, "target": target} for source, _, target in keys]


class EmbeddedRecords:
    """Organizations and relationships by identity, and deletes, over LadybugDB."""

    batch_size: int
    _session: Literal["read", "write"] | None

    if TYPE_CHECKING:

        def _table(self, name: str, parameters: dict[str, Any] | None = None) -> pa.Table: ...

        def _table_of(
            self, statement: str, parameters: dict[str, Any] | None = None
        ) -> pa.Table: ...

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _wrote(self, *, copied: bool = False) -> None: ...

        def read_session(self) -> AbstractContextManager[Self]: ...

        def write_session(self) -> AbstractContextManager[Self]: ...

    def _by_id(self, name: str, ids: Iterable[str]) -> Iterator[dict[str, Any]]:
        """The rows of statement ``name`` over ``$ids`` (distinct), batch by batch."""
        for chunk in chunks(list(dict.fromkeys(ids)), self.batch_size):
            yield from _iter_records(self._table(name, {"ids": list(chunk)}))

    def _kinds(self, ids: Iterable[str]) -> dict[str, Kind]:
        return {row["id"]: Kind(row["kind"]) for row in self._by_id("kinds_by_id", ids)}

    def organizations_by_id(self, ids: Iterable[str]) -> dict[str, Organization]:
        wanted = list(ids)
        with self.read_session() as view:
            rows = {row["id"]: row for row in view._by_id("organizations_by_id", wanted)}
        return records_in_order(wanted, rows, Organization)

    def relationships_by_key(self, keys: Iterable[RelKey]) -> dict[RelKey, Relationship]:
        wanted = [k for k in map(stored_key, keys) if k is not None]
        with self.read_session() as view:
            rows = view._relationship_rows(wanted)
        return records_in_order(wanted, rows, Relationship)

    def _relationship_rows(
        self, keys: Sequence[RelKey], kinds: dict[str, Kind] | None = None
    ) -> dict[RelKey, dict[str, Any]]:
        """Stored key -> row of the stored relationships among ``keys`` (stored keys): a
        lookup each, or one scan of every relationship for more than a few; ``kinds`` maps
        their ends to their kinds (read when not given)."""
        wanted = list(dict.fromkeys(keys))
        if len(wanted) > _ONE_BY_ONE:
            scan = self._table("scan_relationships")
            names = pc.binary_join_element_wise(scan["source"], scan["type"], scan["target"], " ")
            known = pc.is_in(names, pa.array([rel_entity(k) for k in wanted], pa.string()))
            return {_KEY_ORDER(row): row for row in _iter_records(scan.filter(known))}
        if kinds is None:
            kinds = self._kinds(i for key in wanted for i in (key[0], key[2]))
        found: dict[RelKey, dict[str, Any]] = {}
        for source, rel_type, target in (key for key in wanted if joinable(key, kinds)):
            statement = _q(
                "relationship_by_key",
                rel_type=RelType(rel_type),
                from_label=kinds[source],
                to_label=kinds[target],
            )
            table = self._table_of(statement, {"source": source, "target": target})
            found.update((_KEY_ORDER(row), row) for row in _iter_records(table))
        return found

    def relationships_of(self, org_ids: Iterable[str]) -> list[Relationship]:
        wanted = list(dict.fromkeys(org_ids))
        rows: dict[RelKey, dict[str, Any]] = {}
        with self.read_session() as view:
            if len(wanted) <= _ONE_BY_ONE:
                for org_id in wanted:
                    table = view._table("relationships_of_organization", {"id": org_id})
                    rows.update((_KEY_ORDER(row), row) for row in _iter_records(table))
            else:
                scan = view._table("scan_relationships")
                ids = pa.array(wanted, pa.string())
                ends = pc.or_(pc.is_in(scan["source"], ids), pc.is_in(scan["target"], ids))
                rows.update((_KEY_ORDER(row), row) for row in _iter_records(scan.filter(ends)))
        return [Relationship.model_validate(rows[key], context=STORED) for key in sorted(rows)]

    def delete_organization(self, org_id: str) -> None:
        self.delete([org_id])

    def delete(self, org_ids: Sequence[str] = (), rel_keys: Sequence[RelKey] = ()) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.delete(org_ids, rel_keys)
        plan = plan_delete(
            org_ids,
            rel_keys,
            kinds_of=self._kinds,
            rows_of=lambda keys, kinds: self._relationship_rows(keys, dict(kinds)),
        )
        for (rel_type, from_kind, to_kind), group in plan.relationships.items():
            statement = _q(
                "delete_keyed_relationships",
                rel_type=RelType(rel_type),
                from_label=from_kind,
                to_label=to_kind,
            )
            for batch in chunks(group, self.batch_size):
                self._run(statement, {"keys": _ends(batch)})
        for ids in chunks(plan.organizations, self.batch_size):
            self._run(_q("delete_organizations"), {"ids": list(ids)})
        if plan.organizations or plan.relationships:
            self._wrote()
