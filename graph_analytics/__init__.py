"""Graph analytics on NetworkX graphs: pure functions, no I/O, nothing from ``app``.

Conventions, after NetworkX's own algorithm modules: the graph comes first, options are
keywords, anything random takes ``seed``, results are plain dicts and lists, and every
algorithm's docstring cites its reference. ``collaboration_network`` turns EcoMap's typed
multigraph into the simple weighted undirected graph the algorithms are defined on.

Process-wide state is the caller's: nothing here pauses the garbage collector around large
graphs (EcoMap does, in ``app.process_state``); the one exception is igraph's random
generator, which seeded igraph calls borrow under a lock (``compiled.seeded_igraph``).
"""

from graph_analytics.brokerage import ROLES, brokerage_roles, structural_holes
from graph_analytics.centrality import METRICS, betweenness, centrality, pagerank, top
from graph_analytics.communities import (
    cluster_split,
    detect_communities,
    modularity,
    partition_agreement,
)
from graph_analytics.convert import collaboration_network
from graph_analytics.health import cluster_health
from graph_analytics.link_evaluation import evaluate_auc
from graph_analytics.links import LINK_METHODS, score_pairs, suggest_links

__all__ = [
    "LINK_METHODS",
    "METRICS",
    "ROLES",
    "betweenness",
    "brokerage_roles",
    "centrality",
    "cluster_health",
    "cluster_split",
    "collaboration_network",
    "detect_communities",
    "evaluate_auc",
    "modularity",
    "pagerank",
    "partition_agreement",
    "score_pairs",
    "structural_holes",
    "suggest_links",
    "top",
]
