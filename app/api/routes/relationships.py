"""Relationships one by one: ``PUT|DELETE /api/relationships/{source}/{type}/{target}``.

Organization ids may hold a ``/`` (sent percent-encoded, ``%2F``), so the path is read whole
and split at its relationship type, which is one of the fixed vocabulary's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from app.api.deps import CHANGE_HEADER, AuthorDep, WriterDep, write_source
from app.api.filters import request_error
from app.api.models import ErrorOut, refuse_surrogates
from app.changes import RelKey
from app.domain import Relationship
from app.errors import NotFoundError
from app.results import DeleteResult
from app.services import editing
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
_ANSWERS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorOut},
    409: {"model": ErrorOut},
}


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


@router.put(
    "/{path:path}",
    response_model=Relationship,
    responses={201: {"model": Relationship}, **_ANSWERS},
)
def put_relationship(
    store: WriterDep,
    author: AuthorDep,
    path: RelPath,
    body: RelationshipIn,
    request: Request,
    response: Response,
) -> Relationship:
    """Create (201) or replace (200) a relationship. 404 when an end does not exist, 409
    when the type does not connect their kinds; the change set is in ``X-EcoMap-Change``."""
    try:
        rel, created, change_id = editing.put_relationship(
            store,
            parse_key(path),
            body.model_dump(exclude_none=True),
            author=author,
            source=write_source(request),
        )
    except ValidationError as exc:
        raise request_error(exc, ("body",)) from None
    response.status_code = 201 if created else 200
    if change_id is not None:
        response.headers[CHANGE_HEADER] = str(change_id)
    return rel


@router.delete("/{path:path}", response_model=DeleteResult, responses=_ANSWERS)
def delete_relationship(
    store: WriterDep, author: AuthorDep, path: RelPath, request: Request
) -> DeleteResult:
    """Delete a relationship (a symmetric one named in either direction; 404 if none)."""
    deleted = editing.delete_relationship(
        store, parse_key(path), author=author, source=write_source(request)
    )
    return DeleteResult.of(deleted)
