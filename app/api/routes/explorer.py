"""``GET /``: the explorer page (:mod:`app.web`), its filter values read from the store.

A browser sends no token when it opens a page: when reads need one
(``ECOMAP_REQUIRE_AUTH_FOR_READS``), the page comes without any value of the data."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.api.deps import SettingsDep, StoreDep, cached_facets
from app.api.models import HTML_ERROR_RESPONSES
from app.services.facets import no_facets
from app.web import FAVICON_URL, favicon, render_explorer

__all__ = ["router"]

router = APIRouter(tags=["explorer"])


@router.get("/", response_class=HTMLResponse, responses=HTML_ERROR_RESPONSES)
def explorer(request: Request, store: StoreDep, settings: SettingsDep) -> HTMLResponse:
    """Filters, map and analyses on one page; it calls the JSON API."""
    if settings.require_auth_for_reads:
        return HTMLResponse(render_explorer(no_facets()))
    return HTMLResponse(render_explorer(cached_facets(request.app.state.cache, store)))


@router.get(FAVICON_URL, include_in_schema=False)
def icon() -> Response:
    """The icon of the explorer and of the documentation pages (SVG)."""
    return Response(
        favicon(), media_type="image/svg+xml", headers={"Cache-Control": "max-age=86400"}
    )
