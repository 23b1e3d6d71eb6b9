"""Records by identity, whatever the store: a relationship's key as stored, whether a store's
tables can hold it, and what a delete names (the half of ``delete`` and
``relationships_by_key`` that both stores share)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from app.changes import RelKey, rel_entity
from app.errors import NotFoundError
from app.fields import STORED
from app.store.diff import by_labels
from app.vocabulary import ENDPOINTS, SYMMETRIC, Kind, RelType

K = TypeVar("K", str, RelKey)
M = TypeVar("M", bound=BaseModel)

__all__ = ["DeletePlan", "joinable", "plan_delete", "records_in_order", "stored_key"]

_SYMMETRIC = {t.value for t in SYMMETRIC}
_TYPES = {t.value for t in RelType}


def records_in_order(
    wanted: Iterable[K], rows: Mapping[K, Mapping[str, Any]], model: type[M]
) -> dict[K, M]:
    """The stored records among ``wanted`` (its order, each once), validated as stored rows
    of ``model``; the absent ones left out."""
    return {
        key: model.model_validate(rows[key], context=STORED)
        for key in dict.fromkeys(wanted)
        if key in rows
    }


def stored_key(key: RelKey) -> RelKey | None:
    """A relationship key as stored: a symmetric type smaller id first; None when no
    relationship can have it (an unknown type).

    >>> stored_key(("b", "COLLABORATES_WITH", "a")), stored_key(("a", "LIKES", "b"))
    (('a', 'COLLABORATES_WITH', 'b'), None)
    """
    source, rel_type, target = key
    if rel_type not in _TYPES:
        return None
    if rel_type in _SYMMETRIC and source > target:
        return target, rel_type, source
    return source, rel_type, target


def joinable(key: RelKey, kinds: Mapping[str, Kind]) -> bool:
    """Whether both ends of ``key`` are in ``kinds`` and of kinds its type joins
    (:data:`~app.vocabulary.ENDPOINTS`): a relationship that a store's tables can hold."""
    source, rel_type, target = key
    if source not in kinds or target not in kinds:
        return False
    sources, targets = ENDPOINTS[RelType(rel_type)]
    return kinds[source] in sources and kinds[target] in targets


@dataclass(frozen=True, slots=True)
class DeletePlan:
    """What a checked delete removes: its organizations (distinct, in order), and its
    relationship keys (as stored) by (type, source kind, target kind), the slots of the typed
    delete statements."""

    organizations: list[str]
    relationships: dict[tuple[str, Kind, Kind], list[RelKey]]


def plan_delete(
    org_ids: Iterable[str],
    rel_keys: Iterable[RelKey],
    *,
    kinds_of: Callable[[list[str]], Mapping[str, Kind]],
    rows_of: Callable[[list[RelKey], Mapping[str, Kind]], Mapping[RelKey, Any]],
) -> DeletePlan:
    """Check a delete against the store (``kinds_of(ids)``: the stored kinds among ids;
    ``rows_of(keys, kinds)``: the stored relationships among keys, in the delete's
    transaction) and plan it; ``NotFoundError`` for the first record not stored, so that a
    delete removes all it names or nothing. A key of no known type stays as given (no
    relationship has it, so it is not found)."""
    keys = list(dict.fromkeys(stored_key(k) or (k[0], k[1], k[2]) for k in rel_keys))
    orgs = list(dict.fromkeys(org_ids))
    kinds = kinds_of([*orgs, *(i for key in keys for i in (key[0], key[2]))])
    stored = rows_of([k for k in keys if stored_key(k)], kinds)
    for org_id in orgs:
        if org_id not in kinds:
            raise NotFoundError(f"no organization with id {org_id!r}")
    for key in keys:
        if key not in stored:
            raise NotFoundError(f"no relationship {rel_entity(key)!r}")
    return DeletePlan(orgs, by_labels(keys, kinds))
