"""The HTTP face of record versions (:mod:`app.services.versions`): the ``If-Match`` and
``If-None-Match`` headers the write routes take, the ``ETag`` header they and the reads of
one record answer with, and the error answers they declare."""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

from fastapi import Header, Response
from pydantic import BaseModel

from app.api.deps import CHANGE_HEADER
from app.api.models import ErrorOut
from app.services import versions

R = TypeVar("R", bound=BaseModel)

__all__ = [
    "VERSIONED",
    "IfMatch",
    "IfNoneMatch",
    "etag_header",
    "put_answers",
    "tagged",
    "written",
]


def etag_header(record: str) -> dict[str, Any]:
    """The OpenAPI ``headers`` of an answer that carries the ``record``'s version."""
    text = f"the {record}'s version: send it as If-Match to change or delete it"
    return {"ETag": {"description": text, "schema": {"type": "string"}}}


def put_answers(
    model: type[BaseModel], record: str, errors: dict[int | str, dict[str, Any]]
) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI ``responses`` of a PUT that creates (201) or replaces (200) a ``record``
    (a ``model``), with its ETag, and the ``errors`` it may answer."""
    headers = etag_header(record)
    return {200: {"headers": headers}, 201: {"model": model, "headers": headers}, **errors}


#: The error answers of a write that needs the version of a stored record.
VERSIONED: dict[int | str, dict[str, Any]] = {
    409: {
        "model": ErrorOut,
        "description": "the record changed since the If-Match version (version_conflict, "
        "with the current record and its version), or another conflict (conflict)",
    },
    428: {
        "model": ErrorOut,
        "description": "a stored record needs If-Match (precondition_required)",
    },
}


def tagged(response: Response, record: R) -> R:
    """``record``, its version set as the answer's ``ETag``."""
    response.headers["ETag"] = versions.etag(record)
    return record


def written(
    response: Response, record: BaseModel, change_id: int | None, *, created: bool = False
) -> None:
    """The headers of a write's answer: 201 when it created the record, the record's new
    ``ETag``, and the change set that recorded it (``X-EcoMap-Change``; none when nothing
    changed)."""
    response.status_code = 201 if created else 200
    tagged(response, record)
    if change_id is not None:
        response.headers[CHANGE_HEADER] = str(change_id)


IfMatch = Annotated[
    str | None,
    Header(
        alias="If-Match",
        description="the ETag of the record as last read (`*`: whatever its version); "
        "needed to change or delete a stored record",
    ),
]
IfNoneMatch = Annotated[
    str | None,
    Header(
        alias="If-None-Match",
        description="`*`: create only, never replace a record stored meanwhile",
    ),
]
