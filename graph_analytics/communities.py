"""Communities: which organizations work more with each other than with the rest.

Three detectors share one result shape, ``{node: community}`` with communities numbered
``0..k-1`` by decreasing size (ties broken by the smallest member), so that a partition can be
compared with another (``partition_agreement``) or with the clusters organizations declare
(``cluster_split``) without caring which algorithm produced it.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from typing import Any, Literal

import networkx as nx

from graph_analytics.compiled import edge_list, leiden_membership

__all__ = [
    "Algorithm",
    "cluster_split",
    "detect_communities",
    "modularity",
    "partition_agreement",
]

Algorithm = Literal["leiden", "louvain", "label_propagation"]


def _simple(G: nx.Graph, weight: str | None) -> nx.Graph:
    """The simple undirected graph the algorithms are defined on."""
    if G.is_directed() or G.is_multigraph():
        from graph_analytics.convert import collaboration_network

        return collaboration_network(G, weight=weight or "weight")
    return G


def _numbered(G: nx.Graph, communities: Iterable[Iterable[Hashable]]) -> dict[Hashable, int]:
    """Number communities 0..k-1 by decreasing size, ties by smallest member."""
    blocks: list[list[Any]] = [list(block) for block in communities]
    position = {node: i for i, node in enumerate(G)}
    try:
        blocks.sort(key=lambda block: (-len(block), min(block)))
    except TypeError:  # members not mutually comparable: fall back to the graph's node order
        blocks.sort(key=lambda block: (-len(block), min(position[n] for n in block)))
    return {node: i for i, block in enumerate(blocks) for node in block}


def _leiden(
    G: nx.Graph,
    weight: str | None,
    resolution: float,
    seed: int | None,
    iterations: int,
    executor: Executor | None,
) -> list[Any]:
    nodes, edges, weights = edge_list(G, weight)
    task = (len(nodes), edges, weights, resolution, seed, iterations)
    if executor is not None:
        membership = executor.submit(leiden_membership, *task).result()
    else:
        membership = leiden_membership(*task)
    blocks: dict[int, list[Hashable]] = defaultdict(list)
    for node, community in zip(nodes, membership, strict=True):
        blocks[community].append(node)
    return list(blocks.values())


def detect_communities(
    G: nx.Graph,
    *,
    algorithm: Algorithm = "leiden",
    resolution: float = 1.0,
    weight: str | None = "weight",
    seed: int | None = None,
    max_iterations: int | None = None,
    executor: Executor | None = None,
) -> dict[Hashable, int]:
    """Partition the nodes into communities of densely connected organizations.

    ``"leiden"`` (the default) maximises modularity with the Leiden algorithm [1]_ of
    python-igraph, run until an iteration no longer improves the partition (or for
    ``max_iterations``); its communities are guaranteed to be connected. ``"louvain"`` is
    NetworkX's Louvain method [2]_.
    ``"label_propagation"`` is NetworkX's asynchronous label propagation [3]_
    (``asyn_lpa_communities``), which honours ``weight`` and ``seed`` but has no objective,
    hence ignores ``resolution``. A directed or multi graph is first collapsed with
    ``collaboration_network``. Isolated nodes are communities of their own.

    Parameters
    ----------
    G : networkx.Graph
        Undirected, optionally weighted graph (directed and multi graphs are collapsed).
    algorithm : {"leiden", "louvain", "label_propagation"}
    resolution : float
        Modularity resolution ``gamma`` [4]_: above 1 favours smaller communities. At 1,
        modularity may merge communities much smaller than the square root of the total
        edge weight (the resolution limit [5]_).
    weight : str, optional
        Edge attribute holding the weight (missing counts as 1); ``None`` ignores weights.
    seed : int, optional
        Seed of the algorithm's randomness: the same seed gives the same partition. For
        Leiden, igraph's process-wide generator is swapped for the duration of the call, so
        do not run seeded Leiden calls concurrently in threads.
    max_iterations : int, optional
        Leiden only: stop after this many iterations instead of at convergence. Two
        (igraph's default) reach within 0.1% of the converged modularity on the generated
        100k-organization graph in a fifth of the time, enough for a map's summary.
    executor : concurrent.futures.Executor, optional
        Leiden only: run igraph there (e.g. a process pool, so that a server's other
        threads run meanwhile); the graph travels as an edge list.

    Returns
    -------
    dict
        ``{node: community}``, communities numbered ``0..k-1`` by decreasing size, ties
        broken by the smallest member (the earliest in ``G`` if members do not compare).

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)  # two triangles joined by the edge 2-3
    >>> detect_communities(G, seed=1)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    >>> detect_communities(G, algorithm="louvain", seed=1) == detect_communities(G, seed=1)
    True

    References
    ----------
    .. [1] V. A. Traag, L. Waltman and N. J. van Eck, "From Louvain to Leiden: guaranteeing
       well-connected communities", Scientific Reports 9, 5233, 2019.
    .. [2] V. D. Blondel, J.-L. Guillaume, R. Lambiotte and E. Lefebvre, "Fast unfolding of
       communities in large networks", J. Stat. Mech. P10008, 2008.
    .. [3] U. N. Raghavan, R. Albert and S. Kumara, "Near linear time algorithm to detect
       community structures in large-scale networks", Phys. Rev. E 76, 036106, 2007.
    .. [4] J. Reichardt and S. Bornholdt, "Statistical mechanics of community detection",
       Phys. Rev. E 74, 016110, 2006.
    .. [5] S. Fortunato and M. Barthelemy, "Resolution limit in community detection", PNAS
       104(1), 36-41, 2007.
    """
    G = _simple(G, weight)
    if len(G) == 0:
        return {}
    communities: Iterable[Iterable[Hashable]]
    if algorithm == "leiden":
        iterations = max_iterations or -1
        communities = _leiden(G, weight, resolution, seed, iterations, executor)
    elif algorithm == "louvain":
        communities = nx.community.louvain_communities(
            G, weight=weight, resolution=resolution, seed=seed
        )
    elif algorithm == "label_propagation":
        communities = nx.community.asyn_lpa_communities(G, weight=weight, seed=seed)
    else:
        raise ValueError(f"unknown algorithm {algorithm!r}")
    return _numbered(G, communities)


def modularity(
    G: nx.Graph,
    membership: Mapping[Hashable, Hashable],
    *,
    weight: str | None = "weight",
    resolution: float = 1.0,
) -> float:
    """Newman-Girvan modularity [1]_ of a partition, as ``networkx.community.modularity``.

    ``Q = 1/(2m) sum_ij (A_ij - gamma k_i k_j / (2m)) delta(c_i, c_j)``. A directed or multi
    graph is first collapsed with ``collaboration_network``, as in ``detect_communities``.

    Parameters
    ----------
    G : networkx.Graph
    membership : mapping
        ``{node: community}`` covering every node of ``G`` (other keys are ignored).
    weight : str, optional
        Edge attribute holding the weight; ``None`` counts every edge as 1.
    resolution : float
        Resolution ``gamma``.

    Returns
    -------
    float
        ``nan`` for a graph without edges, where modularity is undefined.

    Examples
    --------
    >>> G = nx.barbell_graph(3, 0)
    >>> round(modularity(G, {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}), 4)  # 2*(3/7 - 1/4)
    0.3571

    References
    ----------
    .. [1] M. E. J. Newman and M. Girvan, "Finding and evaluating community structure in
       networks", Phys. Rev. E 69, 026113, 2004.
    """
    G = _simple(G, weight)
    missing = [node for node in G if node not in membership]
    if missing:
        raise ValueError(f"{len(missing)} node(s) without a community, e.g. {missing[0]!r}")
    if G.size(weight=weight) == 0:
        return math.nan
    blocks: dict[Hashable, set[Hashable]] = defaultdict(set)
    for node in G:
        blocks[membership[node]].add(node)
    return float(nx.community.modularity(G, blocks.values(), weight=weight, resolution=resolution))


def _entropy(counts: Iterable[int], n: int) -> float:
    return -sum(c / n * math.log(c / n) for c in counts if c)


def _pairs(count: int) -> int:
    return count * (count - 1) // 2


def partition_agreement(
    membership: Mapping[Hashable, Hashable], reference: Mapping[Hashable, Hashable]
) -> dict[str, float]:
    """How far two partitions agree, over the nodes present in both.

    ``nmi`` is the normalized mutual information with the arithmetic mean of the two
    entropies as normaliser [1]_ (scikit-learn's default ``normalized_mutual_info_score``);
    ``ari`` is the adjusted Rand index of Hubert and Arabie [2]_. Both are 1 for identical
    partitions up to relabelling; ARI is about 0 for independent ones (and can be negative),
    NMI is 0 when the partitions share no information. As in scikit-learn, two partitions
    that each put every node in one community, or every node alone, agree perfectly.

    Parameters
    ----------
    membership, reference : mapping
        ``{node: community}``; community labels need only be hashable.

    Returns
    -------
    dict
        ``{"nmi": float, "ari": float}``.

    Raises
    ------
    ValueError
        If the two partitions have no node in common.

    Examples
    --------
    >>> partition_agreement({1: "a", 2: "a", 3: "b"}, {1: 0, 2: 0, 3: 1})
    {'nmi': 1.0, 'ari': 1.0}
    >>> agreement = partition_agreement({1: 0, 2: 0, 3: 1, 4: 1}, {1: 0, 2: 1, 3: 0, 4: 1})
    >>> round(agreement["nmi"], 6), round(agreement["ari"], 6)
    (0.0, -0.5)

    References
    ----------
    .. [1] N. X. Vinh, J. Epps and J. Bailey, "Information theoretic measures for clusterings
       comparison", Journal of Machine Learning Research 11, 2837-2854, 2010.
    .. [2] L. Hubert and P. Arabie, "Comparing partitions", Journal of Classification 2,
       193-218, 1985.
    """
    nodes = [node for node in membership if node in reference]
    n = len(nodes)
    if n == 0:
        raise ValueError("the two partitions have no node in common")
    joint = Counter((membership[node], reference[node]) for node in nodes)
    rows = Counter(membership[node] for node in nodes)
    cols = Counter(reference[node] for node in nodes)
    # Degenerate cases, as scikit-learn: both trivial partitions of the same kind agree fully.
    if (len(rows) == len(cols) == 1) or (len(rows) == len(cols) == n):
        return {"nmi": 1.0, "ari": 1.0}

    mutual = sum(c / n * math.log(c * n / (rows[a] * cols[b])) for (a, b), c in joint.items())
    mean_entropy = (_entropy(rows.values(), n) + _entropy(cols.values(), n)) / 2
    nmi = 0.0 if mutual <= 0 else min(1.0, mutual / mean_entropy)

    index = sum(_pairs(c) for c in joint.values())
    sum_rows = sum(_pairs(c) for c in rows.values())
    sum_cols = sum(_pairs(c) for c in cols.values())
    expected = sum_rows * sum_cols / _pairs(n)
    maximum = (sum_rows + sum_cols) / 2
    ari = 1.0 if maximum == expected else (index - expected) / (maximum - expected)
    return {"nmi": float(nmi), "ari": float(ari)}


def cluster_split(
    membership: Mapping[Hashable, int],
    declared: Mapping[Hashable, Sequence[Hashable]],
) -> dict[Hashable, dict[int, int]]:
    """How the members of each declared cluster spread across detected communities.

    A cluster whose members all fall in one community is confirmed by the network; one spread
    over many is a label more than a working group. Members absent from ``membership`` (not
    in the analysed graph) are not counted; a member listed twice counts once.

    Parameters
    ----------
    membership : mapping
        ``{node: community}``, as returned by ``detect_communities``.
    declared : mapping
        ``{cluster_id: [member node, ...]}``.

    Returns
    -------
    dict
        ``{cluster_id: {community: count}}``, communities by decreasing count (ties by
        community). The share in the largest community is
        ``max(counts.values()) / sum(counts.values())``.

    Examples
    --------
    >>> membership = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 2}
    >>> cluster_split(membership, {"agri": ["a", "b", "c"], "med": ["d", "x"]})
    {'agri': {0: 2, 1: 1}, 'med': {1: 1}}
    """
    split: dict[Hashable, dict[int, int]] = {}
    for cluster, members in declared.items():
        counts = Counter(membership[node] for node in dict.fromkeys(members) if node in membership)
        split[cluster] = dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))
    return split
