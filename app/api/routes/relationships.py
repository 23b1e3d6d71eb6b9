"""Relationships one by one: ``GET|PUT|DELETE /api/relationships/{source}/{type}/{target}``.

Organization ids may hold a ``/`` (sent percent-encoded, ``%2F``), so the path is read whole
and split at its relationship type, which is one of the fixed vocabulary's.

As for organizations, ``GET`` sends the relationship's version as ``ETag``, and a ``PUT`` or
``DELETE`` of a stored relationship needs it back as ``If-Match`` (428 without, 409 with the
current record when it changed meanwhile); writes need an editor, and an editor with clusters
writes only the ties their members state and the memberships of their clusters
(:func:`app.services.access.check_edit`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from app.api import versioning
from app.api.deps import EditorDep, StoreDep, WriterDep, write_source
from app.api.filters import request_error
from app.api.models import ErrorOut, refuse_surrogates
from app.changes import RelKey
from app.domain import Relationship
from app.errors import NotFoundError
from app.results import DeleteResult
from app.services import access, editing, explore, versions
from app.vocabulary import RelType

__all__ = ["router"]

router = APIRouter(prefix="/relationships", tags=["relationships"])

RelPath = Annotated[
    str,
    Path(
        min_length=5,
        max_length=500,
        description="SOURCE/TYPE/TARGET, e.g. `co-a/SUPPLIES/co-b` (a `/` in an id as `%2F`)",
    ),
]
_ANSWERS: dict[int | str, dict[str, object]] = {404: {"model": ErrorOut}, **versioning.VERSIONED}
_ETAG = versioning.etag_header("relationship")


class RelationshipIn(BaseModel):
    """The body of ``PUT``: what the relationship says (absent: none; weight 1)."""

    model_config = ConfigDict(extra="forbid")

    weight: float | str | None = None
    since: str | None = None
    until: str | None = None
    evidence: str | None = None

    _valid_text = model_validator(mode="before")(refuse_surrogates)


def parse_key(path: str) -> RelKey:
    """``SOURCE/TYPE/TARGET`` as a key; the type in any case.

    >>> parse_key("co-a/supplies/co-b")
    ('co-a', 'SUPPLIES', 'co-b')
    """
    parts = path.split("/")
    found = [
        ("/".join(parts[:i]), parts[i].upper(), "/".join(parts[i + 1 :]))
        for i in range(1, len(parts) - 1)
        if parts[i].upper() in RelType.__members__
    ]
    if len(found) != 1 or not all(found[0]):
        raise NotFoundError(f"not a relationship path SOURCE/TYPE/TARGET: {path[:80]!r}")
    return found[0]


@router.get(
    "/{path:path}",
    response_model=Relationship,
    responses={404: {"model": ErrorOut}, 200: {"headers": _ETAG}},
)
def get_relationship(store: StoreDep, path: RelPath, response: Response) -> Relationship:
    """One relationship (a symmetric one named in either direction; 404 if none), its
    version as ``ETag``."""
    return versioning.tagged(response, explore.get_relationship(store, parse_key(path)))


@router.put(
    "/{path:path}",
    response_model=Relationship,
    responses=versioning.put_answers(Relationship, "relationship", _ANSWERS),
)
def put_relationship(
    store: WriterDep,
    person: EditorDep,
    path: RelPath,
    body: RelationshipIn,
    request: Request,
    response: Response,
    if_match: versioning.IfMatch = None,
    if_none_match: versioning.IfNoneMatch = None,
) -> Relationship:
    """Create (201) or replace (200) a relationship; replacing needs ``If-Match`` (428
    without, 409 with the current record if it changed since). 404 when an end does not
    exist, 409 when the type does not connect their kinds; the change set is in
    ``X-EcoMap-Change``."""
    key = parse_key(path)
    access.check_edit(person, store, rel_keys=[key])
    versions.check_relationship_version(store, key, if_match=if_match, if_none_match=if_none_match)
    try:
        rel, created, change_id = editing.put_relationship(
            store,
            key,
            body.model_dump(exclude_none=True),
            author=person.name,
            source=write_source(request),
        )
    except ValidationError as exc:
        raise request_error(exc, ("body",)) from None
    versioning.written(response, rel, change_id, created=created)
    return rel


@router.delete("/{path:path}", response_model=DeleteResult, responses=_ANSWERS)
def delete_relationship(
    store: WriterDep,
    person: EditorDep,
    path: RelPath,
    request: Request,
    if_match: versioning.IfMatch = None,
) -> DeleteResult:
    """Delete a relationship (a symmetric one named in either direction; 404 if none);
    needs ``If-Match`` with its ETag (428 without, 409 if it changed since)."""
    key = parse_key(path)
    access.check_edit(person, store, rel_keys=[key])
    versions.check_relationship_version(store, key, if_match=if_match, creates=False)
    deleted = editing.delete_relationship(
        store, key, author=person.name, source=write_source(request)
    )
    return DeleteResult.of(deleted)
