"""Limits and store failures through the real API app: numbers out of range are 422, a
statement over ECOMAP_QUERY_TIMEOUT_S is 504, a database held by another process is 503."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from csvdata import ORG_HEADER
from fastapi.testclient import TestClient

from app.api import create_app
from app.errors import QueryTimeoutError, StaleReadError, StoreBusyError, StoreError
from app.settings import Settings
from app.store.embedded import EmbeddedStore

WriteCsv = Callable[[str, str], Path]
HUGE = "99999999999999999999999"

#: What a page of the explorer sends with its requests (an upload needs it).
CSRF = {"X-EcoMap-CSRF": "1"}


@pytest.fixture
def client(store: EmbeddedStore, tiny_ecosystem: tuple[Path, Path]) -> Iterator[TestClient]:
    """The tiny ecosystem, no API key, ``ECOMAP_QUERY_TIMEOUT_S`` of 7 seconds."""
    app = create_app(Settings(api_key=None, query_timeout_s=7), store=store)
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as test_client:
        files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in tiny_ecosystem]
        assert test_client.post("/api/import", files=files).status_code == 200
        yield test_client


def error(response: Any, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert "Traceback" not in response.text
    body: dict[str, Any] = response.json()
    assert body["type"] == error_type, body
    return body


def test_import_of_an_overflowing_number_is_422_located(
    client: TestClient, write_csv: WriteCsv
) -> None:
    orgs = write_csv("organizations.csv", f"{ORG_HEADER}\nbig,Big,company,,,,,,,,,{HUGE},,,\n")
    files = [("files", (orgs.name, orgs.read_bytes(), "text/csv"))]
    body = error(client.post("/api/import", files=files), 422, "invalid_import")
    [problem] = body["problems"]
    assert (problem["file"], problem["line"], problem["column"]) == (
        "organizations.csv",
        2,
        "employees",
    )
    assert client.get("/api/organizations/big").status_code == 404  # nothing was written


def test_put_of_an_overflowing_number_is_422(client: TestClient) -> None:
    body = {"id": "big", "name": "Big", "kind": "company", "employees": int(HUGE)}
    error(client.put("/api/organizations/big", json=body), 422, "invalid_request")


@pytest.mark.parametrize("field", ["min_employees", "max_employees", "founded_from", "founded_to"])
def test_huge_filter_numbers_are_422(client: TestClient, field: str) -> None:
    error(client.get("/api/organizations", params={field: HUGE}), 422, "invalid_request")
    body = {"filters": {field: int(HUGE)}}
    found = error(client.post("/api/analytics/health", json=body), 422, "invalid_request")
    assert any(field in e["loc"] for e in found["errors"]), found


def _raise(exc: Exception) -> Callable[..., Any]:
    def service(*args: Any, **kwargs: Any) -> Any:
        raise exc

    return service


def test_query_timeout_is_504(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    timeout = QueryTimeoutError(7)
    monkeypatch.setattr("app.api.routes.analytics.health_of", _raise(timeout))
    body = error(client.post("/api/analytics/health", json={}), 504, "query_timeout")
    assert "7 s" in body["detail"] and "ECOMAP_QUERY_TIMEOUT_S" in body["detail"]


def test_busy_store_is_503(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    busy = StoreBusyError("/secret/path/eco.lbug is open for writing in process 4242")
    monkeypatch.setattr("app.api.routes.analytics.health_of", _raise(busy))
    body = error(client.post("/api/analytics/health", json={}), 503, "store_busy")
    assert "/secret/path" not in body["detail"]


def test_other_store_errors_stay_store_unavailable(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.api.routes.analytics.health_of", _raise(StoreError("boom")))
    error(client.post("/api/analytics/health", json={}), 503, "store_unavailable")


def test_stale_read_is_503_with_retry_after(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stale = StaleReadError("the ecosystem changed while it was being read; please try again")
    monkeypatch.setattr("app.api.routes.analytics.health_of", _raise(stale))
    answer = client.post("/api/analytics/health", json={})
    body = error(answer, 503, "store_changed")
    assert answer.headers["retry-after"] == "1" and "try again" in body["detail"]
