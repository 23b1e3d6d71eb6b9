"""The role matrix: every route of the API, asked by nobody, an unknown token, a viewer, an
editor, an editor limited to a cluster, an admin and the API key, with reads open and with
``ECOMAP_REQUIRE_AUTH_FOR_READS``, on both backends; and the open local setup (no key, no
person), where whoever reaches the server writes, as before people existed.

The tiny ecosystem: cluster ``mech`` has the members ``acme`` and ``polito``; ``cogs`` is
outside it. Each test has a store of its own; each write starts from a known state:
deletes remove records the API key has just made, and replaces send the ETag just read.
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


@pytest.fixture(params=["embedded", "neo4j"])
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
ADMIN = {"X-API-Key": KEY}
ANALYSES = ("centrality", "communities", "brokerage", "health", "links")


def _get(path: str, **params: str) -> Request:
    return lambda c, h: c.get(path, params=params, headers=h)


def _analysis(name: str) -> Request:
    return lambda c, h: c.post(f"/api/analytics/{name}", json={}, headers=h)


#: Every route that reads, by its OpenAPI template (a variant after " @"): a request.
READS: dict[str, Request] = {
    "GET /api/stats": _get("/api/stats"),
    "GET /api/selection": _get("/api/selection?cluster=mech"),
    "GET /api/organizations": _get("/api/organizations"),
    "GET /api/organizations/{org_id}": _get("/api/organizations/acme"),
    "GET /api/organizations/{org_id}/ego": _get("/api/organizations/acme/ego"),
    "GET /api/organizations/{org_id}/relationships": _get("/api/organizations/acme/relationships"),
    "GET /api/organizations/{org_id}/history": _get("/api/organizations/acme/history"),
    "GET /api/relationships/{path}": _get("/api/relationships/acme/MEMBER_OF/mech"),
    "GET /api/history": _get("/api/history"),
    "GET /api/path": _get("/api/path", source="cogs", target="polito"),
    "POST /api/subgraph": lambda c, h: c.post("/api/subgraph", json={}, headers=h),
    **{"POST /api/analytics/" + name: _analysis(name) for name in ANALYSES},
    "POST /api/maps": lambda c, h: c.post("/api/maps", json={"labels": 0}, headers=h),
    "POST /api/report": lambda c, h: c.post("/api/report", json={"top": 3}, headers=h),
    "GET /api/export": _get("/api/export", format="json"),
    "GET /api/suggestions/dismissed": _get("/api/suggestions/dismissed"),
}


def _current(client: TestClient, path: str) -> Any:
    """The record at ``path`` as the API key reads it (its ETag in the headers)."""
    response = client.get(path, headers=ADMIN)
    assert response.status_code == 200, response.text
    return response


def _put_org(org_id: str) -> Request:
    """Change the organization's description, from the version just read."""

    def put(client: TestClient, headers: dict[str, str]) -> Any:
        current = _current(client, f"/api/organizations/{org_id}")
        body = {k: v for k, v in current.json().items() if k != "updated_at"}
        body["description"] = f"edit {next(_fresh)}"
        if_match = {"If-Match": current.headers["ETag"]}
        return client.put(f"/api/organizations/{org_id}", json=body, headers=headers | if_match)

    return put


def _confirm(org_id: str) -> Request:
    """Confirm the organization as right, from the version just read."""

    def confirm(client: TestClient, headers: dict[str, str]) -> Any:
        current = _current(client, f"/api/organizations/{org_id}")
        if_match = {"If-Match": current.headers["ETag"]}
        return client.post(f"/api/organizations/{org_id}/confirm", headers=headers | if_match)

    return confirm


def _create_org(client: TestClient, headers: dict[str, str]) -> Any:
    body = {"name": "New Co", "kind": "company"}
    return client.put(f"/api/organizations/new-{next(_fresh)}", json=body, headers=headers)


def _delete_org(member: bool) -> Request:
    """Delete an organization the API key has just added (a member of mech, or not)."""

    def delete(client: TestClient, headers: dict[str, str]) -> Any:
        org_id = f"tmp-{next(_fresh)}"
        orgs = f"{ORG_HEADER}\n{org_id},Temp,company,,,,,,,,,,,,\n".encode()
        rels = f"{REL_HEADER}\n{org_id},mech,MEMBER_OF,,,,\n".encode()
        files = [("files", ("organizations.csv", orgs, "text/csv"))]
        if member:
            files.append(("files", ("relationships.csv", rels, "text/csv")))
        added = client.post("/api/import", files=files, headers=ADMIN)
        assert added.status_code == 200, added.text
        if_match = {"If-Match": _current(client, f"/api/organizations/{org_id}").headers["ETag"]}
        return client.delete(f"/api/organizations/{org_id}", headers=headers | if_match)

    return delete


def _put_rel(path: str) -> Request:
    """Change a stored relationship's evidence, from the version just read."""

    def put(client: TestClient, headers: dict[str, str]) -> Any:
        current = _current(client, f"/api/relationships/{path}")
        body = {"weight": current.json()["weight"], "evidence": f"edit {next(_fresh)}"}
        if_match = {"If-Match": current.headers["ETag"]}
        return client.put(f"/api/relationships/{path}", json=body, headers=headers | if_match)

    return put


