"""``GET /redoc``: the API reference drawn by ReDoc from the bundle that ``fastapi-offline``
ships (Swagger UI at ``/docs`` is served by ``fastapi_offline.FastAPIOffline`` itself).

ReDoc's side menu shows Redocly's logo from ``cdn.redoc.ly`` whatever its options say; the
bundle is served with that one address pointing at EcoMap's own icon instead, so the page
asks nothing of any other host.
"""

from __future__ import annotations

import functools
from importlib import resources

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_redoc_html
from fastapi.responses import HTMLResponse, Response

from app.web import FAVICON_URL

__all__ = ["REDOC_URL", "router"]

#: Where the ReDoc page is (``create_app`` turns off FastAPI's own, which uses a CDN).
REDOC_URL = "/redoc"
_BUNDLE_URL = "/redoc.standalone.js"
_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"

router = APIRouter(include_in_schema=False)


@functools.cache
def _bundle() -> str:
    shipped = resources.files("fastapi_offline").joinpath("static", "redoc.standalone.js")
    return shipped.read_text(encoding="utf-8").replace(_LOGO, FAVICON_URL)


@router.get(REDOC_URL)
def redoc(request: Request) -> HTMLResponse:
    """The API reference (ReDoc) of ``/openapi.json``."""
    root = request.scope.get("root_path", "")
    return get_redoc_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - ReDoc",
        redoc_js_url=f"{root}{_BUNDLE_URL}",
        redoc_favicon_url=f"{root}{FAVICON_URL}",
        with_google_fonts=False,
    )


@router.get(_BUNDLE_URL)
def redoc_bundle() -> Response:
    """ReDoc's standalone bundle, without its one request to another host."""
    return Response(
        _bundle(),
        media_type="text/javascript",
        headers={"Cache-Control": "max-age=86400"},
    )
