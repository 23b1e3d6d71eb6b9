"""The HTTP face of record versions (:mod:`app.services.versions`): the ``If-Match`` and
``If-None-Match`` headers the write routes take, the ``ETag`` header they and the reads of
one record answer with, and the error answers they declare."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Header

from app.api.models import ErrorOut

__all__ = ["VERSIONED", "IfMatch", "IfNoneMatch", "etag_header"]


def etag_header(record: str) -> dict[str, Any]:
    """The OpenAPI ``headers`` of an answer that carries the ``record``'s version."""
    text = f"the {record}'s version: send it as If-Match to change or delete it"
    return {"ETag": {"description": text, "schema": {"type": "string"}}}


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
