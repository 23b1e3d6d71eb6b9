"""Brokerage roles and structural holes against hand-computed values and NetworkX."""

from __future__ import annotations

import math
import random
from collections.abc import Hashable

import networkx as nx
import pytest

from graph_analytics.brokerage import ROLES, brokerage_roles, node_group, structural_holes


def labelled_path(groups: str) -> nx.Graph:
    """The path a - b - c with the groups of a, b, c given as three letters."""
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, dict(zip("abc", groups, strict=True)), "kind")
    return G


def roles(**counts: int) -> dict[str, int]:
    full = dict.fromkeys(ROLES, 0) | counts
    return {**full, "total": sum(full.values())}


@pytest.mark.parametrize(
    ("groups", "expected"),
    [
        ("xxx", roles(coordinator=2)),
        ("xxy", roles(representative=1, gatekeeper=1)),  # a->b->c rep., c->b->a gatekeeper
        ("yxx", roles(representative=1, gatekeeper=1)),
        ("xyx", roles(itinerant=2)),
        ("xyz", roles(liaison=2)),
    ],
)
def test_each_role_on_a_path(groups: str, expected: dict[str, int]) -> None:
    result = brokerage_roles(labelled_path(groups), "kind")
    assert result["b"] == expected
    assert result["a"] == result["c"] == roles()  # end points broker nothing


@pytest.mark.parametrize(
    ("groups", "role"),
    [
        ("xxx", "coordinator"),
        ("yxx", "gatekeeper"),
        ("xxy", "representative"),
        ("xyx", "itinerant"),
        ("xyz", "liaison"),
    ],
)
def test_each_role_on_a_directed_path(groups: str, role: str) -> None:
    D = nx.DiGraph([("a", "b"), ("b", "c")])
    nx.set_node_attributes(D, dict(zip("abc", groups, strict=True)), "kind")
    assert brokerage_roles(D, "kind")["b"] == roles(**{role: 1})


def test_closed_two_paths_do_not_count() -> None:
    G = labelled_path("xyz")
    G.add_edge("a", "c")
    assert all(counts["total"] == 0 for counts in brokerage_roles(G, "kind").values())
    D = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "a")])  # c -> a does not close a -> b -> c
    nx.set_node_attributes(D, dict.fromkeys("abc", "x"), "kind")
    assert brokerage_roles(D, "kind")["b"] == roles(coordinator=1)
    assert brokerage_roles(D, "kind", directed=False)["b"] == roles()


def test_star() -> None:
    """Hub h in group x with leaves x1, x2 (group x) and y1, y2, y3 (group y), z1 (group z).

    Unordered leaf pairs: {x,x} 1 -> coordinator; {x,y} 6 and {x,z} 2 -> representative and
    gatekeeper each; {y,y} 3 -> itinerant (the hub is not in y); {y,z} 3 -> liaison.
    """
    G = nx.star_graph(["h", "x1", "x2", "y1", "y2", "y3", "z1"])
    nx.set_node_attributes(G, {n: n[0] for n in G}, "kind")
    G.nodes["h"]["kind"] = "x"
    assert brokerage_roles(G, "kind")["h"] == roles(
        coordinator=2, representative=8, gatekeeper=8, itinerant=6, liaison=6
    )
    assert brokerage_roles(G, "kind")["h"]["total"] == 2 * math.comb(6, 2)


def test_undirected_counts_are_symmetric() -> None:
    rng = random.Random(3)
    G = nx.gnp_random_graph(40, 0.15, seed=3)
    nx.set_node_attributes(G, {n: rng.choice("pqrs") for n in G}, "region")
    for node, counts in brokerage_roles(G, "region").items():
        assert counts["gatekeeper"] == counts["representative"]
        assert counts["coordinator"] % 2 == counts["itinerant"] % 2 == counts["liaison"] % 2 == 0
        neighbours = set(G[node])
        open_pairs = sum(
            1 for u in neighbours for v in neighbours if u < v and not G.has_edge(u, v)
        )
        assert counts["total"] == 2 * open_pairs


