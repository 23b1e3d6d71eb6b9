"""Organizations: list with FILTERS, read, create or replace, delete, ego network."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.deps import CHANGE_HEADER, AuthorDep, StoreDep, WriterDep, write_source
from app.api.filters import QueryFilters, RelTypesQuery, request_error
from app.api.models import MAX_PAGE, ErrorOut, OrganizationIn
from app.domain import Organization
from app.results import DeleteResult, EgoGraph, OrganizationsPage
from app.services import editing, explore

__all__ = ["router"]

router = APIRouter(prefix="/organizations", tags=["organizations"])

OrgId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="organization id; a `/` in it is sent percent-encoded (`%2F`)",
    ),
]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}}


@router.get("", response_model=OrganizationsPage)
def list_organizations(
    store: StoreDep,
    spec: QueryFilters,
    offset: Annotated[int, Query(ge=0, le=2**31, description="skip this many matches")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="rows to return")] = 50,
) -> OrganizationsPage:
    """The organizations that match the filters, sorted by id (= ``ecomap orgs --json``)."""
    page = explore.list_organizations(store, spec, offset=offset, limit=limit)
    return explore.page_answer(page)


@router.get("/{org_id:path}/ego", response_model=EgoGraph, responses=_NOT_FOUND)
def ego_network(
    store: StoreDep,
    org_id: OrgId,
    rel_types: RelTypesQuery,
    hops: Annotated[int, Query(ge=1, le=3, description="steps out")] = 1,
    include_clusters: Annotated[bool, Query(description="walk through clusters")] = False,
) -> EgoGraph:
    """Everyone within ``hops`` relationships of the organization (= ``ecomap ego --json``)."""
    result = explore.ego_network(
        store, org_id, hops=hops, rel_types=rel_types, include_clusters=include_clusters
    )
    return explore.ego_answer(result, center=org_id, hops=hops)


@router.get("/{org_id:path}", response_model=Organization, responses=_NOT_FOUND)
def get_organization(store: StoreDep, org_id: OrgId) -> Organization:
    """One organization (404 if there is none with this id)."""
    return explore.get_organization(store, org_id)


@router.put(
    "/{org_id:path}",
    response_model=Organization,
    responses={201: {"model": Organization}, 409: {"model": ErrorOut}},
)
def put_organization(
    store: WriterDep,
    author: AuthorDep,
    org_id: OrgId,
    body: OrganizationIn,
    request: Request,
    response: Response,
) -> Organization:
    """Create (201) or replace (200) an organization; its relationships stay.

    The body's ``id``, when given, must be the path's (else 422); an organization cannot
    change kind (409: delete it first). The change set that records it is in the
    ``X-EcoMap-Change`` header (none when nothing changed).
    """
    if body.id is not None and body.id != org_id:
        message = f"the body's id {body.id!r} is not the path's id {org_id!r}"
        error = {"loc": ("body", "id"), "msg": message, "type": "value_error"}
        raise RequestValidationError([error])
    try:
        org, created, change_id = editing.put_organization(
            store,
            org_id,
            body.model_dump(exclude={"id"}),
            author=author,
            source=write_source(request),
        )
    except ValidationError as exc:
        raise request_error(exc, ("body",)) from None
    response.status_code = 201 if created else 200
    if change_id is not None:
        response.headers[CHANGE_HEADER] = str(change_id)
    return org


@router.delete("/{org_id:path}", response_model=DeleteResult, responses=_NOT_FOUND)
def delete_organization(
    store: WriterDep, author: AuthorDep, org_id: OrgId, request: Request
) -> DeleteResult:
    """Delete an organization and its relationships, which the answer lists (404 if there
    is none)."""
    deleted = editing.delete_organizations(
        store, [org_id], author=author, source=write_source(request)
    )
    return DeleteResult.of(deleted)
