"""Records by identity in the Neo4j store: organizations by id, relationships by key or by
organization, and deletes (a mixin of :class:`~app.store.neo4j.Neo4jStore`, as
:mod:`app.store.embedded_records` is the embedded store's).

Ids and keys go in batches of the store's ``batch_size``, each one a seek in a label's id index
(relationships: both ends, per (type, source label, target label)).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import TYPE_CHECKING, TypeVar

from app.domain import Organization, Relationship
from app.fields import STORED
from app.store.diff import RelKey, chunks
from app.store.identity import plan_delete, records_in_order, stored_key
from app.store.neo4j_tx import (
    Row,
    ends,
    kinds_of,
    q,
    relationship_rows,
    rows,
    stored_organizations,
)
from app.vocabulary import RelType

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["Neo4jRecords"]

T = TypeVar("T")
_KEY_ORDER = itemgetter("source", "type", "target")


class Neo4jRecords:
    """Organizations and relationships by identity, and deletes, over Neo4j."""

    batch_size: int

    if TYPE_CHECKING:

        def _read(self, work: Callable[[ManagedTransaction], T]) -> T: ...

        def _write(
            self, work: Callable[[ManagedTransaction], T], changed: Callable[[T], bool] = bool
        ) -> T: ...

    def organizations_by_id(self, ids: Iterable[str]) -> dict[str, Organization]:
        wanted = list(ids)
        found = self._read(lambda tx: stored_organizations(tx, wanted, self.batch_size))
        return records_in_order(wanted, found, Organization)

    def relationships_by_key(self, keys: Iterable[RelKey]) -> dict[RelKey, Relationship]:
        wanted = [k for k in map(stored_key, keys) if k is not None]

        def work(tx: ManagedTransaction) -> dict[RelKey, Row]:
            kinds = kinds_of(tx, [i for k in wanted for i in (k[0], k[2])], self.batch_size)
            return relationship_rows(tx, wanted, kinds, self.batch_size)

        return records_in_order(wanted, self._read(work), Relationship)

    def relationships_of(self, org_ids: Iterable[str]) -> list[Relationship]:
        wanted = list(dict.fromkeys(org_ids))

        def work(tx: ManagedTransaction) -> dict[RelKey, Row]:
            found: dict[RelKey, Row] = {}
            for chunk in chunks(wanted, self.batch_size):
                for row in rows(tx, q("relationships_of"), {"ids": list(chunk)}):
                    found[_KEY_ORDER(row)] = row
            return found

        found = self._read(work)
        return [Relationship.model_validate(found[key], context=STORED) for key in sorted(found)]

    def delete_organization(self, org_id: str) -> None:
        self.delete([org_id])

    def delete(self, org_ids: Sequence[str] = (), rel_keys: Sequence[RelKey] = ()) -> None:
        def work(tx: ManagedTransaction) -> bool:
            plan = plan_delete(
                org_ids,
                rel_keys,
                kinds_of=lambda ids: kinds_of(tx, ids, self.batch_size),
                rows_of=lambda keys, kinds: relationship_rows(
                    tx, keys, dict(kinds), self.batch_size
                ),
            )
            for (rel_type, from_kind, to_kind), group in plan.relationships.items():
                statement = q(
                    "delete_keyed_relationships",
                    rel_type=RelType(rel_type),
                    from_label=from_kind,
                    to_label=to_kind,
                )
                for batch in chunks(group, self.batch_size):
                    rows(tx, statement, {"keys": ends(batch)})
            for ids in chunks(plan.organizations, self.batch_size):
                rows(tx, q("delete_organizations"), {"ids": list(ids)})
            return bool(plan.organizations or plan.relationships)

        self._write(work)
