"""Interactive maps: page structure, embedded data, legend, aggregation, escaping, CLI."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from factories import org, rel
from typer.testing import CliRunner

from app.cli import app
from app.errors import NotFoundError
from app.filters import FilterSpec
from app.render.network_map import vis_network_assets
from app.services.maps import MapOptions, build_map, draw_map, fetch_map_graph
from app.store.embedded import EmbeddedStore
from graph_analytics import collaboration_network, detect_communities

HOSTILE = "<img src=x onerror=alert(1)>"


class Page(HTMLParser):
    """Collects what a map page loads and shows: tags with src/href, scripts, ids, texts."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str]] = []
        self.scripts: list[dict[str, str | None]] = []
        self.ids: dict[str, dict[str, str | None]] = {}
        self.texts: list[str] = []
        self.tags: list[str] = []
        self.toggles: dict[str, set[str]] = {}
        self._in: str | None = None
        self.data_json = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        for name in ("src", "href", "srcset", "data", "action"):
            if found.get(name):
                self.references.append((tag, str(found[name])))
        if found.get("id"):
            self.ids[str(found["id"])] = found
        if tag == "input" and found.get("data-toggle"):
            self.toggles.setdefault(str(found["data-toggle"]), set()).add(str(found["value"]))
        if tag == "script":
            self.scripts.append(found)
            self._in = found.get("id") or "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "ecomap-data":
            self.data_json += data
        elif self._in is None and data.strip():
            self.texts.append(data.strip())


def parse(html: str) -> tuple[Page, dict[str, Any]]:
    page = Page()
    page.feed(html)
    return page, json.loads(page.data_json)


@pytest.fixture(scope="module")
def sample_map(sample_store: EmbeddedStore) -> tuple[Page, dict[str, Any], str]:
    html = build_map(sample_store, FilterSpec(), MapOptions(color_by="cluster")).html
    page, data = parse(html)
    return page, data, html


def test_page_is_self_contained(sample_map: tuple[Page, dict[str, Any], str]) -> None:
    page, _, _ = sample_map
    assert page.references == []  # no src, href or srcset: nothing is fetched
    assert page.scripts and all("src" not in script for script in page.scripts)
    assert "link" not in page.tags


def test_vis_network_is_the_vendored_npm_build() -> None:
    # the inlined library is EcoMap's package data, exactly as its README records it
    js, css = vis_network_assets()
    readme = resources.files("app.render").joinpath("static", "vis-network", "README.md")
    provenance = readme.read_text(encoding="utf-8")
    assert js.startswith("/**\n * vis-network\n") and "@version 9.1.2\n" in js
    assert provenance.startswith("# vis-network 9.1.2 ")
    for name, text in (("vis-network.min.js", js), ("vis-network.min.css", css)):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        assert f"`{name}` | " in provenance and f"`{digest}`" in provenance, name


def test_every_organization_is_drawn_with_position_and_tooltip(
    sample_store: EmbeddedStore, sample_map: tuple[Page, dict[str, Any], str]
) -> None:
    _, data, _ = sample_map
    graph = sample_store.subgraph(FilterSpec()).graph
    assert {n["id"] for n in data["nodes"]} == set(graph)
    for node in data["nodes"]:
        assert isinstance(node["x"], float | int) and isinstance(node["y"], float | int)
        assert node["tip"][0] == ["name", graph.nodes[node["id"]]["name"]]
    pairs = {frozenset((u, v)) for u, v in graph.edges() if u != v}
    assert {frozenset((e["from"], e["to"])) for e in data["edges"]} == pairs
    labelled = [n for n in data["nodes"] if n["label"]]
    assert len(labelled) == 25


