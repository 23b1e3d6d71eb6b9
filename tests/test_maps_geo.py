"""Geographic maps end to end: the base map in the page, the vendored boundaries, and the
fallback to the force layout (page, CLI, API) when too few organizations have coordinates."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from factories import org, rel
from fastapi.testclient import TestClient
from test_maps import parse
from typer.testing import CliRunner

from app.api import create_app
from app.cli import app
from app.filters import FilterSpec
from app.render.geo_layout import MIN_LOCATED_SHARE
from app.services.maps import MapOptions, build_map, geo_fallback
from app.settings import Settings
from app.store.embedded import EmbeddedStore

BASEMAP = resources.files("app.render").joinpath("static", "basemap")
FILES = ("countries.topo.json.gz", "countries-coarse.topo.json.gz", "regions.topo.json.gz")


def test_vendored_boundaries_are_small_and_as_their_readme_records() -> None:
    readme = BASEMAP.joinpath("README.md").read_text(encoding="utf-8")
    assert "Natural Earth" in readme and "public domain" in readme
    total = 0
    for name in FILES:
        data = BASEMAP.joinpath(name).read_bytes()
        total += len(data)
        digest = hashlib.sha256(data).hexdigest()
        assert f"`{name}`" in readme and f"`{digest}`" in readme, name
        topology = json.loads(gzip.decompress(data))
        assert topology["type"] == "Topology" and topology["arcs"]
    assert total < 400_000  # a few hundred KB in all


def test_geographic_sample_map_draws_the_base_map(sample_store: EmbeddedStore) -> None:
    result = build_map(sample_store, FilterSpec(), MapOptions(layout="geo"))
    assert result.layout == "geo" and result.warnings == []
    page, data = parse(result.html)
    assert page.references == []  # still nothing fetched
    basemap = data["basemap"]
    assert basemap["land"] and basemap["regions"]  # inland northern Italy: region lines
    # the sample's ten foreign partners: Milan is near enough to be drawn to scale, the
    # others are edge markers (Barcelona's two share one)
    ids = sorted(i for marker in basemap["markers"] for i in marker["ids"])
    assert len(ids) == 8 and "co-nordhaven-retail" in ids
    assert not any("lombarda" in i or "ponte" in i for i in ids)  # the Milanese
    assert any("drawn at the map's edge" in text for text in page.texts)
    assert any("Natural Earth" in text for text in page.texts)
    assert "window.EcoMapBasemap = {" in result.html  # basemap.js, inlined
    assert len(result.html) < 1_500_000
    force = build_map(sample_store, FilterSpec(), MapOptions()).html
    assert "window.EcoMapBasemap = {" not in force and '"basemap"' not in force


def few_coordinates(store: EmbeddedStore) -> None:
    store.upsert(
        [org("north", lat=60.0, lon=10.0), org("nowhere"), org("elsewhere")],
        [rel("north", "nowhere", "COLLABORATES_WITH"), rel("nowhere", "elsewhere", "SUPPLIES")],
    )


def test_too_few_coordinates_fall_back_to_force_and_say_so(store: EmbeddedStore) -> None:
    assert MIN_LOCATED_SHARE == 0.5
    few_coordinates(store)
    result = build_map(store, FilterSpec(), MapOptions(layout="geo"))
    assert result.layout == "force"
    [warning] = result.warnings
    assert warning.startswith("Only 1 of 3 organizations (33%) have coordinates")
    assert "force layout instead" in warning and warning in result.banners
    page, data = parse(result.html)
    assert warning in page.texts  # the visible note above the map
    assert "basemap" not in data
    assert "ecomap-relayout" in page.ids  # a force map again


def test_geo_fallback_threshold() -> None:
    import networkx as nx

    G = nx.Graph()
    G.add_node("a", lat=1.0, lon=1.0)
    G.add_node("b")
    assert geo_fallback(G) is None  # exactly half is enough
    G.add_node("c")
    assert geo_fallback(G) is not None
    assert geo_fallback(nx.Graph()) is None


def test_cli_warns_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "few.lbug"
    with EmbeddedStore(db, buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3) as store:
        few_coordinates(store)
    out = tmp_path / "map.html"
    args = ["--db", str(db), "map", "--layout", "geo", "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "warning: Only 1 of 3 organizations" in result.stderr
    assert result.stdout.strip() == str(out)
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)  # nothing else on stdout
    assert summary["layout"] == "force" and summary["warnings"][0].startswith("Only 1 of 3")
    assert "warning: Only 1 of 3 organizations" in result.stderr


@pytest.fixture
def few_client(store: EmbeddedStore) -> Iterator[TestClient]:
    few_coordinates(store)
    with TestClient(create_app(Settings(), store=store)) as client:
        yield client


def test_api_map_shows_the_warning(few_client: TestClient) -> None:
    response = few_client.post("/api/maps", json={"layout": "geo"})
    assert response.status_code == 200
    page, data = parse(response.text)
    assert any(text.startswith("Only 1 of 3 organizations") for text in page.texts)
    assert "basemap" not in data


def test_a_geographic_map_of_circles_says_it_is_not_geographic(
    sample_store: EmbeddedStore,
) -> None:
    for options in (
        MapOptions(layout="geo", max_nodes=20),
        MapOptions(layout="geo", view="clusters"),
    ):
        result = build_map(sample_store, FilterSpec(), options)
        assert result.aggregated is not None and result.layout == "force"
        assert (
            len(result.warnings) == 1
            and "geographic layout draws organizations" in result.warnings[0]
        )
        assert result.warnings[0] in result.banners
