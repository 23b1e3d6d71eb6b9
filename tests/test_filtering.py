"""FilterSpec through Cypher gives the same answers as plain Python over the same CSV files."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from app.filters import FilterSpec
from app.services.sample import sample_paths
from app.store.embedded import EmbeddedStore

ORGS_CSV, RELS_CSV = sample_paths()


def _rows(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ORGS = {row["id"]: row for row in _rows(ORGS_CSV)}
RELS = _rows(RELS_CSV)
MEMBERS = {}
for _rel in RELS:
    if _rel["type"] == "MEMBER_OF":
        MEMBERS.setdefault(_rel["source"], set()).add(_rel["target"])


def _split(cell: str) -> list[str]:
    return [part for part in cell.split("|") if part]


def _number(cell: str) -> int | None:
    return int(cell) if cell else None


def reference_matches(spec: FilterSpec, org: dict[str, str], include_clusters: bool) -> bool:
    """The FilterSpec semantics, written out plainly (the oracle)."""
    kinds = {k.value for k in spec.kinds} or {"company", "institution", "cluster"}
    if not include_clusters:
        kinds.discard("cluster")
    employees, founded = _number(org["employees"]), _number(org["founded"])
    checks = [
        org["kind"] in kinds,
        not spec.types or org["type"] in spec.types,
        not spec.sectors or any(s.startswith(tuple(spec.sectors)) for s in _split(org["sectors"])),
        not spec.regions or org["region"].lower() in {r.lower() for r in spec.regions},
        not spec.countries or org["country"] in spec.countries,
        not spec.tags or bool(set(_split(org["tags"])) & set(spec.tags)),
        not spec.clusters or bool(MEMBERS.get(org["id"], set()) & set(spec.clusters)),
        spec.min_employees is None or (employees is not None and employees >= spec.min_employees),
        spec.max_employees is None or (employees is not None and employees <= spec.max_employees),
        spec.founded_from is None or (founded is not None and founded >= spec.founded_from),
        spec.founded_to is None or (founded is not None and founded <= spec.founded_to),
        not spec.search or spec.search.lower() in org["name"].lower(),
    ]
    return all(checks)


def reference_edges(spec: FilterSpec, nodes: set[str], include_clusters: bool) -> set[tuple]:
    types = {t.value for t in spec.rel_types}
    return {
        (r["source"], r["target"], r["type"])
        for r in RELS
        if r["source"] in nodes
        and r["target"] in nodes
        and (not types or r["type"] in types)
        and (include_clusters or r["type"] != "MEMBER_OF")
    }


SPECS = {
    "everything": FilterSpec(),
    "companies": FilterSpec(kinds=["company"]),
    "sector prefix": FilterSpec(sectors=["C29"]),
    "sector group or class": FilterSpec(sectors=["C13.20", "J62"]),
    "unknown sector": FilterSpec(sectors=["Z99"]),
    "region ignores case": FilterSpec(regions=["VALMORA"], kinds=["institution"]),
    "abroad": FilterSpec(countries=["de", "FR", "ES", "NL"]),
    "cluster members": FilterSpec(clusters=["cl-valmora-fashion"]),
    "two clusters, supply ties": FilterSpec(
        clusters=["cl-valmora-mobility", "cl-valmora-digital"], rel_types=["SUPPLIES"]
    ),
    "cluster and other fields": FilterSpec(
        clusters=["cl-valmora-mobility", "cl-valmora-fashion"],
        kinds=["company"],
        min_employees=50,
        search="a",
    ),
    "unknown cluster": FilterSpec(clusters=["cl-nowhere"]),
    "tags": FilterSpec(tags=["sustainable_fashion_tech"]),
    "size band": FilterSpec(min_employees=50, max_employees=500),
    "founded range": FilterSpec(founded_from=2015, founded_to=2020),
    "name search": FilterSpec(search="TESS"),
    "types": FilterSpec(types=["university", "research_institute"]),
    "and across fields": FilterSpec(kinds=["company"], types=["startup"], founded_from=2018),
}


@pytest.mark.parametrize("include_clusters", [False, True], ids=["orgs", "with-clusters"])
@pytest.mark.parametrize("name", list(SPECS))
def test_subgraph_matches_plain_python(
    sample_store: EmbeddedStore, name: str, include_clusters: bool
) -> None:
    spec = SPECS[name]
    expected = {i for i, org in ORGS.items() if reference_matches(spec, org, include_clusters)}
    result = sample_store.subgraph(spec, include_clusters=include_clusters)
    assert not result.truncated
    assert set(result.graph) == expected
    edges = {(u, v, k) for u, v, k in result.graph.edges(keys=True)}
    assert edges == reference_edges(spec, expected, include_clusters)
    for node in expected & set(result.graph):
        assert result.graph.nodes[node]["clusters"] == sorted(MEMBERS.get(node, ()))


def test_filters_select_something_and_not_everything() -> None:
    everything = {i for i, org in ORGS.items() if reference_matches(FilterSpec(), org, False)}
    for name, spec in SPECS.items():
        selected = {i for i, org in ORGS.items() if reference_matches(spec, org, False)}
        if name not in ("everything", "unknown sector", "unknown cluster"):
            assert 0 < len(selected) < len(everything), name


def test_limit_truncates_and_says_so(sample_store: EmbeddedStore) -> None:
    result = sample_store.subgraph(FilterSpec(kinds=["company"], limit=10))
    assert result.truncated and result.limit == 10
    companies = sorted(i for i, org in ORGS.items() if org["kind"] == "company")
    assert sorted(result.graph) == companies[:10]
    assert all(u in result.graph and v in result.graph for u, v in result.graph.edges())
    exact = sample_store.subgraph(FilterSpec(kinds=["company"], limit=len(companies)))
    assert not exact.truncated


def test_edges_carry_type_weight_and_dates(sample_store: EmbeddedStore) -> None:
    graph = sample_store.subgraph(FilterSpec(rel_types=["FUNDS"])).graph
    source, target, key = next(iter(graph.edges(keys=True)))
    row = next(r for r in RELS if (r["source"], r["target"], r["type"]) == (source, target, key))
    attrs = graph.edges[source, target, key]
    assert attrs["type"] == "FUNDS"
    assert attrs["weight"] == pytest.approx(float(row["weight"]))
    assert attrs["since"] == (row["since"] or None)
    assert graph.nodes[source]["kind"] == ORGS[source]["kind"]


def test_whole_subgraph_equals_to_networkx(sample_store: EmbeddedStore) -> None:
    whole = sample_store.to_networkx()
    filtered = sample_store.subgraph(FilterSpec()).graph
    assert nx.utils.graphs_equal(whole, filtered)


def test_listing_pages_through_the_matches(sample_store: EmbeddedStore) -> None:
    spec = FilterSpec(kinds=["company"], countries=["IT"])
    expected = sorted(i for i, org in ORGS.items() if reference_matches(spec, org, True))
    seen: list[str] = []
    offset = 0
    while True:
        page = sample_store.list_organizations(spec, offset=offset, limit=40)
        seen += [org.id for org in page.items]
        offset += 40
        if not page.has_more:
            break
    assert seen == expected


def test_subgraph_order_is_canonical(sample_store: EmbeddedStore) -> None:
    """Same data, same graph order: seeded algorithms depend on insertion order."""
    for spec in (FilterSpec(), FilterSpec(kinds=["company"])):
        graph = sample_store.subgraph(spec).graph
        assert list(graph) == sorted(graph)
        for node in graph:
            ties = sorted((k, v) for _, v, k in graph.edges(node, keys=True))
            targets = list(dict.fromkeys(v for _, v in ties))  # first appearance, sorted rows
            expected = [(k, v) for v in targets for k, w in ties if w == v]
            assert [(k, v) for _, v, k in graph.edges(node, keys=True)] == expected


@pytest.mark.parametrize("name", ["everything", "cluster members", "two clusters, supply ties"])
def test_collapsed_subgraph_is_the_collaboration_network(
    sample_store: EmbeddedStore, name: str
) -> None:
    """The store's direct build (a lean scan when unfiltered) equals collaboration_network
    of the typed subgraph: nodes, attributes, summed weights, types, neighbour order."""
    from graph_analytics import collaboration_network

    spec = SPECS[name]
    direct = sample_store.subgraph(spec, collapsed=True).graph
    reference = collaboration_network(sample_store.subgraph(spec).graph)
    assert dict(direct.nodes(data=True)) == dict(reference.nodes(data=True))
    assert {node: list(direct[node]) for node in direct} == {
        node: list(reference[node]) for node in reference
    }
    assert sorted(direct.edges(data=True)) == sorted(reference.edges(data=True))


@pytest.mark.parametrize("collapsed", [False, True], ids=["typed", "collapsed"])
@pytest.mark.parametrize("name", list(SPECS))
def test_brief_subgraph_is_the_full_one_with_fewer_properties(
    sample_store: EmbeddedStore, name: str, collapsed: bool
) -> None:
    """``brief=True`` reads only ANALYSIS_PROPERTIES (and ``clusters``): the same nodes,
    edges and values of those properties as the full read."""
    from app.vocabulary import ANALYSIS_PROPERTIES

    full = sample_store.subgraph(SPECS[name], collapsed=collapsed).graph
    brief = sample_store.subgraph(SPECS[name], collapsed=collapsed, brief=True).graph
    kept = {*ANALYSIS_PROPERTIES, "clusters"} - {"id"}
    assert {node: set(attrs) for node, attrs in brief.nodes(data=True)} == dict.fromkeys(full, kept)
    for node, attrs in full.nodes(data=True):
        assert brief.nodes[node] == {key: attrs[key] for key in kept}
    assert list(brief.edges(data=True)) == list(full.edges(data=True))
