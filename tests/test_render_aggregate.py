"""Smaller maps: groups as super-nodes, the cluster-of-clusters view, the top nodes."""

from __future__ import annotations

import networkx as nx
import pytest

from app.render.aggregate import aggregate, cluster_graph, top_nodes

# -- aggregate -----------------------------------------------------------------------------


def six_organizations() -> nx.Graph:
    """Groups x = {a, b, c}, y = {d, e}, and f in none.

    Ties: a-b, a-c, b-c (inside x), c-d, a-d (x-y), d-e (inside y), e-f (f has no group).
    """
    G = nx.Graph()
    G.add_nodes_from(
        [("a", {"name": "Acme"}), ("b", {"name": "Bolt"}), ("c", {}), ("d", {"name": "Dyn"})]
    )
    G.add_edges_from([("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("a", "d")])
    G.add_edges_from([("d", "e"), ("e", "f")])
    return G


MEMBERSHIP = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y", "ghost": "z"}


def test_aggregate_counts_members_and_ties():
    A = aggregate(six_organizations(), MEMBERSHIP)
    assert list(A) == ["x", "y"]  # largest first; "z" has no member in the graph
    assert A.nodes["x"] == {
        "members": 3,
        "internal_ties": 3,
        "label": "x",
        "sample": ["Acme", "c", "Bolt"],  # degrees a=3, c=3, b=2; ties by id
    }
    assert A.nodes["y"] == {"members": 2, "internal_ties": 1, "label": "y", "sample": ["Dyn", "e"]}
    assert sorted(A.edges(data="weight")) == [("x", "y", 2)]


def test_aggregate_labels_and_any_hashable_groups():
    membership = {"a": (1, "north"), "b": (1, "north"), "c": 2, "d": 2}
    A = aggregate(six_organizations(), membership, labels={2: "Second"})
    assert A.nodes[2]["label"] == "Second"
    assert A.nodes[1, "north"]["label"] == "(1, 'north')"
    assert A[(1, "north")][2]["weight"] == 3  # a-c, b-c, a-d


def test_aggregate_sample_keeps_five_highest_degree():
    G = nx.star_graph(["hub", *(f"co-{i}" for i in range(7))])
    G.add_edge("co-6", "co-5")
    A = aggregate(G, dict.fromkeys(G, "all"))
    assert A.nodes["all"]["sample"] == ["hub", "co-5", "co-6", "co-0", "co-1"]
    assert A.nodes["all"]["members"] == 8
    assert A.nodes["all"]["internal_ties"] == 8


def test_aggregate_collapses_directions_parallel_edges_and_self_loops():
    M = nx.MultiDiGraph()
    M.add_edge("a", "b", key="SUPPLIES")
    M.add_edge("a", "b", key="FUNDS")
    M.add_edge("b", "a", key="COLLABORATES_WITH")
    M.add_edge("a", "c", key="SUPPLIES")
    M.add_edge("c", "c", key="SUPPLIES")
    A = aggregate(M, {"a": "p", "b": "q", "c": "q"})
    assert A.nodes["q"]["internal_ties"] == 0
    assert A["p"]["q"]["weight"] == 2  # {a, b} once, {a, c} once
    assert A.nodes["p"]["sample"] == ["a"]


def test_aggregate_of_nothing():
    assert aggregate(six_organizations(), {}).number_of_nodes() == 0


# -- cluster_graph -------------------------------------------------------------------------


def clustered() -> nx.MultiDiGraph:
    """Cluster nodes M (named) and E (kind cluster, listed by nobody); A is only listed.

    Members: a [M], b [M, A], c [A], d [M, A], e [] (None), f (no attribute).
    Ties among organizations: a-b, b-c, c-d, b-d, a-e, c-f, plus a-b again (SUPPLIES, the
    other way) and a self-loop on d. MEMBER_OF edges a->M, b->M, d->M and a tie e->E.
    """
    G = nx.MultiDiGraph()
    G.add_node("cl-M", kind="cluster", name="Mechatronics")
    G.add_node("cl-E", kind="cluster", name="Energy")
    G.add_node("a", kind="company", clusters=["cl-M"])
    G.add_node("b", kind="company", clusters=["cl-M", "cl-A"])
    G.add_node("c", kind="institution", clusters=["cl-A"])
    G.add_node("d", kind="company", clusters=["cl-A", "cl-M"])
    G.add_node("e", kind="company", clusters=None)
    G.add_node("f", kind="company")
    for u, v in [("a", "b"), ("b", "c"), ("c", "d"), ("b", "d"), ("a", "e"), ("c", "f")]:
        G.add_edge(u, v, key="COLLABORATES_WITH")
    G.add_edge("b", "a", key="SUPPLIES")
    G.add_edge("d", "d", key="COLLABORATES_WITH")
    for member in ("a", "b", "d"):
        G.add_edge(member, "cl-M", key="MEMBER_OF")
    G.add_edge("e", "cl-E", key="COLLABORATES_WITH")
    return G


def test_cluster_graph_nodes():
    C = cluster_graph(clustered())
    assert list(C) == ["cl-A", "cl-M", "cl-E"]  # most members first, then by id
    # internal ties: M: a-b, b-d; A: b-c, c-d, b-d.
    assert C.nodes["cl-M"] == {"members": 3, "label": "Mechatronics", "internal_ties": 2}
    assert C.nodes["cl-A"] == {"members": 3, "label": "cl-A", "internal_ties": 3}
    assert C.nodes["cl-E"] == {"members": 0, "label": "Energy", "internal_ties": 0}


def test_cluster_graph_edges_follow_the_documented_rule():
    C = cluster_graph(clustered())
    # Each tie adds 1 to {M, A} when one end lists M and the other A:
    # a-b (a:M, b:A), b-c (b:M, c:A), c-d (c:A, d:M), b-d (both list both: once).
    # a-e, c-f: the other end lists nothing; MEMBER_OF and e->E touch cluster nodes.
    assert C["cl-M"]["cl-A"] == {"weight": 4, "shared_members": 2}
    assert C.number_of_edges() == 1


def test_cluster_graph_shared_members_without_ties():
    G = nx.Graph()
    G.add_node("solo", clusters=["cl-1", "cl-2", "cl-3"])
    G.add_node("cl-3", kind="cluster", name="Third")
    G.add_edge("solo", "cl-3")  # to the cluster node itself: not a tie
    C = cluster_graph(G)
    assert sorted(C.edges(data=True)) == [
        ("cl-1", "cl-2", {"weight": 0, "shared_members": 1}),
        ("cl-1", "cl-3", {"weight": 0, "shared_members": 1}),
        ("cl-2", "cl-3", {"weight": 0, "shared_members": 1}),
    ]
    assert {c: C.nodes[c]["internal_ties"] for c in C} == {"cl-1": 0, "cl-2": 0, "cl-3": 0}
    assert C.nodes["cl-3"]["label"] == "Third"


def test_cluster_graph_without_clusters():
    G = nx.path_graph(["a", "b", "c"])
    assert cluster_graph(G).number_of_nodes() == 0
    assert cluster_graph(nx.Graph()).number_of_nodes() == 0


# -- top_nodes -----------------------------------------------------------------------------


def test_top_nodes_highest_scores_ties_by_id():
    G = nx.path_graph(["d", "c", "b", "a", "e"])
    nx.set_node_attributes(G, {"b": "Bolt"}, "name")
    scores = {"a": 0.5, "b": 0.9, "c": 0.5, "d": 0.5, "e": 0.1, "not-in-G": 5.0}
    T = top_nodes(G, scores, 3)
    assert set(T) == {"b", "a", "c"}  # a and c beat d on the tie
    assert sorted(tuple(sorted(e)) for e in T.edges()) == [("a", "b"), ("b", "c")]
    assert T.nodes["b"]["name"] == "Bolt"


def test_top_nodes_is_a_copy_of_the_same_class():
    G = nx.DiGraph([("a", "b", {"weight": 2.0}), ("b", "c")])
    T = top_nodes(G, {"a": 3, "b": 2, "c": 1}, 2)
    assert type(T) is nx.DiGraph
    assert T["a"]["b"] == {"weight": 2.0}
    T.add_edge("b", "a")
    T.nodes["a"]["marked"] = True
    assert not G.has_edge("b", "a")
    assert "marked" not in G.nodes["a"]


@pytest.mark.parametrize(("n", "expected"), [(0, set()), (-1, set()), (10, {"a", "b"})])
def test_top_nodes_bounds(n, expected):
    G = nx.Graph([("a", "b"), ("b", "c")])
    assert set(top_nodes(G, {"a": 1.0, "b": 2.0}, n)) == expected
