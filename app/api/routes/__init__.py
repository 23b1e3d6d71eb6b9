"""The routers of the HTTP API, one per resource, all under ``/api``; the explorer page
at ``/``, and the API reference at ``/redoc`` (``/docs``: :func:`app.api.create_app`).

Every data route needs a reader (:func:`app.api.deps.require_reader`: a role when
``ECOMAP_REQUIRE_AUTH_FOR_READS`` is set); ``/api/health`` and ``/api/me`` never do."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.deps import require_reader
from app.api.models import ERROR_RESPONSES
from app.api.routes import (
    analytics,
    docs,
    explorer,
    export,
    graph,
    health,
    history,
    imports,
    maps,
    organizations,
    people,
    relationships,
    report,
    selection,
    stats,
    suggestions,
    views,
)

__all__ = ["api_router", "page_router"]

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for _module in (health, people):
    api_router.include_router(_module.router)
# history before organizations: its /organizations/{id}/history would otherwise be read as
# the id "{id}/history" (organization ids may hold a "/").
_ROUTERS = (
    stats,
    selection,
    history,
    organizations,
    relationships,
    graph,
    analytics,
    suggestions,
    views,
    maps,
    report,
    export,
)
for _module in (*_ROUTERS, imports):
    api_router.include_router(_module.router, dependencies=[Depends(require_reader)])

page_router = APIRouter()
for _module in (explorer, docs):
    page_router.include_router(_module.router)
