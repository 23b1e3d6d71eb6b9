"""``GET /api/selection``: what the filters select, in one number, and why it may be empty.

The explorer asks it whenever the filters change: the count goes in its title bar and the
hints in its status line (the same ones ``ecomap`` prints on stderr)."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import StoreDep
from app.api.filters import QueryFilters
from app.results import Selection
from app.services import hints

__all__ = ["router"]

router = APIRouter(tags=["organizations"])


@router.get("/selection", response_model=Selection)
def selection(store: StoreDep, spec: QueryFilters) -> Selection:
    """How many organizations match the filters, and a hint for each filter value that no
    organization has (with the closest stored values) or for filters that match nothing
    together."""
    return hints.selection(store, spec)
