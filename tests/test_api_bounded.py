"""Heavy reads are bounded: a timeout (504), a cap on concurrent computations (503 with
Retry-After), a work budget (413), cache keys that extra parameters cannot multiply, and
cancellation when the client goes away; on the shared sample store (only read)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from api_answers import post_scope, refused
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.api import create_app
from app.settings import Settings
from app.store.embedded import EmbeddedStore


@pytest.fixture
def app(sample_store: EmbeddedStore) -> FastAPI:
    return create_app(Settings(api_key=None, analytics_workers=0), store=sample_store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_analysis_longer_than_the_timeout_is_504(sample_store: EmbeddedStore) -> None:
    app = create_app(Settings(api_key=None, query_timeout_s=0.001), store=sample_store)
    with TestClient(app, raise_server_exceptions=False) as client:
        body = refused(client.post("/api/analytics/centrality", json={}), 504, "query_timeout")
        assert "ECOMAP_QUERY_TIMEOUT_S" in body["detail"]
        refused(client.post("/api/maps", json={}), 504, "query_timeout")
        assert client.get("/api/health").status_code == 200


def test_beyond_the_heavy_slots_is_503_with_retry_after(app: FastAPI, client: TestClient) -> None:
    body = {"metrics": ["degree"], "top": 3}
    slots = app.state.heavy
    slots.wait_s = 0.3  # the wait for a free slot, cut short for the test
    taken = [slots.acquire() for _ in range(slots.limit)]
    try:
        busy = client.post("/api/analytics/centrality", json=body)
        refused(busy, 503, "server_busy")
        assert busy.headers["Retry-After"] == "5"
    finally:
        taken.pop()()
    assert client.post("/api/analytics/centrality", json=body).status_code == 200
    taken.append(slots.acquire())
    try:  # a computed result needs no slot
        assert client.post("/api/analytics/centrality", json=body).status_code == 200
    finally:
        for release in taken:
            release()


def test_analysis_over_the_work_budget_is_413(app: FastAPI, client: TestClient) -> None:
    app.state.settings = Settings(api_key=None, analytics_workers=0, analysis_budget=1000)
    body = refused(
        client.post("/api/analytics/centrality", json={"metrics": ["closeness"]}),
        413,
        "budget_exceeded",
    )
    assert "closeness" in body["detail"] and "narrow the filters" in body["detail"]
    assert client.post("/api/analytics/centrality", json={"metrics": ["degree"]}).status_code == 200
    refused(client.post("/api/maps", json={"size_by": "harmonic"}), 413, "budget_exceeded")


def test_parameters_that_cannot_change_a_result_make_no_new_work(
    app: FastAPI, client: TestClient
) -> None:
    for seed, top in [(1, 3), (2, 3), (3, 5), (4, 7)]:
        body = {"metrics": ["pagerank", "degree"], "seed": seed, "top": top}
        data = client.post("/api/analytics/centrality", json=body).json()
        assert list(data) == ["pagerank", "degree"] and len(data["degree"]) == top
    assert len(app.state.cache) == 1
    for junk in range(3):
        answer = client.post(
            f"/api/subgraph?junk={junk}", json={"clusters": ["cl-valmora-digital"]}
        )
        assert answer.status_code == 200
    assert len(app.state.cache) == 2
    first = client.post("/api/analytics/brokerage", json={"top": 2}).json()["organizations"]
    more = client.post("/api/analytics/brokerage", json={"top": 4}).json()["organizations"]
    assert more[:2] == first and len(app.state.cache) == 3


def test_analysis_is_cancelled_when_the_client_goes_away(app: FastAPI) -> None:
    """The client disconnects right after its request: the work stops, nothing is cached."""
    body = json.dumps({"metrics": ["closeness", "harmonic", "betweenness"]}).encode()
    messages = [
        {"type": "http.request", "body": body, "more_body": False},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:  # as uvicorn: a disconnect is there at once
        return messages.pop(0) if len(messages) > 1 else messages[0]

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = post_scope(
        "/api/analytics/centrality",
        [(b"host", b"localhost"), (b"content-type", b"application/json")],
    )
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 499
    assert app.state.inflight.drain(timeout=60)  # stopped at its next checkpoint
    assert len(app.state.cache) == 0
