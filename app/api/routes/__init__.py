"""The routers of the HTTP API, one per resource, all under ``/api``; and the explorer page
at ``/``."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.errors import ERROR_STATUSES
from app.api.models import ErrorOut
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

__all__ = ["ERROR_RESPONSES", "api_router", "page_router"]

#: Error answers any route may give (each route adds its own, e.g. 404).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in ERROR_STATUSES.items()
}

api_router = APIRouter(prefix="/api", responses=ERROR_RESPONSES)
for _module in (health, stats, organizations, graph, analytics, maps, export, imports):
    api_router.include_router(_module.router)

page_router = APIRouter(responses=ERROR_RESPONSES)
page_router.include_router(explorer.router)
