"""The routers of the HTTP API, one per resource, all under ``/api``; and the explorer page
at ``/``.

Every data route needs a reader (:func:`app.api.deps.require_reader`: a role when
``ECOMAP_REQUIRE_AUTH_FOR_READS`` is set); ``/api/health`` and ``/api/me`` never do."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from app.api.deps import require_reader
from app.api.models import ERROR_RESPONSES
from app.api.routes import (
    analytics,
    explorer,
    export,
    graph,
    health,
    imports,
    maps,
    organizations,
    people,
    stats,
)

__all__ = ["api_router", "page_router"]

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for _module in (health, people):
    api_router.include_router(_module.router)
for _module in (stats, organizations, graph, analytics, maps, export, imports):
    api_router.include_router(_module.router, dependencies=[Depends(require_reader)])

page_router = explorer.router