def _membership(client: TestClient, headers: dict[str, str]) -> Any:
    """Add cogs to mech, then (as the API key) take it out again."""
    answer = client.put("/api/relationships/cogs/MEMBER_OF/mech", json={}, headers=headers)
    if answer.status_code == 201:
        version = {"If-Match": answer.headers["ETag"]}
        removed = client.delete("/api/relationships/cogs/MEMBER_OF/mech", headers=ADMIN | version)
        assert removed.status_code == 200, removed.text
    return answer


def _delete_rel(path: str) -> Request:
    """Delete a relationship the API key has made (now, unless it is still there)."""

    def delete(client: TestClient, headers: dict[str, str]) -> Any:
        made = client.get(f"/api/relationships/{path}", headers=ADMIN)
        if made.status_code == 404:
            made = client.put(f"/api/relationships/{path}", json={}, headers=ADMIN)
            assert made.status_code == 201, made.text
        if_match = {"If-Match": made.headers["ETag"]}
        return client.delete(f"/api/relationships/{path}", headers=headers | if_match)

    return delete


def _revert(org_id: str) -> Request:
    """Revert a change the API key has just made to the organization."""

    def revert(client: TestClient, headers: dict[str, str]) -> Any:
        made = _put_org(org_id)(client, ADMIN)
        assert made.status_code == 200, made.text
        change = made.headers["X-EcoMap-Change"]
        return client.post(f"/api/history/{change}/revert", headers=headers)

    return revert


def _accept(source: str, target: str) -> Request:
    """Accept the suggested collaboration of a pair, then (as the API key) delete it again."""

    def accept(client: TestClient, headers: dict[str, str]) -> Any:
        body = {"source": source, "target": target, "score": 0.5}
        answer = client.post("/api/suggestions/accept", json=body, headers=headers)
        if answer.status_code == 201:
            path = f"/api/relationships/{source}/COLLABORATES_WITH/{target}"
            version = {"If-Match": answer.headers["ETag"]}
            removed = client.delete(path, headers=ADMIN | version)
            assert removed.status_code == 200, removed.text
        return answer

    return accept


def _dismiss(source: str, target: str) -> Request:
    def dismiss(client: TestClient, headers: dict[str, str]) -> Any:
        body = {"source": source, "target": target, "method": "ra", "score": 0.5}
        return client.post("/api/suggestions/dismiss", json=body, headers=headers)

    return dismiss


def _restore(source: str, target: str) -> Request:
    """Restore a pair the API key has just dismissed."""

    def restore(client: TestClient, headers: dict[str, str]) -> Any:
        assert _dismiss(source, target)(client, ADMIN).status_code == 201
        pair = {"source": source, "target": target}
        return client.delete("/api/suggestions/dismissed", params=pair, headers=headers)

    return restore


def _import(client: TestClient, headers: dict[str, str]) -> Any:
    orgs = f"{ORG_HEADER}\nimp-{next(_fresh)},Imported,company,,,,,,,,,,,,\n".encode()
    files = [("files", ("organizations.csv", orgs, "text/csv"))]
    return client.post("/api/import", files=files, headers=headers)


def _save_view(shared: bool, name: str | None = None) -> Request:
    """Save a view of one's own (a new name each time)."""

    def save(client: TestClient, headers: dict[str, str]) -> Any:
        body = {"name": name or f"view {next(_fresh)}", "filters": {"clusters": ["mech"]}}
        return client.post("/api/views", json=body | {"shared": shared}, headers=headers)

    return save


def _get_view(shared: bool) -> Request:
    """Read a view the API key has saved (shared or private)."""

    def get(client: TestClient, headers: dict[str, str]) -> Any:
        name = "key's shared view" if shared else "key's private view"
        assert _save_view(shared, name)(client, ADMIN).status_code in (200, 201)
        return client.get(f"/api/views/{name}", headers=headers)

    return get


def _delete_view(own: bool) -> Request:
    """Delete a view of one's own (saved by the API key when the sender cannot save) or a
    shared view the API key has just saved."""

    def delete(client: TestClient, headers: dict[str, str]) -> Any:
        name = f"to delete {next(_fresh)}"
        saved = _save_view(True, name)(client, headers if own else ADMIN)
        if saved.status_code != 201:
            assert _save_view(True, name)(client, ADMIN).status_code == 201
        return client.delete(f"/api/views/{name}", headers=headers)

    return delete


