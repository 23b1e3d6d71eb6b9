"""``GET /api/health``: is the API up, and on which backend."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import ServedDep
from app.api.models import HealthOut

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/health", response_model=HealthOut)
def health(store: ServedDep) -> HealthOut:
    """The API answers; ``backend`` is ``embedded`` or ``neo4j``."""
    return HealthOut(status="ok", backend=store.backend)
