"""``POST /api/maps``: the interactive map of ``ecomap map``, as one HTML page."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse

from app.api.deps import MemoDep, StoreDep
from app.api.models import MapRequest
from app.services.maps import MapOptions, build_map

__all__ = ["router"]

router = APIRouter(tags=["maps"])


@router.post("/maps", response_class=HTMLResponse)
def draw_map(store: StoreDep, memo: MemoDep, body: MapRequest) -> HTMLResponse:
    """A self-contained page (works offline) drawing the filtered network. Headers
    ``X-EcoMap-Organizations``, ``-Drawn-Nodes``, ``-Drawn-Edges`` say what it shows."""
    options = MapOptions(
        color_by=body.color_by,
        size_by=body.size_by,
        layout=body.layout,
        max_nodes=body.max_nodes,
        aggregate_by=body.aggregate,
        view=body.view,
        labels=body.labels,
        seed=body.seed,
        title=body.title,
        include_clusters=body.include_clusters,
    )
    result = memo(body, lambda: build_map(store, body.filters, options))
    headers = {
        "X-EcoMap-Organizations": str(result.organizations),
        "X-EcoMap-Drawn-Nodes": str(result.drawn_nodes),
        "X-EcoMap-Drawn-Edges": str(result.drawn_edges),
    }
    return HTMLResponse(result.html, headers=headers)
