"""Versions of stored records, for edits that never overwrite someone else's unseen change.

A record's version is a digest of it as stored (:func:`record_version`): any change to it,
by anyone, makes a new version, and an equal record has the same one on every read. The API
sends it as the ``ETag`` of ``GET /api/organizations/{id}`` and of every write's answer; a
``PUT`` or ``DELETE`` of an existing record names the version it was based on in
``If-Match`` and is refused when the record changed meanwhile (:func:`require_version`).
Routes call :func:`require_version` in the write session of the write itself, so reading
the version, comparing it and writing are one transaction: of two clients writing from the
same version, exactly one wins.

Creating a record needs no version: a ``PUT`` of an id that is not stored creates it, with
no ``If-Match`` (or with ``If-None-Match: *``, which also refuses to overwrite a record that
someone created meanwhile).
"""

from __future__ import annotations

import hashlib
import json

from pydantic import BaseModel

from app.changes import RelKey, rel_entity
from app.errors import PreconditionRequiredError, VersionConflictError, excerpt
from app.store.base import GraphStore

__all__ = [
    "check_organization_version",
    "check_relationship_version",
    "etag",
    "parse_tags",
    "record_version",
    "require_version",
]

#: Hex digits of a version (64 bits of the SHA-256 digest).
_DIGITS = 16


def record_version(record: BaseModel) -> str:
    """The version of a stored record (an organization or a relationship): the first 16 hex
    digits of the SHA-256 digest of its canonical JSON (keys sorted, no spaces, UTF-8).

    Examples
    --------
    >>> from app.domain import Organization
    >>> org = Organization(id="a", name="Alpha", kind="company")
    >>> v = record_version(org)
    >>> len(v), v == record_version(org.model_copy()), v == record_version(
    ...     org.model_copy(update={"name": "Beta"}))
    (16, True, False)
    """
    text = json.dumps(
        record.model_dump(mode="json"), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGITS]


def etag(record: BaseModel) -> str:
    """The ``ETag`` header of a record: its version, quoted (a strong validator)."""
    return f'"{record_version(record)}"'


def parse_tags(header: str | None) -> set[str] | None:
    """The versions an ``If-Match`` or ``If-None-Match`` header names (``{"*"}`` for any),
    ``None`` when the header is absent. Weak tags (``W/"..."``) never match a version.

    Examples
    --------
    >>> sorted(parse_tags('"abc", W/"def",ghi'))
    ['abc', 'ghi']
    >>> parse_tags(" * "), parse_tags(None)
    ({'*'}, None)
    """
    if header is None:
        return None
    tags = set()
    for part in header.split(","):
        part = part.strip()
        if part and not part.startswith("W/"):
            tags.add(part.strip('"'))
    return tags


def require_version(
    current: BaseModel | None,
    *,
    entity: str,
    if_match: str | None,
    if_none_match: str | None = None,
    creates: bool = True,
) -> None:
    """Check that a write is based on the stored version of its record.

    Parameters
    ----------
    current : BaseModel or None
        The record as stored now, read in the write's own session (None: not stored).
    entity : str
        What the record is, for messages (an organization id, ``SOURCE TYPE TARGET``).
    if_match, if_none_match : str, optional
        The request's headers.
    creates : bool
        Whether the write creates the record when it is absent (a ``PUT``); a ``DELETE``
        of an absent record is left to fail as not found.

    Raises
    ------
    PreconditionRequiredError
        The record is stored and the write names no version of it (428).
    VersionConflictError
        The record changed, was deleted, or (``If-None-Match: *``) was created since the
        client read it (409, with the record as stored now).
    """
    match, none_match = parse_tags(if_match), parse_tags(if_none_match)
    name = excerpt(entity)
    if current is None:
        if creates and match is not None:
            raise VersionConflictError(f"{name} was deleted since it was read", None, None)
        return
    version = record_version(current)
    stored = current.model_dump(mode="json")
    if none_match is not None and ("*" in none_match or version in none_match):
        raise VersionConflictError(f"{name} exists already (If-None-Match)", stored, version)
    if match is None:
        raise PreconditionRequiredError(
            f"{name} is stored: send If-Match with its ETag (from GET) so that a change made "
            "since you read it is not overwritten"
        )
    if "*" not in match and version not in match:
        raise VersionConflictError(
            f"{name} changed since it was read: its version is now {version}; the current "
            "record is in 'current'",
            stored,
            version,
        )


def check_organization_version(
    store: GraphStore,
    org_id: str,
    *,
    if_match: str | None,
    if_none_match: str | None = None,
    creates: bool = True,
) -> None:
    """:func:`require_version` for the organization ``org_id`` as ``store`` holds it now (a
    write session: the one of the write it guards)."""
    current = store.organizations_by_id([org_id]).get(org_id)
    require_version(
        current, entity=org_id, if_match=if_match, if_none_match=if_none_match, creates=creates
    )


def check_relationship_version(
    store: GraphStore,
    key: RelKey,
    *,
    if_match: str | None,
    if_none_match: str | None = None,
    creates: bool = True,
) -> None:
    """:func:`require_version` for the relationship ``key`` (source, type, target) as
    ``store`` holds it now (a write session: the one of the write it guards)."""
    found = store.relationships_by_key([key])
    current = next(iter(found.values()), None)
    require_version(
        current,
        entity=rel_entity(key),
        if_match=if_match,
        if_none_match=if_none_match,
        creates=creates,
    )
