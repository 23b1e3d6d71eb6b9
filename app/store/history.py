"""Change sets and people as both stores keep them: rows, chunks and the reading rules.

A change set is one ``ChangeSet`` node (``id``, ``at``, ``author``, ``source``) and its changes,
as JSON text, in ``ChangeChunk`` nodes of at most :data:`CHUNK_CHANGES` changes each, in order
(``seq``). A chunk also lists the entities it touches (``entities``), with both ends of every
relationship among them: a store finds the sets that touched an organization, or a relationship,
by that list alone, without reading any JSON, and then parses only the chunks that hold it. An
import of a million changes is a few hundred chunks: neither one giant string nor a node per
change. People are ``User`` nodes with the fields of :class:`app.people.User`.

The store-independent half lives here; each store runs its statements (``cypher/history.cypher``
and the dialect's).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from pydantic import TypeAdapter

from app.changes import Change, ChangeSet, entity_key, rel_entity
from app.errors import NotFoundError
from app.store.diff import chunks
from app.store.identity import stored_key

__all__ = [
    "CHUNKS_PER_STATEMENT",
    "CHUNK_CHANGES",
    "Fetch",
    "change_chunks",
    "chunk_entities",
    "read_change_set",
    "read_change_sets",
    "since_stamp",
    "stored_entity",
    "touches",
]

#: Most changes in one ``ChangeChunk`` (its JSON is some hundreds of kilobytes).
CHUNK_CHANGES = 2000
#: Chunks per ``create_change_chunks`` statement.
CHUNKS_PER_STATEMENT = 25
#: The properties of a ``ChangeSet`` node, as the header statements return them.
_HEADER_FIELDS: tuple[str, ...] = ("id", "at", "author", "source")

#: How the reading functions run a statement: ``fetch(name, parameters)`` runs statement
#: ``name`` of the store's dialect, in the store's current read transaction, and returns its
#: rows as dicts.
Fetch = Callable[[str, dict[str, Any]], list[dict[str, Any]]]

_CHANGES = TypeAdapter(list[Change])


def stored_entity(entity: str) -> str:
    """An entity name as change sets record it (a symmetric relationship smaller id first)."""
    key = entity_key(entity)
    if isinstance(key, str):
        return key
    return rel_entity(stored_key(key) or key)


def chunk_entities(changes: Iterable[Change]) -> list[str]:
    """The entities of ``changes`` and the ends of the relationships among them, sorted."""
    names = {change.entity for change in changes}
    ends: set[str] = set()
    for name in names:
        key = entity_key(name)
        if not isinstance(key, str):
            ends.update((key[0], key[2]))
    return sorted(names | ends)


def change_chunks(change_id: int, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The ``ChangeChunk`` rows of a change set: key (``"ID/SEQ"``), change_set, seq,
    entities and changes (JSON text)."""
    return [
        {
            "key": f"{change_id}/{seq}",
            "change_set": change_id,
            "seq": seq,
            "entities": chunk_entities(chunk),
            "changes": _CHANGES.dump_json(list(chunk)).decode("utf-8"),
        }
        for seq, chunk in enumerate(chunks(changes, CHUNK_CHANGES))
    ]


def since_stamp(since: str | None) -> str:
    """``since`` (an ISO 8601 date or time; no zone: UTC) in the form ``at`` is stored in, so
    that text comparison orders it; ``""`` (before everything) for None.

    >>> since_stamp("2026-03-01"), since_stamp("2026-03-01T12:00:00+02:00")
    ('2026-03-01T00:00:00Z', '2026-03-01T10:00:00Z')
    """
    if since is None:
        return ""
    try:
        moment = datetime.fromisoformat(since)
    except ValueError:
        raise ValueError(f"since must be an ISO 8601 date or time, got {since!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _page(
    headers: Iterable[Mapping[str, Any]], *, since: str, after: int | None, limit: int
) -> tuple[list[Mapping[str, Any]], bool]:
    """The headers of one page, in the order of :meth:`GraphStore.change_sets` (newest first,
    oldest first after ``after``), and whether more were left out."""
    kept = [h for h in headers if h["at"] >= since and h["id"] > (after or 0)]
    kept.sort(key=lambda h: h["id"], reverse=after is None)
    return kept[:limit], len(kept) > limit


def touches(change_entity: str, entity: str) -> bool:
    """Whether a change of ``change_entity`` concerns ``entity``: the same entity, or a
    relationship that the organization ``entity`` is an end of.

    >>> touches("a SUPPLIES b", "b"), touches("a SUPPLIES b", "a FUNDS b"), touches("ab", "a")
    (True, False, False)
    """
    if change_entity == entity:
        return True
    if " " in entity or " " not in change_entity:
        return False
    key = entity_key(change_entity)
    return entity in (key[0], key[2])


def _assemble(
    headers: Sequence[Mapping[str, Any]],
    chunk_rows: Iterable[Mapping[str, Any]],
    entity: str | None = None,
) -> list[ChangeSet]:
    """Change sets from their header rows (in their order) and the rows of their chunks
    (change_set, seq, changes); with ``entity``, only the changes that concern it."""
    by_set: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for row in chunk_rows:
        by_set[row["change_set"]].append((row["seq"], row["changes"]))
    sets = []
    for header in headers:
        changes: list[Change] = []
        for _, text in sorted(by_set.get(header["id"], ())):
            changes.extend(_CHANGES.validate_json(text))
        if entity is not None:
            changes = [c for c in changes if touches(c.entity, entity)]
        sets.append(ChangeSet(**{name: header[name] for name in _HEADER_FIELDS}, changes=changes))
    return sets


def read_change_sets(
    fetch: Fetch, *, entity: str | None, since: str | None, after: int | None, limit: int
) -> tuple[list[ChangeSet], bool]:
    """:meth:`GraphStore.change_sets` through ``fetch``: the page's headers (with
    ``entity``, among the sets whose chunks list it), then the chunks of those sets only (with
    ``entity``, those that list it), parsed."""
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise ValueError(f"limit must be an integer >= 0, got {limit!r}")
    stamp = since_stamp(since)
    if entity is None:
        name = "change_set_headers_newest" if after is None else "change_set_headers_oldest"
        window = {"after": after or 0, "since": stamp, "limit": limit + 1}
        headers, more = _page(fetch(name, window), since=stamp, after=after, limit=limit)
        ids = [h["id"] for h in headers]
        return _assemble(headers, fetch("change_chunks", {"ids": ids}) if ids else []), more
    entity = stored_entity(entity)
    ids = [row["id"] for row in fetch("change_sets_touching", {"entity": entity})]
    among = fetch("change_set_headers_among", {"ids": ids}) if ids else []
    headers, more = _page(among, since=stamp, after=after, limit=limit)
    ids = [h["id"] for h in headers]
    found = fetch("change_chunks_touching", {"ids": ids, "entity": entity}) if ids else []
    return _assemble(headers, found, entity), more


def read_change_set(fetch: Fetch, change_id: int) -> ChangeSet:
    """:meth:`GraphStore.change_set` through ``fetch``."""
    headers = fetch("change_set_headers_among", {"ids": [change_id]})
    if not headers:
        raise NotFoundError(f"no change set with id {change_id!r}")
    return _assemble(headers, fetch("change_chunks", {"ids": [change_id]}))[0]
