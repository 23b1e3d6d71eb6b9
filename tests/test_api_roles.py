"""The role matrix: every route of the API, asked by nobody, an unknown token, a viewer, an
editor, an editor limited to a cluster, an admin and the API key, with reads open and with
``ECOMAP_REQUIRE_AUTH_FOR_READS``, on both backends; and the open local setup (no key, no
person), where whoever reaches the server writes, as before people existed.

The tiny ecosystem: cluster ``mech`` has the members ``acme`` and ``polito``; ``cogs`` is
outside it. Each write starts from a known state: deletes remove organizations the API key
has just imported, and replaces send the ETag just read.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TINY_ORGANIZATIONS, TINY_RELATIONSHIPS
from csvdata import ORG_HEADER, REL_HEADER
from fastapi.testclient import TestClient
from neo4j_server import Neo4jServer, fresh_store

from app.api import create_app
from app.services import people
from app.services.importing import import_files
from app.settings import Settings
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

KEY = "the-api-key"
CSRF = {"X-EcoMap-CSRF": "1"}
SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
WHO = ("nobody", "unknown", "viewer", "editor", "scoped", "admin", "key")
_fresh = itertools.count()


def _load(store: GraphStore, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    orgs, rels = folder / "organizations.csv", folder / "relationships.csv"
    orgs.write_text(TINY_ORGANIZATIONS.lstrip("\n"), encoding="utf-8")
    rels.write_text(TINY_RELATIONSHIPS.lstrip("\n"), encoding="utf-8")
    import_files(store, [orgs, rels])


def _forget_everyone(store: GraphStore) -> None:
    for user in store.users():
        store.remove_user(user.name)


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def tiny(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """(store, headers of each WHO): the tiny ecosystem with one person of each role."""
    folder = tmp_path_factory.mktemp("roles")
    if request.param == "embedded":
        context: Any = EmbeddedStore(folder / "eco.lbug", **SMALL)
    else:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        context = fresh_store(server)
    with context as store:
        _forget_everyone(store)
        _load(store, folder / "csv")
        tokens = {
            "viewer": people.add_user(store, "vera", "viewer")[1],
            "editor": people.add_user(store, "eddie", "editor")[1],
            "scoped": people.add_user(store, "scot", "editor", ["mech"])[1],
            "admin": people.add_user(store, "ada", "admin")[1],
        }
        headers = {who: {"Authorization": f"Bearer {token}"} for who, token in tokens.items()}
        headers |= {"nobody": {}, "unknown": {"Authorization": "Bearer not-a-token"}}
        headers["key"] = {"X-API-Key": KEY}
        try:
            yield store, headers
        finally:
            _forget_everyone(store)


Request = Callable[[TestClient, dict[str, str]], Any]

ANALYSES = ("centrality", "communities", "brokerage", "health", "links")


def _analysis(name: str) -> Request:
    return lambda c, h: c.post(f"/api/analytics/{name}", json={}, headers=h)


#: Every route that reads (method, path: a request).
READS: dict[str, Request] = {
    "GET /api/stats": lambda c, h: c.get("/api/stats", headers=h),
    "GET /api/organizations": lambda c, h: c.get("/api/organizations", headers=h),
    "GET /api/organizations/{id}": lambda c, h: c.get("/api/organizations/acme", headers=h),
    "GET /api/organizations/{id}/ego": lambda c, h: c.get("/api/organizations/acme/ego", headers=h),
    "GET /api/path": lambda c, h: c.get(
        "/api/path", params={"source": "cogs", "target": "polito"}, headers=h
    ),
    "POST /api/subgraph": lambda c, h: c.post("/api/subgraph", json={}, headers=h),
    **{f"POST /api/analytics/{name}": _analysis(name) for name in ANALYSES},
    "POST /api/maps": lambda c, h: c.post("/api/maps", json={"labels": 0}, headers=h),
    "GET /api/export": lambda c, h: c.get("/api/export", params={"format": "json"}, headers=h),
}


def _etag(client: TestClient, org_id: str) -> str:
    response = client.get(f"/api/organizations/{org_id}", headers={"X-API-Key": KEY})
    assert response.status_code == 200, response.text
    return str(response.headers["ETag"])


def _put(org_id: str) -> Request:
    def put(client: TestClient, headers: dict[str, str]) -> Any:
        current = client.get(f"/api/organizations/{org_id}", headers={"X-API-Key": KEY})
        body = {k: v for k, v in current.json().items() if k != "updated_at"}
        body["description"] = f"edit {next(_fresh)}"
        if_match = {"If-Match": current.headers["ETag"]}
        return client.put(f"/api/organizations/{org_id}", json=body, headers=headers | if_match)

    return put


def _create(client: TestClient, headers: dict[str, str]) -> Any:
    body = {"name": "New Co", "kind": "company"}
    return client.put(f"/api/organizations/new-{next(_fresh)}", json=body, headers=headers)


def _delete(member: bool) -> Request:
    """Delete an organization the API key has just added (a member of mech, or not)."""

    def delete(client: TestClient, headers: dict[str, str]) -> Any:
        org_id = f"tmp-{next(_fresh)}"
        orgs = f"{ORG_HEADER}\n{org_id},Temp,company,,,,,,,,,,,,\n".encode()
        rels = f"{REL_HEADER}\n{org_id},mech,MEMBER_OF,,,,\n".encode()
        files = [("files", ("organizations.csv", orgs, "text/csv"))]
        if member:
            files.append(("files", ("relationships.csv", rels, "text/csv")))
        added = client.post("/api/import", files=files, headers={"X-API-Key": KEY})
        assert added.status_code == 200, added.text
        if_match = {"If-Match": _etag(client, org_id)}
        return client.delete(f"/api/organizations/{org_id}", headers=headers | if_match)

    return delete


def _import(client: TestClient, headers: dict[str, str]) -> Any:
    orgs = f"{ORG_HEADER}\nimp-{next(_fresh)},Imported,company,,,,,,,,,,,,\n".encode()
    files = [("files", ("organizations.csv", orgs, "text/csv"))]
    return client.post("/api/import", files=files, headers=headers)


#: Every route that writes.
WRITES: dict[str, Request] = {
    "PUT /api/organizations/{member}": _put("acme"),
    "PUT /api/organizations/{cluster}": _put("mech"),
    "PUT /api/organizations/{outsider}": _put("cogs"),
    "PUT /api/organizations/{new}": _create,
    "DELETE /api/organizations/{member}": _delete(member=True),
    "DELETE /api/organizations/{outsider}": _delete(member=False),
    "POST /api/import": _import,
}

#: What each person gets from each write (the same whether reads need a token or not).
WRITE_STATUS: dict[str, dict[str, int]] = {
    "PUT /api/organizations/{member}": {"editor": 200, "scoped": 200},
    "PUT /api/organizations/{cluster}": {"editor": 200, "scoped": 200},
    "PUT /api/organizations/{outsider}": {"editor": 200, "scoped": 403},
    "PUT /api/organizations/{new}": {"editor": 201, "scoped": 201},
    "DELETE /api/organizations/{member}": {"editor": 204, "scoped": 204},
    "DELETE /api/organizations/{outsider}": {"editor": 204, "scoped": 403},
    "POST /api/import": {"editor": 200, "scoped": 403},
}


def expected(route: str, who: str, reads_need_token: bool) -> int:
    """The status the role matrix promises."""
    if route in ("GET /api/health", "GET /"):
        return 200
    if route == "GET /api/me":
        return 401 if who == "unknown" else 200
    if route in READS:
        return 401 if reads_need_token and who in ("nobody", "unknown") else 200
    if who in ("nobody", "unknown"):
        return 401
    if who == "viewer":
        return 403
    allowed = WRITE_STATUS[route]
    return allowed.get(who, allowed["editor"])  # admin and key: as an editor without clusters


@pytest.mark.parametrize("reads_need_token", [False, True], ids=["reads-open", "reads-need-token"])
@pytest.mark.parametrize("who", WHO)
def test_role_matrix(tiny: Any, who: str, reads_need_token: bool) -> None:
    store, headers = tiny
    settings = Settings(api_key=KEY, require_auth_for_reads=reads_need_token)
    app = create_app(settings, store=store)
    routes: dict[str, Request] = {
        "GET /api/health": lambda c, h: c.get("/api/health", headers=h),
        "GET /api/me": lambda c, h: c.get("/api/me", headers=h),
        "GET /": lambda c, h: c.get("/", headers=h),
        **READS,
        **WRITES,
    }
    got, want = {}, {}
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as client:
        for route, send in routes.items():
            response = send(client, headers[who])
            got[route] = response.status_code
            want[route] = expected(route, who, reads_need_token)
            if response.status_code in (401, 403):
                body = response.json()
                assert body["type"] in ("unauthorized", "forbidden"), (route, body)
                assert set(body) == {"detail", "type"}
    assert got == want


def test_every_route_is_in_the_matrix() -> None:
    schema = create_app(Settings()).openapi()
    routes = {f"{m.upper()} {p}" for p, ops in schema["paths"].items() for m in ops}
    writes = {"PUT /api/organizations/{org_id}", "DELETE /api/organizations/{org_id}"}
    covered = {"GET /api/health", "GET /api/me", "GET /", "POST /api/import", *writes}
    covered |= {route.replace("{id}", "{org_id}") for route in READS}
    assert routes - covered == set(), "add the new routes to the role matrix"


def test_whoami(tiny: Any) -> None:
    store, headers = tiny
    with TestClient(create_app(Settings(api_key=KEY), store=store)) as client:
        scoped = client.get("/api/me", headers=headers["scoped"]).json()
        nobody = client.get("/api/me").json()
        key = client.get("/api/me", headers=headers["key"]).json()
    assert scoped == {"name": "scot", "role": "editor", "clusters": ["mech"], "signed_in": True}
    assert nobody == {"name": "anonymous", "role": None, "clusters": [], "signed_in": False}
    assert key == {"name": "api-key", "role": "admin", "clusters": [], "signed_in": True}


# -- nobody set up: a local, single-user server ----------------------------------------------------


def test_without_key_or_people_whoever_reaches_the_server_writes(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    _load(store, tmp_path / "csv")
    with TestClient(create_app(Settings(api_key=None), store=store), headers=CSRF) as client:
        assert client.get("/api/me").json()["role"] == "admin"
        etag = client.get("/api/organizations/acme").headers["ETag"]
        body = {"name": "Acme", "kind": "company"}
        put = client.put("/api/organizations/acme", json=body, headers={"If-Match": etag})
        assert put.status_code == 200, put.text
        assert _import(client, {}).status_code == 200
        # once a person exists, writes need a token
        _, token = people.add_user(store, "ada", "admin")
        assert client.get("/api/me").json()["role"] is None
        assert _create(client, {}).status_code == 401
        assert _create(client, {"Authorization": f"Bearer {token}"}).status_code == 201
    store.remove_user("ada")
    locked = create_app(Settings(api_key=None, require_auth_for_reads=True), store=store)
    with TestClient(locked, headers=CSRF) as client:  # reads need a token nobody has
        assert client.get("/api/stats").status_code == 401
        assert _create(client, {}).status_code == 401
        page = client.get("/")
        assert page.status_code == 200 and "Acme" not in page.text  # no data before a token
