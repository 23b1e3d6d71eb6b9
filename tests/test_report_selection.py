"""The report of a filtered selection, on the embedded store and on Neo4j: every figure,
ranking and suggestion it shows equals an independent computation, in plain NetworkX, over
the export of the same selection (:func:`app.services.export.export_data`) and of the whole
store; and the page shows them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import networkx as nx
import pytest
from backends import BACKENDS, backend_store
from test_report import Page

from app.filters import FilterSpec
from app.render.report import fmt_percent
from app.services.export import export_data
from app.services.report import report_data
from app.services.report_page import ReportOptions, build_report_page
from app.services.sample import load_sample
from app.store.base import GraphData, GraphStore

SPEC = FilterSpec(
    clusters=["cl-valmora-fashion", "cl-valmora-mobility"], kinds=["company", "institution"]
)
TITLE = "Fashion and mobility"
TOP = 8


@pytest.fixture(scope="module", params=BACKENDS)
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    folder = tmp_path_factory.mktemp(f"report-{request.param}")
    with backend_store(request, request.param, folder) as store:
        load_sample(store)
        yield store


@pytest.fixture(scope="module")
def report(loaded: GraphStore) -> tuple[dict[str, Any], str]:
    """(the report's data, its page as ``ecomap report`` makes it)."""
    data = report_data(loaded, SPEC, top_n=TOP)
    page = build_report_page(loaded, SPEC, ReportOptions(title=TITLE, top_n=TOP))
    return data, page.html


def _network(data: GraphData, kinds: dict[str, str]) -> nx.Graph:
    """Organizations (clusters aside) tied by any relationship; weights add up."""
    G = nx.Graph()
    G.add_nodes_from(org["id"] for org in data.organizations if kinds[org["id"]] != "cluster")
    for rel in data.relationships:
        u, v = rel["source"], rel["target"]
        if u == v or u not in G or v not in G:
            continue
        weight = float(rel.get("weight") or 1.0)
        if G.has_edge(u, v):
            G[u][v]["weight"] += weight
        else:
            G.add_edge(u, v, weight=weight)
    return G


@pytest.fixture(scope="module")
def oracle(loaded: GraphStore) -> dict[str, Any]:
    """The selection's export and the whole store's, and their networks."""
    selection = export_data(loaded, SPEC).data
    whole = export_data(loaded).data
    kinds = {org["id"]: str(org["kind"]) for org in whole.organizations}
    return {
        "selection": selection,
        "kinds": kinds,
        "network": _network(selection, kinds),
        "whole": _network(whole, kinds),
        "names": {org["id"]: org["name"] for org in whole.organizations},
        "clusters": {
            org["id"]: {r["target"] for r in whole.relationships if r["source"] == org["id"]}
            & {o for o, k in kinds.items() if k == "cluster"}
            for org in whole.organizations
        },
    }


def _top(scores: dict[str, float], rows: list[dict[str, Any]]) -> None:
    """``rows`` (id, score) are the highest of ``scores``, with those scores, best first."""
    assert len(rows) == min(TOP, len(scores))
    for row in rows:
        assert row["score"] == pytest.approx(scores[row["id"]], rel=1e-6, abs=1e-9)
    shown = [row["score"] for row in rows]
    assert shown == sorted(shown, reverse=True)
    others = [s for node, s in scores.items() if node not in {row["id"] for row in rows}]
    assert max(others, default=0.0) <= shown[-1] + 1e-9


def test_figures_equal_the_export(report: tuple[dict, str], oracle: dict) -> None:
    data, html = report
    selection, network = oracle["selection"], oracle["network"]
    figures = data["figures"]
    kinds = Counter(oracle["kinds"][org["id"]] for org in selection.organizations)
    types = Counter(str(r["type"]) for r in selection.relationships)
    assert figures["organizations"] == len(selection.organizations)
    assert {k: v for k, v in figures["by_kind"].items() if v} == dict(kinds)
    assert figures["relationships"] == len(selection.relationships)
    assert {k: v for k, v in figures["by_type"].items() if v} == dict(types)
    assert figures["network_organizations"] == network.number_of_nodes()
    assert figures["network_ties"] == network.number_of_edges()
    assert figures["density"] == pytest.approx(nx.density(network))
    parts = sorted(map(len, nx.connected_components(network)), reverse=True)
    assert figures["components"] == len(parts)
    assert figures["largest_component"] == parts[0]
    assert figures["isolates"] == sum(1 for size in parts if size == 1)
    page = Page(html)
    assert page.headings["h1"] == TITLE
    text = page.text("figures")
    assert f"{len(selection.organizations):,}" in text
    assert fmt_percent(nx.density(network)) in text
    scope = " ".join("".join(page.texts).split())
    assert "cluster: Valmora Fashion & Textile District, Valmora Mobility Cluster" in scope


def test_top_actors_equal_networkx(report: tuple[dict, str], oracle: dict) -> None:
    data, html = report
    network = oracle["network"]
    _top(nx.betweenness_centrality(network), data["actors"]["betweenness"])
    _top(
        nx.pagerank(network, weight="weight", tol=1e-13, max_iter=10_000),
        data["actors"]["pagerank"],
    )
    _top(nx.degree_centrality(network), data["actors"]["degree"])
    for row in data["actors"]["degree"]:
        assert row["partners"] == network.degree(row["id"])
    rows = Page(html).body_rows("actors")
    best = data["actors"]["betweenness"][0]
    assert rows[0][:2] == ["1", oracle["names"][best["id"]]]


def test_missing_links_equal_resource_allocation(report: tuple[dict, str], oracle: dict) -> None:
    data, html = report
    network = oracle["network"]
    scores = {
        frozenset((u, v)): score
        for u, v, score in nx.resource_allocation_index(network)
        if score > 0
    }
    links = data["links"]
    assert len(links) == min(TOP, len(scores))
    for link in links:
        assert not network.has_edge(link["source"], link["target"])
        assert link["score"] == pytest.approx(scores[frozenset((link["source"], link["target"]))])
    best = sorted(scores.values(), reverse=True)[: len(links)]
    assert [link["score"] for link in links] == pytest.approx(best)
    names = {(row[1], row[2]) for row in Page(html).body_rows("links")}
    names_of = oracle["names"]
    assert {(names_of[lk["source"]], names_of[lk["target"]]) for lk in links} == names


def test_cluster_health_equals_the_whole_network(report: tuple[dict, str], oracle: dict) -> None:
    data, _ = report
    network, whole, clusters = oracle["network"], oracle["whole"], oracle["clusters"]
    rows = {row["id"]: row for row in data["health"]}
    assert set(rows) == set(SPEC.clusters)
    for cluster, row in rows.items():
        members = [node for node in network if cluster in clusters[node]]
        inside = whole.subgraph(members)
        external = sum(
            1 for u in members for v in whole[u] if v not in inside
        )  # ties from members to anyone else
        internal = inside.number_of_edges()
        assert row["members"] == len(members)
        assert row["ties"] == internal
        assert row["density"] == pytest.approx(nx.density(inside))
        assert row["ei_index"] == pytest.approx((external - internal) / (external + internal))


def test_communities_cover_the_selection(report: tuple[dict, str], oracle: dict) -> None:
    data, html = report
    communities = data["communities"]
    network = oracle["network"]
    assert communities["count"] >= 1
    assert sum(c["members"] for c in communities["largest"]) <= network.number_of_nodes()
    for cluster in communities["clusters"]:
        members = [node for node in network if cluster["id"] in oracle["clusters"][node]]
        assert cluster["members"] == len(members)
    assert "Community 1" in Page(html).text("communities")


def test_the_map_draws_the_selection(report: tuple[dict, str], oracle: dict) -> None:
    _, html = report
    page = Page(html)
    (frame,) = page.iframes()
    assert frame["srcdoc"]
    circles = {
        attrs["data-id"] for tag, attrs in page.tags if tag == "circle" and "data-id" in attrs
    }
    assert circles == set(oracle["network"])
