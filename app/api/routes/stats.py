"""``GET /api/stats``: what ``ecomap stats --json`` prints."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.domain import StoreCounts
from app.services import explore

__all__ = ["router"]

router = APIRouter(tags=["explore"])


@router.get("/stats", response_model=StoreCounts)
def stats(store: StoreDep) -> StoreCounts:
    """Organizations and relationships, in all, by kind and by type."""
    return explore.stats(store)
