"""The routers of the HTTP API, one per resource, all under ``/api``; and the explorer page
at ``/``."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.models import ERROR_RESPONSES
from app.api.routes import (
    analytics,
    explorer,
    export,
    graph,
    health,
    history,
    imports,
    maps,
    organizations,
    relationships,
    stats,
)

__all__ = ["api_router", "page_router"]

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
# history before organizations: its /organizations/{id}/history would otherwise be read as
# the id "{id}/history" (organization ids may hold a "/").
_ROUTERS = (health, stats, history, organizations, relationships, graph, analytics, maps, export)
for _module in (*_ROUTERS, imports):
    api_router.include_router(_module.router)

page_router = explorer.router
