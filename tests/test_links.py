"""Missing-link prediction: hand-computed scores, suggestion scopes and reasons, USAir AUC."""

from __future__ import annotations

import itertools
import math
import statistics
from pathlib import Path

import networkx as nx
import pytest

from graph_analytics.link_evaluation import evaluate_auc
from graph_analytics.links import LINK_METHODS, score_pairs, suggest_links

USAIR = Path(__file__).resolve().parents[2] / "shared" / "data" / "linkpred" / "usair97.edges"

#: AUC on USAir, Zhang & Chen 2018 (SEAL), Table 1.
PUBLISHED_AUC = {"cn": 0.938, "jaccard": 0.898, "aa": 0.951, "ra": 0.958, "pa": 0.888}

NX_INDEX = {
    "jaccard": nx.jaccard_coefficient,
    "aa": nx.adamic_adar_index,
    "ra": nx.resource_allocation_index,
    "pa": nx.preferential_attachment,
}


@pytest.fixture
def five() -> nx.Graph:
    """a-b, a-c, b-d, c-d, d-e: degrees a2 b2 c2 d3 e1."""
    return nx.Graph([("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")])


# Computed by hand: (a, d) share b, c; (b, c) share a, d; (b, e) share d; (a, e) share nothing.
HAND = {
    "cn": [2.0, 2.0, 1.0, 0.0],
    "jaccard": [2 / 3, 1.0, 1 / 2, 0.0],
    "aa": [2 / math.log(2), 1 / math.log(2) + 1 / math.log(3), 1 / math.log(3), 0.0],
    "ra": [1.0, 1 / 2 + 1 / 3, 1 / 3, 0.0],
    "pa": [6.0, 4.0, 2.0, 2.0],
}
HAND_PAIRS = [("a", "d"), ("b", "c"), ("b", "e"), ("a", "e")]


@pytest.mark.parametrize("method", LINK_METHODS)
def test_scores_by_hand_and_networkx(five: nx.Graph, method: str) -> None:
    got = score_pairs(five, HAND_PAIRS, method=method)
    assert got == pytest.approx(HAND[method])
    if method in NX_INDEX:
        expected = [p for _, _, p in NX_INDEX[method](five, HAND_PAIRS)]
    else:
        expected = [len(list(nx.common_neighbors(five, u, v))) for u, v in HAND_PAIRS]
    assert got == pytest.approx(expected)


@pytest.mark.parametrize("method", LINK_METHODS)
def test_scores_match_networkx_on_random_graph(method: str) -> None:
    G = nx.gnp_random_graph(40, 0.15, seed=3)
    pairs = list(itertools.combinations(G, 2))
    got = score_pairs(G, pairs, method=method)
    if method == "cn":
        expected = [len(list(nx.common_neighbors(G, u, v))) for u, v in pairs]
    else:
        expected = [p for _, _, p in NX_INDEX[method](G, pairs)]
    assert got == pytest.approx(expected)


def test_bad_input(five: nx.Graph) -> None:
    with pytest.raises(ValueError, match="unknown method"):
        score_pairs(five, [("a", "d")], method="katz")
    with pytest.raises(nx.NetworkXNotImplemented):
        suggest_links(nx.DiGraph(five))
    with pytest.raises(ValueError):
        evaluate_auc(nx.complete_graph(5), method="cn", seed=0)


def test_suggestions_by_hand(five: nx.Graph) -> None:
    got = suggest_links(five, method="ra", top=None)
    assert [(s["source"], s["target"]) for s in got] == [
        ("a", "d"),
        ("b", "c"),
        ("b", "e"),
        ("c", "e"),
    ]
    assert [s["score"] for s in got] == pytest.approx([1.0, 5 / 6, 1 / 3, 1 / 3])
    assert got[0]["shared_partners"] == ["b", "c"]
    assert got[2]["reason"] == "1 shared partner: d"
    assert suggest_links(five, method="ra", top=1) == got[:1]


