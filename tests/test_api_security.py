"""What a web page, a rebinding DNS name or a careless client can send: cross-site writes,
foreign Host headers, bodies a form can forge, bad seeds, lone surrogates, long upload
names, ids with a slash. Each on a fresh embedded database, through the real app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from api_answers import refused
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api import create_app
from app.api.guard import CSRF_HEADER
from app.cli import app as cli_app
from app.domain import Organization
from app.services.analyze import SEED_MAX
from app.settings import Settings
from app.store.embedded import EmbeddedStore

EVIL = "http://evil.example"


def files_of(*paths: Path) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (p.name, p.read_bytes(), "text/csv")) for p in paths]


@pytest.fixture
def client(store: EmbeddedStore) -> Iterator[TestClient]:
    """No API key (the default): only the browser guard stands in the way."""
    app = create_app(Settings(api_key=None), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def loaded(client: TestClient, tiny_ecosystem: tuple[Path, Path]) -> TestClient:
    answer = client.post("/api/import", files=files_of(*tiny_ecosystem), headers={CSRF_HEADER: "1"})
    assert answer.status_code == 200, answer.text
    return client


def nodes(client: TestClient) -> int:
    count: int = client.get("/api/stats").json()["nodes"]
    return count


# -- cross-site writes -----------------------------------------------------------------------


def test_cross_site_multipart_import_is_refused_and_writes_nothing(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    """What any page can send to 127.0.0.1:8000 with a form: refused, even with the CSRF
    header (a cross-site script cannot send it without a preflight, but if it did, Origin
    and Sec-Fetch-Site still refuse it)."""
    files = files_of(*tiny_ecosystem)
    form = {"Origin": EVIL, "Sec-Fetch-Site": "cross-site"}
    refused(client.post("/api/import", files=files, headers=form), 403, "cross_site")
    only_origin = {"Origin": EVIL, CSRF_HEADER: "1"}
    refused(client.post("/api/import", files=files, headers=only_origin), 403, "cross_site")
    only_fetch = {"Sec-Fetch-Site": "cross-site", CSRF_HEADER: "1"}
    refused(client.post("/api/import", files=files, headers=only_fetch), 403, "cross_site")
    refused(client.post("/api/import", files=files, headers={"Origin": "null"}), 403, "cross_site")
    assert nodes(client) == 0


def test_multipart_import_needs_a_csrf_proof(
    client: TestClient, tiny_ecosystem: tuple[Path, Path]
) -> None:
    files = files_of(*tiny_ecosystem)
    body = refused(client.post("/api/import", files=files), 403, "csrf_required")
    assert CSRF_HEADER in body["detail"]
    assert nodes(client) == 0
    same_origin = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    refused(client.post("/api/import", files=files, headers=same_origin), 403, "csrf_required")
    assert client.post("/api/import", files=files, headers={"X-API-Key": "x"}).status_code == 200
    proof = {**same_origin, CSRF_HEADER: "1"}
    assert client.post("/api/import", files=files, headers=proof).status_code == 200
    assert nodes(client) == 6


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", None])
def test_json_routes_need_a_json_content_type(loaded: TestClient, content_type: str | None) -> None:
    """A form or a ``no-cors`` fetch can send these types (or none) without a preflight."""
    headers = {"Content-Type": content_type} if content_type else {}
    body = b'{"name": "Forged", "kind": "company"}'
    if content_type is None:
        put = loaded.build_request("PUT", "/api/organizations/forged", content=body)
        put.headers.pop("content-type", None)
        answer = loaded.send(put)
    else:
        answer = loaded.put("/api/organizations/forged", content=body, headers=headers)
    refused(answer, 415, "unsupported_media_type")
    analysis = loaded.post("/api/analytics/centrality", content=b"{}", headers=headers)
    assert analysis.status_code == 415
    assert loaded.get("/api/organizations/forged").status_code == 404


def test_cross_site_json_writes_and_deletes_are_refused(loaded: TestClient) -> None:
    body = {"name": "Forged", "kind": "company"}
    refused(
        loaded.put("/api/organizations/x", json=body, headers={"Origin": EVIL}), 403, "cross_site"
    )
    cross = {"Sec-Fetch-Site": "cross-site"}
    refused(loaded.delete("/api/organizations/acme", headers=cross), 403, "cross_site")
    assert loaded.get("/api/organizations/acme").status_code == 200
    same = {"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"}
    put = loaded.put("/api/organizations/x", json=body, headers=same)
    assert put.status_code == 201
    local = {"Origin": "http://localhost:8000", "Sec-Fetch-Site": "same-site"}
    version = {"If-Match": put.headers["ETag"]}
    assert loaded.delete("/api/organizations/x", headers=local | version).status_code == 200
    assert loaded.get("/api/organizations/acme", headers=cross).status_code == 200  # reads


# -- Host ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "status"),
    [
        ("evil.example", 400),
        ("evil.example:8000", 400),
        ("127.0.0.1.evil.example", 400),
        ("", 400),
        ("localhost:8000", 200),
        ("LOCALHOST", 200),
        ("127.0.0.1:8000", 200),
        ("[::1]:8000", 200),
        ("testserver", 200),
    ],
)
def test_host_must_be_allowed(store: EmbeddedStore, host: str, status: int) -> None:
    """A rebinding name (the page's own host, now pointing at 127.0.0.1) reads nothing."""
    allowed = ["localhost", "127.0.0.1", "::1", "testserver"]
    app = create_app(Settings(api_key=None, allowed_hosts=allowed), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        answer = test_client.get("/api/stats", headers={"Host": host})
    assert answer.status_code == status, answer.text
    if status == 400:
        refused(answer, 400, "invalid_host")


def test_default_hosts_refuse_the_test_client_name(store: EmbeddedStore) -> None:
    app = create_app(Settings(api_key=None, allowed_hosts=["localhost"]), store=store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        refused(test_client.get("/"), 400, "invalid_host")
        star = create_app(Settings(api_key=None, allowed_hosts=["*"]), store=store)
        with TestClient(star) as any_host:
            assert any_host.get("/api/health", headers={"Host": "anything"}).status_code == 200


# -- smaller ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [-1, SEED_MAX + 1])
def test_map_seed_out_of_range_is_422(loaded: TestClient, seed: int) -> None:
    body = refused(loaded.post("/api/maps", json={"seed": seed}), 422, "invalid_request")
    assert body["errors"][0]["loc"] == ["body", "seed"]
    for route in ("centrality", "communities", "health"):
        answer = loaded.post(f"/api/analytics/{route}", json={"seed": seed})
        refused(answer, 422, "invalid_request")
    assert loaded.post("/api/maps", json={"seed": SEED_MAX}).status_code == 200


def test_cli_map_seed_out_of_range_exits_2(
    tmp_db: Path, tmp_path: Path, runner: CliRunner, tiny_ecosystem: tuple[Path, Path]
) -> None:
    assert (
        runner.invoke(cli_app, ["--db", str(tmp_db), "import", *map(str, tiny_ecosystem)]).exit_code
        == 0
    )
    out = tmp_path / "map.html"
    result = runner.invoke(cli_app, ["--db", str(tmp_db), "map", "--out", str(out), "--seed", "-1"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "--seed" in result.stderr and not out.exists()


@pytest.mark.parametrize(
    "body",
    [
        '{"org": "\\ud800"}',
        '{"within_cluster": "\\udfff"}',
        '{"from": ["company", "\\ud800"]}',
        '{"filters": {"search": "\\ud800x"}}',
        '{"filters": {"clusters": ["\\udc00"]}}',
        '{"\\ud800": 1}',
    ],
)
def test_lone_surrogates_are_422(loaded: TestClient, body: str) -> None:
    headers = {"Content-Type": "application/json"}
    answer = loaded.post("/api/analytics/links", content=body.encode(), headers=headers)
    detail = refused(answer, 422, "invalid_request")["detail"]
    assert "surrogate" in detail
    subgraph = loaded.post("/api/subgraph", content=b'{"search": "\\ud800"}', headers=headers)
    refused(subgraph, 422, "invalid_request")
    put = loaded.put(
        "/api/organizations/acme",
        content=b'{"name": "Acme", "kind": "company", "city": "\\ud800"}',
        headers=headers,
    )
    refused(put, 422, "invalid_request")


def test_long_upload_name_is_422_located(client: TestClient) -> None:
    name = "o" * 296 + ".csv"
    files = [("files", (name, b"id,name,kind\n", "text/csv"))]
    answer = client.post("/api/import", files=files, headers={CSRF_HEADER: "1"})
    body = refused(answer, 422, "invalid_import")
    problem = body["problems"][0]
    assert problem["file"] == "upload #1" and problem["column"] == "filename"
    assert "255" in problem["message"] and len(problem["message"]) < 200


def test_ids_with_a_slash_are_addressable(store: EmbeddedStore, client: TestClient) -> None:
    """Ids stored before ids were restricted may hold ``/``: sent as ``%2F``."""
    base = Organization.model_validate({"id": "plain", "name": "Slash Co", "kind": "company"})
    store.upsert([base.model_copy(update={"id": "a/b"})], [])
    assert client.get("/api/organizations/a%2Fb").json()["id"] == "a/b"
    ego = client.get("/api/organizations/a%2Fb/ego")
    assert ego.status_code == 200 and ego.json()["nodes"][0]["id"] == "a/b"
    version = {"If-Match": client.get("/api/organizations/a%2Fb").headers["ETag"]}
    body = {"name": "Slash Company", "kind": "company"}
    put = client.put("/api/organizations/a%2Fb", json=body, headers=version)
    assert put.status_code == 200, put.text
    assert put.json()["name"] == "Slash Company"
    version = {"If-Match": put.headers["ETag"]}
    assert client.delete("/api/organizations/a%2Fb", headers=version).status_code == 200
    assert client.get("/api/organizations/a%2Fb").status_code == 404
