"""One suite, every backend: the same checks against plain-Python and NetworkX oracles.

The ``backend`` fixture runs the suite on the embedded store and on the real Neo4j test
server (``neo4j_server`` in conftest.py: ``tools/neo4j/serve``, or the server ``NEO4J_URI``
names). The Neo4j run deletes every EcoMap node (labels Company, Institution, Cluster) of
that database before and after each module: point ``NEO4J_URI`` at a scratch database. The
oracles read the bundled sample's CSV files directly (the FilterSpec oracle is the one of
test_filtering.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest
from neo4j_server import Neo4jServer
from test_filtering import MEMBERS, ORGS, RELS, reference_edges, reference_matches

from app.domain import FilterSpec, Organization, Relationship
from app.errors import NotFoundError, StoreError
from app.services.sample import load_sample
from app.settings import Settings
from app.store import open_store
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.queries import query

#: 256 MiB, not conftest's 128: with 128 MiB, LadybugDB fails the checkpoint after a write
#: that follows ego-network and shortest-path walks on the sample ("buffer pool is full").
SMALL = {"buffer_pool_bytes": 256 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
CLUSTERS = {i for i, org in ORGS.items() if org["kind"] == "cluster"}


def _wipe_neo4j(settings: Settings) -> None:
    import neo4j

    assert settings.neo4j_uri and settings.neo4j_password, "NEO4J_URI and NEO4J_PASSWORD"
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    with neo4j.GraphDatabase.driver(settings.neo4j_uri, auth=auth) as driver:
        driver.execute_query(
            query("neo4j", "delete_all_organizations"), database_=settings.neo4j_database
        )


@contextmanager
def _fresh_store(backend: str, folder: Path, server: Neo4jServer | None) -> Iterator[GraphStore]:
    if backend == "embedded":
        with EmbeddedStore(folder / "parity.lbug", **SMALL) as store:
            yield store
        return
    assert server is not None
    settings = Settings.model_validate(
        {k: v for k, v in server.env().items() if k != "ECOMAP_BACKEND"} | {"backend": "neo4j"}
    )
    _wipe_neo4j(settings)
    try:
        with open_store(settings) as store:
            yield store
    finally:
        _wipe_neo4j(settings)


@pytest.fixture(scope="module", params=["embedded", "neo4j"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def server(backend: str, request: pytest.FixtureRequest) -> Neo4jServer | None:
    return request.getfixturevalue("neo4j_server") if backend == "neo4j" else None


@pytest.fixture(scope="module")
def store(
    backend: str, server: Neo4jServer | None, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    """The sample ecosystem, loaded once per backend; tests leave it as they found it."""
    folder = tmp_path_factory.mktemp(f"parity-{backend}")
    with _fresh_store(backend, folder, server) as opened:
        load_sample(opened)
        yield opened


@pytest.fixture(scope="module")
def reference() -> nx.Graph:
    """The organization network as the walks see it: undirected, no Cluster nodes."""
    graph = nx.Graph()
    graph.add_nodes_from(i for i in ORGS if i not in CLUSTERS)
    graph.add_edges_from(
        (r["source"], r["target"])
        for r in RELS
        if r["source"] not in CLUSTERS and r["target"] not in CLUSTERS
    )
    return graph


def _edges_among(nodes: set[str]) -> set[tuple[str, str, str]]:
    return {
        (r["source"], r["target"], r["type"])
        for r in RELS
        if r["source"] in nodes and r["target"] in nodes and r["type"] != "MEMBER_OF"
    }


def test_counts(store: GraphStore) -> None:
    counts = store.counts()
    kinds = [org["kind"] for org in ORGS.values()]
    types = [r["type"] for r in RELS]
    assert counts.by_kind == {k: kinds.count(k) for k in ("company", "institution", "cluster")}
    assert counts.by_type == {t: types.count(t) for t in counts.by_type}
    assert (counts.nodes, counts.relationships) == (len(ORGS), len(RELS))
    assert store.organization_kinds(["co-voltaris-motors", "nope"]) == {
        "co-voltaris-motors": "company"
    }


def test_reimport_changes_nothing(store: GraphStore) -> None:
    before = store.export()
    report = load_sample(store)
    assert not report.summary.changed
    assert report.summary.organizations_unchanged == len(ORGS)
    assert report.summary.relationships_unchanged == len(RELS)
    assert store.export() == before  # updated_at included: nothing was rewritten


def test_export_is_sorted_and_complete(store: GraphStore) -> None:
    data = store.export()
    assert [o["id"] for o in data.organizations] == sorted(ORGS)
    keys = [(r["source"], r["type"], r["target"]) for r in data.relationships]
    assert keys == sorted((r["source"], r["type"], r["target"]) for r in RELS)
    first = data.organizations[0]
    row = ORGS[first["id"]]
    assert (first["name"], first["kind"], first["city"] or "") == (
        row["name"], row["kind"], row["city"],
    )  # fmt: skip
    assert first["sectors"] == [s for s in row["sectors"].split("|") if s]
    assert all(o["updated_at"] for o in data.organizations)
    weights = {(r["source"], r["type"], r["target"]): r["weight"] for r in data.relationships}
    for r in RELS:
        assert weights[(r["source"], r["type"], r["target"])] == float(r["weight"] or 1)


SPECS = {
    "everything": FilterSpec(),
    "sector prefix": FilterSpec(sectors=["C29"]),
    "region ignores case": FilterSpec(regions=["VALMORA"], kinds=["institution"]),
    "cluster members, supply ties": FilterSpec(
        clusters=["cl-valmora-mobility", "cl-valmora-digital"], rel_types=["SUPPLIES"]
    ),
    "size band": FilterSpec(min_employees=50, max_employees=500),
    "name search": FilterSpec(search="TESS"),
    "and across fields": FilterSpec(kinds=["company"], types=["startup"], founded_from=2018),
}


@pytest.mark.parametrize("include_clusters", [False, True], ids=["orgs", "with-clusters"])
@pytest.mark.parametrize("name", list(SPECS))
def test_subgraph(store: GraphStore, name: str, include_clusters: bool) -> None:
    spec = SPECS[name]
    expected = {i for i, org in ORGS.items() if reference_matches(spec, org, include_clusters)}
    result = store.subgraph(spec, include_clusters=include_clusters)
    assert not result.truncated
    assert set(result.graph) == expected
    assert set(result.graph.edges(keys=True)) == reference_edges(spec, expected, include_clusters)
    for node in result.graph:
        assert result.graph.nodes[node]["clusters"] == sorted(MEMBERS.get(node, ()))


def test_subgraph_limit_truncates(store: GraphStore) -> None:
    result = store.subgraph(FilterSpec(kinds=["company"], limit=10))
    companies = sorted(i for i, org in ORGS.items() if org["kind"] == "company")
    assert result.truncated and result.limit == 10
    assert sorted(result.graph) == companies[:10]


def test_listing_pages(store: GraphStore) -> None:
    spec = FilterSpec(kinds=["company"], countries=["IT"])
    expected = sorted(i for i, org in ORGS.items() if reference_matches(spec, org, True))
    seen: list[str] = []
    offset, more = 0, True
    while more:
        page = store.list_organizations(spec, offset=offset, limit=25)
        seen += [org.id for org in page.items]
        offset, more = offset + 25, page.has_more
    assert seen == expected


@pytest.mark.parametrize("hops", [1, 2])
@pytest.mark.parametrize("center", ["co-voltaris-motors", "in-university-of-valmora"])
def test_ego_network(store: GraphStore, reference: nx.Graph, center: str, hops: int) -> None:
    expected = nx.single_source_shortest_path_length(reference, center, cutoff=hops)
    result = store.ego_network(center, hops=hops)
    assert not result.truncated
    assert dict(result.graph.nodes(data="distance")) == expected
    assert set(result.graph.edges(keys=True)) == _edges_among(set(expected))
    for node, attrs in result.graph.nodes(data=True):
        assert attrs["clusters"] == sorted(MEMBERS.get(node, ()))
        assert (attrs["name"], attrs["kind"]) == (ORGS[node]["name"], ORGS[node]["kind"])


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("co-brunida-castings", "co-albardo-cloud"),
        ("in-university-of-valmora", "co-voltaris-motors"),
    ],
)
def test_shortest_paths(store: GraphStore, reference: nx.Graph, source: str, target: str) -> None:
    expected = sorted(nx.all_shortest_paths(reference, source, target))
    result = store.shortest_paths(source, target, limit=1000)
    assert sorted({tuple(p.nodes) for p in result.paths}) == [tuple(p) for p in expected]
    assert not result.truncated and result.length == len(expected[0]) - 1
    stored = {(r["source"], r["target"], r["type"]) for r in RELS}
    for path in result.paths:
        steps = zip(path.nodes, path.nodes[1:], path.types, path.directions, strict=False)
        for u, v, rel_type, direction in steps:
            assert ((u, v) if direction == "->" else (v, u)) + (rel_type,) in stored


def test_unknown_ids_and_isolated_organizations(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.get_organization("nope")
    with pytest.raises(NotFoundError):
        store.ego_network("nope")
    with pytest.raises(NotFoundError, match="nope"):
        store.shortest_paths("co-voltaris-motors", "nope")
    assert store.shortest_paths("co-orbitella-labs", "co-voltaris-motors").paths == []
    assert store.get_organization("co-voltaris-motors").name == ORGS["co-voltaris-motors"]["name"]


def test_delete_removes_relationships(store: GraphStore) -> None:
    before, counts = store.export(), store.counts()
    extra = [
        Organization(id="zz-parity-a", name="Parity A", kind="company"),
        Organization(id="zz-parity-b", name="Parity B", kind="institution"),
    ]
    ties = [
        Relationship(source="zz-parity-a", target="co-voltaris-motors", type="SUPPLIES"),
        Relationship(source="zz-parity-b", target="zz-parity-a", type="FUNDS"),
        Relationship(source="zz-parity-a", target="cl-valmora-digital", type="MEMBER_OF"),
    ]
    summary = store.upsert(extra, ties)
    assert (summary.organizations_created, summary.relationships_created) == (2, 3)
    assert store.counts().relationships == counts.relationships + 3
    store.delete_organization("zz-parity-a")
    assert store.counts().relationships == counts.relationships
    assert store.counts().nodes == counts.nodes + 1
    with pytest.raises(NotFoundError):
        store.get_organization("zz-parity-a")
    with pytest.raises(NotFoundError):
        store.delete_organization("zz-parity-a")
    assert "zz-parity-a" not in store.ego_network("co-voltaris-motors").graph
    store.delete_organization("zz-parity-b")
    assert store.export() == before


def test_kind_change_is_refused(store: GraphStore) -> None:
    before = store.export()
    renamed = Organization(id="co-voltaris-motors", name="Voltaris", kind="institution")
    with pytest.raises(StoreError, match="stored as a company"):
        store.upsert([renamed], [])
    assert store.export() == before