@pytest.mark.parametrize("method", LINK_METHODS)
def test_suggestions_equal_brute_force(method: str) -> None:
    G = nx.gnp_random_graph(30, 0.12, seed=5)
    top = 15
    got = suggest_links(G, method=method, top=top)
    non_edges = [(u, v) for u, v in itertools.combinations(sorted(G), 2) if not G.has_edge(u, v)]
    scores = score_pairs(G, non_edges, method=method)
    brute = sorted(
        ((-s, u, v) for s, (u, v) in zip(scores, non_edges, strict=True) if s > 0),
    )[:top]
    assert [(s["source"], s["target"]) for s in got] == [(u, v) for _, u, v in brute]
    assert [s["score"] for s in got] == pytest.approx([-s for s, _, _ in brute])


@pytest.mark.parametrize("method", LINK_METHODS)
def test_scoped_suggestions_equal_brute_force(method: str) -> None:
    # Scoped search (sources x accepted candidates, top N) against scoring every allowed pair.
    G = nx.barabasi_albert_graph(60, 2, seed=3)
    sources, accepted = set(range(0, 60, 3)), set(range(1, 60, 2))
    top = 12
    got = suggest_links(G, method=method, top=top, sources=sources, candidates=accepted)
    allowed = {
        (min(u, v), max(u, v)) for u in sources for v in accepted if u != v and not G.has_edge(u, v)
    }
    pairs = sorted(allowed)
    scores = score_pairs(G, pairs, method=method)
    brute = sorted((-s, u, v) for s, (u, v) in zip(scores, pairs, strict=True) if s > 0)[:top]
    assert [s["score"] for s in got] == pytest.approx([-s for s, _, _ in brute])
    assert all(s["source"] in sources and s["target"] in accepted for s in got)
    got_pairs = {(min(s["source"], s["target"]), max(s["source"], s["target"])) for s in got}
    assert got_pairs <= allowed


def test_existing_ties_excluded_unless_asked() -> None:
    G = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d")])
    pairs = {(s["source"], s["target"]) for s in suggest_links(G, method="cn", top=None)}
    assert pairs == {("a", "d"), ("b", "d")}
    assert not any(G.has_edge(u, v) for u, v in pairs)
    with_existing = suggest_links(G, method="cn", top=None, exclude_existing=False)
    all_pairs = {(s["source"], s["target"]) for s in with_existing}
    assert {("a", "b"), ("a", "c"), ("b", "c")} <= all_pairs
    pa = suggest_links(G, method="pa", top=None, sources=["a"])
    assert [s["target"] for s in pa] == ["d"]


def test_excluded_pairs_are_never_suggested(five: nx.Graph) -> None:
    # By hand (ra): a-d 1, b-c 5/6, b-e 1/3, c-e 1/3; dismissing d-a and {c, b} leaves b-e, c-e.
    got = suggest_links(five, method="ra", top=None, exclude_pairs=[("d", "a"), frozenset("cb")])
    assert [(s["source"], s["target"]) for s in got] == [("b", "e"), ("c", "e")]
    assert [s["score"] for s in got] == pytest.approx([1 / 3, 1 / 3])
    # Scoped, and with pa (its best-first searches test pairs through the same predicate).
    scoped = suggest_links(five, sources=["e"], exclude_pairs=[("b", "e")])
    assert [s["target"] for s in scoped] == ["c"]
    # pa by hand: a-d 6, b-c 4, then a-e, b-e, c-e 2 (b-d is a tie already).
    pa = suggest_links(five, method="pa", top=2, exclude_pairs=[("a", "d"), ("b", "d")])
    assert [(s["source"], s["target"], s["score"]) for s in pa] == [("b", "c", 4), ("a", "e", 2)]
    assert suggest_links(five, method="ra", top=None, exclude_pairs=[("x", "y")]) == suggest_links(
        five, method="ra", top=None
    )
    with pytest.raises(ValueError, match="not a pair"):
        suggest_links(five, exclude_pairs=[("a", "b", "c")])


def test_sources_scope(five: nx.Graph) -> None:
    got = suggest_links(five, method="cn", sources=["e"])
    assert [(s["source"], s["target"]) for s in got] == [("e", "b"), ("e", "c")]
    got = suggest_links(five, method="pa", sources=["e"])
    assert [(s["source"], s["target"], s["score"]) for s in got] == [
        ("e", "a", 2.0),
        ("e", "b", 2.0),
        ("e", "c", 2.0),
    ]
    assert got[0]["reason"] == "no shared partners; 1 and 2 ties"


