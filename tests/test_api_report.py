"""``POST /api/report``: the report of the filters as an HTML attachment, the same page as
``ecomap report`` makes, drawn in a worker process when there is a pool, and bounded like
every heavy route (timeout, work budget)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from test_report import Page

from app.api import create_app
from app.filters import FilterSpec
from app.services.report_page import ReportOptions, build_report_page
from app.settings import Settings
from app.store.embedded import EmbeddedStore

FASHION = "cl-valmora-fashion"


@pytest.fixture(scope="module")
def client(sample_store: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(Settings(api_key=None), store=sample_store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def test_report_of_the_filters_is_an_attachment(
    client: TestClient, sample_store: EmbeddedStore
) -> None:
    body = {"filters": {"clusters": [FASHION]}, "title": "Fashion <district> / 2025", "top": 4}
    response = client.post("/api/report", json=body)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    disposition = response.headers["content-disposition"]
    assert disposition == 'attachment; filename="fashion-district-2025.html"'
    members = len(sample_store.subgraph(FilterSpec(clusters=[FASHION])).graph)
    assert int(response.headers["x-ecomap-organizations"]) == members
    page = Page(response.text)
    assert page.headings["h1"] == "Fashion <district> / 2025"
    assert len(page.body_rows("links")) == 4
    scope = " ".join("".join(page.texts).split())
    assert "cluster: Valmora Fashion & Textile District" in scope
    # the same page as ecomap report makes (the day aside, it is today in both)
    options = ReportOptions(title=body["title"], top_n=4)
    alone = build_report_page(sample_store, FilterSpec(clusters=[FASHION]), options)
    assert response.text == alone.html


def test_map_options_and_no_map(client: TestClient) -> None:
    with_map = client.post("/api/report", json={"color_by": "sector", "layout": "geo"})
    assert with_map.status_code == 200
    page = Page(with_map.text)
    assert len(page.iframes()) == 1
    assert "Colour: sector (NACE section)" in with_map.text
    without = client.post("/api/report", json={"include_map": False})
    assert Page(without.text).iframes() == []


@pytest.mark.parametrize(
    "body",
    [
        {"color_by": "mood"},
        {"top": 0},
        {"title": ""},
        {"filters": {"kinds": ["nope"]}},
        {"unknown": 1},
    ],
)
def test_invalid_bodies_are_422(client: TestClient, body: dict[str, Any]) -> None:
    response = client.post("/api/report", json=body)
    assert response.status_code == 422
    assert response.json()["type"] == "invalid_request"


def test_report_is_bounded(sample_store: EmbeddedStore) -> None:
    timed = create_app(Settings(api_key=None, query_timeout_s=0.001), store=sample_store)
    with TestClient(timed, raise_server_exceptions=False) as client:
        response = client.post("/api/report", json={})
        assert response.status_code == 504 and response.json()["type"] == "query_timeout"
    budget = create_app(Settings(api_key=None, analysis_budget=1000), store=sample_store)
    with TestClient(budget, raise_server_exceptions=False) as client:
        response = client.post("/api/report", json={"size_by": "harmonic"})
        assert response.status_code == 413 and response.json()["type"] == "budget_exceeded"


def test_report_is_drawn_in_a_worker_process(
    client: TestClient, sample_store: EmbeddedStore
) -> None:
    body = {"filters": {"clusters": [FASHION]}, "include_map": True}
    expected = client.post("/api/report", json=body)
    app = create_app(Settings(api_key=None, analytics_workers=1), store=sample_store)
    with TestClient(app) as pooled:
        pool = app.state.analytics
        submitted: list[str] = []
        submit = pool.submit

        def spy(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            submitted.append(f"{fn.__module__}.{fn.__qualname__}")
            return submit(fn, *args, **kwargs)

        pool.submit = spy
        answer = pooled.post("/api/report", json=body)
    assert submitted == ["app.services.report_page.draw_report_page"]
    assert answer.status_code == expected.status_code == 200
    assert answer.text == expected.text
