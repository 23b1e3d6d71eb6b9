"""Records by identity, whatever the store: a relationship's key as stored, whether a store's
tables can hold it, and what a delete names (the half of ``delete`` and
``relationships_by_key`` that both stores share)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from app.changes import RelKey, rel_entity
from app.errors import NotFoundError
from app.vocabulary import ENDPOINTS, SYMMETRIC, Kind, RelType

__all__ = ["joinable", "missing_error", "stored_key", "to_delete"]

_SYMMETRIC = {t.value for t in SYMMETRIC}
_TYPES = {t.value for t in RelType}


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


def to_delete(org_ids: Iterable[str], rel_keys: Iterable[RelKey]) -> tuple[list[str], list[RelKey]]:
    """The distinct organizations and relationship keys (as stored) of a delete; a key of no
    known type stays as given (no relationship has it)."""
    keys = (stored_key(k) or (k[0], k[1], k[2]) for k in rel_keys)
    return list(dict.fromkeys(org_ids)), list(dict.fromkeys(keys))


def missing_error(org_ids: Iterable[str], rel_keys: Iterable[RelKey]) -> NotFoundError | None:
    """The error for the first of these organizations or relationships (not stored), if any."""
    for org_id in org_ids:
        return NotFoundError(f"no organization with id {org_id!r}")
    for key in rel_keys:
        return NotFoundError(f"no relationship {rel_entity(key)!r}")
    return None
