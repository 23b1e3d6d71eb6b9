"""``POST /api/report``: the one-page report of ``ecomap report`` for any selection, as an
HTML attachment, computed bounded (:func:`~app.api.bounded.run_heavy`) and within the
analysis work budget.

The request's read session fetches what the report needs
(:func:`~app.services.report_page.fetch_report_page`); the analyses, the map and the page
are made in one of the analytics worker processes (:func:`~app.api.bounded.in_workers`), as
``POST /api/maps`` makes its map.
"""

from __future__ import annotations

from concurrent.futures import Executor

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.api.bounded import in_workers, run_heavy
from app.api.models import HTML_ERROR_RESPONSES, ReportRequest
from app.services import report_page
from app.services.report_page import ReportOptions, ReportPage, report_filename
from app.store.base import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["report"])


@router.post(
    "/report",
    response_class=HTMLResponse,
    responses={
        **HTML_ERROR_RESPONSES,
        200: {
            "content": {"text/html": {"schema": {"type": "string"}}},
            "headers": {
                "Content-Disposition": {
                    "schema": {"type": "string"},
                    "description": 'attachment; filename="TITLE.html"',
                },
                "X-EcoMap-Organizations": {
                    "schema": {"type": "string", "pattern": "^[0-9]+$"},
                    "description": "organizations in the report's network",
                },
            },
        },
    },
)
async def report(request: Request, body: ReportRequest) -> HTMLResponse:
    """The report of the organizations the filters select (key figures, top actors,
    communities, cluster health, missing links and the map): one self-contained page,
    sent as an attachment named after its title."""
    options = ReportOptions(
        title=body.title,
        seed=body.seed,
        top_n=body.top,
        include_map=body.include_map,
        color_by=body.color_by,
        size_by=body.size_by,
        layout=body.layout,
    )
    budget = request.app.state.settings.budget

    def compute(store: GraphStore, analytics: Executor | None) -> ReportPage:
        fetched = report_page.fetch_report_page(store, body.filters, options)
        # The worker draws on its own (no nested use of the pool).
        return in_workers(analytics, report_page.draw_report_page, fetched, options, budget=budget)

    page = await run_heavy(request, body.model_dump_json(), compute)
    headers = {
        "Content-Disposition": f'attachment; filename="{report_filename(body.title)}"',
        "X-EcoMap-Organizations": str(page.organizations),
    }
    return HTMLResponse(page.html, headers=headers)
