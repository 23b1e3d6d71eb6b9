"""The graph: the subgraph of a FilterSpec, and shortest paths between two organizations."""

from __future__ import annotations

from concurrent.futures import Executor
from typing import Annotated

from fastapi import APIRouter, Query, Request

from app.api.bounded import run_heavy
from app.api.deps import StoreDep
from app.api.filters import RelTypesQuery
from app.api.models import ErrorOut, Filters
from app.results import GraphData, Paths
from app.services import explore
from app.store.base import GraphStore

__all__ = ["router"]

router = APIRouter(tags=["graph"])

_Id = Annotated[str, Query(min_length=1, max_length=200)]


@router.post("/subgraph", response_model=GraphData)
async def subgraph(
    request: Request,
    spec: Filters,
    include_clusters: Annotated[bool, Query(description="also return Cluster nodes")] = False,
) -> GraphData:
    """The organizations the filters select and the relationships among them, in node-link
    form; at most ``limit`` organizations (the store's cap when absent), ``truncated`` when
    the cap cut the selection."""

    def compute(store: GraphStore, analytics: Executor | None) -> GraphData:
        return explore.subgraph_answer(
            explore.subgraph(store, spec, include_clusters=include_clusters)
        )

    key = (spec.model_dump_json(), include_clusters)
    return await run_heavy(request, key, compute)


@router.get("/path", response_model=Paths, responses={404: {"model": ErrorOut}})
def path(
    store: StoreDep,
    source: _Id,
    target: _Id,
    rel_types: RelTypesQuery,
    max_length: Annotated[int, Query(ge=1, le=10, description="longest path to look for")] = 6,
    include_clusters: Annotated[bool, Query(description="walk through clusters")] = False,
    limit: Annotated[int, Query(ge=1, le=1000, description="paths to return")] = 20,
) -> Paths:
    """Every shortest path between two organizations (= ``ecomap path A B --json``)."""
    result = explore.shortest_paths(
        store,
        source,
        target,
        max_length=max_length,
        rel_types=rel_types,
        include_clusters=include_clusters,
        limit=limit,
    )
    return explore.paths_answer(result)