_ROLES_200 = {"viewer": 200, "editor": 200, "scoped": 200, "admin": 200, "key": 200}
#: The routes of saved views: who gets which status with reads open (nobody gets 401 where
#: reads need a token). Any role saves and deletes its own views; an admin sees and deletes
#: anyone's; the answers depend on who asks, so an unknown token is 401 on every one.
VIEWS: dict[str, tuple[Request, dict[str, int]]] = {
    "GET /api/views": (_get("/api/views"), {"nobody": 200, "unknown": 401, **_ROLES_200}),
    "POST /api/views": (
        _save_view(False),
        {"nobody": 401, "unknown": 401, **dict.fromkeys(_ROLES_200, 201)},
    ),
    "GET /api/views/{name} @shared": (
        _get_view(shared=True),
        {"nobody": 200, "unknown": 401, **_ROLES_200},
    ),
    "GET /api/views/{name} @another's private": (
        _get_view(shared=False),
        {"nobody": 404, "unknown": 401, **dict.fromkeys(_ROLES_200, 404), "admin": 200, "key": 200},
    ),
    "DELETE /api/views/{name} @own": (
        _delete_view(own=True),
        {"nobody": 401, "unknown": 401, **_ROLES_200},
    ),
    "DELETE /api/views/{name} @another's shared": (
        _delete_view(own=False),
        {"nobody": 401, "unknown": 401, **dict.fromkeys(_ROLES_200, 403), "admin": 200, "key": 200},
    ),
}


ORG = "/api/organizations/{org_id}"
REL = "/api/relationships/{path}"
REVERT = "POST /api/history/{change_id}/revert"
#: Every route that writes: (request, status for an editor, status for the scoped editor).
#: Admins and the API key get what an editor gets; viewers 403, nobody 401.
WRITES: dict[str, tuple[Request, int, int]] = {
    f"PUT {ORG} @member": (_put_org("acme"), 200, 200),
    f"PUT {ORG} @cluster": (_put_org("mech"), 200, 200),
    f"PUT {ORG} @outsider": (_put_org("cogs"), 200, 403),
    f"PUT {ORG} @new": (_create_org, 201, 201),
    f"POST {ORG}/confirm @member": (_confirm("acme"), 200, 200),
    f"POST {ORG}/confirm @outsider": (_confirm("cogs"), 200, 403),
    f"DELETE {ORG} @member": (_delete_org(member=True), 200, 200),
    f"DELETE {ORG} @outsider": (_delete_org(member=False), 200, 403),
    f"PUT {REL} @member states": (_put_rel("acme/INVESTS_IN/bolt"), 200, 200),
    f"PUT {REL} @outsider states": (_put_rel("cogs/SUPPLIES/acme"), 200, 403),
    f"PUT {REL} @symmetric, one end in": (_put_rel("polito/COLLABORATES_WITH/acme"), 200, 200),
    f"PUT {REL} @joining the cluster": (_membership, 201, 201),
    f"DELETE {REL} @member states": (_delete_rel("acme/SUPPLIES/cogs"), 200, 200),
    f"DELETE {REL} @outsider states": (_delete_rel("fund/FUNDS/cogs"), 200, 403),
    f"{REVERT} @member": (_revert("acme"), 200, 200),
    f"{REVERT} @outsider": (_revert("cogs"), 200, 403),
    "POST /api/import": (_import, 200, 403),
    "POST /api/suggestions/accept @member": (_accept("acme", "fund"), 201, 201),
    "POST /api/suggestions/accept @outsider": (_accept("cogs", "fund"), 201, 403),
    "POST /api/suggestions/dismiss @member": (_dismiss("fund", "polito"), 201, 201),
    "POST /api/suggestions/dismiss @outsider": (_dismiss("bolt", "cogs"), 201, 403),
    "DELETE /api/suggestions/dismissed @member": (_restore("acme", "fund"), 200, 200),
    "DELETE /api/suggestions/dismissed @outsider": (_restore("cogs", "fund"), 200, 403),
}


def expected(route: str, who: str, reads_need_token: bool) -> int:
    """The status the role matrix promises."""
    if route in ("GET /api/health", "GET /"):
        return 200
    if route == "GET /api/me":
        return 401 if who == "unknown" else 200
    if route in READS:
        return 401 if reads_need_token and who in ("nobody", "unknown") else 200
    if route in VIEWS:
        return 401 if reads_need_token and who == "nobody" else VIEWS[route][1][who]
    if who in ("nobody", "unknown"):
        return 401
    if who == "viewer":
        return 403
    _, editor, scoped = WRITES[route]
    return scoped if who == "scoped" else editor


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
        **{route: send for route, (send, _, _) in WRITES.items()},
        **{route: send for route, (send, _) in VIEWS.items()},
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
    covered = {"GET /api/health", "GET /api/me", "GET /", *READS}
    covered |= {route.split(" @")[0] for route in (*WRITES, *VIEWS)}
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
        assert _create_org(client, {}).status_code == 401
        assert _create_org(client, {"Authorization": f"Bearer {token}"}).status_code == 201
    store.remove_user("ada")
    locked = create_app(Settings(api_key=None, require_auth_for_reads=True), store=store)
    with TestClient(locked, headers=CSRF) as client:  # reads need a token nobody has
        assert client.get("/api/stats").status_code == 401
        assert _create_org(client, {}).status_code == 401
        page = client.get("/")
        assert page.status_code == 200 and "Acme" not in page.text  # no data before a token
