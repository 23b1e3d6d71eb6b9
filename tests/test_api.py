"""The HTTP API's read routes, in process through ``TestClient``, on the shared sample store.

The sample store is injected and only read; writes are in ``test_api_writes.py``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from export_oracle import expected_export
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api import create_app
from app.cli import app as cli_app
from app.filters import FilterSpec
from app.services.sample import sample_paths
from app.settings import Settings
from app.store.embedded import EmbeddedStore

CENTER = "co-voltaris-motors"
FAR = "co-albardo-cloud"  # five shortest paths of length 3 from CENTER
CLUSTER = "cl-valmora-digital"


@pytest.fixture(scope="module")
def client(sample_store: EmbeddedStore) -> Iterator[TestClient]:
    app = create_app(Settings(api_key="secret"), store=sample_store)
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def ok(response: Any) -> Any:
    assert response.status_code == 200, (response.status_code, response.text)
    return response.json()


def error(response: Any, status: int, error_type: str) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text)
    body: dict[str, Any] = response.json()
    assert body["type"] == error_type
    assert "Traceback" not in response.text and 'File "' not in response.text
    return body


# -- health, stats, OpenAPI ------------------------------------------------------------------


def test_health_names_the_backend(client: TestClient) -> None:
    assert ok(client.get("/api/health")) == {"status": "ok", "backend": "embedded"}


def test_stats_counts_the_sample(client: TestClient, sample_store: EmbeddedStore) -> None:
    assert ok(client.get("/api/stats")) == sample_store.counts().model_dump()


def test_openapi_lists_every_route(client: TestClient) -> None:
    schema = ok(client.get("/openapi.json"))
    assert schema["info"]["title"] == "EcoMap"
    routes = {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}
    assert routes >= {
        ("GET", "/api/health"),
        ("GET", "/api/stats"),
        ("POST", "/api/import"),
        ("GET", "/api/organizations"),
        ("GET", "/api/organizations/{org_id}"),
        ("PUT", "/api/organizations/{org_id}"),
        ("DELETE", "/api/organizations/{org_id}"),
        ("GET", "/api/organizations/{org_id}/ego"),
        ("POST", "/api/subgraph"),
        ("GET", "/api/path"),
        ("POST", "/api/analytics/centrality"),
        ("POST", "/api/analytics/communities"),
        ("POST", "/api/analytics/brokerage"),
        ("POST", "/api/analytics/health"),
        ("POST", "/api/analytics/links"),
        ("POST", "/api/maps"),
        ("GET", "/api/export"),
    }
    assert "APIKeyHeader" in schema["components"]["securitySchemes"]
    assert client.get("/docs").status_code == 200


def test_unknown_route_and_method_are_json(client: TestClient) -> None:
    error(client.get("/api/nothing-here"), 404, "not_found")
    error(client.patch("/api/stats"), 405, "method_not_allowed")


# -- organizations ---------------------------------------------------------------------------


def test_organizations_filter_and_page(client: TestClient) -> None:
    first = ok(client.get("/api/organizations", params={"kind": "company", "limit": 5}))
    assert [o["kind"] for o in first["items"]] == ["company"] * 5
    assert first["offset"] == 0 and first["limit"] == 5 and first["has_more"] is True
    ids = [o["id"] for o in first["items"]]
    assert ids == sorted(ids)
    second = ok(
        client.get("/api/organizations", params={"kind": "company", "limit": 5, "offset": 5})
    )
    assert not {o["id"] for o in second["items"]} & set(ids)
    assert ids[-1] < second["items"][0]["id"]


def test_organizations_every_filter_parameter(client: TestClient) -> None:
    params: dict[str, Any] = {
        "kind": ["Company", "institution"],  # any case, repeatable
        "country": "it",
        "region": "valmora",
        "cluster": CLUSTER,
        "min_employees": 1,
        "founded_from": 1900,
        "limit": 1000,
    }
    page = ok(client.get("/api/organizations", params=params))
    assert page["items"] and not page["has_more"] and page["total"] == len(page["items"])
    for org in page["items"]:
        assert org["kind"] in ("company", "institution") and org["country"] == "IT"
        assert org["employees"] >= 1
    clusters = ok(client.get("/api/organizations", params={"kind": "cluster"}))["items"]
    assert {o["id"] for o in clusters} >= {CLUSTER}
    found = ok(client.get("/api/organizations", params={"search": "VOLTARIS"}))["items"]
    assert CENTER in {o["id"] for o in found}
    none = ok(client.get("/api/organizations", params={"tag": "no-such-tag"}))
    assert none == {"items": [], "offset": 0, "limit": 50, "has_more": False, "total": 0}


@pytest.mark.parametrize(
    ("params", "where"),
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"kind": "planet"}, "kind"),
        ({"min_employees": 10, "max_employees": 5}, "max_employees"),
        ({"min_employees": "many"}, "min_employees"),
        ({"rel_type": "KNOWS"}, "rel_type"),
    ],
)
def test_organizations_invalid_query_is_422(
    client: TestClient, params: dict[str, Any], where: str
) -> None:
    body = error(client.get("/api/organizations", params=params), 422, "invalid_request")
    assert any(e["loc"][-1] == where or where in e["loc"] for e in body["errors"]), body


def test_one_organization_and_404(client: TestClient, sample_store: EmbeddedStore) -> None:
    org = ok(client.get(f"/api/organizations/{CENTER}"))
    assert org == sample_store.get_organization(CENTER).model_dump(mode="json")
    body = error(client.get("/api/organizations/no-such-org"), 404, "not_found")
    assert "no-such-org" in body["detail"]


def test_ego_network(client: TestClient) -> None:
    data = ok(client.get(f"/api/organizations/{CENTER}/ego", params={"hops": 2}))
    assert data["center"] == CENTER and data["hops"] == 2
    graph = nx.node_link_graph(data, edges="links")
    assert CENTER in graph and len(graph) > 1
    assert {attrs["distance"] for _, attrs in graph.nodes(data=True)} == {0, 1, 2}
    supplies = ok(client.get(f"/api/organizations/{CENTER}/ego", params={"rel_type": "supplies"}))
    assert {link["type"] for link in supplies["links"]} <= {"SUPPLIES"}
    error(client.get("/api/organizations/no-such-org/ego"), 404, "not_found")
    error(
        client.get(f"/api/organizations/{CENTER}/ego", params={"hops": 4}), 422, "invalid_request"
    )


# -- graph -----------------------------------------------------------------------------------


def test_subgraph_of_a_filter(client: TestClient) -> None:
    data = ok(client.post("/api/subgraph", json={"clusters": [CLUSTER], "limit": 10}))
    assert len(data["nodes"]) == 10 and data["truncated"] is True and data["limit"] == 10
    ids = {n["id"] for n in data["nodes"]}
    assert all(CLUSTER in n["clusters"] for n in data["nodes"])
    assert all(link["source"] in ids and link["target"] in ids for link in data["links"])
    with_clusters = ok(
        client.post("/api/subgraph?include_clusters=true", json={"kinds": ["cluster"]})
    )
    assert {n["kind"] for n in with_clusters["nodes"]} == {"cluster"}
    bad = error(client.post("/api/subgraph", json={"kinds": ["planet"]}), 422, "invalid_request")
    assert bad["errors"][0]["loc"][:2] == ["body", "kinds"]
    error(client.post("/api/subgraph", json={"nope": 1}), 422, "invalid_request")
    error(
        client.post(
            "/api/subgraph", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
        "invalid_request",
    )


def test_shortest_paths(client: TestClient) -> None:
    data = ok(client.get("/api/path", params={"source": CENTER, "target": FAR}))
    assert data["length"] == 3 and len(data["paths"]) == 5
    capped = ok(client.get("/api/path", params={"source": CENTER, "target": FAR, "limit": 2}))
    assert len(capped["paths"]) == 2 and capped["truncated"] is True
    short = ok(client.get("/api/path", params={"source": CENTER, "target": FAR, "max_length": 2}))
    assert short["paths"] == [] and short["length"] is None
    error(client.get("/api/path", params={"source": CENTER, "target": "nope"}), 404, "not_found")
    error(client.get("/api/path", params={"source": CENTER}), 422, "invalid_request")


# -- analytics -------------------------------------------------------------------------------


def _rounded(value: Any) -> Any:
    """``value`` with every float rounded to 12 digits: sums over sets of ids may add in
    another order in another process (string hashes are salted per process)."""
    if isinstance(value, float):
        return round(value, 12)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_rounded(item) for item in value]
    return value


def test_analyses_in_worker_processes_answer_the_same(
    client: TestClient, sample_store: EmbeddedStore
) -> None:
    """With ECOMAP_ANALYTICS_WORKERS, every analysis runs in spawned processes: the same
    JSON as in the server process, and the pool ends with the application."""
    body = {"filters": {"clusters": ["cl-valmora-mobility"]}, "top": 5}
    requests = {
        "centrality": body,
        "communities": {"seed": 3},
        "brokerage": {"group_by": "kind", "top": 5},
        "health": {"filters": {"clusters": ["cl-valmora-mobility"]}, "seed": 1},
        "links": {"org": CENTER, "top": 5},
    }
    expected = {
        name: ok(client.post(f"/api/analytics/{name}", json=request))
        for name, request in requests.items()
    }
    app = create_app(Settings(api_key=None, analytics_workers=1), store=sample_store)
    with TestClient(app) as pooled:
        pool = app.state.analytics
        assert pool is not None
        for name, request in requests.items():
            got = ok(pooled.post(f"/api/analytics/{name}", json=request))
            assert _rounded(got) == _rounded(expected[name]), name
    assert app.state.analytics is None
    with pytest.raises(RuntimeError):
        pool.submit(int)  # shut down


def test_centrality(client: TestClient) -> None:
    data = ok(
        client.post("/api/analytics/centrality", json={"metrics": ["degree", "pagerank"], "top": 3})
    )
    assert set(data) == {"degree", "pagerank"}
    assert all(len(rows) == 3 and set(rows[0]) == {"id", "name", "score"} for rows in data.values())
    # Every metric but eigenvector, which is undefined on the (disconnected) sample network.
    metrics = ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank"]
    assert set(ok(client.post("/api/analytics/centrality", json={"metrics": metrics}))) == set(
        metrics
    )
    error(
        client.post("/api/analytics/centrality", json={"metrics": ["fame"]}), 422, "invalid_request"
    )
    error(client.post("/api/analytics/centrality", json={"top": 0}), 422, "invalid_request")


def test_analysis_undefined_on_the_selection_is_422_not_500(client: TestClient) -> None:
    """Eigenvector centrality is undefined on a disconnected network (NetworkX refuses)."""
    response = client.post(
        "/api/analytics/centrality",
        json={"filters": {"clusters": [CLUSTER]}, "metrics": ["eigenvector"]},
    )
    if response.status_code != 200:
        body = error(response, 422, "analysis_failed")
        assert "disconnected" in body["detail"]


def test_communities_brokerage_health(client: TestClient) -> None:
    communities = ok(client.post("/api/analytics/communities", json={"algorithm": "louvain"}))
    assert communities["algorithm"] == "louvain" and communities["communities"] >= 2
    brokers = ok(client.post("/api/analytics/brokerage", json={"group_by": "kind", "top": 4}))
    assert brokers["group_by"] == "kind" and len(brokers["organizations"]) == 4
    health = ok(client.post("/api/analytics/health", json={"filters": {"clusters": [CLUSTER]}}))
    assert health["nodes"] > 0 and "density" in health
    error(
        client.post("/api/analytics/brokerage", json={"group_by": "mood"}), 422, "invalid_request"
    )
    error(
        client.post("/api/analytics/communities", json={"resolution": -1}), 422, "invalid_request"
    )


def test_links(client: TestClient) -> None:
    data = ok(
        client.post(
            "/api/analytics/links",
            json={"top": 5, "method": "jaccard", "from": ["company"], "to": ["university"]},
        )
    )
    assert 0 < len(data) <= 5 and {"source", "target", "score", "reason"} <= set(data[0])
    assert [s["target_kind"] for s in data] == ["institution"] * len(data)
    mine = ok(client.post("/api/analytics/links", json={"org": CENTER, "top": 3}))
    assert all(CENTER in (s["source"], s["target"]) for s in mine)
    body = error(client.post("/api/analytics/links", json={"org": "nope"}), 404, "not_found")
    assert "nope" in body["detail"]
    error(client.post("/api/analytics/links", json={"within_cluster": "nope"}), 404, "not_found")


# -- maps and export -------------------------------------------------------------------------


def test_map_is_a_html_page(client: TestClient) -> None:
    response = client.post(
        "/api/maps",
        json={"filters": {"clusters": [CLUSTER]}, "color_by": "type", "title": "Digital <b>"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.lstrip().lower().startswith("<!doctype html>")
    assert "Digital <b>" not in response.text  # the title is escaped
    assert int(response.headers["x-ecomap-organizations"]) > 0
    error(client.post("/api/maps", json={"layout": "spiral"}), 422, "invalid_request")


def test_map_is_drawn_in_a_worker_process_and_answers_the_same(
    client: TestClient, sample_store: EmbeddedStore
) -> None:
    """With ECOMAP_ANALYTICS_WORKERS the whole drawing (metrics, communities, aggregation,
    layout, page) is one task of a worker, which submits nothing further: the same page as
    in the server process."""
    bodies = [
        {"filters": {"clusters": [CLUSTER]}, "color_by": "community", "size_by": "betweenness"},
        {"max_nodes": 20, "seed": 4},  # aggregated into Leiden communities
    ]
    expected = [client.post("/api/maps", json=body) for body in bodies]
    app = create_app(Settings(api_key=None, analytics_workers=1), store=sample_store)
    with TestClient(app) as pooled:
        pool = app.state.analytics
        submitted: list[str] = []
        submit = pool.submit

        def spy(fn: Any, /, *args: Any, **kwargs: Any) -> Any:
            submitted.append(f"{fn.__module__}.{fn.__qualname__}")
            assert kwargs.get("executor") is None
            return submit(fn, *args, **kwargs)

        pool.submit = spy
        answers = [pooled.post("/api/maps", json=body) for body in bodies]
    assert submitted == ["app.services.maps.draw_map"] * len(bodies)
    for answer, alone in zip(answers, expected, strict=True):
        assert answer.status_code == alone.status_code == 200
        assert answer.text == alone.text
        drawn = ("x-ecomap-organizations", "x-ecomap-drawn-nodes", "x-ecomap-drawn-edges")
        assert [answer.headers[h] for h in drawn] == [alone.headers[h] for h in drawn]


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json"])
def test_export_single_file(client: TestClient, sample_store: EmbeddedStore, fmt: str) -> None:
    response = client.get("/api/export", params={"format": fmt})
    assert response.status_code == 200
    assert f'filename="ecomap.{fmt}"' in response.headers["content-disposition"]
    if fmt == "json":
        data = json.loads(response.content)
        assert len(data["nodes"]) == sample_store.counts().nodes
    else:
        graph = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(
            io.BytesIO(response.content)
        )
        assert graph.number_of_nodes() == sample_store.counts().nodes


def test_export_csv_is_a_zip_of_the_pair(client: TestClient, sample_store: EmbeddedStore) -> None:
    """The pair, and the history (the sample's import: one change set)."""
    response = client.get("/api/export", params={"format": "csv"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        names = ["history.jsonl", "organizations.csv", "relationships.csv"]
        assert sorted(archive.namelist()) == names
        orgs = archive.read("organizations.csv").decode().splitlines()
        assert len(archive.read("history.jsonl").decode().splitlines()) == 1
    assert len(orgs) == sample_store.counts().nodes + 1
    error(client.get("/api/export", params={"format": "pdf"}), 422, "invalid_request")
    error(client.get("/api/export"), 422, "invalid_request")


def _without_stamps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows without the times each store wrote and verified them, nor who verified them."""
    stamps = ("updated_at", "verified_at", "verified_by")
    return [{k: v for k, v in row.items() if k not in stamps} for row in rows]


def test_filtered_export_is_the_clis(client: TestClient, tmp_path: Path) -> None:
    """``GET /api/export`` takes the FILTERS of ``GET /api/organizations`` and answers what
    ``ecomap export`` writes for the same filters (on its own copy of the sample)."""
    db, out = tmp_path / "sample.lbug", tmp_path / "cli.json"
    runner = CliRunner()
    filters = ["--cluster", CLUSTER, "--rel-type", "SUPPLIES"]
    for args in (
        ["import", *map(str, sample_paths())],
        ["export", "--format", "json", "-o", str(out), *filters],
    ):
        result = runner.invoke(cli_app, ["--db", str(db), *args])
        assert result.exit_code == 0, result.stderr
    expected = json.loads(out.read_text("utf-8"))

    params = {"format": "json", "cluster": CLUSTER, "rel_type": "supplies"}
    response = client.get("/api/export", params=params)
    assert response.status_code == 200
    assert "x-ecomap-truncated" not in response.headers
    document = json.loads(response.content)
    for part in ("nodes", "links"):
        assert _without_stamps(document[part]) == _without_stamps(expected[part])
    _, ids, keys = expected_export(FilterSpec(clusters=[CLUSTER], rel_types=["SUPPLIES"]))
    assert {node["id"] for node in document["nodes"]} == ids
    assert {(r["source"], r["type"], r["target"]) for r in document["links"]} == keys


def test_filtered_csv_export_and_filter_errors(client: TestClient) -> None:
    response = client.get("/api/export", params={"format": "csv", "cluster": CLUSTER})
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        orgs = archive.read("organizations.csv").decode().splitlines()
    _, ids, _ = expected_export(FilterSpec(clusters=[CLUSTER]))
    assert {line.split(",", 1)[0] for line in orgs[1:]} == ids
    bad = client.get("/api/export", params={"format": "json", "kind": "planet"})
    body = error(bad, 422, "invalid_request")
    assert "kind" in json.dumps(body)


def test_export_says_when_the_node_cap_cut_it(
    tmp_path: Path, tiny_ecosystem: tuple[Path, Path]
) -> None:
    from app.services.importing import import_files

    sizes = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
    with EmbeddedStore(tmp_path / "capped.lbug", max_nodes=2, **sizes) as capped:
        import_files(capped, list(tiny_ecosystem))
        with TestClient(create_app(Settings(), store=capped)) as capped_client:
            cut = capped_client.get("/api/export", params={"format": "json", "kind": "company"})
            whole = capped_client.get("/api/export", params={"format": "json"})
    assert cut.status_code == 200 and cut.headers["x-ecomap-truncated"] == "true"
    nodes = json.loads(cut.content)["nodes"]
    assert [n["id"] for n in nodes if n["kind"] == "company"] == ["acme", "bolt"]
    assert whole.status_code == 200 and "x-ecomap-truncated" not in whole.headers
    assert len(json.loads(whole.content)["nodes"]) == 6


def test_reads_never_need_the_key(client: TestClient) -> None:
    """The app has an API key set; no read above sent it."""
    assert client.get("/api/stats", headers={"X-API-Key": "wrong"}).status_code == 200


def test_explorer_page_at_the_root(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert CLUSTER in response.text  # the filter panel offers the sample's clusters


def _map_colors(client: TestClient, filters: dict[str, Any], color_by: str) -> dict[str, str]:
    response = client.post("/api/maps", json={"filters": filters, "color_by": color_by})
    assert response.status_code == 200, response.text
    text = response.text
    start = text.index('<script type="application/json" id="ecomap-data">') + 49
    data = json.loads(text[start : text.index("</script>", start)])
    return {node["id"]: node["color"]["background"] for node in data["nodes"]}


@pytest.mark.parametrize("color_by", ["cluster", "type", "country"])
def test_a_category_keeps_its_colour_in_every_view(client: TestClient, color_by: str) -> None:
    """The colour of a category is its rank in the whole data: a cluster's members are the
    same colour on the full map and on the map of that cluster alone."""
    everyone = _map_colors(client, {}, color_by)
    alone = _map_colors(client, {"clusters": [CLUSTER]}, color_by)
    assert alone and {n: everyone[n] for n in alone} == alone


def test_a_member_of_several_clusters_takes_the_largest(client: TestClient) -> None:
    nodes = ok(client.post("/api/subgraph", json={}))["nodes"]
    clusters = {n["id"]: n.get("clusters") or [] for n in nodes if n.get("kind") != "cluster"}
    size = Counter(c for own in clusters.values() for c in own)
    colors = _map_colors(client, {}, "cluster")
    by_cluster = {c: colors[m] for m, own in clusters.items() if len(own) == 1 for c in own}
    several = {m: own for m, own in clusters.items() if len(own) > 1}
    assert several  # the sample has members of two clusters
    for member, own in several.items():
        largest = min(own, key=lambda c: (-size[c], c))
        assert colors[member] == by_cluster[largest]
