"""``/api/suggestions``: accept (the tie, its ETag and change set; 404, 409), dismiss, list and
restore dismissals, and ``POST /api/analytics/links`` leaving dismissed pairs out (its cached
answer too), on both backends. Who may call them is the role matrix's
(tests/test_api_roles.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import BACKENDS, tiny_store
from fastapi.testclient import TestClient

from app.api import create_app
from app.services import people
from app.settings import Settings

CSRF = {"X-EcoMap-CSRF": "1"}
#: The tiny ecosystem's suggestions (ra, each 1/3), smaller id first.
SUGGESTED = {("acme", "fund"), ("bolt", "cogs"), ("cogs", "polito"), ("fund", "polito")}


@pytest.fixture(params=BACKENDS)
def client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    """The tiny ecosystem on each backend, served with one editor, ana, whose token the
    client sends."""
    with tiny_store(request, request.param, tmp_path) as store:
        _, token = people.add_user(store, "ana", "editor")
        headers = CSRF | {"Authorization": f"Bearer {token}"}
        app = create_app(Settings(api_key=None), store=store)
        with TestClient(app, raise_server_exceptions=False, headers=headers) as test_client:
            yield test_client


def links(client: TestClient) -> set[tuple[str, str]]:
    answer = client.post("/api/analytics/links", json={"top": 100})
    assert answer.status_code == 200, answer.text
    return {(min(s["source"], s["target"]), max(s["source"], s["target"])) for s in answer.json()}


def error(answer: Any, status: int, kind: str) -> str:
    """The JSON error body every route answers with: its detail."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"detail", "type"} and body["type"] == kind, body
    return str(body["detail"])


def test_accept_creates_the_tie_with_its_evidence_and_change_set(client: TestClient) -> None:
    body = {"source": "fund", "target": "acme", "score": 1 / 3}
    answer = client.post("/api/suggestions/accept", json=body)
    assert answer.status_code == 201, answer.text
    rel = answer.json()
    assert (rel["source"], rel["type"], rel["target"]) == ("acme", "COLLABORATES_WITH", "fund")
    assert rel["evidence"] == "suggested by EcoMap: ra, score 0.333; accepted by ana"
    stored = client.get("/api/relationships/acme/COLLABORATES_WITH/fund")
    assert stored.json() == rel and stored.headers["ETag"] == answer.headers["ETag"]
    change = answer.headers["X-EcoMap-Change"]
    listed = client.get("/api/history", params={"limit": 1}).json()[0]
    assert str(listed["id"]) == change and listed["author"] == "ana"
    assert listed["source"] == "API POST /api/suggestions/accept"
    assert ("acme", "fund") not in links(client)
    assert "exists already" in error(
        client.post("/api/suggestions/accept", json=body), 409, "conflict"
    )
    reverted = client.post(f"/api/history/{change}/revert")
    assert reverted.status_code == 200, reverted.text
    assert client.get("/api/relationships/acme/COLLABORATES_WITH/fund").status_code == 404
    assert ("acme", "fund") in links(client)


def test_accept_a_typed_tie_and_its_refusals(client: TestClient) -> None:
    body = {"source": "cogs", "target": "bolt", "type": "SUPPLIES", "method": "cn", "score": 1}
    answer = client.post("/api/suggestions/accept", json=body)
    assert answer.status_code == 201, answer.text
    assert answer.json()["evidence"] == "suggested by EcoMap: cn, score 1; accepted by ana"
    assert answer.json()["source"] == "cogs"  # a directed tie keeps its direction
    unknown = {"source": "acme", "target": "nope", "score": 1}
    assert "'nope'" in error(client.post("/api/suggestions/accept", json=unknown), 404, "not_found")
    member = {"source": "acme", "target": "cogs", "type": "MEMBER_OF", "score": 1}
    error(client.post("/api/suggestions/accept", json=member), 409, "conflict")
    for bad in (
        {"source": "acme", "target": "fund"},  # no score
        {"source": "acme", "target": "fund", "score": 1, "method": "magic"},
        {"source": "acme", "target": "fund", "score": 1, "type": "LIKES"},
        {"source": "acme", "target": "fund", "score": 1, "extra": 1},
    ):
        answer = client.post("/api/suggestions/accept", json=bad)
        assert answer.status_code == 422 and answer.json()["type"] == "invalid_request", bad
    self_pair = {"source": "acme", "target": "acme", "score": 1}
    error(client.post("/api/suggestions/accept", json=self_pair), 400, "bad_request")


def test_dismiss_list_and_restore(client: TestClient) -> None:
    assert links(client) == SUGGESTED  # computed, and cached under the store's version
    answer = client.post(
        "/api/suggestions/dismiss",
        json={"source": "polito", "target": "fund", "method": "ra", "score": 1 / 3},
    )
    assert answer.status_code == 201, answer.text
    made = answer.json()
    assert set(made) == {"source", "target", "method", "score", "by", "at"}
    assert (made["source"], made["target"], made["by"]) == ("fund", "polito", "ana")
    assert made["at"].endswith("Z")
    assert links(client) == SUGGESTED - {("fund", "polito")}  # not the cached answer
    later = {"source": "cogs", "target": "bolt", "method": "cn", "score": 1}
    assert client.post("/api/suggestions/dismiss", json=later).status_code == 201
    page = client.get("/api/suggestions/dismissed").json()
    assert set(page) == {"items", "offset", "limit", "has_more"}
    assert [(d["source"], d["target"]) for d in page["items"]] in (
        [("bolt", "cogs"), ("fund", "polito")],  # newest first
        [("fund", "polito"), ("bolt", "cogs")],  # the same second: by pair
    )
    first = client.get("/api/suggestions/dismissed", params={"limit": 1}).json()
    assert (len(first["items"]), first["limit"], first["has_more"]) == (1, 1, True)
    second = client.get("/api/suggestions/dismissed", params={"offset": 1, "limit": 1}).json()
    assert first["items"] + second["items"] == page["items"] and second["has_more"] is False
    restored = client.delete(
        "/api/suggestions/dismissed", params={"source": "polito", "target": "fund"}
    )
    assert restored.status_code == 200 and restored.json() == made
    assert links(client) == SUGGESTED - {("bolt", "cogs")}
    again = client.delete(
        "/api/suggestions/dismissed", params={"source": "fund", "target": "polito"}
    )
    assert "no dismissed suggestion" in error(again, 404, "not_found")
    unknown = {"source": "acme", "target": "nope", "method": "ra", "score": 1}
    error(client.post("/api/suggestions/dismiss", json=unknown), 404, "not_found")
    assert client.delete("/api/suggestions/dismissed", params={"source": "x"}).status_code == 422


def test_accepting_a_dismissed_pair_forgets_its_dismissal(client: TestClient) -> None:
    pair = {"source": "acme", "target": "fund", "method": "ra", "score": 0.5}
    assert client.post("/api/suggestions/dismiss", json=pair).status_code == 201
    assert client.post("/api/suggestions/accept", json=pair).status_code == 201
    assert client.get("/api/suggestions/dismissed").json()["items"] == []
