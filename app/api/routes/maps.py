"""``POST /api/maps``: the interactive map of ``ecomap map``, as one HTML page, computed
bounded (:func:`~app.api.bounded.run_heavy`) and within the analysis work budget.

The request's read session fetches the graph (:func:`~app.services.maps.fetch_map_graph`);
everything else (metrics, communities, aggregation, layout, the page) runs in one of the
analytics worker processes (:func:`~app.api.bounded.in_workers`), so that a large map holds
neither the server's interpreter lock nor its memory.
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.bounded import in_workers, run_heavy
from app.api.deps import cached_facets
from app.api.models import HTML_ERROR_RESPONSES, MapRequest
from app.services import maps
from app.services.maps import MapOptions, MapResult
from app.store.base import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["maps"])

_COUNT = {"schema": {"type": "string", "pattern": "^[0-9]+$"}}


@router.post(
    "/maps",
    response_class=HTMLResponse,
    responses={
        **HTML_ERROR_RESPONSES,
        200: {
            "content": {"text/html": {"schema": {"type": "string"}}},
            "headers": {
                "X-EcoMap-Organizations": {**_COUNT, "description": "organizations selected"},
                "X-EcoMap-Drawn-Nodes": {**_COUNT, "description": "circles drawn"},
                "X-EcoMap-Drawn-Edges": {**_COUNT, "description": "lines drawn"},
            },
        },
    },
)
async def draw_map(request: Request, body: MapRequest) -> HTMLResponse:
    """A self-contained page (works offline) drawing the filtered network. Headers
    ``X-EcoMap-Organizations``, ``-Drawn-Nodes``, ``-Drawn-Edges`` say what it shows.

    A category has the same colour in every map of the same data (its rank among all the
    data's categories, as the explorer's filter lists count them)."""
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
        drill=tuple(body.drill),
    )

    budget = request.app.state.settings.budget

    def compute(store: GraphStore, analytics: Executor | None) -> MapResult:
        order = maps.color_order(cached_facets(request.app.state.cache, store), body.color_by)
        fetched = maps.fetch_map_graph(store, body.filters, options)
        drawing = dataclasses.replace(options, color_order=order)
        # The worker draws on its own: draw_map's executor stays None (no nested pool use).
        return in_workers(analytics, maps.draw_map, fetched, drawing, budget=budget)

    result = await run_heavy(request, body.model_dump_json(), compute)
    headers = {
        "X-EcoMap-Organizations": str(result.organizations),
        "X-EcoMap-Drawn-Nodes": str(result.drawn_nodes),
        "X-EcoMap-Drawn-Edges": str(result.drawn_edges),
    }
    return HTMLResponse(result.html, headers=headers)
