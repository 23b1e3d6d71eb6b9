"""History: ``GET /api/history``, ``GET /api/organizations/{id}/history`` and
``POST /api/history/{id}/revert`` (= ``ecomap history`` and ``ecomap revert``).

Listings are newest first and capped (``limit``); ``X-EcoMap-Truncated: true`` says older
change sets were left out, ``X-EcoMap-Changes-Cut: 7=1595189`` that change set 7 shows only
its first :data:`~app.services.history.CHANGES_SHOWN` changes of 1,595,189.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from app.api.deps import CHANGE_HEADER, EditorDep, StoreDep, WriterDep
from app.api.models import ErrorOut
from app.results import History, Reverted
from app.services import access, history

__all__ = ["router"]

router = APIRouter(tags=["history"])

TRUNCATED_HEADER = "X-EcoMap-Truncated"
#: The change sets shown with only their first changes: ``ID=ALL, ...``.
CHANGES_HEADER = "X-EcoMap-Changes-Cut"
Limit = Annotated[int, Query(ge=1, le=history.HISTORY_LIMIT, description="change sets to return")]
Since = Annotated[
    datetime | None, Query(description="from this ISO date or time on (no zone: UTC)")
]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _listed(page: history.HistoryPage, response: Response) -> History:
    if page.more:
        response.headers[TRUNCATED_HEADER] = "true"
    if page.trimmed:
        response.headers[CHANGES_HEADER] = ", ".join(f"{i}={n}" for i, n in page.trimmed.items())
    return History(page.change_sets)


@router.get("/history", response_model=History)
def list_history(
    store: StoreDep,
    response: Response,
    entity: Annotated[
        str | None,
        Query(max_length=500, description='an organization id or "SOURCE TYPE TARGET"'),
    ] = None,
    since: Since = None,
    limit: Limit = 20,
) -> History:
    """Change sets, newest first: who changed what, when, from where."""
    found = history.history(store, entity=entity, since=_iso(since), limit=limit)
    return _listed(found, response)


@router.get("/organizations/{org_id:path}/history", response_model=History)
def organization_history(
    store: StoreDep,
    response: Response,
    org_id: Annotated[str, Path(min_length=1, max_length=200)],
    since: Since = None,
    limit: Limit = 20,
) -> History:
    """The changes of one organization and of its ties, newest first."""
    found = history.history(store, entity=org_id, since=_iso(since), limit=limit)
    return _listed(found, response)


@router.post(
    "/history/{change_id}/revert",
    response_model=Reverted,
    responses={404: {"model": ErrorOut}, 409: {"model": ErrorOut}},
)
def revert_change(
    store: WriterDep,
    person: EditorDep,
    response: Response,
    change_id: Annotated[int, Path(ge=1, le=2**62)],
) -> Reverted:
    """Undo a change set by a new one (``{"change_id": N}``; None if nothing changed); 409
    naming the conflicts when later changes touched the same fields. An editor with
    clusters reverts only change sets within their scope (else 403)."""
    access.check_revert(person, store, change_id)
    new_id = history.revert(store, change_id, author=person.name)
    if new_id is not None:
        response.headers[CHANGE_HEADER] = str(new_id)
    return Reverted(change_id=new_id)
