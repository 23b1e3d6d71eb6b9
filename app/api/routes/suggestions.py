"""Missing-link suggestions a person acts on (:mod:`app.services.suggestions`):
``POST /api/suggestions/accept``, ``POST /api/suggestions/dismiss``,
``GET|DELETE /api/suggestions/dismissed``.

Accepting creates the tie as ``PUT /api/relationships/...`` does (201, its ``ETag``, the change
set in ``X-EcoMap-Change``), with the suggestion named in its ``evidence``; dismissing keeps
the pair out of ``POST /api/analytics/links`` until the dismissal is deleted. Writes need an
editor; an editor with clusters acts on the pairs they could tie (for a dismissal: a
collaboration, one end a member of their clusters; :func:`app.services.access.check_edit`).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from app.api import versioning
from app.api.deps import EditorDep, StoreDep, WriterDep, write_source
from app.api.filters import request_error
from app.api.models import MAX_PAGE, ErrorOut, refuse_surrogates
from app.changes import RelKey
from app.domain import Relationship
from app.fields import MAX_ID_LENGTH
from app.services import access, suggestions
from app.suggestions import Dismissal, DismissedPage
from app.vocabulary import RelType
from graph_analytics.links import LinkMethod

__all__ = ["AcceptIn", "DismissIn", "router"]

router = APIRouter(prefix="/suggestions", tags=["suggestions"])

OrgId = Annotated[str, Field(min_length=1, max_length=MAX_ID_LENGTH, description="an organization")]
QueryId = Annotated[str, Query(min_length=1, max_length=MAX_ID_LENGTH)]
_NOT_FOUND: dict[int | str, dict[str, object]] = {404: {"model": ErrorOut}}


class DismissIn(BaseModel):
    """The body of ``POST /api/suggestions/dismiss``: the pair (either order) and the
    suggestion dismissed."""

    model_config = ConfigDict(extra="forbid")

    source: OrgId
    target: OrgId
    method: LinkMethod = Field("ra", description="the method that suggested the pair")
    score: float = Field(allow_inf_nan=False, description="its score")

    _valid_text = model_validator(mode="before")(refuse_surrogates)


class AcceptIn(DismissIn):
    """The body of ``POST /api/suggestions/accept``: the tie to create (``type``, a
    collaboration by default) and the suggestion accepted."""

    type: RelType = Field(RelType.COLLABORATES_WITH, description="the tie's type")


def _collaboration(source: str, target: str) -> list[RelKey]:
    """The tie a dismissal is about, for the scope check: a collaboration of the pair."""
    return [(source, RelType.COLLABORATES_WITH.value, target)]


@router.post(
    "/accept",
    status_code=201,
    response_model=Relationship,
    responses={
        201: {"headers": versioning.etag_header("relationship")},
        409: {"model": ErrorOut, "description": "the tie exists, or the type cannot join them"},
        **_NOT_FOUND,
    },
)
def accept(
    store: WriterDep, person: EditorDep, body: AcceptIn, request: Request, response: Response
) -> Relationship:
    """Accept a suggestion: create the tie (201, its ``ETag``; the change set in
    ``X-EcoMap-Change``, which ``POST /api/history/{id}/revert`` undoes), its evidence
    naming the suggestion and who accepted it; any dismissal of the pair is forgotten. 404
    for an unknown organization, 409 when the tie exists or the type cannot join their
    kinds."""
    access.check_edit(person, store, rel_keys=[(body.source, body.type.value, body.target)])
    try:
        accepted = suggestions.accept(
            store,
            body.source,
            body.target,
            rel_type=body.type,
            method=body.method,
            score=body.score,
            author=person.name,
            source_label=write_source(request),
        )
    except ValidationError as exc:
        raise request_error(exc, ("body",)) from None
    versioning.written(response, accepted.relationship, accepted.change_id, created=True)
    return accepted.relationship


@router.post("/dismiss", status_code=201, response_model=Dismissal, responses=_NOT_FOUND)
def dismiss(store: WriterDep, person: EditorDep, body: DismissIn) -> Dismissal:
    """Dismiss a suggestion: the pair is never suggested again (201, the dismissal, by you,
    now; a pair dismissed before is dismissed anew). 404 for an unknown organization."""
    access.check_edit(person, store, rel_keys=_collaboration(body.source, body.target))
    return suggestions.dismiss(
        store, body.source, body.target, method=body.method, score=body.score, author=person.name
    )


@router.get("/dismissed", response_model=DismissedPage)
def list_dismissed(
    store: StoreDep,
    offset: Annotated[int, Query(ge=0, le=2**31, description="dismissals to skip")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="dismissals to return")] = 100,
) -> DismissedPage:
    """The dismissed suggestions, newest first."""
    return suggestions.dismissed_page(store, offset=offset, limit=limit)


@router.delete("/dismissed", response_model=Dismissal, responses=_NOT_FOUND)
def restore(store: WriterDep, person: EditorDep, source: QueryId, target: QueryId) -> Dismissal:
    """Undo a dismissal (the pair in either order): the pair may be suggested again; the
    answer is the dismissal removed. 404 if the pair is not dismissed."""
    access.check_edit(person, store, rel_keys=_collaboration(source, target))
    return suggestions.restore(store, source, target)
