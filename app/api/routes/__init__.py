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
    imports,
    maps,
    organizations,
    stats,
)

__all__ = ["api_router", "page_router"]

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for _module in (health, stats, organizations, graph, analytics, maps, export, imports):
    api_router.include_router(_module.router)

page_router = explorer.router
