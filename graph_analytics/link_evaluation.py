"""How well a similarity score recovers hidden ties: the AUC protocol of link prediction.

The protocol is the one of Lü & Zhou's survey and of Zhang & Chen's SEAL (Table 1): hide a
random share of the edges, score the hidden (missing) pairs and random non-edges, and count
how often the missing pair scores higher.
"""

from __future__ import annotations

import random

import networkx as nx

from graph_analytics.links import _neighbours, _scorer

__all__ = ["evaluate_auc"]


def evaluate_auc(
    G: nx.Graph,
    *,
    method: str,
    test_fraction: float = 0.1,
    n_samples: int = 10000,
    seed: int | None = None,
) -> float:
    """AUC of a similarity score at recovering randomly removed edges.

    The protocol of Lü & Zhou [1]_ used by Zhang & Chen [2]_ (Table 1): a random
    ``test_fraction`` of the edges (rounded down, at least one) is removed as the test set and
    the rest is the training graph, on which pairs are scored. Over ``n_samples`` independent
    draws of one missing link (a test edge) and one non-existent link (a pair of distinct
    nodes not adjacent in ``G``), the AUC is the fraction of draws where the missing link
    scores higher, ties counting one half. The same ``seed`` gives the same split and draws
    for every method, so methods are compared on identical samples.

    Parameters
    ----------
    G : networkx.Graph
        Undirected simple graph, taken as given (no restriction to its giant component).
    method : {"cn", "jaccard", "aa", "ra", "pa"}
    test_fraction : float
        Share of edges held out, in (0, 1).
    n_samples : int
        Number of (missing link, non-existent link) comparisons.
    seed : int, optional
        Seed of the random split and draws.

    Returns
    -------
    float
        0.5 is chance, 1.0 a perfect ranking.

    Examples
    --------
    >>> G = nx.karate_club_graph()
    >>> auc = evaluate_auc(G, method="ra", seed=1)
    >>> 0.5 < auc <= 1.0, auc == evaluate_auc(G, method="ra", seed=1)
    (True, True)

    References
    ----------
    .. [1] L. Lü, T. Zhou, "Link prediction in complex networks: a survey",
           Physica A 390(6), 1150-1170 (2011).
    .. [2] M. Zhang, Y. Chen, "Link prediction based on graph neural networks", NeurIPS 2018.
    """
    if not 0 < test_fraction < 1:
        raise ValueError("test_fraction must be in (0, 1)")
    lazy = _neighbours(G)
    full = {u: lazy[u] for u in G}
    nodes = list(G)
    n = len(nodes)
    edges = [(u, v) for u, v in G.edges() if u != v]
    if not edges or sum(len(s) for s in full.values()) // 2 >= n * (n - 1) // 2:
        raise ValueError("AUC needs at least one edge and one non-adjacent pair")
    rng = random.Random(seed)
    test = rng.sample(edges, max(1, int(test_fraction * len(edges))))
    train = {u: set(s) for u, s in full.items()}
    for u, v in test:
        train[u].discard(v)
        train[v].discard(u)
    score = _scorer(method, train)
    hits = 0.0
    for _ in range(n_samples):
        u, v = test[rng.randrange(len(test))]
        while True:
            a, b = nodes[rng.randrange(n)], nodes[rng.randrange(n)]
            if a != b and b not in full[a]:
                break
        missing, absent = score(u, v), score(a, b)
        hits += 1.0 if missing > absent else 0.5 if missing == absent else 0.0
    return hits / n_samples
