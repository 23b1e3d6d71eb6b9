"""Structural promises of the bundled sample ecosystem (app/sample, built by tools/build_sample.py).

The sample is there so that the analyses have something to find; these tests recompute each
promise from the CSV files, so a regenerated sample that loses one of them fails here.
"""

from __future__ import annotations

import csv
import itertools
import math
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import networkx as nx
import pytest

from app.domain import Organization, Relationship
from app.rules import endpoint_problem

SAMPLE = Path(__file__).resolve().parents[1] / "app" / "sample"
ORG_HEADER = (
    "id,name,kind,type,sectors,tags,city,region,country,lat,lon,"
    "employees,founded,website,description"
)
REL_HEADER = "source,target,type,weight,since,until,evidence"
ALL_TYPES = {"MEMBER_OF", "COLLABORATES_WITH", "SUPPLIES", "INVESTS_IN", "FUNDS", "SPUN_OUT_OF"}
RESEARCH_TYPES = {"university", "research_institute"}
RESEARCH_TIES = {"COLLABORATES_WITH", "FUNDS", "SPUN_OUT_OF"}

# The deliberate structure, as documented in app/sample/README.md.
BROKERS = ("co-torvale-engineering", "co-datavela-systems", "in-university-of-valmora")
ISOLATED_STARTUP = "co-orbitella-labs"
SPLIT_CLUSTER = "cl-valmora-fashion"
SPLIT_TAGS = ("traditional_textile", "sustainable_fashion_tech")


@dataclass(frozen=True)
class Sample:
    header_lines: tuple[str, str]
    orgs: dict[str, dict[str, str]]
    rels: list[dict[str, str]]
    clusters: dict[str, frozenset[str]]  # organization id -> ids of its clusters
    graph: nx.Graph  # organization-to-organization network (no clusters, no MEMBER_OF)


