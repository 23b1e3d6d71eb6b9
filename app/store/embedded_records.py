"""Records by identity in an embedded store: organizations by id, relationships by key or by
organization, and deletes (a mixin of :class:`~app.store.embedded.EmbeddedStore`).

Ids and keys are looked up by primary key, ``UNWIND``-ing a list parameter in batches of
the store's ``batch_size`` (``id IN $list`` would test every stored row against the whole
list; ``LOAD FROM`` an Arrow table leaks buffer pool pages in read-only transactions on
LadybugDB 0.22, so it only feeds writes). Relationship keys are looked up per (type, source
label, target label), the tables of LadybugDB's schema.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Literal, Self

import pyarrow as pa

from app.domain import Organization, Relationship
from app.fields import STORED
from app.store.diff import RelKey, by_labels, chunks, joinable
from app.store.history import missing_error, stored_key, to_delete
from app.store.lbug import iter_records as _iter_records
from app.store.lbug import q as _q
from app.vocabulary import Kind, RelType

__all__ = ["EmbeddedRecords"]

#: At most this many organizations have their relationships read one by one (a lookup each);
#: more go in LOAD FROM batches, which cost a pass over the relationship tables each.
_ONE_BY_ONE = 16
_KEY_ORDER = itemgetter("source", "type", "target")


def _ids(ids: Sequence[str]) -> pa.Table:
    return pa.table({"id": pa.array(ids, pa.string())})


def _ends(keys: Sequence[RelKey]) -> pa.Table:
    sources, _, targets = zip(*keys, strict=True) if keys else ((), (), ())
    return pa.table(
        {"source": pa.array(sources, pa.string()), "target": pa.array(targets, pa.string())}
    )


class EmbeddedRecords:
    """Organizations and relationships by identity, and deletes, over LadybugDB."""

    batch_size: int
    _session: Literal["read", "write"] | None

    if TYPE_CHECKING:

        def _table_of(
            self, statement: str, parameters: dict[str, Any] | None = None
        ) -> pa.Table: ...

        def _run(self, statement: str, parameters: dict[str, Any] | None = None) -> Any: ...

        def _wrote(self, *, copied: bool = False) -> None: ...

        def read_session(self) -> AbstractContextManager[Self]: ...

        def write_session(self) -> AbstractContextManager[Self]: ...

    def _lookups(self, statement: str, ids: Sequence[str]) -> Iterable[dict[str, Any]]:
        """The rows of ``statement`` over ``ids`` (distinct, ``$ids``), batch by batch."""
        for chunk in chunks(list(dict.fromkeys(ids)), self.batch_size):
            yield from _iter_records(self._table_of(statement, {"ids": list(chunk)}))

    def _kinds(self, ids: Sequence[str]) -> dict[str, Kind]:
        return {row["id"]: Kind(row["kind"]) for row in self._lookups(_q("kinds_by_id"), ids)}

    def organizations_by_id(self, ids: Iterable[str]) -> dict[str, Organization]:
        wanted = list(ids)
        with self.read_session() as view:
            rows = {row["id"]: row for row in view._lookups(_q("organizations_by_id"), wanted)}
        return {
            i: Organization.model_validate(rows[i], context=STORED)
            for i in dict.fromkeys(wanted)
            if i in rows
        }

    def relationships_by_key(self, keys: Iterable[RelKey]) -> dict[RelKey, Relationship]:
        wanted = [k for k in map(stored_key, keys) if k is not None]
        with self.read_session() as view:
            rows = view._relationship_rows(wanted)
        return {
            key: Relationship.model_validate(rows[key], context=STORED)
            for key in dict.fromkeys(wanted)
            if key in rows
        }

    def _relationship_rows(
        self, keys: Sequence[RelKey], kinds: dict[str, Kind] | None = None
    ) -> dict[RelKey, dict[str, Any]]:
        """Stored key -> row of the stored relationships among ``keys`` (stored keys);
        ``kinds`` maps their ends to their kinds (read when not given)."""
        if kinds is None:
            kinds = self._kinds([i for key in keys for i in (key[0], key[2])])
        possible = [key for key in dict.fromkeys(keys) if joinable(key, kinds)]
        found: dict[RelKey, dict[str, Any]] = {}
        for (rel_type, from_kind, to_kind), group in by_labels(possible, kinds).items():
            statement = _q(
                "relationships_by_key",
                rel_type=RelType(rel_type),
                from_label=from_kind,
                to_label=to_kind,
            )
            for chunk in chunks(group, self.batch_size):
                keyed = [{"source": key[0], "target": key[2]} for key in chunk]
                for row in _iter_records(self._table_of(statement, {"keys": keyed})):
                    found[_KEY_ORDER(row)] = row
        return found

    def relationships_of(self, org_ids: Iterable[str]) -> list[Relationship]:
        wanted = list(dict.fromkeys(org_ids))
        rows: dict[RelKey, dict[str, Any]] = {}
        with self.read_session() as view:
            if len(wanted) <= _ONE_BY_ONE:
                statement = _q("relationships_of_organization")
                for org_id in wanted:
                    table = view._table_of(statement, {"id": org_id})
                    rows.update((_KEY_ORDER(row), row) for row in _iter_records(table))
            else:
                found = view._lookups(_q("relationships_of_organizations"), wanted)
                rows.update((_KEY_ORDER(row), row) for row in found)
        return [Relationship.model_validate(rows[key], context=STORED) for key in sorted(rows)]

    def delete_organization(self, org_id: str) -> None:
        self.delete([org_id])

    def delete(self, org_ids: Sequence[str] = (), rel_keys: Sequence[RelKey] = ()) -> None:
        if self._session != "write":
            with self.write_session() as view:
                return view.delete(org_ids, rel_keys)
        orgs, keys = to_delete(org_ids, rel_keys)
        kinds = self._kinds([*orgs, *(i for key in keys for i in (key[0], key[2]))])
        stored = self._relationship_rows([k for k in keys if stored_key(k)], kinds)
        error = missing_error(
            (i for i in orgs if i not in kinds), (k for k in keys if k not in stored)
        )
        if error is not None:
            raise error
        for (rel_type, from_kind, to_kind), group in by_labels(keys, kinds).items():
            statement = _q(
                "delete_keyed_relationships",
                rel_type=RelType(rel_type),
                from_label=from_kind,
                to_label=to_kind,
            )
            for batch in chunks(group, self.batch_size):
                self._run(statement, {"rows": _ends(batch)})
        for ids in chunks(orgs, self.batch_size):
            self._run(_q("delete_organizations"), {"rows": _ids(ids)})
        if orgs or keys:
            self._wrote()
