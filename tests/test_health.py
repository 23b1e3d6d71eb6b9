"""Cluster health indicators on hand-computed graphs."""

from __future__ import annotations

import json
import math

import networkx as nx
import pytest

from graph_analytics.health import SECTORS, cluster_health, sector


def clique_with_pendant() -> nx.Graph:
    G = nx.complete_graph(4)  # 0..3
    G.add_edge(0, 4)
    return G


def two_triangles_and_broker() -> nx.Graph:
    """Triangles a-b-c and d-e-f; x is tied to c and d only."""
    return nx.Graph(
        [
            *[("a", "b"), ("b", "c"), ("a", "c")],
            *[("d", "e"), ("e", "f"), ("d", "f")],
            *[("c", "x"), ("x", "d")],
        ]
    )


def test_clique_with_pendant() -> None:
    """K4 on 0..3 plus 4 tied to 0. Clustering: 1, 1, 1 for 1..3, 3/6 for 0, 0 for 4 ->
    3.5/5 = 0.7. Core numbers 3, 3, 3, 3, 1. Only 0 is a broker (pairs 4-1, 4-2, 4-3): of
    the 6 pairs of 1..4, 3 go through 0."""
    health = cluster_health(clique_with_pendant())
    assert health["nodes"] == 5
    assert health["ties"] == 7
    assert health["density"] == pytest.approx(0.7)
    assert health["mean_clustering"] == pytest.approx(0.7)
    assert health["components"] == {"count": 1, "largest_share": 1.0}
    assert health["isolates"] == []
    assert health["k_core"] == {1: 5, 2: 4, 3: 4}
    brokers = health["brokers"]
    assert [b["id"] for b in brokers["top"]] == [0]  # zero-betweenness members are no brokers
    assert brokers["top"][0]["betweenness"] == pytest.approx(3 / 6)  # 3 of C(4, 2) pairs
    assert brokers["path_share"] == pytest.approx(0.5)
    assert brokers["components_without_top"] == 2
    assert brokers["estimated"] is False


def test_two_triangles_joined_through_a_broker() -> None:
    """x lies on all 9 shortest paths between {a, b, c} and {d, e, f}, c and d on 8 each.

    top_brokers=1: of the 15 pairs of the 6 others, the 9 crossing pairs depend on x: 0.6.
    top_brokers=3 (x, c, d): of the 6 pairs of a, b, e, f, the 4 crossing ones: 2/3.
    """
    G = two_triangles_and_broker()
    one = cluster_health(G, top_brokers=1)["brokers"]
    assert one["top"] == [{"id": "x", "betweenness": pytest.approx(9 / 15)}]
    assert one["path_share"] == pytest.approx(9 / 15)
    assert one["components_without_top"] == 2
    three = cluster_health(G)["brokers"]
    assert [b["id"] for b in three["top"]] == ["x", "c", "d"]
    assert three["path_share"] == pytest.approx(4 / 6)
    assert three["components_without_top"] == 2
    assert cluster_health(G, top_brokers=0)["brokers"]["path_share"] == 0.0


def test_path_share_is_normalised_group_betweenness() -> None:
    G = nx.les_miserables_graph()
    health = cluster_health(G, top_brokers=3)
    group = [b["id"] for b in health["brokers"]["top"]]
    reference = nx.group_betweenness_centrality(G, group, normalized=True, weight=None)
    assert health["brokers"]["path_share"] == pytest.approx(reference)


def test_path_share_counts_only_connected_pairs_and_splits_ties() -> None:
    """Square a-b-c-d-a with e hanging on b (the top broker) and z isolated: a and c are
    joined by two shortest paths, one through b, so that pair depends on b by half."""
    G = nx.cycle_graph(["a", "b", "c", "d"])
    G.add_edge("b", "e")
    G.add_node("z")  # isolated member: no pair with it counts
    brokers = cluster_health(G, top_brokers=1)["brokers"]
    assert [b["id"] for b in brokers["top"]] == ["b"]
    # pairs: a-c 1/2, a-d 0, a-e 1, c-d 0, c-e 1, d-e (d-a-b-e, d-c-b-e) 1 -> 3.5 / 6
    assert brokers["path_share"] == pytest.approx(3.5 / 6)
    assert brokers["components_without_top"] == 3  # {a, d, c}, {e}, {z}


def test_ei_index() -> None:
    G = nx.complete_graph(4)
    assert cluster_health(G)["ei_index"] == -1.0  # whole graph: every tie internal
    assert cluster_health(G, [0, 1, 2, 3])["ei_index"] == -1.0
    star = nx.star_graph(3)
    hub = cluster_health(star, [0])
    assert (hub["ei_index"], hub["internal_ties"], hub["external_ties"]) == (1.0, 0, 3)
    path = cluster_health(nx.path_graph(4), [0, 1])  # I = {0-1}, E = {1-2}
    assert path["ei_index"] == 0.0
    pair = cluster_health(nx.path_graph(4), [1, 2])  # I = 1, E = 2
    assert pair["ei_index"] == pytest.approx(1 / 3)
    assert cluster_health(nx.empty_graph(3), [0])["ei_index"] is None


