"""Analytics of the filtered organization network: the JSON of ``ecomap analyze ... --json``
and ``ecomap links --json``, from the same service functions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from app.api.deps import AnalyticsDep, MemoDep, StoreDep
from app.api.models import (
    BrokerageRequest,
    CentralityRequest,
    CommunitiesRequest,
    ErrorOut,
    HealthRequest,
    LinksRequest,
    LinkSuggestion,
)
from app.api.responses import ResultJSON
from app.services.analyze import (
    brokerage_report,
    centrality_report,
    communities_report,
    health_report,
    links_report,
)
from graph_analytics import METRICS

__all__ = ["router"]

router = APIRouter(prefix="/analytics", tags=["analytics"])


@router.post("/centrality", response_model=dict[str, list[dict[str, Any]]])
def centrality(
    store: StoreDep, memo: MemoDep, analytics: AnalyticsDep, body: CentralityRequest
) -> ResultJSON:
    """Central actors: the ``top`` organizations by each metric (default: every metric)."""

    def compute() -> Any:
        report, _notes = centrality_report(
            store,
            body.filters,
            metrics=body.metrics or list(METRICS),
            top_n=body.top,
            k=body.k,
            seed=body.seed,
            executor=analytics,
        )
        return report

    return ResultJSON(memo(body, compute))


@router.post("/communities", response_model=dict[str, Any])
def communities(
    store: StoreDep, memo: MemoDep, analytics: AnalyticsDep, body: CommunitiesRequest
) -> ResultJSON:
    """Detected communities, modularity, and agreement with the declared clusters."""
    return ResultJSON(
        memo(
            body,
            lambda: communities_report(
                store,
                body.filters,
                algorithm=body.algorithm,
                resolution=body.resolution,
                seed=body.seed,
                executor=analytics,
            ),
        )
    )


@router.post("/brokerage", response_model=dict[str, Any])
def brokerage(store: StoreDep, memo: MemoDep, body: BrokerageRequest) -> ResultJSON:
    """Brokers: Gould-Fernandez roles between groups and Burt's structural holes."""
    return ResultJSON(
        memo(
            body,
            lambda: brokerage_report(store, body.filters, group_by=body.group_by, top_n=body.top),
        )
    )


@router.post("/health", response_model=dict[str, Any])
def health(store: StoreDep, memo: MemoDep, body: HealthRequest) -> ResultJSON:
    """Health of the selected organizations (a cluster: ``clusters: [id]``) in the network."""
    return ResultJSON(memo(body, lambda: health_report(store, body.filters, seed=body.seed)))


@router.post("/links", response_model=list[LinkSuggestion], responses={404: {"model": ErrorOut}})
def links(store: StoreDep, memo: MemoDep, body: LinksRequest) -> ResultJSON:
    """Missing links: pairs that should know each other, best first, with the reason."""

    def compute() -> Any:
        return links_report(
            store,
            body.filters,
            org_id=body.org,
            method=body.method,
            top_n=body.top,
            within_cluster=body.within_cluster,
            from_groups=body.from_groups,
            to_groups=body.to_groups,
        )

    return ResultJSON(memo(body, compute))
