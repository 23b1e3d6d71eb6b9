"""``app.services.export``: ``write_export`` on a store loaded with the tiny ecosystem, and
``export_data`` (all, or filtered) on the sample."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from export_oracle import ORGS, expected_export

from app.filters import FilterSpec
from app.services.export import EXPORT_FORMATS, export_data, write_export
from app.services.importing import import_files
from app.store.base import GraphData
from app.store.embedded import EmbeddedStore
from app.vocabulary import ORGANIZATION_COLUMNS, RELATIONSHIP_COLUMNS

N_ORGS, N_RELS = 6, 8


@pytest.fixture
def data(store: EmbeddedStore, tiny_ecosystem: tuple[Path, Path]) -> GraphData:
    import_files(store, list(tiny_ecosystem))
    exported = store.export()
    assert (len(exported.organizations), len(exported.relationships)) == (N_ORGS, N_RELS)
    return exported


def read_rows(path: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
        header = list(reader.fieldnames or [])
    key = "id" if "id" in header else None
    by_key = {
        (row[key] if key else f"{row['source']}-{row['type']}-{row['target']}"): row for row in rows
    }
    assert len(by_key) == len(rows)
    return header, by_key


def test_export_formats() -> None:
    assert set(EXPORT_FORMATS) == {"graphml", "gexf", "json", "csv"}


def test_csv_export_is_the_canonical_pair_with_joined_lists(
    data: GraphData, tmp_path: Path
) -> None:
    out = tmp_path / "new" / "dir"
    written = write_export(data, "csv", out)

    assert written == [out / "organizations.csv", out / "relationships.csv"]
    header, orgs = read_rows(written[0])
    assert header == [*ORGANIZATION_COLUMNS, "source", "verified_at", "verified_by"]
    assert len(orgs) == N_ORGS
    assert orgs["acme"]["sectors"] == "C28|M72"
    assert orgs["acme"]["tags"] == "robotics|automation"
    assert orgs["acme"]["lat"] == "45.07"
    assert orgs["acme"]["employees"] == "120"
    assert orgs["fund"]["sectors"] == ""
    assert orgs["fund"]["lat"] == ""
    assert orgs["cogs"]["description"] == "Gears, shafts and bearings"
    assert orgs["mech"]["kind"] == "cluster"
    assert orgs["acme"]["source"] == "organizations.csv"

    header, rels = read_rows(written[1])
    assert header == list(RELATIONSHIP_COLUMNS)
    assert len(rels) == N_RELS
    collab = rels["acme-COLLABORATES_WITH-polito"]  # stored once, smaller id first
    assert (collab["weight"], collab["since"], collab["until"]) == ("2", "2018", "2022")
    assert rels["bolt-SUPPLIES-acme"]["weight"] == "1"  # the default weight
    assert rels["fund-FUNDS-bolt"]["since"] == "2020-03-01"


def test_csv_export_overwrites_an_earlier_export(data: GraphData, tmp_path: Path) -> None:
    write_export(data, "csv", tmp_path)
    written = write_export(GraphData(data.organizations[:2], []), "csv", tmp_path)
    assert len(read_rows(written[0])[1]) == 2
    assert read_rows(written[1])[1] == {}


def test_json_export_is_node_link_data(data: GraphData, tmp_path: Path) -> None:
    path = tmp_path / "sub" / "eco.json"
    assert write_export(data, "json", path) == [path]

    document: dict[str, Any] = json.loads(path.read_text("utf-8"))
    graph = nx.node_link_graph(document, edges="links", multigraph=True, directed=True)

    assert graph.number_of_nodes() == N_ORGS
    assert graph.number_of_edges() == N_RELS
    assert graph.nodes["acme"]["sectors"] == ["C28", "M72"]  # lists stay lists in JSON
    assert graph.nodes["mech"]["kind"] == "cluster"
    edge_types = {attrs["type"] for _, _, attrs in graph.edges(data=True)}
    assert len(edge_types) == 6
    assert graph.has_edge("bolt", "polito")  # SPUN_OUT_OF keeps its direction
    assert not graph.has_edge("polito", "bolt")
    for row in [*document["nodes"], *document["links"]]:
        assert None not in row.values()  # missing values are left out, not null
    assert "lat" not in next(n for n in document["nodes"] if n["id"] == "fund")


def test_graphml_export_joins_lists_and_keeps_clusters(data: GraphData, tmp_path: Path) -> None:
    path = tmp_path / "eco.graphml"
    assert write_export(data, "graphml", path) == [path]

    graph = nx.read_graphml(path, force_multigraph=True)

    assert graph.number_of_nodes() == N_ORGS
    assert graph.number_of_edges() == N_RELS
    acme = graph.nodes["acme"]
    assert acme["sectors"] == "C28|M72"
    assert acme["tags"] == "robotics|automation"
    assert acme["clusters"] == "mech"
    assert acme["lat"] == pytest.approx(45.07)
    assert graph.nodes["mech"]["kind"] == "cluster"  # cluster nodes are exported
    assert "lat" not in graph.nodes["fund"]  # missing values are left out
    types = sorted(attrs["type"] for _, _, attrs in graph.edges(data=True))
    assert types.count("MEMBER_OF") == 2
    assert types.count("SUPPLIES") == 2
    assert graph.edges["cogs", "acme", "cogs|SUPPLIES|acme"]["weight"] == pytest.approx(3.5)


def test_gexf_export_reads_back(data: GraphData, tmp_path: Path) -> None:
    path = tmp_path / "eco.gexf"
    assert write_export(data, "gexf", path) == [path]

    graph = nx.read_gexf(path)

    assert graph.is_directed()
    assert graph.number_of_nodes() == N_ORGS
    assert graph.number_of_edges() == N_RELS
    assert graph.nodes["acme"]["sectors"] == "C28|M72"
    assert graph.nodes["mech"]["kind"] == "cluster"
    assert graph.has_edge("acme", "mech")


def test_gexf_edges_are_schema_valid_and_keep_their_type(data: GraphData, tmp_path: Path) -> None:
    """GEXF reserves the edge attribute ``type`` for directed|undirected|mutual."""
    path = tmp_path / "eco.gexf"
    write_export(data, "gexf", path)

    edges = [el for el in ET.parse(path).iter() if el.tag.endswith("}edge")]
    assert len(edges) == N_RELS
    assert {el.get("type", "directed") for el in edges} <= {"directed", "undirected", "mutual"}
    graph = nx.read_gexf(path)
    assert any("SUPPLIES" in map(str, attrs.values()) for _, _, attrs in graph.edges(data=True))


def test_graphml_edge_ids_are_unique(data: GraphData, tmp_path: Path) -> None:
    path = tmp_path / "eco.graphml"
    write_export(data, "graphml", path)
    ids = [el.get("id") for el in ET.parse(path).iter() if el.tag.endswith("}edge")]
    assert len(ids) == len(set(ids)) == len(data.relationships)
    expected = {f"{r['source']}|{r['type']}|{r['target']}" for r in data.relationships}
    assert set(ids) == expected


# -- filtered exports (app.services.export.export_data) on the sample -------------------------

FILTERED = {
    "one cluster": FilterSpec(clusters=["cl-valmora-digital"]),
    "cluster, supply ties": FilterSpec(clusters=["cl-valmora-mobility"], rel_types=["SUPPLIES"]),
    "companies abroad": FilterSpec(kinds=["company"], countries=["DE", "FR", "ES", "NL"]),
    "clusters themselves": FilterSpec(kinds=["cluster"]),
    "name search": FilterSpec(search="TESS"),
    "relationship types only": FilterSpec(rel_types=["FUNDS", "INVESTS_IN"]),
    "nothing": FilterSpec(clusters=["cl-nowhere"]),
}


def test_unfiltered_export_data_is_the_store_export(sample_store: EmbeddedStore) -> None:
    everything = sample_store.export()
    for selection in (export_data(sample_store), export_data(sample_store, FilterSpec())):
        assert selection.data == everything
        assert (selection.truncated, selection.limit) == (False, None)


@pytest.mark.parametrize("name", list(FILTERED))
def test_filtered_export_data_matches_plain_python(sample_store: EmbeddedStore, name: str) -> None:
    spec = FILTERED[name]
    selected, ids, keys = expected_export(spec)
    selection = export_data(sample_store, spec)
    data = selection.data

    assert not selection.truncated
    assert [row["id"] for row in data.organizations] == sorted(ids)
    assert {(r["source"], r["type"], r["target"]) for r in data.relationships} == keys
    # the store's own rows, in its order: same keys, lists as lists, None for missing
    everything = sample_store.export()
    by_id = {row["id"]: row for row in everything.organizations}
    assert data.organizations == [by_id[i] for i in sorted(ids)]
    assert data.relationships == [
        r for r in everything.relationships if (r["source"], r["type"], r["target"]) in keys
    ]
    # the export holds every endpoint: it imports on its own
    assert {e for r in data.relationships for e in (r["source"], r["target"])} <= ids
    if name != "nothing":
        assert selected


def test_filtered_export_brings_the_clusters_and_their_memberships(
    sample_store: EmbeddedStore,
) -> None:
    cluster = "cl-valmora-mobility"
    data = export_data(sample_store, FilterSpec(clusters=[cluster], rel_types=["SUPPLIES"])).data
    rows = {row["id"]: row for row in data.organizations}
    assert rows[cluster]["kind"] == "cluster"
    assert rows[cluster]["name"] == ORGS[cluster]["name"]  # the cluster's full row
    members = {i for i, row in rows.items() if row["kind"] != "cluster"}
    memberships = {r["source"] for r in data.relationships if r["target"] == cluster}
    assert memberships == members
    assert {r["type"] for r in data.relationships} == {"SUPPLIES", "MEMBER_OF"}
    member_of = next(r for r in data.relationships if r["type"] == "MEMBER_OF")
    assert member_of["evidence"] and member_of["since"]  # the relationship's own properties


def test_filtered_export_data_says_when_the_cap_cut_it(sample_store: EmbeddedStore) -> None:
    spec = FilterSpec(kinds=["company"], limit=10)
    selection = export_data(sample_store, spec)
    assert (selection.truncated, selection.limit) == (True, 10)
    companies = sorted(i for i, org in ORGS.items() if org["kind"] == "company")[:10]
    exported = [row["id"] for row in selection.data.organizations if row["kind"] == "company"]
    assert exported == companies
    sources = {r["source"] for r in selection.data.relationships}
    assert sources <= set(companies)
