"""Tests of the synthetic ecosystem generator (app.services.generate)."""

from __future__ import annotations

import csv
import statistics
from collections import Counter
from pathlib import Path

import pytest

from app.domain import Organization, Relationship
from app.rules import endpoint_problem
from app.services.generate import (
    SyntheticEcosystem,
    generate_ecosystem,
    write_ecosystem_csv,
)
from app.vocabulary import (
    ORGANIZATION_COLUMNS,
    RELATIONSHIP_COLUMNS,
    SYMMETRIC,
    Kind,
    RelType,
)

ORG_COLUMNS = (
    "id,name,kind,type,sectors,tags,city,region,country,lat,lon,"
    "employees,founded,website,description"
)
REL_COLUMNS = "source,target,type,weight,since,until,evidence"


@pytest.fixture(scope="module")
def eco() -> SyntheticEcosystem:
    return generate_ecosystem(2000, seed=7)


@pytest.fixture(scope="module")
def small() -> SyntheticEcosystem:
    return generate_ecosystem(300, seed=3)


def _ties(eco: SyntheticEcosystem) -> list[dict[str, str]]:
    """Org-to-org relationships (everything but MEMBER_OF)."""
    return [r for r in eco.relationships if r["type"] != RelType.MEMBER_OF.value]


def _degrees(eco: SyntheticEcosystem) -> list[int]:
    degree = Counter[str]()
    for rel in _ties(eco):
        degree[rel["source"]] += 1
        degree[rel["target"]] += 1
    return [degree[org["id"]] for org in eco.organizations]


def test_same_seed_same_rows_and_different_seed_different_rows() -> None:
    first = generate_ecosystem(300, seed=11)
    again = generate_ecosystem(300, seed=11)
    other = generate_ecosystem(300, seed=12)
    assert first == again
    assert first.organizations != other.organizations
    assert first.relationships != other.relationships


@pytest.mark.parametrize("n_orgs", [-1, 0, 9])
def test_too_few_orgs_is_rejected(n_orgs: int) -> None:
    with pytest.raises(ValueError, match="n_orgs"):
        generate_ecosystem(n_orgs)


@pytest.mark.parametrize("name", ["small", "eco"])
def test_rows_pass_domain_validation(name: str, request: pytest.FixtureRequest) -> None:
    data: SyntheticEcosystem = request.getfixturevalue(name)
    kinds: dict[str, Kind] = {}
    for row in data.organizations:
        assert tuple(row) == ORGANIZATION_COLUMNS
        assert all(isinstance(value, str) for value in row.values())
        org = Organization.model_validate(row)
        assert org.founded is not None and 1900 <= org.founded <= 2025
        kinds[org.id] = org.kind
    assert len(kinds) == len(data.organizations), "ids must be unique"
    for row in data.relationships:
        assert tuple(row) == RELATIONSHIP_COLUMNS
        rel = Relationship.model_validate(row)
        assert (rel.source, rel.target) == (row["source"], row["target"]), "symmetric order"
        assert rel.source in kinds and rel.target in kinds
        assert endpoint_problem(rel.type, kinds[rel.source], kinds[rel.target]) is None
        assert rel.weight > 0


def test_no_self_loops_or_duplicates(eco: SyntheticEcosystem) -> None:
    keys = [(r["source"], r["type"], r["target"]) for r in eco.relationships]
    assert len(keys) == len(set(keys))
    assert all(source != target for source, _, target in keys)
    symmetric = {t.value for t in SYMMETRIC}
    pairs = [frozenset((s, t)) for s, typ, t in keys if typ in symmetric]
    assert len(pairs) == len(set(pairs))
    assert all(s < t for s, typ, t in keys if typ in symmetric)


