"""Change sets: what one committed write changed, field by field, and who made it.

Every write (an import, an edit through the API, a delete, a revert) is recorded as one
:class:`ChangeSet` in the same database and the same transaction as the write itself. A
:class:`Change` says that one field of one record went from ``before`` to ``after`` (JSON
values; ``None``: no value). The record is named by its *entity*: an organization's id, or
``"SOURCE TYPE TARGET"`` for a relationship (:func:`rel_entity`).

A record's creation shows as its key field going from ``None``: an organization's ``kind``,
a relationship's ``weight`` (neither is ever empty on a stored record), next to every other
field it was given; its deletion as the key field going to ``None``, with every field it held.
So a change set alone says how to undo it.

Examples
--------
>>> from app.domain import Organization
>>> old = Organization(id="a", name="Alpha", kind="company", city="Turin")
>>> new = old.model_copy(update={"city": "Milan"})
>>> [(c.field, c.before, c.after) for c in organization_changes(old, new)]
[('city', 'Turin', 'Milan')]
>>> [(c.field, c.after) for c in organization_changes(None, old)]
[('kind', 'company'), ('name', 'Alpha'), ('city', 'Turin')]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from app.domain import Organization, Relationship
from app.vocabulary import ORGANIZATION_PROPERTIES, RELATIONSHIP_CONTENT

__all__ = [
    "ORGANIZATION_FIELDS",
    "RELATIONSHIP_FIELDS",
    "Change",
    "ChangeSet",
    "RelKey",
    "entity_key",
    "organization_changes",
    "rel_entity",
    "relationship_changes",
]

RelKey = tuple[str, str, str]

#: The organization fields a change set tracks, the key field (``kind``) first: every
#: stored property but the id (the entity) and the store's own timestamp.
ORGANIZATION_FIELDS: tuple[str, ...] = (
    "kind",
    *(p for p in ORGANIZATION_PROPERTIES if p not in ("id", "kind", "updated_at")),
)
#: The relationship fields a change set tracks, the key field (``weight``) first.
RELATIONSHIP_FIELDS: tuple[str, ...] = RELATIONSHIP_CONTENT


class Change(BaseModel):
    """One field of one record: ``before`` -> ``after``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    entity: str = Field(description='an organization id, or "SOURCE TYPE TARGET"')
    field: str
    before: JsonValue = None
    after: JsonValue = None


class ChangeSet(BaseModel):
    """One committed write: its number (``id``, increasing), when (UTC, ISO 8601), by whom,
    from where (a file name, an API route, ``revert of N``), and its changes."""

    model_config = ConfigDict(extra="forbid")

    id: int
    at: str
    author: str
    source: str
    changes: list[Change]

    def entities(self) -> set[str]:
        """Every entity the change set touched."""
        return {change.entity for change in self.changes}


def rel_entity(key: RelKey) -> str:
    """The entity name of a relationship.

    >>> rel_entity(("a", "SUPPLIES", "b"))
    'a SUPPLIES b'
    """
    return " ".join(key)


def entity_key(entity: str) -> str | RelKey:
    """An entity name back as an organization id or a relationship key (ids hold no spaces).

    >>> entity_key("a SUPPLIES b"), entity_key("a")
    (('a', 'SUPPLIES', 'b'), 'a')
    """
    parts = entity.split(" ")
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    return entity


def _json(value: Any) -> JsonValue:
    """A field's value as JSON; an empty list is no value, as an empty cell."""
    if isinstance(value, list | tuple):
        return list(value) or None
    if hasattr(value, "value"):  # an enum of the vocabulary
        return value.value
    return value


def _changes(
    entity: str, fields: Iterable[str], before: BaseModel | None, after: BaseModel | None
) -> list[Change]:
    out = []
    for name in fields:
        old = _json(getattr(before, name)) if before is not None else None
        new = _json(getattr(after, name)) if after is not None else None
        if old != new:  # (validating is faster than pydantic's model_construct here)
            out.append(Change(entity=entity, field=name, before=old, after=new))
    return out


def organization_changes(before: Organization | None, after: Organization | None) -> list[Change]:
    """The changes from one state of an organization to another (None: absent)."""
    record = after if after is not None else before
    if record is None:
        return []
    return _changes(record.id, ORGANIZATION_FIELDS, before, after)


def relationship_changes(before: Relationship | None, after: Relationship | None) -> list[Change]:
    """The changes from one state of a relationship to another (None: absent).

    >>> rel = Relationship(source="a", target="b", type="SUPPLIES", weight=2)
    >>> [(c.entity, c.field, c.before) for c in relationship_changes(rel, None)]
    [('a SUPPLIES b', 'weight', 2.0)]
    """
    record = after if after is not None else before
    if record is None:
        return []
    key = (record.source, record.type.value, record.target)
    return _changes(rel_entity(key), RELATIONSHIP_FIELDS, before, after)