def test_legend_lists_colours_sizes_kinds_and_tie_types(
    sample_store: EmbeddedStore, sample_map: tuple[Page, dict[str, Any], str]
) -> None:
    page, data, _ = sample_map
    assert "ecomap-legend" in page.ids
    graph = sample_store.subgraph(FilterSpec()).graph  # organizations; clusters are attributes
    kinds = {kind for _, kind in graph.nodes(data="kind")}
    types = {rel_type for _, _, rel_type in graph.edges(data="type")}
    assert page.toggles == {"kind": kinds, "type": types}
    assert len(types) == 5 and "MEMBER_OF" not in types
    for rel_type in types:
        assert any(rel_type in e["types"] for e in data["edges"]), rel_type
    legend_text = " ".join(page.texts)
    assert "Colour: declared cluster (of several: the largest)" in legend_text
    assert "Size: partners (degree)" in legend_text
    # every declared cluster of the sample is a legend entry, by name
    clusters = sample_store.list_organizations(FilterSpec(kinds=["cluster"]), limit=50).items
    assert all(c.name in page.texts for c in clusters)


def test_colour_by_community_matches_the_detected_communities(
    sample_store: EmbeddedStore,
) -> None:
    html = build_map(sample_store, FilterSpec(), MapOptions(color_by="community")).html
    _, data = parse(html)
    collab = collaboration_network(sample_store.subgraph(FilterSpec()).graph)
    found = detect_communities(collab, seed=0)
    by_color: dict[str, set[int]] = {}
    for node in data["nodes"]:
        by_color.setdefault(node["color"]["background"], set()).add(found[node["id"]])
    # one colour per community, except the grey shared by communities beyond the palette
    assert all(len(c) == 1 for color, c in by_color.items() if color != "#B0B0B0")


def test_large_selection_is_aggregated_into_communities(sample_store: EmbeddedStore) -> None:
    result = build_map(sample_store, FilterSpec(), MapOptions(max_nodes=50))
    page, data = parse(result.html)
    collab = collaboration_network(sample_store.subgraph(FilterSpec()).graph)
    found = detect_communities(collab, seed=0)
    assert result.aggregated == "community"
    assert len(data["nodes"]) == len(set(found.values()))
    members = sorted(int(n["tip"][1][1].replace(",", "")) for n in data["nodes"])
    sizes = sorted(list(found.values()).count(c) for c in set(found.values()))
    assert members == sizes
    assert any("more than the 50 drawn one by one" in t for t in page.texts)


def test_drilling_into_a_circle_draws_exactly_its_members(sample_store: EmbeddedStore) -> None:
    """Each circle of the aggregated map opens as the map of as many organizations as it
    counted (the communities are the same however the selection was read), and a circle the
    map does not have is refused."""
    options = MapOptions(max_nodes=50)
    _, data = parse(build_map(sample_store, FilterSpec(), options).html)
    circles = {n["id"]: int(n["tip"][1][1].replace(",", "")) for n in data["nodes"]}
    assert all(n["drillable"] for n in data["nodes"])
    for circle, members in circles.items():
        drilled = MapOptions(max_nodes=500, drill=(circle,))
        result = build_map(sample_store, FilterSpec(), drilled)
        _, inner = parse(result.html)
        assert result.aggregated is None and len(inner["nodes"]) == members
        assert not any(n.get("drillable") for n in inner["nodes"])
    deeper = build_map(sample_store, FilterSpec(), MapOptions(max_nodes=10, drill=("1",)))
    assert deeper.aggregated == "community" and deeper.banners[0].startswith("Community 1: ")
    with pytest.raises(NotFoundError, match="no community '99'"):
        build_map(sample_store, FilterSpec(), MapOptions(max_nodes=50, drill=("99",)))


def test_fetched_graph_travels_pickled_and_draws_the_same_map(
    sample_store: EmbeddedStore,
) -> None:
    """The draw step needs nothing but the fetched data (the API draws in a worker)."""
    options = MapOptions(color_by="community", size_by="pagerank", max_nodes=60)
    whole = build_map(sample_store, FilterSpec(), options)
    fetched = pickle.loads(pickle.dumps(fetch_map_graph(sample_store, FilterSpec(), options)))
    drawn = draw_map(fetched, options)
    assert pickle.loads(pickle.dumps(drawn)) == drawn
    assert (drawn.html, drawn.aggregated, drawn.banners) == (
        whole.html,
        whole.aggregated,
        whole.banners,
    )


