"""Change sets and people as both stores keep them: rows, chunks and the reading rules.

A change set is one ``ChangeSet`` node (``id``, ``at``, ``author``, ``source``) and its changes,
as JSON text compressed with zlib (base64, ``z:`` first: :func:`pack_changes`; an import's
history is then about a tenth of its data's size, not the same again), in ``ChangeChunk``
nodes of at most :data:`CHUNK_CHANGES` changes each, in order
(``seq``). A chunk also lists the organizations it touches (``entities``: their own changes
and both ends of every relationship among them): a store finds the sets that touched an
organization by that list alone, without reading any JSON, and parses only the chunks that
hold it; a relationship is found through its source. An import of a million changes is some
fifty chunks: neither one giant string nor a node per change. People are ``User`` nodes
with the fields of :class:`app.people.User`.

The store-independent half lives here; each store runs its statements (``cypher/history.cypher``
and the dialect's).
"""

from __future__ import annotations

import base64
import zlib
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
    "pack_changes",
    "read_change_set",
    "read_change_sets",
    "since_stamp",
    "stored_entity",
    "touches",
    "unpack_changes",
]

#: Most changes in one ``ChangeChunk`` (its JSON some megabytes, compressed a few hundred
#: kilobytes; an organization's ties repeat its id, listed once a chunk).
CHUNK_CHANGES = 20_000
#: Chunks per ``create_change_chunks`` statement.
CHUNKS_PER_STATEMENT = 5
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
    """The organizations ``changes`` touch: their own and the ends of their relationships,
    sorted (a relationship is found through its source; naming relationships too would make
    an import's index as large as its data)."""
    ids: set[str] = set()
    for name in {change.entity for change in changes}:
        key = entity_key(name)
        ids.update((key,) if isinstance(key, str) else (key[0], key[2]))
    return sorted(ids)


def pack_changes(changes: Sequence[Change]) -> str:
    """Changes as stored: their JSON, compressed, as text.

    >>> change = Change(entity="a", field="city", before=None, after="Turin")
    >>> packed = pack_changes([change])
    >>> packed.startswith("z:"), unpack_changes(packed) == [change]
    (True, True)
    """
    packed = zlib.compress(_CHANGES.dump_json(list(changes)), level=6)
    return "z:" + base64.b64encode(packed).decode("ascii")


def unpack_changes(text: str) -> list[Change]:
    """Stored changes back (compressed, or plain JSON as first stored)."""
    if text.startswith("z:"):
        return _CHANGES.validate_json(zlib.decompress(base64.b64decode(text[2:])))
    return _CHANGES.validate_json(text)


def change_chunks(change_id: int, changes: Sequence[Change]) -> list[dict[str, Any]]:
    """The ``ChangeChunk`` rows of a change set: key (``"ID/SEQ"``), change_set, seq,
    entities and changes (JSON text)."""
    return [
        {
            "key": f"{change_id}/{seq}",
            "change_set": change_id,
            "seq": seq,
            "entities": chunk_entities(chunk),
            "changes": pack_changes(chunk),
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
            changes.extend(unpack_changes(text))
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
    key = entity_key(entity)
    indexed = key if isinstance(key, str) else key[0]  # a relationship: through its source
    ids = [row["id"] for row in fetch("change_sets_touching", {"entity": indexed})]
    among = fetch("change_set_headers_among", {"ids": ids}) if ids else []
    if isinstance(key, str):  # every set found touches the organization: page, then read
        headers, more = _page(among, since=stamp, after=after, limit=limit)
        ids = [h["id"] for h in headers]
        found = fetch("change_chunks_touching", {"ids": ids, "entity": indexed}) if ids else []
        return _assemble(headers, found, entity), more
    # a relationship: read the source's sets, keep those that touch it, then page
    headers, _ = _page(among, since=stamp, after=after, limit=len(among))
    ids = [h["id"] for h in headers]
    found = fetch("change_chunks_touching", {"ids": ids, "entity": indexed}) if ids else []
    sets = [s for s in _assemble(headers, found, entity) if s.changes]
    return sets[:limit], len(sets) > limit


def read_change_set(fetch: Fetch, change_id: int) -> ChangeSet:
    """:meth:`GraphStore.change_set` through ``fetch``."""
    headers = fetch("change_set_headers_among", {"ids": [change_id]})
    if not headers:
        raise NotFoundError(f"no change set with id {change_id!r}")
    return _assemble(headers, fetch("change_chunks", {"ids": [change_id]}))[0]
