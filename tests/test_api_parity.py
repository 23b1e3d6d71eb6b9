"""The API answers with the JSON the CLI prints with ``--json``, for the same operation on the
same database: the CLI runs first (it opens the database itself), then the API serves it.

Both print the same typed answer of the same service function (:mod:`app.results`), so they
cannot drift apart by construction; this stays as a check of that wiring (options mapped to
the same arguments, nothing added on one side)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from csvdata import ORG_HEADER, REL_HEADER
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.api import create_app
from app.cli import app as cli_app
from app.services.sample import sample_paths
from app.settings import Settings
from app.store.embedded import EmbeddedStore

CENTER = "co-voltaris-motors"
FAR = "co-albardo-cloud"
CLUSTER = "cl-valmora-digital"
SIX_METRICS = ["degree", "weighted_degree", "betweenness", "closeness", "harmonic", "pagerank"]

#: name -> (CLI arguments after --db, API method, path, query or JSON body)
CASES: dict[str, tuple[list[str], str, str, dict[str, Any]]] = {
    "stats": (["stats"], "GET", "/api/stats", {}),
    "orgs": (
        ["orgs", "--kind", "company", "--country", "IT", "--offset", "3", "--limit", "7"],
        "GET",
        "/api/organizations",
        {"kind": "company", "country": "IT", "offset": 3, "limit": 7},
    ),
    "orgs-filters": (
        ["orgs", "--sector", "C29", "--cluster", CLUSTER, "--min-employees", "5", "--search", "a"],
        "GET",
        "/api/organizations",
        {"sector": "C29", "cluster": CLUSTER, "min_employees": 5, "search": "a"},
    ),
    "ego": (["ego", CENTER, "--hops", "2"], "GET", f"/api/organizations/{CENTER}/ego", {"hops": 2}),
    "ego-typed": (
        ["ego", CENTER, "--rel-type", "SUPPLIES", "--rel-type", "funds", "--include-clusters"],
        "GET",
        f"/api/organizations/{CENTER}/ego",
        {"rel_type": ["SUPPLIES", "funds"], "include_clusters": "true"},
    ),
    "path": (
        ["path", CENTER, FAR, "--limit", "3"],
        "GET",
        "/api/path",
        {"source": CENTER, "target": FAR, "limit": 3},
    ),
    "centrality": (
        ["analyze", "centrality", *(f"--metric={m}" for m in SIX_METRICS), "--top", "5"],
        "POST",
        "/api/analytics/centrality",
        {"metrics": SIX_METRICS, "top": 5},
    ),
    "centrality-filtered": (
        ["analyze", "centrality", "--kind", "company", "--metric", "betweenness", "--k", "20"],
        "POST",
        "/api/analytics/centrality",
        {"filters": {"kinds": ["company"]}, "metrics": ["betweenness"], "k": 20},
    ),
    "communities": (
        ["analyze", "communities", "--algorithm", "louvain", "--seed", "3"],
        "POST",
        "/api/analytics/communities",
        {"algorithm": "louvain", "seed": 3},
    ),
    "brokerage": (
        ["analyze", "brokerage", "--group-by", "kind", "--top", "6"],
        "POST",
        "/api/analytics/brokerage",
        {"group_by": "kind", "top": 6},
    ),
    "health": (
        ["analyze", "health", "--cluster", CLUSTER],
        "POST",
        "/api/analytics/health",
        {"filters": {"clusters": [CLUSTER]}},
    ),
    "links": (
        ["links", "--method", "aa", "--top", "5", "--from", "company", "--to", "university"],
        "POST",
        "/api/analytics/links",
        {"method": "aa", "top": 5, "from": ["company"], "to": ["university"]},
    ),
    "links-org": (
        ["links", "--org", CENTER, "--country", "IT"],
        "POST",
        "/api/analytics/links",
        {"org": CENTER, "filters": {"countries": ["IT"]}},
    ),
}

#: What a page of the explorer sends with its requests (an upload needs it).
CSRF = {"X-EcoMap-CSRF": "1"}


def cli_json(runner: CliRunner, db: Path, *args: str) -> Any:
    result = runner.invoke(cli_app, ["--db", str(db), *args, "--json"])
    assert result.exit_code == 0, (args, result.stdout, result.stderr)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[dict[str, Any], TestClient]]:
    """Every CLI answer of CASES, then a client of the API on the same database."""
    db = tmp_path_factory.mktemp("parity") / "eco.lbug"
    runner = CliRunner()
    cli_json(runner, db, "import", *map(str, sample_paths()))
    expected = {name: cli_json(runner, db, *args) for name, (args, *_rest) in CASES.items()}
    store = EmbeddedStore(db, buffer_pool_bytes=256 * 1024**2, max_db_size_bytes=8 * 1024**3)
    try:
        with TestClient(create_app(Settings(api_key=None), store=store), headers=CSRF) as client:
            yield expected, client
    finally:
        store.close()


@pytest.mark.parametrize("name", list(CASES))
def test_api_json_is_the_cli_json(served: tuple[dict[str, Any], TestClient], name: str) -> None:
    expected, client = served
    _, method, path, arguments = CASES[name]
    if method == "GET":
        response = client.get(path, params=arguments)
    else:
        response = client.post(path, json=arguments)
    assert response.status_code == 200, response.text
    assert response.json() == expected[name]


def test_import_report_and_problems_match_the_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    orgs = tmp_path / "bad_orgs.csv"
    rels = tmp_path / "bad_rels.csv"
    orgs.write_text(f"{ORG_HEADER}\na1,Alpha,company,,,,,,,,,,,,\nb1,,planet,,,,,,XX,95,,,,,\n")
    rels.write_text(f"{REL_HEADER}\na1,zz,SUPPLIES,,,,\na1,a1,SUPPLIES,,,,\n")
    result = runner.invoke(
        cli_app, ["--db", str(tmp_path / "cli.lbug"), "import", str(orgs), str(rels), "--json"]
    )
    assert result.exit_code == 2
    cli_problems = json.loads(result.stdout)["problems"]
    cli_report = cli_json(runner, tmp_path / "cli.lbug", "import", *map(str, sample_paths()))

    store = EmbeddedStore(tmp_path / "api.lbug", buffer_pool_bytes=128 * 1024**2)
    with store, TestClient(create_app(Settings(api_key=None), store=store), headers=CSRF) as client:
        upload = [("files", (p.name, p.read_bytes())) for p in (orgs, rels)]
        refused = client.post("/api/import", files=upload)
        sample = [("files", (p.name, p.read_bytes())) for p in sample_paths()]
        report = client.post("/api/import", files=sample).json()
    assert refused.status_code == 422
    assert [p["text"] for p in refused.json()["problems"]] == cli_problems
    assert report == {**cli_report, "files": [Path(f).name for f in cli_report["files"]]}
