"""Organizations: list with FILTERS, read, create or replace, delete, confirm, ego network.

``GET`` of one organization sends its version as ``ETag``; a ``PUT`` or ``DELETE`` of a stored
organization must send it back as ``If-Match`` (428 without, 409 with the current record when
it changed meanwhile; see :mod:`app.services.versions`); a ``PUT`` that creates needs none.
A ``POST .../confirm`` (the record was found right: verified now by the person) needs it too:
what is confirmed is the version the person saw.
Writes need an editor or an admin, and an editor with clusters writes only within them
(:func:`app.services.access.check_edit`); both checks run in the write's own transaction.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from app.api.deps import EditorDep, StoreDep, WriterDep, write_source
from app.api.filters import QueryFilters, RelTypesQuery, request_error
from app.api.models import MAX_PAGE, ErrorOut, OrganizationIn
from app.api.versioning import (
    VERSIONED,
    IfMatch,
    IfNoneMatch,
    etag_header,
    put_answers,
    tagged,
    written,
)
from app.domain import Organization
from app.results import DeleteResult, EgoGraph, OrganizationsPage, TiesPage
from app.services import access, editing, explore, versions

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
_ETAG = etag_header("organization")


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


@router.get("/{org_id:path}/relationships", response_model=TiesPage, responses=_NOT_FOUND)
def organization_ties(
    store: StoreDep,
    org_id: OrgId,
    offset: Annotated[int, Query(ge=0, le=2**31, description="skip this many ties")] = 0,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="ties to return")] = 200,
) -> TiesPage:
    """The organization's relationships, cluster memberships first, then by type and the
    other end's name, each with that end (its id, name and kind); ``by_type`` counts them
    all (404 if there is no organization with this id)."""
    return explore.ties_of(store, org_id, offset=offset, limit=limit)


@router.get(
    "/{org_id:path}",
    response_model=Organization,
    responses={**_NOT_FOUND, 200: {"headers": _ETAG}},
)
def get_organization(store: StoreDep, org_id: OrgId, response: Response) -> Organization:
    """One organization (404 if there is none with this id), its version as ``ETag``."""
    return tagged(response, explore.get_organization(store, org_id))


@router.put(
    "/{org_id:path}",
    response_model=Organization,
    responses=put_answers(Organization, "organization", VERSIONED),
)
def put_organization(
    store: WriterDep,
    person: EditorDep,
    org_id: OrgId,
    body: OrganizationIn,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
    if_none_match: IfNoneMatch = None,
) -> Organization:
    """Create (201) or replace (200) an organization; its relationships stay.

    Replacing needs ``If-Match`` with the ETag last read (428 without; 409 with the current
    record if it changed since). The body's ``id``, when given, must be the path's (else
    422); an organization cannot change kind (409: delete it first). An editor with clusters
    replaces only their clusters and members (else 403) but may create organizations. The
    change set that records it is in the ``X-EcoMap-Change`` header (none when nothing
    changed).
    """
    if body.id is not None and body.id != org_id:
        message = f"the body's id {body.id!r} is not the path's id {org_id!r}"
        error = {"loc": ("body", "id"), "msg": message, "type": "value_error"}
        raise RequestValidationError([error])
    access.check_edit(person, store, org_ids=[org_id])
    versions.check_organization_version(
        store, org_id, if_match=if_match, if_none_match=if_none_match
    )
    try:
        org, created, change_id = editing.put_organization(
            store,
            org_id,
            body.model_dump(exclude={"id"}),
            author=person.name,
            source=write_source(request),
        )
    except ValidationError as exc:
        raise request_error(exc, ("body",)) from None
    written(response, org, change_id, created=created)
    return org


@router.delete("/{org_id:path}", response_model=DeleteResult, responses={**_NOT_FOUND, **VERSIONED})
def delete_organization(
    store: WriterDep, person: EditorDep, org_id: OrgId, request: Request, if_match: IfMatch = None
) -> DeleteResult:
    """Delete an organization and its relationships, which the answer lists (404 if there
    is none); needs ``If-Match`` with its ETag (428 without, 409 if it changed since)."""
    access.check_edit(person, store, org_ids=[org_id])
    versions.check_organization_version(store, org_id, if_match=if_match, creates=False)
    deleted = editing.delete_organizations(
        store, [org_id], author=person.name, source=write_source(request)
    )
    return DeleteResult.of(deleted)


@router.post(
    "/{org_id:path}/confirm",
    response_model=Organization,
    responses={**_NOT_FOUND, 200: {"headers": _ETAG}, **VERSIONED},
)
def confirm_organization(
    store: WriterDep,
    person: EditorDep,
    org_id: OrgId,
    request: Request,
    response: Response,
    if_match: IfMatch = None,
) -> Organization:
    """Confirm the organization as right (= ``ecomap confirm ID``): ``verified_at`` becomes
    now and ``verified_by`` the person; nothing else changes.

    Needs ``If-Match`` with the ETag of the version the person checked (428 without; 409
    with the current record if it changed since); 404 if there is none with this id. The
    same people may confirm as may replace it (403 otherwise). The change set is in the
    ``X-EcoMap-Change`` header; the answer is the record with its new ``ETag``.
    """
    access.check_edit(person, store, org_ids=[org_id])
    versions.check_organization_version(store, org_id, if_match=if_match, creates=False)
    confirmed = editing.confirm_organizations(
        store, [org_id], author=person.name, source=write_source(request)
    )
    org = confirmed.organizations[0]
    written(response, org, confirmed.change_id)
    return org