def test_top_and_cluster_views(sample_store: EmbeddedStore) -> None:
    top = build_map(sample_store, FilterSpec(), MapOptions(max_nodes=40, aggregate_by="top"))
    assert top.aggregated == "top" and top.drawn_nodes == 40
    view = build_map(sample_store, FilterSpec(), MapOptions(view="clusters"))
    _, data = parse(view.html)
    clusters = sample_store.list_organizations(FilterSpec(kinds=["cluster"]), limit=50).items
    assert {n["id"] for n in data["nodes"]} == {c.id for c in clusters}
    assert view.aggregated == "clusters"


def test_geographic_layout_counts_organizations_without_coordinates(
    store: EmbeddedStore,
) -> None:
    store.upsert(
        [org("north", lat=60.0, lon=10.0), org("south", lat=40.0, lon=10.0), org("nowhere")],
        [rel("north", "south", "COLLABORATES_WITH"), rel("south", "nowhere", "SUPPLIES")],
    )
    result = build_map(store, FilterSpec(), MapOptions(layout="geo"))
    page, data = parse(result.html)
    at = {n["id"]: (n["x"], n["y"]) for n in data["nodes"]}
    assert at["north"][1] < at["south"][1]  # north is up
    assert at["nowhere"][0] > max(at["north"][0], at["south"][0])  # set aside on the right
    assert any("1 organizations without coordinates" in t for t in page.texts)
    assert "ecomap-relayout" not in page.ids


def test_hostile_names_stay_text(store: EmbeddedStore) -> None:
    store.upsert(
        [
            org("evil", name=HOSTILE, description="</script><script>alert(2)</script>"),
            org("good", name="Good & Co"),
        ],
        [rel("evil", "good", "COLLABORATES_WITH")],
    )
    html = build_map(store, FilterSpec(), MapOptions(title=HOSTILE)).html
    assert HOSTILE not in html
    assert "<script>alert(2)" not in html
    page, data = parse(html)
    names = {n["id"]: n["name"] for n in data["nodes"]}
    assert names["evil"] == HOSTILE  # the data keeps the text; the page never parses it
    assert HOSTILE in page.texts  # the title, as text


def test_cli_map_writes_the_page_and_reports_it(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "sample.lbug"
    assert runner.invoke(app, ["--db", str(db), "demo", "--json"]).exit_code == 0
    out = tmp_path / "maps" / "fashion.html"
    args = [
        "--db",
        str(db),
        "map",
        "--cluster",
        "cl-valmora-fashion",
        "--color-by",
        "sector",
        "--size-by",
        "betweenness",
        "-o",
        str(out),
        "--json",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["path"] == str(out) and summary["aggregated"] is None
    _, data = parse(out.read_text(encoding="utf-8"))
    assert summary["drawn_nodes"] == len(data["nodes"]) == summary["organizations"]
    bad = runner.invoke(app, ["--db", str(db), "map", "--color-by", "mood", "-o", str(out)])
    assert bad.exit_code == 2 and "--color-by" in bad.stderr
    assert not list(out.parent.glob(".fashion.html.*"))  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # readable like any file written


def test_demo_writes_map_and_report(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "demo.lbug"
    result = runner.invoke(app, ["--db", str(db), "demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    out = tmp_path / "out"
    assert result.stdout.strip().splitlines()[-2:] == [
        str(out / "map.html"),
        str(out / "report.html"),
    ]
    page, data = parse((tmp_path / "out" / "map.html").read_text(encoding="utf-8"))
    counts = json.loads(runner.invoke(app, ["--db", str(db), "stats", "--json"]).stdout)
    organizations = counts["nodes"] - counts["by_kind"]["cluster"]  # clusters: attributes
    assert len(data["nodes"]) == organizations and page.references == []


def test_a_limit_under_the_node_cap_draws_organizations(sample_store: EmbeddedStore) -> None:
    # unfiltered but capped: at most `limit` organizations, so nothing to aggregate
    result = build_map(sample_store, FilterSpec(limit=30), MapOptions(max_nodes=50))
    assert result.aggregated is None and result.drawn_nodes == 30