def _read(path: Path) -> tuple[str, list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        header = handle.readline().rstrip("\n")
        handle.seek(0)
        return header, list(csv.DictReader(handle))


@cache
def sample() -> Sample:
    org_header, org_rows = _read(SAMPLE / "organizations.csv")
    rel_header, rels = _read(SAMPLE / "relationships.csv")
    orgs = {row["id"]: row for row in org_rows}
    clusters: dict[str, set[str]] = defaultdict(set)
    graph = nx.Graph()
    graph.add_nodes_from(oid for oid, row in orgs.items() if row["kind"] != "cluster")
    for rel in rels:
        if rel["type"] == "MEMBER_OF":
            clusters[rel["source"]].add(rel["target"])
        elif rel["source"] in graph and rel["target"] in graph:
            graph.add_edge(rel["source"], rel["target"])
    return Sample(
        header_lines=(org_header, rel_header),
        orgs=orgs,
        rels=rels,
        clusters={oid: frozenset(clusters.get(oid, ())) for oid in orgs},
        graph=graph,
    )


def _members(cluster: str) -> list[str]:
    return sorted(oid for oid, cls in sample().clusters.items() if cluster in cls)


def _cluster_ids() -> list[str]:
    return sorted(oid for oid, row in sample().orgs.items() if row["kind"] == "cluster")


# --- format ---------------------------------------------------------------------------------


def test_headers_are_the_canonical_ones() -> None:
    assert sample().header_lines == (ORG_HEADER, REL_HEADER)


def test_every_row_passes_the_domain_models() -> None:
    s = sample()
    kinds = {oid: Organization.model_validate(row).kind for oid, row in s.orgs.items()}
    for row in s.rels:
        rel = Relationship.model_validate(row)
        assert (rel.source, rel.target) == (row["source"], row["target"]), "not normalised"
        assert endpoint_problem(rel.type, kinds[rel.source], kinds[rel.target]) is None, row


def test_ids_endpoints_and_keys_are_consistent() -> None:
    s = sample()
    ids = [row["id"] for row in s.orgs.values()]
    assert len(ids) == len(set(ids))
    prefixes = {"company": "co-", "institution": "in-", "cluster": "cl-"}
    for oid, row in s.orgs.items():
        assert oid.startswith(prefixes[row["kind"]]), oid
        assert all(ch.islower() or ch.isdigit() or ch == "-" for ch in oid), oid
        assert row["website"].startswith("https://") and row["website"].endswith(".example")
    keys = [(r["source"], r["type"], r["target"]) for r in s.rels]
    assert len(keys) == len(set(keys)), "duplicate (source, type, target)"
    for source, rel_type, target in keys:
        assert source in s.orgs and target in s.orgs
        assert source != target
        if rel_type == "COLLABORATES_WITH":
            assert source < target, "symmetric ties are written once, smaller id first"


def test_years_weights_and_evidence_are_plausible() -> None:
    s = sample()
    for row in s.orgs.values():
        if row["founded"]:
            assert 1000 <= int(row["founded"]) <= 2025
        if row["kind"] != "cluster":
            assert row["employees"] and int(row["employees"]) >= 0, row["id"]
    with_until = 0
    for rel in s.rels:
        assert float(rel["weight"]) > 0
        assert rel["evidence"].strip()
        since = int(rel["since"])
        for end in (rel["source"], rel["target"]):
            founded = s.orgs[end]["founded"]
            assert not founded or since >= int(founded), (rel, end)
        if rel["until"]:
            with_until += 1
            assert int(rel["until"]) >= since
    assert with_until < 0.25 * len(s.rels), "until should be mostly empty"


# --- size and variety -----------------------------------------------------------------------


def test_size_and_variety() -> None:
    s = sample()
    assert 150 <= len(s.orgs) <= 300
    assert len(s.rels) >= 600
    kinds = Counter(row["kind"] for row in s.orgs.values())
    assert set(kinds) == {"company", "institution", "cluster"}
    types = Counter(row["type"] for row in s.orgs.values())
    for needed in ("startup", "sme", "large_enterprise", "university", "research_institute",
                   "development_agency", "government", "association", "investor", "incubator",
                   "cluster_organization"):  # fmt: skip
        assert types[needed] >= 1, needed
    rel_types = Counter(rel["type"] for rel in s.rels)
    assert set(rel_types) == ALL_TYPES
    assert min(rel_types.values()) >= 10


def test_geography_has_one_region_and_a_few_outsiders() -> None:
    s = sample()
    regions = Counter(row["region"] for row in s.orgs.values())
    home, count = regions.most_common(1)[0]
    assert count >= 0.9 * len(s.orgs)
    outside = [row for row in s.orgs.values() if row["region"] != home]
    assert len(outside) >= 3
    home_country = Counter(row["country"] for row in s.orgs.values()).most_common(1)[0][0]
    assert len({row["country"] for row in outside} - {home_country}) >= 2
    placed = [row for row in s.orgs.values() if row["lat"] and row["region"] == home]
    lats = [float(row["lat"]) for row in placed]
    lons = [float(row["lon"]) for row in placed]
    km_per_degree = 111.2
    assert (max(lats) - min(lats)) * km_per_degree <= 150
    mid = math.radians(statistics.mean(lats))
    assert (max(lons) - min(lons)) * km_per_degree * math.cos(mid) <= 150
    unplaced = [oid for oid, row in s.orgs.items() if not row["lat"]]
    assert 3 <= len(unplaced) <= 10


def test_at_least_three_clusters_with_members() -> None:
    clusters = _cluster_ids()
    assert len(clusters) >= 3
    for cluster in clusters:
        assert len(_members(cluster)) >= 10, cluster


# --- network shape --------------------------------------------------------------------------


def test_network_is_mostly_connected_with_heavy_degree_spread() -> None:
    graph = sample().graph
    giant = max(nx.connected_components(graph), key=len)
    assert len(giant) > 0.85 * graph.number_of_nodes()
    degrees = sorted((d for _, d in graph.degree()), reverse=True)
    median = statistics.median(degrees)
    assert degrees[0] >= 5 * median, "a few hubs"
    assert statistics.mean(degrees) > median, "right-skewed"
    assert statistics.pstdev(degrees) >= 0.5 * statistics.mean(degrees), "widely spread"
    top_tenth = degrees[: max(1, len(degrees) // 10)]
    assert sum(top_tenth) >= 0.2 * sum(degrees), "the top tenth holds a fifth of all ties"


def test_isolated_startup_has_only_its_membership() -> None:
    s = sample()
    assert s.orgs[ISOLATED_STARTUP]["type"] == "startup"
    ties = [r for r in s.rels if ISOLATED_STARTUP in (r["source"], r["target"])]
    assert ties and {r["type"] for r in ties} == {"MEMBER_OF"}
    assert s.graph.degree(ISOLATED_STARTUP) == 0


@pytest.mark.parametrize("broker", BROKERS)
def test_brokers_span_clusters_and_rank_high_by_betweenness(broker: str) -> None:
    s = sample()
    reached = set().union(*(s.clusters[n] for n in s.graph[broker]))
    assert len(reached) >= 3, reached
    assert _betweenness_ranking().index(broker) < 10


@cache
def _betweenness_ranking() -> list[str]:
    betweenness = nx.betweenness_centrality(sample().graph)
    return sorted(betweenness, key=lambda n: (-betweenness[n], n))


def test_several_cluster_firms_have_no_research_partner() -> None:
    s = sample()
    partnered: set[str] = set()
    for rel in s.rels:
        if rel["type"] in RESEARCH_TIES:
            for end, other in ((rel["source"], rel["target"]), (rel["target"], rel["source"])):
                if s.orgs[other]["type"] in RESEARCH_TYPES:
                    partnered.add(end)
    firms = [oid for oid, row in s.orgs.items() if row["kind"] == "company" and s.clusters[oid]]
    lonely = [oid for oid in firms if oid not in partnered]
    assert ISOLATED_STARTUP in lonely
    active = [oid for oid in lonely if s.graph.degree(oid) > 0]
    assert len(active) >= 5, "several firms active in their cluster but with no research tie"
    assert len(lonely) <= 0.3 * len(firms)


def test_split_cluster_is_two_communities_in_practice() -> None:
    s = sample()
    members = _members(SPLIT_CLUSTER)
    side = {}
    for oid in members:
        tags = set(s.orgs[oid]["tags"].split("|"))
        (tag,) = tags & set(SPLIT_TAGS)  # every member is on exactly one side
        side[oid] = tag
    sub = s.graph.subgraph(members)
    groups = [{m for m in members if side[m] == tag} for tag in SPLIT_TAGS]
    assert min(len(g) for g in groups) >= 8
    between = [(u, v) for u, v in sub.edges() if side[u] != side[v]]
    assert 1 <= len(between) <= 3, between
    assert nx.community.modularity(sub, groups) >= 0.3
    between_density = len(between) / (len(groups[0]) * len(groups[1]))
    for group in groups:
        assert nx.density(sub.subgraph(group)) >= 10 * between_density
    for community in nx.community.louvain_communities(sub, seed=2024):
        counts = Counter(side[m] for m in community)
        assert counts.most_common(1)[0][1] >= 0.9 * len(community), counts


def test_same_cluster_firms_with_many_common_partners_are_missing_links() -> None:
    s = sample()
    graph = s.graph
    shared: dict[tuple[str, str], str] = {}  # unconnected same-cluster firm pair -> a cluster
    for cluster in _cluster_ids():
        firms = [m for m in _members(cluster) if s.orgs[m]["kind"] == "company"]
        for u, v in itertools.combinations(firms, 2):
            if not graph.has_edge(u, v):
                shared.setdefault((u, v), cluster)
    common = {pair: len(set(graph[pair[0]]) & set(graph[pair[1]])) for pair in shared}
    typical = statistics.median(common.values())
    obvious = [pair for pair, n in common.items() if n >= max(6, 3 * typical)]
    assert len(obvious) >= 3, sorted(common.items(), key=lambda item: -item[1])[:5]
    assert len({shared[pair] for pair in obvious}) >= 3, "missing links in three clusters"
