"""Analytics of the filtered organization network: the JSON of ``ecomap analyze ... --json``
and ``ecomap links --json``, from the same service functions.

Each analysis runs bounded (:func:`~app.api.bounded.run_heavy`: timeout, cancellation when
the client goes away, a cap on concurrent computations, memory given back) and within the
work budget ``ECOMAP_ANALYSIS_BUDGET`` (413 ``budget_exceeded``): the network is read in the
request's read session, the analysis runs in a worker process (centrality and Leiden hand
their compiled part to the pool themselves), and the answer is validated against the route's
``response_model`` (:mod:`app.results`). Its
result is cached under the parameters that can change it: rankings are computed at
:data:`~app.api.models.MAX_TOP` and cut to ``top`` afterwards, list options are sorted, and
the seed of a centrality counts only when betweenness is asked for (the other metrics are
deterministic).
"""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Any

from fastapi import APIRouter, Request

from app.api.bounded import in_workers, run_heavy
from app.api.models import (
    MAX_TOP,
    BrokerageRequest,
    CentralityRequest,
    CommunitiesRequest,
    ErrorOut,
    HealthRequest,
    LinksRequest,
)
from app.results import Brokerage, Centrality, Communities, Health, Links
from app.services.analyze import (
    brokerage_of,
    centrality_of,
    communities_of,
    fetch_members,
    fetch_network,
    health_of,
)
from app.services.links import links_of
from app.services.suggestions import dismissed_pairs
from app.store.base import GraphStore
from graph_analytics import METRICS

__all__ = ["router"]

router = APIRouter(prefix="/analytics", tags=["analytics"])


def _key(body: Any, **normalized: Any) -> str:
    """The cache key of a request body, with some fields replaced by normalized values."""
    data = body.model_dump(mode="json", by_alias=False)
    data.update(normalized)
    return repr(sorted(data.items()))


@router.post("/centrality", response_model=Centrality)
async def centrality(request: Request, body: CentralityRequest) -> Centrality:
    """Central actors: the ``top`` organizations by each metric (default: every metric)."""
    metrics = sorted(set(body.metrics or METRICS))
    seeded = "betweenness" in metrics

    def compute(store: GraphStore, analytics: Executor | None) -> Centrality:
        report, _notes = centrality_of(
            fetch_network(store, body.filters),
            metrics=metrics,
            top_n=MAX_TOP,
            k=body.k,
            seed=body.seed,
            executor=analytics,
            budget=request.app.state.settings.budget,
        )
        return report

    sampled = {"seed": body.seed, "k": body.k} if seeded else {"seed": None, "k": None}
    ranked = await run_heavy(request, _key(body, metrics=metrics, top=None, **sampled), compute)
    order = dict.fromkeys(body.metrics or METRICS)
    return Centrality({m: ranked.root[m][: body.top] for m in order if m in ranked.root})


@router.post("/communities", response_model=Communities)
async def communities(request: Request, body: CommunitiesRequest) -> Communities:
    """Detected communities, modularity, and agreement with the declared clusters."""

    def compute(store: GraphStore, analytics: Executor | None) -> Communities:
        return communities_of(
            fetch_network(store, body.filters),
            algorithm=body.algorithm,
            resolution=body.resolution,
            seed=body.seed,
            executor=analytics,
        )

    return await run_heavy(request, _key(body), compute)


@router.post("/brokerage", response_model=Brokerage)
async def brokerage(request: Request, body: BrokerageRequest) -> Brokerage:
    """Brokers: Gould-Fernandez roles between groups and Burt's structural holes."""

    def compute(store: GraphStore, analytics: Executor | None) -> Brokerage:
        network = fetch_network(store, body.filters)
        return in_workers(
            analytics, brokerage_of, network, group_by=body.group_by, top_n=MAX_TOP, seed=body.seed
        )

    seed = body.seed if body.group_by == "community" else None
    report = await run_heavy(request, _key(body, top=None, seed=seed), compute)
    return report.model_copy(update={"organizations": report.organizations[: body.top]})


@router.post("/health", response_model=Health)
async def health(request: Request, body: HealthRequest) -> Health:
    """Health of the selected organizations (a cluster: ``clusters: [id]``) in the network."""

    def compute(store: GraphStore, analytics: Executor | None) -> Health:
        whole, members = fetch_network(store), fetch_members(store, body.filters)
        return in_workers(analytics, health_of, whole, members, seed=body.seed)

    return await run_heavy(request, _key(body), compute)


@router.post("/links", response_model=Links, responses={404: {"model": ErrorOut}})
async def links(request: Request, body: LinksRequest) -> Links:
    """Missing links: pairs that should know each other, best first, with the reason;
    never a dismissed pair (``/api/suggestions``)."""

    def compute(store: GraphStore, analytics: Executor | None) -> Links:
        network, dismissed = fetch_network(store, body.filters), dismissed_pairs(store)
        return in_workers(
            analytics,
            links_of,
            network,
            org_id=body.org,
            method=body.method,
            top_n=body.top,
            within_cluster=body.within_cluster,
            from_groups=body.from_groups,
            to_groups=body.to_groups,
            exclude_pairs=dismissed,
        )

    groups = {
        "from_groups": sorted(set(body.from_groups)),
        "to_groups": sorted(set(body.to_groups)),
    }
    return await run_heavy(request, _key(body, **groups), compute)
