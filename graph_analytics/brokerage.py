"""Brokerage: who bridges the gaps between otherwise unconnected organizations.

Two views of the same idea. ``structural_holes`` measures, node by node, how much a network
spans structural holes (Burt's constraint and effective size), whatever the nodes are.
``brokerage_roles`` asks *between whom* a node brokers: given groups of organizations (sector,
type, region, cluster), it counts the open two-paths through each node by the five roles of
Gould and Fernandez.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Hashable, Mapping
from typing import Any

import networkx as nx

__all__ = ["ROLES", "brokerage_roles", "node_group", "structural_holes"]

ROLES: tuple[str, ...] = ("coordinator", "gatekeeper", "representative", "itinerant", "liaison")


def _finite(value: Any) -> float | None:
    value = float(value)
    return None if math.isnan(value) else value


def structural_holes(
    G: nx.Graph, *, weight: str | None = "weight"
) -> dict[Hashable, dict[str, float | None]]:
    """Burt's constraint and effective size of every node.

    ``constraint`` [1]_ is ``c_i = sum_j (p_ij + sum_q p_iq p_qj)^2`` over the neighbours ``j``
    of ``i``, where ``p_ij`` is the share of ``i``'s tie weight invested in ``j``: it is high
    (up to about 1) for a node whose contacts are all tied to one another or to one contact, and
    low for a broker among disconnected contacts. ``effective_size`` [1]_ is the number of
    contacts minus their redundancy, ``sum_j (1 - sum_q p_iq m_jq)``; on an unweighted graph it
    equals Borgatti's ``n - 2t/n`` [2]_ (``n`` contacts, ``t`` ties among them). Both are
    computed by NetworkX (``networkx.constraint`` and ``networkx.effective_size``); a missing
    edge weight counts as 1.

    Parameters
    ----------
    G : networkx.Graph
        Simple graph, usually undirected (as from ``collaboration_network``).
    weight : str, optional
        Edge attribute holding the tie strength; ``None`` counts every tie as 1.

    Returns
    -------
    dict
        ``{node: {"constraint": float | None, "effective_size": float | None}}``. Both are
        undefined for an isolated node (NetworkX gives ``nan``): they are ``None`` here, so
        that the result is valid JSON.

    Examples
    --------
    >>> G = nx.star_graph(3)  # hub 0, leaves 1..3
    >>> G.add_node(4)  # an isolate
    >>> holes = structural_holes(G)
    >>> holes[0]
    {'constraint': 0.3333333333333333, 'effective_size': 3.0}
    >>> holes[1], holes[4]
    ({'constraint': 1.0, 'effective_size': 1.0}, {'constraint': None, 'effective_size': None})

    References
    ----------
    .. [1] R. S. Burt, Structural Holes: The Social Structure of Competition, Harvard
       University Press, 1992.
    .. [2] S. P. Borgatti, "Structural holes: unpacking Burt's redundancy measures",
       Connections 20(1), 35-38, 1997.
    """
    constraint = nx.constraint(G, weight=weight)
    effective = nx.effective_size(G, weight=weight)
    return {
        node: {
            "constraint": _finite(constraint[node]),
            "effective_size": _finite(effective[node]),
        }
        for node in G
    }


def node_group(attrs: Mapping[str, Any], attribute: str) -> Hashable | None:
    """The group of a node: its ``attribute``, the first item if it is a list, else ``None``.

    Examples
    --------
    >>> node_group({"kind": "company"}, "kind")
    'company'
    >>> node_group({"clusters": ["agri", "food"]}, "clusters"), node_group({}, "clusters")
    ('agri', None)
    """
    value = attrs.get(attribute)
    if isinstance(value, list | tuple):
        return value[0] if value else None
    if value == "":
        return None
    return value


def _role(a: Hashable, b: Hashable, c: Hashable) -> str:
    if a == b:
        return "coordinator" if b == c else "representative"
    if b == c:
        return "gatekeeper"
    return "itinerant" if a == c else "liaison"


def brokerage_roles(
    G: nx.Graph,
    attribute: str | None = None,
    *,
    group_of: Callable[[Hashable, Mapping[str, Any]], Hashable | None] | None = None,
    directed: bool | None = None,
) -> dict[Hashable, dict[str, int]]:
    """Gould-Fernandez brokerage roles: how often each node brokers within or between groups.

    A node ``B`` brokers the open two-path ``A -> B -> C`` when ``A`` has no tie to ``C``
    [1]_. With ``g`` the group of a node, the path makes ``B`` a

    - ``coordinator`` if ``g(A) = g(B) = g(C)`` (brokers inside its own group);
    - ``gatekeeper`` if ``g(A) != g(B) = g(C)`` (lets an outsider into its group);
    - ``representative`` if ``g(A) = g(B) != g(C)`` (speaks for its group to an outsider);
    - ``itinerant`` (consultant) if ``g(A) = g(C) != g(B)`` (brokers inside another group);
    - ``liaison`` if all three groups differ.

    On an undirected graph every tie is taken in both directions (the symmetric digraph), so
    each unordered open two-path ``A - B - C`` is counted twice, as ``A -> B -> C`` and as
    ``C -> B -> A``. Coordinator, itinerant and liaison counts are therefore even, and a
    node's gatekeeper and representative counts are equal (a path with ``B`` in ``A``'s group
    only is representative one way and gatekeeper the other); ``total`` is twice the number
    of pairs of non-adjacent neighbours. Halve the counts for unordered two-paths. On a
    directed graph ``A -> B -> C`` needs the ties ``A -> B`` and ``B -> C`` and no tie
    ``A -> C``; a tie ``C -> A`` does not close it, as in [1]_.

    A node without a group (attribute missing, ``None``, empty text or empty list) has no
    role: a two-path that involves it is not counted at all, and such a broker gets zeros.

    Parameters
    ----------
    G : networkx.Graph or networkx.DiGraph
        Simple graph; self-loops are ignored.
    attribute : str, optional
        Node attribute naming the group, e.g. ``"kind"``, ``"type"``, ``"region"`` or
        ``"clusters"``. A list value (``"clusters"``) is reduced to its first item, i.e. an
        organization belongs to the first cluster it declares; pass ``group_of`` to choose
        otherwise.
    group_of : callable, optional
        ``group_of(node, attrs) -> group or None``, instead of ``attribute``.
    directed : bool, optional
        ``None`` follows ``G.is_directed()``; ``False`` treats a directed graph as undirected
        (a tie either way joins two nodes). ``True`` on an undirected graph is the same as
        ``None``.

    Returns
    -------
    dict
        ``{node: {"coordinator": int, "gatekeeper": int, "representative": int,
        "itinerant": int, "liaison": int, "total": int}}`` for every node of ``G``.

    Examples
    --------
    >>> G = nx.path_graph(["a", "b", "c"])
    >>> nx.set_node_attributes(G, {"a": "x", "b": "x", "c": "y"}, "kind")
    >>> roles = brokerage_roles(G, "kind")["b"]  # b represents a to c, gatekeeps c to a
    >>> roles["representative"], roles["gatekeeper"], roles["total"]
    (1, 1, 2)
    >>> D = nx.DiGraph([("a", "b"), ("b", "c")])
    >>> nx.set_node_attributes(D, {"a": "x", "b": "x", "c": "y"}, "kind")
    >>> {role: n for role, n in brokerage_roles(D, "kind")["b"].items() if n}
    {'representative': 1, 'total': 1}

    References
    ----------
    .. [1] R. V. Gould and R. M. Fernandez, "Structures of mediation: a formal approach to
       brokerage in transaction networks", Sociological Methodology 19, 89-126, 1989.
    """
    if (attribute is None) == (group_of is None):
        raise ValueError("give exactly one of attribute and group_of")
    if directed is False and G.is_directed():
        G = G.to_undirected(as_view=True)
    if group_of is None:
        assert attribute is not None
        name = attribute

        def group_of(node: Hashable, attrs: Mapping[str, Any]) -> Hashable | None:
            return node_group(attrs, name)

    group = {node: group_of(node, attrs) for node, attrs in G.nodes(data=True)}
    successors = G.succ if G.is_directed() else G.adj
    predecessors = G.pred if G.is_directed() else G.adj

    result: dict[Hashable, dict[str, int]] = {}
    for b in G:
        counts = dict.fromkeys(ROLES, 0)
        gb = group[b]
        if gb is not None:
            _count(b, gb, group, predecessors, successors, counts)
        counts_out = {role: counts[role] for role in ROLES}
        result[b] = {**counts_out, "total": sum(counts_out.values())}
    return result


def _count(
    b: Hashable,
    gb: Hashable,
    group: Mapping[Hashable, Hashable | None],
    predecessors: Mapping[Hashable, Any],
    successors: Mapping[Hashable, Any],
    counts: dict[str, int],
) -> None:
    """Add the roles of ``b`` on the open two-paths ``a -> b -> c`` to ``counts``.

    First every ordered pair (a, c), a != c, of a grouped in-neighbour and a grouped
    out-neighbour is counted by role from the group sizes alone; then the closed pairs (a tie
    a -> c) are taken off one by one, which costs one pass over the triangles at ``b``.
    """
    ins = [a for a in predecessors[b] if a != b and group[a] is not None]
    outs = {c for c in successors[b] if c != b and group[c] is not None}
    m = Counter(group[a] for a in ins)
    o = Counter(group[c] for c in outs)
    m_b, o_b = m.pop(gb, 0), o.pop(gb, 0)
    m_rest, o_rest = sum(m.values()), sum(o.values())
    same_rest = sum(m[g] * o[g] for g in m)
    both = Counter(group[a] == gb for a in ins if a in outs)  # a = c is no two-path
    counts["coordinator"] += m_b * o_b - both[True]
    counts["representative"] += m_b * o_rest
    counts["gatekeeper"] += m_rest * o_b
    counts["itinerant"] += same_rest - both[False]
    counts["liaison"] += m_rest * o_rest - same_rest
    for a in ins:
        ga = group[a]
        for c in successors[a]:
            if c != a and c in outs:
                counts[_role(ga, gb, group[c])] -= 1