def test_every_kind_and_relationship_type_is_present(small: SyntheticEcosystem) -> None:
    kinds = Counter(org["kind"] for org in small.organizations)
    assert set(kinds) == {k.value for k in Kind}
    assert 0.75 <= kinds[Kind.COMPANY.value] / len(small.organizations) <= 0.85
    assert {r["type"] for r in small.relationships} == {t.value for t in RelType}
    ties = Counter(r["type"] for r in _ties(small))
    assert ties.most_common(1)[0][0] == RelType.COLLABORATES_WITH.value


@pytest.mark.parametrize("n_orgs", [300, 2000])
def test_average_degree_is_near_ten(n_orgs: int) -> None:
    data = generate_ecosystem(n_orgs, seed=1)
    average = 2 * len(_ties(data)) / len(data.organizations)
    assert 8.0 <= average <= 12.0


def test_average_degree_can_be_chosen_and_small_n_terminates() -> None:
    data = generate_ecosystem(500, seed=2, avg_degree=4.0)
    assert 2 * len(_ties(data)) / 500 == pytest.approx(4.0, rel=0.2)
    tiny = generate_ecosystem(10, seed=2)  # fewer pairs than asked for: stops, stays valid
    assert len(tiny.organizations) == 10
    assert all(Relationship.model_validate(r) for r in tiny.relationships)


def test_degrees_are_heavy_tailed(eco: SyntheticEcosystem) -> None:
    degrees = _degrees(eco)
    assert max(degrees) >= 5 * statistics.median(degrees)


def test_ties_are_aligned_with_regions_and_clusters(eco: SyntheticEcosystem) -> None:
    region = {org["id"]: (org["country"], org["region"]) for org in eco.organizations}
    collaborations = [r for r in eco.relationships if r["type"] == RelType.COLLABORATES_WITH.value]
    same_region = sum(region[r["source"]] == region[r["target"]] for r in collaborations)
    share = same_region / len(collaborations)
    sizes = Counter(region.values())
    random_share = sum((size / len(region)) ** 2 for size in sizes.values())
    assert share > 0.5
    assert share > random_share + 0.15

    cluster_of: dict[str, str] = {}
    for rel in eco.relationships:
        if rel["type"] == RelType.MEMBER_OF.value:
            cluster_of.setdefault(rel["source"], rel["target"])
    members = [r for r in collaborations if r["source"] in cluster_of and r["target"] in cluster_of]
    same_cluster = sum(cluster_of[r["source"]] == cluster_of[r["target"]] for r in members)
    cluster_sizes = Counter(cluster_of.values())
    random_cluster = sum((n / len(cluster_of)) ** 2 for n in cluster_sizes.values())
    assert same_cluster / len(members) > random_cluster + 0.2


def test_clusters_have_members_and_some_orgs_have_none(eco: SyntheticEcosystem) -> None:
    clusters = {org["id"] for org in eco.organizations if org["kind"] == Kind.CLUSTER.value}
    members = Counter(r["target"] for r in eco.relationships if r["type"] == "MEMBER_OF")
    assert set(members) == clusters
    joined = {r["source"] for r in eco.relationships if r["type"] == "MEMBER_OF"}
    assert 0 < len(joined) < len(eco.organizations) - len(clusters)


def test_write_ecosystem_csv_round_trips(small: SyntheticEcosystem, tmp_path: Path) -> None:
    calls: list[int] = []
    orgs_path, rels_path = write_ecosystem_csv(small, tmp_path / "out", progress=calls.append)
    assert (orgs_path.name, rels_path.name) == ("organizations.csv", "relationships.csv")
    for path, header, rows in (
        (orgs_path, ORG_COLUMNS, small.organizations),
        (rels_path, REL_COLUMNS, small.relationships),
    ):
        raw = path.read_bytes()
        assert raw.startswith(header.encode() + b"\n")
        assert b"\r" not in raw
        with path.open(encoding="utf-8", newline="") as handle:
            assert list(csv.DictReader(handle)) == rows
    assert calls and calls[-1] == len(small.organizations) + len(small.relationships)
    assert calls == sorted(calls)
