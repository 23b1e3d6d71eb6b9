"""``GET /``: the explorer page (:mod:`app.web`), its filter values read from the store."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.api.deps import MemoDep, StoreDep
from app.api.models import HTML_ERROR_RESPONSES
from app.services.facets import facets
from app.web import render_explorer

__all__ = ["router"]

router = APIRouter(tags=["explorer"])


@router.get("/", response_class=HTMLResponse, responses=HTML_ERROR_RESPONSES)
def explorer(store: StoreDep, memo: MemoDep) -> HTMLResponse:
    """Filters, map and analyses on one page; it calls the JSON API."""
    return HTMLResponse(render_explorer(memo("facets", lambda: facets(store))))
