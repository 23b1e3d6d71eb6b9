"""The notebook API (app/notebook.py) against a real LadybugDB store holding the sample.

What the analyses should find in the sample is listed in app/sample/README.md.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from pydantic import ValidationError

from app import notebook as eco
from app.errors import ImportValidationError
from app.services.sample import sample_paths
from app.store.embedded import EmbeddedStore
from graph_analytics import collaboration_network

FASHION = "cl-valmora-fashion"
BROKERS = {"co-torvale-engineering", "co-datavela-systems", "in-university-of-valmora"}
MISSING = {
    ("co-albello-meccanica", "co-meleris-batteries"),
    ("co-selvilia-informatica", "co-tassora-security"),
    ("co-rifinizione-brunara", "co-rifinizione-pralani"),
    ("co-morilia-packaging", "co-salumificio-pralida"),
}


def test_open_store_is_a_context_manager_and_reopens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "eco.lbug"
    with eco.open_store(path, buffer_pool_mb=128) as store:
        report = eco.load_sample(store)
        again = eco.load_sample(store)
    assert report.summary.organizations_created == 180
    assert not again.summary.changed
    with eco.open_store(str(path), read_only=True, buffer_pool_mb=128) as store:
        counts = store.counts()
    assert (counts.nodes, counts.relationships) == (180, 987)
    assert counts.by_kind == {"company": 153, "institution": 23, "cluster": 4}


def test_import_files_validates_and_is_atomic(tmp_path: Path) -> None:
    orgs = tmp_path / "orgs.csv"
    orgs.write_text("id,name,kind\na,A,company\nb,,planet\n", encoding="utf-8")
    with eco.open_store(tmp_path / "eco.lbug", buffer_pool_mb=128) as store:
        with pytest.raises(ImportValidationError) as caught:
            eco.import_files(store, orgs)
        assert store.counts().nodes == 0
        assert {p.line for p in caught.value.problems} == {3}
        partial = eco.import_files(store, orgs, valid_only=True)
        assert partial.summary.organizations_created == 1
        report = eco.import_files(store, *sample_paths(), format="csv")
        assert report.summary.relationships_created == 987


def test_load_synthetic_is_deterministic(tmp_path: Path) -> None:
    with eco.open_store(tmp_path / "eco.lbug", buffer_pool_mb=128) as store:
        first = eco.load_synthetic(store, 120, seed=3)
        second = eco.load_synthetic(store, 120, seed=3)
        kinds = store.counts().by_kind
    assert first.summary.organizations_created == 120
    assert not second.summary.changed
    assert kinds["cluster"] == 3


def test_filters_accept_field_and_cli_names() -> None:
    spec = eco.filters(kind="company", clusters=FASHION, rel_type="supplies", founded_to=2000)
    assert [k.value for k in spec.kinds] == ["company"]
    assert spec.clusters == [FASHION]
    assert [r.value for r in spec.rel_types] == ["SUPPLIES"]
    assert spec.founded_to == 2000
    assert eco.filters() == eco.FilterSpec()
    with pytest.raises(TypeError, match="colour"):
        eco.filters(colour="red")
    with pytest.raises(TypeError, match="repeated"):
        eco.filters(kind="company", kinds=["institution"])
    with pytest.raises(ValidationError):
        eco.filters(kind="planet")


def test_network_is_the_collaboration_network(sample_store: EmbeddedStore) -> None:
    G = eco.network(sample_store)
    assert (G.number_of_nodes(), G.number_of_edges()) == (176, 780)
    assert not G.is_directed() and not G.is_multigraph()
    assert {kind for _, kind in G.nodes(data="kind")} == {"company", "institution"}
    assert G.graph["truncated"] is False
    # The isolated start-up keeps its cluster as an attribute.
    assert G.degree("co-orbitella-labs") == 0
    assert G.nodes["co-orbitella-labs"]["clusters"] == ["cl-valmora-digital"]
    reference = collaboration_network(sample_store.subgraph(eco.FilterSpec()).graph)
    assert sorted(G.edges(data=True)) == sorted(reference.edges(data=True))


def test_keyword_filters_refine_and_override_a_spec(sample_store: EmbeddedStore) -> None:
    fashion = eco.network(sample_store, cluster=FASHION)
    assert len(fashion) == 42 and fashion.number_of_edges() == 144
    companies = eco.network(sample_store, eco.filters(cluster=FASHION), kind="company")
    institutions = eco.network(sample_store, eco.filters(cluster=FASHION, kind="company"),
                               kinds=["institution"])  # fmt: skip
    assert len(companies) + len(institutions) == 42
    assert {k for _, k in institutions.nodes(data="kind")} == {"institution"}
    capped = eco.network(sample_store, limit=10)
    assert len(capped) == 10 and capped.graph["truncated"] is True


def test_subgraph_is_the_typed_graph(sample_store: EmbeddedStore) -> None:
    M = eco.subgraph(sample_store, cluster=FASHION, rel_type="SUPPLIES")
    assert isinstance(M, nx.MultiDiGraph)
    assert {key for _, _, key in M.edges(keys=True)} == {"SUPPLIES"}
    assert M.has_edge("co-lanificio-albaro", "co-novena-eco-fashion", key="SUPPLIES")
    whole = eco.subgraph(sample_store, clusters=True)
    assert len(whole) == 180 and whole.number_of_edges() == 987
    assert whole.has_edge("co-orbitella-labs", "cl-valmora-digital", key="MEMBER_OF")


def test_centrality_finds_the_brokers_on_store_and_graph(sample_store: EmbeddedStore) -> None:
    rows = eco.centrality(sample_store, "betweenness", top=10)
    assert isinstance(rows, list) and len(rows) == 10
    assert (rows[0]["id"], rows[0]["name"]) == ("in-university-of-valmora", "University of Valmora")
    assert set(rows[0]) == {"id", "name", "score"}
    assert {row["id"] for row in rows} >= BROKERS
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    on_graph = eco.centrality(eco.network(sample_store), "betweenness", top=10)
    assert [r["id"] for r in on_graph] == [r["id"] for r in rows]
    on_typed = eco.centrality(eco.subgraph(sample_store), "betweenness", top=10)
    assert [r["score"] for r in on_typed] == pytest.approx([r["score"] for r in rows])
    assert len(eco.centrality(sample_store, "degree", top=None)) == 176
    fashion = eco.centrality(sample_store, "degree", top=None, spec=eco.filters(cluster=FASHION))
    assert len(fashion) == 42


def test_communities_split_the_fashion_district(sample_store: EmbeddedStore) -> None:
    found = eco.communities(sample_store, cluster=FASHION)
    G = eco.network(sample_store, cluster=FASHION)
    by_tag: dict[str, set[int]] = {"traditional_textile": set(), "sustainable_fashion_tech": set()}
    for node, tags in G.nodes(data="tags"):
        for tag in set(tags) & set(by_tag):
            by_tag[tag].add(found["membership"][node])
    # Traditional textile and sustainable fashion tech never share a community.
    assert by_tag["traditional_textile"] and by_tag["sustainable_fashion_tech"]
    assert not by_tag["traditional_textile"] & by_tag["sustainable_fashion_tech"]
    assert len(found["cluster_split"][FASHION]) >= 2
    whole = eco.communities(sample_store)
    assert eco.communities(eco.network(sample_store))["membership"] == whole["membership"]
    assert whole["agreement"]["nmi"] > 0.6 and whole["modularity"] > 0.4
    assert set(whole["cluster_split"]) == {
        "cl-valmora-agrifood", "cl-valmora-digital", "cl-valmora-fashion", "cl-valmora-mobility"
    }  # fmt: skip


def test_brokers_and_health(sample_store: EmbeddedStore) -> None:
    rows = eco.brokers(sample_store, top=None)
    assert len(rows) == 176
    assert {row["id"] for row in rows[:6]} >= BROKERS
    totals = [row["total"] for row in rows]
    assert totals == sorted(totals, reverse=True)
    orbitella = next(row for row in rows if row["id"] == "co-orbitella-labs")
    assert orbitella["total"] == 0 and orbitella["constraint"] is None
    whole = eco.health(sample_store)
    assert whole["isolates"] == ["co-orbitella-labs"]
    assert whole["components"]["count"] == 2
    fashion = eco.health(sample_store, cluster=FASHION)
    assert (fashion["nodes"], fashion["ties"]) == (42, 144)
    assert fashion["external_ties"] > 0 and -1 < fashion["ei_index"] < 0
    assert eco.health(eco.network(sample_store, cluster=FASHION))["ei_index"] == -1.0


def test_missing_links_find_the_planted_pairs(sample_store: EmbeddedStore) -> None:
    rows = eco.missing_links(sample_store, method="cn", top=10)
    assert {(row["source"], row["target"]) for row in rows} >= MISSING
    best = eco.missing_links(sample_store, "co-albello-meccanica", top=3)
    assert best[0]["target"] == "co-meleris-batteries"
    assert best[0]["reason"].startswith("10 shared partners")
    assert all(row["source"] == "co-albello-meccanica" for row in best)
    inside = eco.missing_links(sample_store, within_cluster=FASHION, top=5)
    G = eco.network(sample_store)
    for row in inside:
        assert FASHION in G.nodes[row["source"]]["clusters"]
        assert FASHION in G.nodes[row["target"]]["clusters"]
    research = {"university", "research_institute"}
    across = eco.missing_links(sample_store, between=(["company"], list(research)), top=5)
    assert across
    for row in across:
        ends = {G.nodes[row["source"]]["type"], G.nodes[row["target"]]["type"]}
        assert ends & research
        assert "company" in {G.nodes[row["source"]]["kind"], G.nodes[row["target"]]["kind"]}


def test_graph_sources_take_no_filters(sample_store: EmbeddedStore) -> None:
    G = eco.network(sample_store)
    with pytest.raises(TypeError, match="filters apply to a store"):
        eco.centrality(G, cluster=FASHION)
    with pytest.raises(TypeError, match="unknown"):
        eco.health(sample_store, clster=FASHION)


class _Iframe(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.frames: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "iframe":
            self.frames.append(dict(attrs))


def test_show_map_renders_inline_and_saves(sample_store: EmbeddedStore, tmp_path: Path) -> None:
    view = eco.show_map(sample_store, cluster=FASHION, color_by="community", height=480)
    assert repr(view) == "<MapView: 42 organizations, 42 drawn>"
    page = view._repr_html_()
    parser = _Iframe()
    parser.feed(page)
    assert len(parser.frames) == 1 and page.endswith("</iframe>")
    frame = parser.frames[0]
    assert frame["srcdoc"] == view.html  # escaped in the attribute, exact once parsed
    assert "100%" in (frame["style"] or "") and "480px" in (frame["style"] or "")
    assert '"' not in page.split('srcdoc="', 1)[1].split('" style=', 1)[0]
    saved = view.save(tmp_path / "fashion.html")
    assert saved.read_text(encoding="utf-8") == view.html
    assert "Lanificio Albaro" in view.html
    aggregated = eco.show_map(sample_store, max_nodes=50, title="Valmora")
    assert aggregated.result.aggregated == "community" and "aggregated by" in repr(aggregated)
    with pytest.raises(ValueError, match="color_by"):
        eco.show_map(sample_store, color_by="rainbow")


def test_table_renders_rows_as_escaped_html() -> None:
    rows = eco.Table([{"id": "<x>", "score": 0.5, "sectors": ["C13", "C14"]}, {"id": "y"}])
    page = rows._repr_html_()
    assert "<th>id</th><th>score</th><th>sectors</th>" in page
    assert "<td>&lt;x&gt;</td><td>0.5</td><td>C13, C14</td>" in page
    assert "<td>y</td><td></td><td></td>" in page
    assert rows == [{"id": "<x>", "score": 0.5, "sectors": ["C13", "C14"]}, {"id": "y"}]
