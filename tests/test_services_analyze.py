"""The analysis services on tiny hand-computed graphs: what their answers add to the
algorithms of ``graph_analytics`` (listing, grouping, counting)."""

from __future__ import annotations

import networkx as nx
import pytest

from app.services.analyze import GROUPINGS, brokerage_of, communities_of


def barbell() -> nx.Graph:
    """Two triangles {0, 1, 2} and {3, 4, 5} joined by the tie 2-3, named "Org N"."""
    G = nx.barbell_graph(3, 0)
    nx.set_node_attributes(G, {n: f"Org {n}" for n in G}, "name")
    return G


def test_communities_are_listed_without_declared_clusters() -> None:
    """No cluster declared: both communities are listed, best-connected members first (the
    bridge ends have three ties, the others two)."""
    report = communities_of(barbell(), seed=1)
    assert report.agreement is None and report.cluster_split == {}
    assert [(g.size, g.members[0], g.clusters) for g in report.groups] == [
        (3, 2, {}),
        (3, 3, {}),
    ]
    assert report.groups[0].top == ["Org 2", "Org 0", "Org 1"]


def test_communities_name_the_declared_clusters_of_their_members() -> None:
    G = barbell()
    nx.set_node_attributes(G, {0: ["cl-a"], 1: ["cl-a", "cl-b"], 4: ["cl-b"]}, "clusters")
    groups = {g.members[0]: g.clusters for g in communities_of(G, seed=1).groups}
    assert groups == {2: {"cl-a": 2, "cl-b": 1}, 3: {"cl-b": 1}}


def test_brokerage_by_community_finds_the_bridge_without_clusters() -> None:
    """By community, 2 and 3 each broker between the two triangles: 2 lies on the open
    two-paths 0-2-3 and 1-2-3 (both ways: 4 directed), with 3 in the other community, so
    it is representative twice and gatekeeper twice; no coordinator (0-2-1 is closed)."""
    by_clusters = brokerage_of(barbell(), group_by="clusters")
    assert (by_clusters.groups, by_clusters.ungrouped) == (0, 6)
    assert all(row.total == 0 for row in by_clusters.organizations)
    report = brokerage_of(barbell(), group_by="community", seed=1)
    assert (report.groups, report.ungrouped) == (2, 0)
    top = {row.id: row for row in report.organizations[:2]}
    assert set(top) == {2, 3}
    assert (top[2].representative, top[2].gatekeeper, top[2].coordinator) == (2, 2, 0)


def test_brokerage_by_a_list_attribute_takes_its_first_item() -> None:
    G = nx.path_graph(3)  # 0 - 1 - 2: 1 brokers the open two-path both ways
    nx.set_node_attributes(G, {0: ["C10"], 1: ["C10", "M72"], 2: ["M72"]}, "sectors")
    report = brokerage_of(G, group_by="sectors")
    broker = next(row for row in report.organizations if row.id == 1)
    assert (report.groups, broker.representative, broker.gatekeeper) == (2, 1, 1)


def test_every_grouping_is_accepted_and_others_refused() -> None:
    for grouping in GROUPINGS:
        assert brokerage_of(barbell(), group_by=grouping).group_by == grouping
    with pytest.raises(ValueError, match="group_by"):
        brokerage_of(barbell(), group_by="mood")
