"""Ego networks and shortest paths agree with NetworkX on the same data."""

from __future__ import annotations

import networkx as nx
import pytest

from app.errors import NotFoundError
from app.store.embedded import EmbeddedStore
from app.store.explore import select_members
from app.vocabulary import RelType


@pytest.fixture(scope="module")
def reference(sample_store: EmbeddedStore) -> nx.MultiDiGraph:
    """The organization network as NetworkX (clusters as attributes), the oracle."""
    return sample_store.to_networkx()


def walkable(graph: nx.MultiDiGraph, types: set[str] | None = None) -> nx.Graph:
    undirected = nx.Graph()
    undirected.add_nodes_from(graph)
    undirected.add_edges_from(
        (u, v) for u, v, t in graph.edges(keys=True) if types is None or t in types
    )
    return undirected


CENTERS = ["co-voltaris-motors", "in-university-of-valmora", "co-orbitella-labs"]


@pytest.mark.parametrize("hops", [1, 2, 3])
@pytest.mark.parametrize("center", CENTERS)
def test_ego_network_matches_networkx(
    sample_store: EmbeddedStore, reference: nx.MultiDiGraph, center: str, hops: int
) -> None:
    expected = nx.single_source_shortest_path_length(walkable(reference), center, cutoff=hops)
    result = sample_store.ego_network(center, hops=hops)
    assert not result.truncated
    assert dict(result.graph.nodes(data="distance")) == expected
    induced = reference.subgraph(expected)
    assert set(result.graph.edges(keys=True)) == set(induced.edges(keys=True))
    for node in result.graph:
        assert result.graph.nodes[node]["clusters"] == reference.nodes[node]["clusters"]


def test_ego_network_restricted_to_relationship_types(
    sample_store: EmbeddedStore, reference: nx.MultiDiGraph
) -> None:
    types = {"SUPPLIES", "INVESTS_IN"}
    center = "co-voltaris-motors"
    expected = nx.single_source_shortest_path_length(walkable(reference, types), center, cutoff=2)
    result = sample_store.ego_network(center, hops=2, rel_types=[RelType(t) for t in types])
    assert set(result.graph) == set(expected)
    assert {t for _, _, t in result.graph.edges(keys=True)} <= types


def test_ego_network_with_clusters_walks_through_them(sample_store: EmbeddedStore) -> None:
    plain = sample_store.ego_network("co-orbitella-labs", hops=2)
    assert set(plain.graph) == {"co-orbitella-labs"}  # the isolated start-up
    with_clusters = sample_store.ego_network("co-orbitella-labs", hops=2, include_clusters=True)
    assert "cl-valmora-digital" in with_clusters.graph
    assert with_clusters.graph.nodes["cl-valmora-digital"]["distance"] == 1
    assert len(with_clusters.graph) > 10  # the cluster's other members, two steps away


def test_ego_network_caps_nearest_first(sample_store: EmbeddedStore) -> None:
    capped = EmbeddedStore.__new__(EmbeddedStore)
    capped.__dict__.update(sample_store.__dict__)
    capped.max_nodes = 5
    result = capped.ego_network("in-university-of-valmora", hops=2)
    assert result.truncated and len(result.graph) == 5
    assert sorted(d for _, d in result.graph.nodes(data="distance")) == [0, 1, 1, 1, 1]


def test_select_members_keeps_center_and_nearest() -> None:
    kept, cut = select_members("x", [("b", 2), ("a", 1), ("x", 0)], limit=10)
    assert kept == {"x": 0, "a": 1, "b": 2} and not cut


@pytest.mark.parametrize(
    ("source", "target"),
    [
        ("co-brunida-castings", "co-albardo-cloud"),
        ("co-voltaris-motors", "co-novena-eco-fashion"),
        ("co-filatura-torora", "co-lanificio-albaro"),
        ("in-university-of-valmora", "co-voltaris-motors"),
    ],
)
def test_all_shortest_paths_match_networkx(
    sample_store: EmbeddedStore, reference: nx.MultiDiGraph, source: str, target: str
) -> None:
    simple = walkable(reference)
    expected = sorted(nx.all_shortest_paths(simple, source, target))
    result = sample_store.shortest_paths(source, target, limit=1000)
    node_paths = sorted({tuple(p.nodes) for p in result.paths})
    assert node_paths == [tuple(p) for p in expected]
    assert result.length == nx.shortest_path_length(simple, source, target)
    for path in result.paths:
        for (u, v), rel_type, direction in zip(
            zip(path.nodes, path.nodes[1:], strict=False), path.types, path.directions, strict=True
        ):
            start, end = (u, v) if direction == "->" else (v, u)
            assert reference.has_edge(start, end, rel_type)


def test_no_path_within_bound_and_unknown_ids(sample_store: EmbeddedStore) -> None:
    result = sample_store.shortest_paths("co-orbitella-labs", "co-voltaris-motors")
    assert result.paths == [] and result.length is None
    assert sample_store.shortest_paths("co-voltaris-motors", "co-voltaris-motors").length == 0
    with pytest.raises(NotFoundError, match="nope"):
        sample_store.shortest_paths("co-voltaris-motors", "nope")
    with pytest.raises(NotFoundError):
        sample_store.ego_network("nope")
    with pytest.raises(ValueError, match="hops must be 1, 2 or 3"):
        sample_store.ego_network("co-voltaris-motors", hops=4)


def test_path_limit_says_truncated(sample_store: EmbeddedStore) -> None:
    full = sample_store.shortest_paths("co-brunida-castings", "co-albardo-cloud", limit=1000)
    assert len(full.paths) > 2
    cut = sample_store.shortest_paths("co-brunida-castings", "co-albardo-cloud", limit=2)
    assert cut.truncated and len(cut.paths) == 2