def test_candidates_scope_set_and_predicate(five: nx.Graph) -> None:
    by_set = suggest_links(five, method="ra", sources=["b"], candidates={"e"})
    by_predicate = suggest_links(five, method="ra", sources=["b"], candidates=lambda n: n == "e")
    assert [(s["source"], s["target"]) for s in by_set] == [("b", "e")]
    assert by_set == by_predicate
    # Without sources: every pair with one end among the candidates.
    got = suggest_links(five, method="cn", candidates={"e"})
    assert {(s["source"], s["target"]) for s in got} == {("b", "e"), ("c", "e")}


def test_within_cluster_scope() -> None:
    G = nx.Graph([(1, 2), (2, 3), (3, 4), (1, 5), (5, 3), (4, 6), (2, 6)])
    members = {1, 3, 4, 6}
    got = suggest_links(G, method="cn", top=None, sources=members, candidates=members)
    pairs = [(s["source"], s["target"]) for s in got]
    # (1, 3) share 2 and 5, (3, 6) share 2 and 4, (1, 6) share 2; (1, 4) share nothing.
    assert pairs == [(1, 3), (3, 6), (1, 6)]
    assert [s["score"] for s in got] == [2.0, 2.0, 1.0]


def test_reason_names_clusters_and_sectors() -> None:
    G = nx.Graph()
    G.add_node("acme", name="Acme", clusters=["cl-x", "cl-y"], sectors=["C29.1", "C28"])
    G.add_node("bolt", name="Bolt", clusters=["cl-x"], sectors=["C29.1"])
    partners = [f"p{i}" for i in range(7)]
    for i, p in enumerate(partners):
        G.add_node(p, name=f"Partner {i}")
        G.add_edges_from([("acme", p), ("bolt", p)])
    (best,) = suggest_links(G, method="aa", sources=["acme"], candidates={"bolt"})
    assert best["reason"] == (
        "7 shared partners: Partner 0, Partner 1, Partner 2, Partner 3, Partner 4 and 2 more; "
        "both in cluster cl-x; shared sector C29.1"
    )
    assert best["shared_partners"] == partners
    assert best["shared_clusters"] == ["cl-x"]
    assert best["shared_sectors"] == ["C29.1"]
    (renamed,) = suggest_links(G, sources=["acme"], candidates={"bolt"}, names={"p0": "Zero Ltd"})
    assert renamed["reason"].startswith("7 shared partners: Zero Ltd, Partner 1,")


def test_ordering_and_determinism() -> None:
    G = nx.relabel_nodes(nx.cycle_graph(8), {i: f"n{i}" for i in range(8)})
    got = suggest_links(G, method="cn", top=None)
    # All eight distance-2 pairs tie at one shared partner: (source, target) order.
    pairs = [(s["source"], s["target"]) for s in got]
    assert pairs == sorted(pairs)
    assert len(pairs) == 8 and all(s["score"] == 1.0 for s in got)
    shuffled = nx.Graph()
    shuffled.add_edges_from(reversed(list(G.edges())))
    assert suggest_links(shuffled, method="cn", top=None) == got


def test_auc_is_deterministic_for_a_seed() -> None:
    G = nx.karate_club_graph()
    assert evaluate_auc(G, method="cn", seed=7) == evaluate_auc(G, method="cn", seed=7)
    assert 0.5 < evaluate_auc(G, method="ra", seed=7, n_samples=2000) <= 1.0


@pytest.mark.skipif(not USAIR.exists(), reason=f"{USAIR} not available")
def test_usair_auc_matches_seal_table_1() -> None:
    G = nx.read_edgelist(USAIR, nodetype=int)
    assert (G.number_of_nodes(), G.number_of_edges()) == (332, 2126)
    for method, published in PUBLISHED_AUC.items():
        mean = statistics.mean(evaluate_auc(G, method=method, seed=seed) for seed in range(10))
        assert mean == pytest.approx(published, abs=0.015), method
