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


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_metric_of_the_compiled_engine_equals_networkx(seed: int) -> None:
    """All seven metrics, on a connected graph and on one with components and isolates."""
    connected = weighted_graph(80, 0.12, seed)
    broken = nx.disjoint_union(weighted_graph(40, 0.06, seed), nx.path_graph(5))
    broken.add_nodes_from(["lonely", "alone"])
    for G in (connected, broken):
        reference = centrality(G)
        compiled = centrality(G, engine="igraph")
        for metric in METRICS:
            # networkx's own PageRank stops at tolerance 1e-6; ARPACK and the power iteration
            # agree to about 1e-9
            tolerance = {"pagerank": 1e-4, "eigenvector": 1e-8}.get(metric, 1e-9)
            assert compiled[metric] == pytest.approx(reference[metric], abs=tolerance), metric
        for metric in ("degree", "betweenness", "closeness", "harmonic"):
            assert [row["id"] for row in top(compiled[metric], 10)] == [
                row["id"] for row in top(reference[metric], 10)
            ], metric


def test_compiled_closeness_scales_by_component_size() -> None:
    """Wasserman & Faust (1994): a node reaching r - 1 others at total distance d scores
    ((r - 1) / d) * ((r - 1) / (n - 1)); hand-computed on a path of 4 beside a triangle."""
    G = nx.disjoint_union(nx.path_graph(4), nx.complete_graph(3))
    G.add_node("isolate")
    scores = centrality(G, ["closeness"], engine="igraph")["closeness"]
    assert scores[0] == pytest.approx(3 / 6 * 3 / 7)  # distances 1 + 2 + 3
    assert scores[1] == pytest.approx(3 / 4 * 3 / 7)  # distances 1 + 1 + 2
    assert scores[4] == pytest.approx(2 / 2 * 2 / 7)
    assert scores["isolate"] == 0.0


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
    for engine in ("networkx", "igraph"):
        only = centrality(empty, ["eigenvector", "closeness"], engine=engine)  # type: ignore[arg-type]
        assert only["eigenvector"] == {"a": 0.0, "b": 0.0, "c": 0.0}
        assert only["closeness"] == {"a": 0.0, "b": 0.0, "c": 0.0}
        assert centrality(nx.Graph(), engine=engine) == {key: {} for key in METRICS}  # type: ignore[arg-type]
    assert betweenness(nx.path_graph(2), engine="igraph") == {0: 0.0, 1: 0.0}
    with pytest.raises(ValueError, match="unknown metric 'fame'"):
        centrality(empty, ["fame"])
    assert top({"b": 1.0, "a": 1.0}) == [
        {"id": "a", "name": "a", "score": 1.0},
        {"id": "b", "name": "b", "score": 1.0},
    ]


def test_compiled_engine_runs_in_a_process_pool() -> None:
    """``executor``: the same values computed in a spawned worker process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    G = weighted_graph(60, 0.08, 5)
    here = centrality(G, engine="igraph", k=20, seed=1)
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=spawn) as pool:
        assert centrality(G, engine="igraph", k=20, seed=1, executor=pool) == here
