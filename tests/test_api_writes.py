"""The HTTP API's writes (import, PUT, DELETE), the API key, upload limits and error bodies,
each on a fresh embedded database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from api_answers import post_scope
from csvdata import ORG_HEADER, REL_HEADER
from fastapi.testclient import TestClient

from app.api import create_app
from app.errors import StoreError
from app.rules import kind_change_problem
from app.settings import Settings
from app.store.embedded import EmbeddedStore
from app.vocabulary import Kind

KEY = "s3cret-key"
BAD_ORGS = f"{ORG_HEADER}\na1,Alpha,company,,,,,,,,,,,,\nb1,,company,,,,,,XX,,,,,,\n"
BAD_RELS = f"{REL_HEADER}\na1,zz,SUPPLIES,,,,\n"

#: What a page of the explorer sends with its requests (an upload needs it).
CSRF = {"X-EcoMap-CSRF": "1"}


def no_trace(response: Any) -> None:
    assert "Traceback" not in response.text and 'File "' not in response.text


def version_of(client: TestClient, org_id: str) -> dict[str, str]:
    """The ``If-Match`` header that changes or deletes the organization as stored now."""
    return {"If-Match": client.get(f"/api/organizations/{org_id}").headers["ETag"]}


def files_of(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]


@pytest.fixture
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    """No API key; uploads up to 1 MiB."""
    app = create_app(Settings(api_key=None, max_upload_mb=1), store=store)
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as test_client:
        yield test_client


@pytest.fixture
def keyed(store: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(Settings(api_key=KEY), store=store)
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as test_client:
        yield test_client


# -- import ----------------------------------------------------------------------------------


def test_import_reports_like_the_cli_and_is_idempotent(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    response = client.post("/api/import", files=files_of(*tiny_ecosystem))
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["ok"] is True
    assert report["files"] == ["organizations.csv", "relationships.csv"]
    assert report["rows_read"] == 14 and report["rows_rejected"] == 0 and report["problems"] == []
    assert report["summary"]["organizations_created"] == 6
    assert report["summary"]["relationships_created"] == 8
    assert client.get("/api/stats").json()["nodes"] == 6
    again = client.post("/api/import", files=files_of(*tiny_ecosystem)).json()
    assert again["summary"]["organizations_unchanged"] == 6
    assert again["summary"]["relationships_unchanged"] == 8


def test_invalid_import_names_file_line_column_and_writes_nothing(
    client: TestClient, write_csv: Any
) -> None:
    orgs, rels = write_csv("bad_orgs.csv", BAD_ORGS), write_csv("bad_rels.csv", BAD_RELS)
    response = client.post("/api/import", files=files_of(orgs, rels))
    assert response.status_code == 422, response.text
    no_trace(response)
    body = response.json()
    assert body["type"] == "invalid_import"
    located = {(p["file"], p["line"], p["column"]) for p in body["problems"]}
    assert located == {
        ("bad_orgs.csv", 3, "name"),
        ("bad_orgs.csv", 3, "country"),
        ("bad_rels.csv", 2, "target"),
    }
    for problem in body["problems"]:
        expected = f"{problem['file']}:{problem['line']}: {problem['column']}: {problem['message']}"
        assert problem["text"] == expected
    assert client.get("/api/stats").json()["nodes"] == 0


def test_import_valid_only_loads_the_good_rows(client: TestClient, write_csv: Any) -> None:
    orgs, rels = write_csv("bad_orgs.csv", BAD_ORGS), write_csv("bad_rels.csv", BAD_RELS)
    response = client.post("/api/import", files=files_of(orgs, rels), data={"valid_only": "true"})
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["rows_rejected"] == 2 and report["summary"]["organizations_created"] == 1
    assert any(p.startswith("bad_orgs.csv:3: name:") for p in report["problems"])


def test_import_format_field_and_unknown_suffix(client: TestClient, write_csv: Any) -> None:
    orgs = write_csv("orgs.txt", f"{ORG_HEADER}\na1,Alpha,company,,,,,,,,,,,,\n")
    unknown = client.post("/api/import", files=files_of(orgs))
    assert unknown.status_code == 422
    assert unknown.json()["problems"][0]["file"] == "orgs.txt"
    assert "unknown format" in unknown.json()["problems"][0]["message"]
    loaded = client.post("/api/import", files=files_of(orgs), data={"format": "csv"})
    assert loaded.status_code == 200 and loaded.json()["files"] == ["orgs.txt"]
    bad_format = client.post("/api/import", files=files_of(orgs), data={"format": "pdf"})
    assert bad_format.status_code == 422 and bad_format.json()["type"] == "invalid_request"


def test_import_needs_one_or_two_named_files(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    three = files_of(*tiny_ecosystem, tiny_ecosystem[0])
    assert client.post("/api/import", files=three).status_code == 422
    # a urlencoded form is what a cross-site page can send: refused before reading it
    assert client.post("/api/import", data={"valid_only": "true"}).status_code == 415
    same = files_of(tiny_ecosystem[0], tiny_ecosystem[0])
    response = client.post("/api/import", files=same)
    assert response.status_code == 422 and "same name" in response.text
    folders = [("files", ("../../etc/organizations.csv", tiny_ecosystem[0].read_bytes()))]
    assert client.post("/api/import", files=folders).json()["files"] == ["organizations.csv"]


def test_upload_over_the_limit_is_413(client: TestClient, write_csv: Any) -> None:
    row = "x" * 100
    big = write_csv(
        "big.csv",
        ORG_HEADER + "\n" + "\n".join(f"o{i},{row},company,,,,,,,,,,,," for i in range(12_000)),
    )
    response = client.post("/api/import", files=files_of(big))
    assert response.status_code == 413, response.text
    assert response.json()["type"] == "upload_too_large" and "1 MiB" in response.json()["detail"]
    no_trace(response)
    assert client.get("/api/stats").json()["nodes"] == 0


def test_upload_limit_holds_while_streaming(store: EmbeddedStore) -> None:
    """Without a Content-Length the body is counted as it arrives and reading stops at the
    limit: the rest is never pulled."""
    app = create_app(Settings(api_key=None, max_upload_mb=1), store=store)
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="o.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    chunks = [head] + [b"y" * 65536] * 64  # 4 MiB in all
    pulled = 0
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        more = pulled < len(chunks)
        return {"type": "http.request", "body": chunks[pulled - 1], "more_body": more}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = post_scope(
        "/api/import",
        [
            (b"host", b"testserver"),
            (b"x-ecomap-csrf", b"1"),
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
        ],
    )
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 413
    assert pulled <= 1 + 17  # the head and just over 1 MiB of the 4
    assert b"upload_too_large" in b"".join(m.get("body", b"") for m in sent[1:])


# -- PUT and DELETE --------------------------------------------------------------------------


def test_put_creates_then_replaces(client: TestClient) -> None:
    body = {"name": "Acme", "kind": "company", "country": "it", "sectors": ["C28"]}
    created = client.put("/api/organizations/acme", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["id"] == "acme" and created.json()["country"] == "IT"
    assert client.get("/api/organizations/acme").json()["name"] == "Acme"
    replaced = client.put(
        "/api/organizations/acme",
        json={**body, "id": "acme", "name": "Acme 2"},
        headers={"If-Match": created.headers["ETag"]},
    )
    assert replaced.status_code == 200 and replaced.json()["name"] == "Acme 2"
    assert client.get("/api/stats").json()["nodes"] == 1


def test_put_keeps_relationships(client: TestClient, tiny_ecosystem: tuple[Path, Path]) -> None:
    client.post("/api/import", files=files_of(*tiny_ecosystem))
    before = client.get("/api/stats").json()
    response = client.put(
        "/api/organizations/acme",
        json={"name": "Acme R", "kind": "company"},
        headers=version_of(client, "acme"),
    )
    assert response.status_code == 200, response.text
    assert client.get("/api/stats").json() == before


def test_put_conflicts_and_invalid_bodies(client: TestClient) -> None:
    client.put("/api/organizations/acme", json={"name": "Acme", "kind": "company"})
    version = version_of(client, "acme")
    conflict = client.put(
        "/api/organizations/acme", json={"name": "Acme", "kind": "cluster"}, headers=version
    )
    assert conflict.status_code == 409 and conflict.json()["type"] == "conflict"
    assert conflict.json()["detail"] == kind_change_problem("acme", Kind.COMPANY, Kind.CLUSTER)
    other_id = client.put(
        "/api/organizations/acme", json={"id": "bolt", "name": "B", "kind": "company"}
    )
    assert other_id.status_code == 422 and other_id.json()["errors"][0]["loc"] == ["body", "id"]
    for bad in (
        {"name": "Acme", "kind": "planet"},
        {"name": "Acme", "kind": "company", "country": "XX"},
        {"name": "Acme", "kind": "company", "lat": 45.0},
        {"name": "Acme", "kind": "company", "unknown": 1},
        {"kind": "company"},
    ):
        response = client.put("/api/organizations/acme", json=bad, headers=version)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["type"] == "invalid_request"
        no_trace(response)
    coordinates = client.put(
        "/api/organizations/acme", json={"name": "A", "kind": "company", "lat": 4}, headers=version
    )
    assert coordinates.json()["errors"][0]["loc"] == ["body", "lon"]
    assert client.get("/api/organizations/acme").json()["kind"] == "company"


def test_delete_then_404(client: TestClient, tiny_ecosystem: tuple[Path, Path]) -> None:
    client.post("/api/import", files=files_of(*tiny_ecosystem))
    response = client.delete("/api/organizations/acme", headers=version_of(client, "acme"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["organizations"] == ["acme"] and answer["change_id"] == 2
    assert len(answer["ties"]) == 5  # acme had five ties: the answer lists them
    stats = client.get("/api/stats").json()
    assert stats["nodes"] == 5 and stats["relationships"] == 3  # acme had five ties
    assert client.get("/api/organizations/acme").status_code == 404
    again = client.delete("/api/organizations/acme")
    assert again.status_code == 404 and again.json()["type"] == "not_found"


# -- the API key -----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [{}, {"X-API-Key": "wrong"}, {"X-API-Key": "s3cret-ke"}])
def test_writes_need_the_key(
    keyed: TestClient, tiny_ecosystem: tuple[Path, Path], headers: dict[str, str]
) -> None:
    org = {"name": "Acme", "kind": "company"}
    attempts = [
        keyed.put("/api/organizations/acme", json=org, headers=headers),
        keyed.delete("/api/organizations/acme", headers=headers),
        keyed.post("/api/import", files=files_of(*tiny_ecosystem), headers=headers),
    ]
    for response in attempts:
        assert response.status_code == 401, response.text
        assert response.json()["type"] == "unauthorized"
        assert "X-API-Key" in response.json()["detail"] and KEY not in response.text
    assert keyed.get("/api/stats").json()["nodes"] == 0


def test_the_right_key_writes(keyed: TestClient, tiny_ecosystem: tuple[Path, Path]) -> None:
    key = {"X-API-Key": KEY}
    imported = keyed.post("/api/import", files=files_of(*tiny_ecosystem), headers=key)
    assert imported.status_code == 200
    put = keyed.put("/api/organizations/new", json={"name": "N", "kind": "company"}, headers=key)
    assert put.status_code == 201
    version = {"If-Match": put.headers["ETag"]}
    assert keyed.delete("/api/organizations/new", headers=key | version).status_code == 200
    assert keyed.get("/api/organizations/acme").status_code == 200  # reads need no key


def test_non_ascii_key_is_refused_not_crashed(keyed: TestClient) -> None:
    response = keyed.delete("/api/organizations/x", headers={"X-API-Key": "clé".encode("latin-1")})  # type: ignore[dict-item]
    assert response.status_code == 401


# -- failures of the store or of the code ----------------------------------------------------


class _Broken:
    """A store (duck-typed, not embedded) whose reads fail: with a database error, or a bug."""

    backend = "broken"

    def close(self) -> None:
        pass

    @contextmanager
    def read_session(self) -> Iterator[_Broken]:
        yield self

    def version(self) -> str:
        return "0"

    def counts(self) -> Any:
        raise StoreError("LadybugDB: IO exception at /secret/path/db.lbug")

    def get_organization(self, org_id: str) -> Any:
        raise RuntimeError("internal detail: password=hunter2")


def test_store_and_unexpected_errors_hide_internals(caplog: pytest.LogCaptureFixture) -> None:
    app = create_app(Settings(api_key=None), store=_Broken())  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as client:
        assert client.get("/api/health").json() == {"status": "ok", "backend": "broken"}
        unavailable = client.get("/api/stats")
        assert unavailable.status_code == 503
        assert unavailable.json()["type"] == "store_unavailable"
        assert "/secret/path" not in unavailable.text
        crashed = client.get("/api/organizations/x")
        assert crashed.status_code == 500
        assert crashed.json() == {"detail": "internal server error", "type": "internal_error"}
        assert "hunter2" not in crashed.text
        no_trace(crashed)
    assert "hunter2" in caplog.text  # logged for the operator


# -- the application's own store -------------------------------------------------------------


def test_app_opens_its_store_once_and_closes_it(
    tmp_db: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    settings = Settings(db=tmp_db, api_key=None, buffer_pool_mb=128)
    app = create_app(settings)
    with TestClient(app, headers=CSRF) as client:
        assert client.get("/api/health").json()["backend"] == "embedded"
        assert client.post("/api/import", files=files_of(*tiny_ecosystem)).status_code == 200
        store = app.state.store
        assert client.get("/api/stats").json()["nodes"] == 6
        assert app.state.store is store  # one store for the whole process
    assert app.state.store is None
    with EmbeddedStore(tmp_db, buffer_pool_bytes=128 * 1024**2) as reopened:  # released
        assert reopened.counts().nodes == 6


def test_injected_store_is_left_open(store: EmbeddedStore) -> None:
    app = create_app(Settings(api_key=None), store=store)
    for _ in range(2):  # started twice: the second start reuses the injected store
        with TestClient(app, headers=CSRF) as client:
            assert client.get("/api/stats").status_code == 200
    assert store.counts().nodes == 0


def test_cached_analyses_follow_every_write(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    assert client.post("/api/import", files=files_of(*tiny_ecosystem)).status_code == 200
    body = {"filters": {}, "metrics": ["degree"], "top": 50}
    first = client.post("/api/analytics/centrality", json=body).json()
    assert client.post("/api/analytics/centrality", json=body).json() == first  # from cache
    nodes = {row["id"] for row in first["degree"]}
    put = client.put("/api/organizations/newco", json={"name": "NewCo", "kind": "company"})
    assert put.status_code == 201
    after = client.post("/api/analytics/centrality", json=body).json()
    assert {row["id"] for row in after["degree"]} == nodes | {"newco"}
    graph = client.post("/api/subgraph", json={}).json()
    assert "newco" in {node["id"] for node in graph["nodes"]}


# -- relationships one by one, history, revert ----------------------------------------------


def test_relationship_edits_history_and_revert(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    client.post("/api/import", files=files_of(*tiny_ecosystem))
    body = {"weight": 2, "evidence": "met at the fair"}
    created = client.put("/api/relationships/bolt/supplies/cogs", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["type"] == "SUPPLIES" and created.headers["X-EcoMap-Change"] == "2"
    version = {"If-Match": created.headers["ETag"]}
    same = client.put("/api/relationships/bolt/SUPPLIES/cogs", json=body, headers=version)
    assert same.status_code == 200 and "X-EcoMap-Change" not in same.headers
    assert same.headers["ETag"] == created.headers["ETag"]  # nothing changed
    assert client.put("/api/relationships/bolt/MEMBER_OF/cogs", json={}).status_code == 409
    assert client.put("/api/relationships/nope/SUPPLIES/cogs", json={}).status_code == 404
    assert client.put("/api/relationships/bolt/cogs", json={}).status_code == 404
    gone = client.delete("/api/relationships/bolt/SUPPLIES/cogs", headers=version)
    assert gone.json()["relationships"] == ["bolt SUPPLIES cogs"] and gone.json()["change_id"] == 3
    listed = client.get("/api/history", params={"limit": 2})
    assert [c["id"] for c in listed.json()] == [3, 2]
    assert listed.headers["X-EcoMap-Truncated"] == "true"
    bolt = client.get("/api/organizations/bolt/history").json()
    assert [c["id"] for c in bolt] == [3, 2, 1]
    assert set(bolt[0]) == {"id", "at", "author", "source", "changes"}
    assert bolt[0]["source"] == "API DELETE /api/relationships/bolt/SUPPLIES/cogs"
    undone = client.post("/api/history/3/revert")
    assert undone.json() == {"change_id": 4} and undone.headers["X-EcoMap-Change"] == "4"
    assert client.post("/api/history/2/revert").status_code == 409  # 4 re-made it since
    assert client.post("/api/history/99/revert").status_code == 404


def test_import_modes_and_dry_run(client: TestClient, write_csv: Any) -> None:
    orgs = write_csv("o.csv", f"{ORG_HEADER}\na1,Alpha,company,sme,,,Turin,,IT,,,,,,\n")
    client.post("/api/import", files=files_of(orgs))
    names = write_csv("names.csv", "id,name,city\na1,Alpha Two,\n")
    dry = client.post("/api/import", files=files_of(names), data={"dry_run": "true"})
    assert dry.json()["dry_run"] is True
    # the edit would also verify the record: verified_at changes when a second has passed
    assert [c for c in dry.json()["changes"] if c["field"] != "verified_at"] == [
        {"entity": "a1", "field": "name", "before": "Alpha", "after": "Alpha Two"}
    ]
    assert client.get("/api/organizations/a1").json()["name"] == "Alpha"
    cleared = client.post("/api/import", files=files_of(names), data={"mode": "clear_empty"})
    assert cleared.json()["change_id"] == 2
    assert client.get("/api/organizations/a1").json()["city"] is None
