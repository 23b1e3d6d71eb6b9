"""``/api/views``: save (201 new, 200 replaced, 409 another person's name, 422 invalid),
list (without pinned positions), get (whole; 404 for another person's private view) and
delete, on both backends; a server without people saves as ``anonymous``. Who may call each
route is the role matrix's (tests/test_api_roles.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import BACKENDS, tiny_store
from fastapi.testclient import TestClient

from app.api import create_app
from app.services import people
from app.settings import Settings
from app.store.base import GraphStore

CSRF = {"X-EcoMap-CSRF": "1"}
VIEW = {
    "name": "Mech members",
    "filters": {"clusters": ["mech"], "kinds": ["company"], "min_employees": 10},
    "options": {
        "color_by": "sector",
        "size_by": "pagerank",
        "layout": "geo",
        "max_nodes": 40,
        "drill": ["2", "cl-x"],
        "selection": "acme",
        "tab": "brokers",
        "positions": {"acme": [1.5, -2], "bolt": [0, 0]},
    },
    "shared": False,
}


@pytest.fixture(params=BACKENDS)
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[TestClient, Any]]:
    """The tiny ecosystem on each backend with a viewer ana and an editor bo: a client and
    the headers of each."""
    with tiny_store(request, request.param, tmp_path) as store:
        tokens = {
            name: people.add_user(store, name, role)[1]
            for name, role in (("ana", "viewer"), ("bo", "editor"))
        }
        headers = {name: {"Authorization": f"Bearer {token}"} for name, token in tokens.items()}
        app = create_app(Settings(api_key=None), store=store)
        with TestClient(app, raise_server_exceptions=False, headers=CSRF) as client:
            yield client, headers


def error(answer: Any, status: int, kind: str) -> str:
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert body["type"] == kind, body
    return str(body["detail"])


def test_save_list_get_and_delete(served: tuple[TestClient, Any]) -> None:
    client, who = served
    saved = client.post("/api/views", json={**VIEW, "name": "  Mech members "}, headers=who["ana"])
    assert saved.status_code == 201, saved.text
    view = saved.json()
    assert (view["name"], view["owner"], view["shared"], view["pinned"]) == (
        "Mech members",
        "ana",
        False,
        2,
    )
    assert view["filters"]["clusters"] == ["mech"] and view["filters"]["min_employees"] == 10
    assert view["options"] == {
        **VIEW["options"],
        "positions": {"acme": [1.5, -2.0], "bolt": [0.0, 0.0]},
    }
    assert view["link"] == (
        "/?kind=company&cluster=mech&min_employees=10&color-by=sector&size-by=pagerank&layout=geo"
        "&max-nodes=40&drill=2&drill=cl-x&org=acme&tab=brokers"
    )
    assert client.get("/api/views/Mech members", headers=who["ana"]).json() == view
    listed = client.get("/api/views", headers=who["ana"]).json()
    assert [v["name"] for v in listed] == ["Mech members"]
    assert listed[0]["options"]["positions"] == {} and listed[0]["pinned"] == 2
    # private: bo neither lists nor reads it, and cannot take its name
    assert client.get("/api/views", headers=who["bo"]).json() == []
    error(client.get("/api/views/Mech members", headers=who["bo"]), 404, "not_found")
    detail = error(client.post("/api/views", json=VIEW, headers=who["bo"]), 409, "conflict")
    assert "another person's view" in detail and "ana" not in detail
    # saved again by ana, shared: replaced (200); now bo sees it, and may not delete it
    again = client.post("/api/views", json={**VIEW, "shared": True}, headers=who["ana"])
    assert again.status_code == 200 and again.json()["created_at"] == view["created_at"]
    assert [v["owner"] for v in client.get("/api/views", headers=who["bo"]).json()] == ["ana"]
    assert client.get("/api/views", headers={}).json()[0]["name"] == "Mech members"  # nobody reads
    error(client.delete("/api/views/Mech members", headers=who["bo"]), 403, "forbidden")
    error(client.delete("/api/views/Mech members", headers={}), 401, "unauthorized")
    deleted = client.delete("/api/views/Mech members", headers=who["ana"])
    assert deleted.status_code == 200 and deleted.json()["pinned"] == 2
    error(client.get("/api/views/Mech members", headers=who["ana"]), 404, "not_found")
    error(client.delete("/api/views/Mech members", headers=who["ana"]), 404, "not_found")


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"name": "a/b"}, ["body", "name"]),
        ({"name": ""}, ["body", "name"]),
        ({"name": "x" * 101}, ["body", "name"]),
        ({"options": {"tab": "nope"}}, ["body", "options", "tab"]),
        ({"options": {"max_nodes": 5001}}, ["body", "options", "max_nodes"]),
        ({"options": {"drill": [str(i) for i in range(9)]}}, ["body", "options", "drill"]),
        ({"options": {"color_by": "nope"}}, ["body", "options", "color_by"]),
        ({"options": {"positions": {"a": [1]}}}, ["body", "options", "positions", "a"]),
        ({"options": {"positions": {"a": [1e300, 0]}}}, ["body", "options", "positions", "a", 0]),
        ({"filters": {"kinds": ["planet"]}}, ["body", "filters", "kinds", 0]),
        ({"filters": {"min_employees": -1}}, ["body", "filters", "min_employees"]),
        ({"surplus": 1}, ["body", "surplus"]),
        ({"name": "\ud800"}, ["body"]),
    ],
)
def test_invalid_views_are_422(
    served: tuple[TestClient, Any], change: dict[str, Any], where: list[Any]
) -> None:
    client, who = served
    body = json.dumps({**VIEW, **change})  # ASCII: a lone surrogate travels as its escape
    headers = who["ana"] | {"Content-Type": "application/json"}
    answer = client.post("/api/views", content=body, headers=headers)
    error(answer, 422, "invalid_request")
    assert next(e["loc"][: len(where)] for e in answer.json()["errors"]) == where
    assert client.get("/api/views", headers=who["ana"]).json() == []


def test_without_people_whoever_reaches_the_server_saves_as_anonymous(store: GraphStore) -> None:
    with TestClient(create_app(Settings(api_key=None), store=store), headers=CSRF) as client:
        saved = client.post("/api/views", json={"name": "mine", "shared": False})
        assert saved.status_code == 201, saved.text
        assert saved.json()["owner"] == "anonymous"
        assert saved.json()["options"]["color_by"] == "cluster"  # the explorer's defaults
        assert [v["name"] for v in client.get("/api/views").json()] == ["mine"]
        assert client.delete("/api/views/mine").status_code == 200
