"""Reads keep answering, and answer correctly, while an import runs.

Each read request has its own read session (with LadybugDB, a pooled connection inside one
read-only transaction, see ``app.store.embedded_sessions``): it sees the store either before
the import or after it, never half of it, and never waits for it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.api import create_app
from app.services.generate import generate_ecosystem, write_ecosystem_csv
from app.services.sample import load_sample
from app.settings import Settings
from app.store.embedded import EmbeddedStore

#: What a page of the explorer sends with its requests (an upload needs it).
CSRF = {"X-EcoMap-CSRF": "1"}


@pytest.fixture
def loaded(store: EmbeddedStore) -> EmbeddedStore:
    load_sample(store)
    return store


@pytest.fixture
def client(loaded: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(Settings(api_key=None), store=loaded)
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as test_client:
        yield test_client


def test_reads_see_before_or_after_an_import_never_between(
    client: TestClient, loaded: EmbeddedStore, tmp_path: Path
) -> None:
    before = client.get("/api/stats").json()
    orgs, rels = write_ecosystem_csv(generate_ecosystem(6000, seed=3), tmp_path / "big")
    expected_nodes = before["nodes"] + 6000
    outcome: dict[str, object] = {}

    def run_import() -> None:
        files = [("files", (p.name, p.read_bytes(), "text/csv")) for p in (orgs, rels)]
        outcome["response"] = client.post("/api/import", files=files)
        outcome["finished"] = time.monotonic()

    worker = threading.Thread(target=run_import)
    started = time.monotonic()
    worker.start()
    seen: list[tuple[float, dict[str, object]]] = []
    while worker.is_alive() or not seen:
        stats = client.get("/api/stats")
        page = client.get("/api/organizations", params={"limit": 5})
        assert stats.status_code == 200 and page.status_code == 200, (stats.text, page.text)
        assert len(page.json()["items"]) == 5
        seen.append((time.monotonic(), stats.json()))
    worker.join()
    response = outcome["response"]
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    after = client.get("/api/stats").json()
    assert after["nodes"] == expected_nodes
    # Every answer is the whole state before or after: never a mix, never an error.
    assert all(counts in (before, after) for _, counts in seen), seen
    during = [t for t, _ in seen if started < t < outcome["finished"]]  # type: ignore[operator]
    assert len(during) >= 3, f"only {len(during)} reads while the import ran"


def test_writes_take_turns(client: TestClient) -> None:
    """Concurrent PUTs are serialized by the write lock and all land (each on a fresh
    connection: one long-lived writing connection would exhaust the buffer pool)."""
    errors: list[str] = []
    before = client.get("/api/stats").json()["nodes"]

    def put(i: int) -> None:
        body = {"name": f"Org {i}", "kind": "company"}
        response = client.put(f"/api/organizations/new-{i}", json=body)
        if response.status_code != 201:
            errors.append(response.text)

    threads = [threading.Thread(target=put, args=(i,)) for i in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert client.get("/api/stats").json()["nodes"] == before + 24
    assert client.get("/api/organizations/new-23").json()["name"] == "Org 23"
