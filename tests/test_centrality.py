"""Centrality against a published reference, and the igraph engine against NetworkX."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from graph_analytics.centrality import METRICS, betweenness, centrality, pagerank, top


def test_florentine_betweenness_matches_jackson_2008() -> None:
    """Jackson, Social and Economic Networks (2008), section 2.2.4: normalised betweenness
    of the Florentine marriage network, Medici 0.522, Guadagni 0.255, Strozzi 0.103."""
    G = nx.florentine_families_graph()
    for engine in ("networkx", "igraph"):
        scores = betweenness(G, engine=engine)
        assert scores["Medici"] == pytest.approx(0.522, abs=5e-4)
        assert scores["Guadagni"] == pytest.approx(0.255, abs=5e-4)
        assert scores["Strozzi"] == pytest.approx(0.103, abs=5e-4)
        assert top(scores, 1)[0]["id"] == "Medici"


def weighted_graph(n: int, p: float, seed: int) -> nx.Graph:
    G = nx.gnp_random_graph(n, p, seed=seed)
    rng = random.Random(seed)
    for u, v in G.edges():
        G[u][v]["weight"] = rng.uniform(0.5, 5.0)
    return G


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_igraph_engine_equals_networkx(seed: int) -> None:
    G = weighted_graph(120, 0.05, seed)  # sparse enough to be disconnected sometimes
    exact_nx, exact_ig = betweenness(G), betweenness(G, engine="igraph")
    assert exact_ig == pytest.approx(exact_nx, abs=1e-9)
    sampled_nx = betweenness(G, k=30, seed=seed)
    sampled_ig = betweenness(G, k=30, seed=seed, engine="igraph")
    assert sampled_ig == pytest.approx(sampled_nx, abs=1e-9)
    converged = nx.pagerank(G, weight="weight", tol=1e-12, max_iter=10_000)
    assert pagerank(G, engine="igraph") == pytest.approx(converged, abs=1e-9)
    assert pagerank(G) == pytest.approx(converged, abs=1e-4)  # networkx's default tolerance
    weighted_nx = betweenness(G, weight="weight")
    assert betweenness(G, weight="weight", engine="igraph") == pytest.approx(weighted_nx, abs=1e-9)


def test_sampling_is_seeded_and_k_equal_n_is_exact() -> None:
    G = weighted_graph(60, 0.1, 4)
    assert betweenness(G, k=20, seed=9) == betweenness(G, k=20, seed=9)
    assert betweenness(G, k=20, seed=9) != betweenness(G, k=20, seed=10)
    everyone = betweenness(G, k=len(G), seed=0, engine="igraph")
    assert everyone == pytest.approx(betweenness(G), abs=1e-9)


def test_all_metrics_on_a_star() -> None:
    G = nx.star_graph(4)  # hub 0 and four leaves
    scores = centrality(G)
    assert set(scores) == set(METRICS)
    assert scores["degree"][0] == 1.0 and scores["degree"][1] == 0.25
    assert scores["weighted_degree"][0] == 4.0  # a missing weight counts as 1
    assert scores["betweenness"][0] == 1.0 and scores["betweenness"][1] == 0.0
    assert scores["closeness"][0] == 1.0 and scores["closeness"][1] == pytest.approx(4 / 7)
    assert scores["harmonic"][0] == 4.0 and scores["harmonic"][1] == pytest.approx(2.5)
    assert max(scores["eigenvector"], key=scores["eigenvector"].get) == 0
    assert sum(scores["pagerank"].values()) == pytest.approx(1.0)


def test_edge_cases() -> None:
    empty = nx.Graph()
    empty.add_nodes_from("abc")
    assert centrality(empty, ["eigenvector"])["eigenvector"] == {"a": 0.0, "b": 0.0, "c": 0.0}
    assert betweenness(nx.path_graph(2), engine="igraph") == {0: 0.0, 1: 0.0}
    with pytest.raises(ValueError, match="unknown metric 'fame'"):
        centrality(empty, ["fame"])
    assert top({"b": 1.0, "a": 1.0}) == [
        {"id": "a", "name": "a", "score": 1.0},
        {"id": "b", "name": "b", "score": 1.0},
    ]