def test_triple_helix() -> None:
    G = nx.Graph()
    G.add_nodes_from(
        [
            ("acme", {"kind": "company", "type": "sme"}),
            ("beta", {"kind": "company", "type": "startup"}),
            ("uni", {"kind": "institution", "type": "university"}),
            ("lab", {"kind": "institution", "type": "research_institute"}),
            ("gov", {"kind": "institution", "type": "government"}),
            ("agency", {"kind": "institution", "type": "development_agency"}),
            ("assoc", {"kind": "institution", "type": "association"}),
            ("clu", {"kind": "cluster"}),
        ]
    )
    G.add_edges_from(
        [
            ("acme", "beta"),  # industry-industry
            ("acme", "uni"),  # industry-academia
            ("lab", "beta"),  # industry-academia (order does not matter)
            ("uni", "gov"),  # academia-government
            ("agency", "acme"),  # industry-government
            ("assoc", "clu"),  # other-other
            ("clu", "lab"),  # academia-other
            ("gov", "agency"),  # government-government
        ]
    )
    helix = cluster_health(G)["triple_helix"]
    assert helix["counts"] == {
        "industry-industry": 1,
        "industry-academia": 2,
        "industry-government": 1,
        "industry-other": 0,
        "academia-academia": 0,
        "academia-government": 1,
        "academia-other": 1,
        "government-government": 1,
        "government-other": 0,
        "other-other": 1,
    }
    assert helix["shares"]["industry-academia"] == pytest.approx(2 / 8)
    assert sum(helix["shares"].values()) == pytest.approx(1.0)
    members = cluster_health(G, ["acme", "uni", "gov"])["triple_helix"]["counts"]
    assert {pair: n for pair, n in members.items() if n} == {
        "industry-academia": 1,
        "academia-government": 1,
    }
    assert len(SECTORS) == 4
    assert sector({"kind": "company", "type": "university"}) == "industry"


def test_k_core_profile() -> None:
    """K5 on 0..4 (core 4); square 5-6-7-8 with 5 tied to 0 (core 2); tail 9-10 on 8
    (core 1); isolate 11 (core 0, in no k-core)."""
    G = nx.complete_graph(5)
    nx.add_cycle(G, [5, 6, 7, 8])
    G.add_edges_from([(0, 5), (8, 9), (9, 10)])
    G.add_node(11)
    assert cluster_health(G)["k_core"] == {1: 11, 2: 9, 3: 5, 4: 5}
    karate = nx.karate_club_graph()
    profile = cluster_health(karate)["k_core"]
    assert profile == {k: len(nx.k_core(karate, k)) for k in range(1, 5)}
    assert not nx.k_core(karate, 5)


def test_cluster_members_and_isolates() -> None:
    G = two_triangles_and_broker()
    G.add_node("lonely")
    health = cluster_health(G, ["a", "b", "e", "lonely", "not-in-graph"])
    assert health["nodes"] == 4
    assert health["ties"] == 1
    assert health["density"] == pytest.approx(1 / 6)
    assert health["isolates"] == ["e", "lonely"]
    assert health["components"] == {"count": 3, "largest_share": 0.5}
    assert health["external_ties"] == 4  # a-c, b-c, e-d, e-f
    assert health["brokers"] == {
        "top": [],
        "path_share": 0.0,
        "components_without_top": None,
        "estimated": False,
    }


def test_empty_and_json_friendly() -> None:
    health = cluster_health(nx.Graph(), [])
    assert health["nodes"] == 0
    assert health["density"] is None
    assert health["mean_clustering"] is None
    assert health["components"] == {"count": 0, "largest_share": None}
    assert health["ei_index"] is None
    assert health["triple_helix"]["shares"]["industry-industry"] is None
    assert health["brokers"]["path_share"] is None
    assert health["k_core"] == {}
    text = json.dumps(cluster_health(clique_with_pendant()), allow_nan=False)
    assert "NaN" not in text


def test_directed_multigraph_is_collapsed() -> None:
    M = nx.MultiDiGraph([(0, 1), (1, 0), (1, 2)])
    assert cluster_health(M)["ties"] == 2


def test_large_member_sets_are_estimated_reproducibly() -> None:
    G = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=2)
    exact = cluster_health(G)["brokers"]
    first = cluster_health(G, max_exact=100, samples=150, seed=5)["brokers"]
    again = cluster_health(G, max_exact=100, samples=150, seed=5)["brokers"]
    assert first == again
    assert first["estimated"] is True
    assert not math.isclose(first["path_share"], 0.0)
    assert first["path_share"] == pytest.approx(exact["path_share"], abs=0.05)