def brute_force(G: nx.Graph, attribute: str) -> dict[Hashable, dict[str, int]]:
    def role(a: str, b: str, c: str) -> str:
        if a == b == c:
            return "coordinator"
        if a == b:
            return "representative"
        if b == c:
            return "gatekeeper"
        return "itinerant" if a == c else "liaison"

    pred = G.pred if G.is_directed() else G.adj
    succ = G.succ if G.is_directed() else G.adj
    result = {}
    for b in G:
        counts = dict.fromkeys(ROLES, 0)
        for a in pred[b]:
            for c in succ[b]:
                groups = [G.nodes[n].get(attribute) for n in (a, b, c)]
                if a != c and not G.has_edge(a, c) and None not in groups:
                    counts[role(*groups)] += 1
        result[b] = {**counts, "total": sum(counts.values())}
    return result


@pytest.mark.parametrize("directed", [False, True])
def test_matches_brute_force_enumeration(directed: bool) -> None:
    rng = random.Random(7)
    G = nx.gnp_random_graph(60, 0.12, seed=7, directed=directed)
    for node in G:
        if rng.random() < 0.9:  # some nodes have no group
            G.nodes[node]["type"] = rng.choice(["sme", "university", "government"])
    assert brokerage_roles(G, "type") == brute_force(G, "type")


def test_ungrouped_nodes_take_no_part() -> None:
    G = labelled_path("xxx")
    del G.nodes["c"]["kind"]
    assert brokerage_roles(G, "kind")["b"] == roles()
    G.nodes["c"]["kind"] = "x"
    G.nodes["b"]["kind"] = None
    assert brokerage_roles(G, "kind")["b"] == roles()


def test_list_attribute_uses_first_item_or_group_of() -> None:
    G = nx.path_graph(["a", "b", "c"])
    nx.set_node_attributes(G, {"a": ["k1"], "b": ["k1", "k2"], "c": ["k2", "k1"]}, "clusters")
    assert brokerage_roles(G, "clusters")["b"] == roles(representative=1, gatekeeper=1)
    last = brokerage_roles(G, group_of=lambda node, attrs: attrs["clusters"][-1])
    assert last["b"] == roles(itinerant=2)  # by last cluster: k1, k2, k1
    assert node_group({"clusters": []}, "clusters") is None
    with pytest.raises(ValueError, match="exactly one"):
        brokerage_roles(G)


def test_constraint_and_effective_size_of_a_star() -> None:
    """Burt's constraint of a hub with n unconnected leaves is n (1/n)^2 = 1/n and its
    effective size n; a leaf has one contact: constraint 1, effective size 1."""
    n = 5
    holes = structural_holes(nx.star_graph(n))
    assert holes[0]["constraint"] == pytest.approx(1 / n)
    assert holes[0]["effective_size"] == pytest.approx(n)
    for leaf in range(1, n + 1):
        assert holes[leaf] == {"constraint": pytest.approx(1.0), "effective_size": 1.0}


def test_structural_holes_match_networkx_and_hand_values() -> None:
    """Triangle a-b-c plus pendant d on a. For a: p = 1/3 to each of b, c, d;
    c_ab = (1/3 + p_ac p_cb)^2 = (1/3 + 1/3 * 1/2)^2 = 1/4, likewise c_ac; c_ad = 1/9;
    constraint 1/2 + 1/9 = 11/18. Effective size (Borgatti) 3 - 2*1/3 = 7/3."""
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")])
    G.add_node("e")
    holes = structural_holes(G, weight=None)
    assert holes["a"]["constraint"] == pytest.approx(11 / 18)
    assert holes["a"]["effective_size"] == pytest.approx(7 / 3)
    assert holes["e"] == {"constraint": None, "effective_size": None}
    nx.set_edge_attributes(G, {("a", "b"): 3.0, ("a", "d"): 2.0}, "weight")
    weighted = structural_holes(G)
    reference_c = nx.constraint(G, weight="weight")
    reference_e = nx.effective_size(G, weight="weight")
    for node in "abcd":
        assert weighted[node]["constraint"] == pytest.approx(reference_c[node])
        assert weighted[node]["effective_size"] == pytest.approx(reference_e[node])
    assert weighted["a"]["constraint"] != pytest.approx(holes["a"]["constraint"])
