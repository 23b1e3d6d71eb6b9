"""build_graph: the fast adjacency build equals NetworkX's own, and clusters become attributes."""

from __future__ import annotations

import random

import networkx as nx

from app.store.graph import build_graph
from graph_analytics import collaboration_network


def test_fast_build_equals_the_public_networkx_build() -> None:
    rng = random.Random(5)
    kinds = ["company", "institution", "cluster"]
    orgs = [{"id": f"o{i}", "kind": kinds[i % 3], "name": f"O{i}"} for i in range(60)]
    types = ["SUPPLIES", "COLLABORATES_WITH", "FUNDS", "MEMBER_OF"]
    rels = [
        {"source": f"o{rng.randrange(60)}", "target": f"o{rng.randrange(60)}",
         "type": rng.choice(types), "weight": rng.random(), "since": None}
        for _ in range(400)
    ]  # fmt: skip
    rels = list({(r["source"], r["type"], r["target"]): r for r in rels}.values())
    for include_clusters in (False, True):
        fast = build_graph(orgs, rels, include_clusters=include_clusters)
        slow = nx.MultiDiGraph()
        slow.add_nodes_from(
            (o["id"], {"kind": o["kind"], "name": o["name"], "clusters": []})
            for o in orgs
            if include_clusters or o["kind"] != "cluster"
        )
        for r in rels:
            if r["type"] == "MEMBER_OF" and r["source"] in slow:
                slow.nodes[r["source"]]["clusters"].append(r["target"])
        for node in slow:
            slow.nodes[node]["clusters"].sort()
        slow.add_edges_from(
            (r["source"], r["target"], r["type"],
             {"type": r["type"], "weight": r["weight"], "since": None, "until": None,
              "evidence": None})
            for r in rels
            if r["source"] in slow and r["target"] in slow
            and (include_clusters or r["type"] != "MEMBER_OF")
        )  # fmt: skip
        assert nx.utils.graphs_equal(fast, slow)
        assert dict(fast.nodes(data="clusters")) == dict(slow.nodes(data="clusters"))
        # the built graph behaves like any other: views, mutation, copies
        assert sorted(fast.successors("o1")) == sorted(slow.successors("o1"))
        assert sorted(fast.predecessors("o4")) == sorted(slow.predecessors("o4"))
        copy = fast.copy()
        copy.add_edge("o1", "o4", key="X")
        assert copy.has_edge("o1", "o4", "X") and not fast.has_edge("o1", "o4", "X")
        fast.remove_node("o3")
        assert "o3" not in fast.pred.get("o4", {}) and "o3" not in fast


def test_collapsed_build_equals_the_collaboration_network_of_the_multigraph() -> None:
    rng = random.Random(9)
    orgs = [{"id": f"o{i:02d}", "kind": "company", "name": f"O{i}"} for i in range(40)]
    types = ["SUPPLIES", "COLLABORATES_WITH", "FUNDS", "INVESTS_IN"]
    rels = [
        {"source": f"o{rng.randrange(40):02d}", "target": f"o{rng.randrange(40):02d}",
         "type": rng.choice(types), "weight": rng.choice([None, 0.5, 2.0])}
        for _ in range(300)
    ]  # fmt: skip
    rels = sorted({(r["source"], r["type"], r["target"]): r for r in rels}.items())
    rows = [r for _, r in rels]
    collapsed = build_graph(orgs, rows, collapsed=True)
    expected = collaboration_network(build_graph(orgs, rows))
    assert nx.utils.graphs_equal(collapsed, expected)
    # neighbour order too: community detection depends on it
    assert all(list(collapsed[n]) == list(expected[n]) for n in expected)
    assert any(len(types) > 1 for _, _, types in collapsed.edges(data="types"))
    assert nx.number_of_selfloops(collapsed) == 0
