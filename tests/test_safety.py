"""Hostile filter values are literal text: they match nothing unexpected and change nothing."""

from __future__ import annotations

import pytest

from app.domain import Organization, Relationship
from app.fields import STORED
from app.filters import FilterSpec
from app.store.embedded import EmbeddedStore

HOSTILE = [
    "x' OR 1=1",
    'x" OR 1=1 //',
    '"}) DETACH DELETE n //',
    "') MATCH (m) DETACH DELETE m //",
    "`Company`) DETACH DELETE n //",
    "$kinds",
    "%LABEL%",
    "%FILTER(n)%",
    "Ünïcödé ✓ 東京 🚀",
    "\\' ; DROP TABLE Company; --",
    "a" * 500,
]


@pytest.fixture
def seeded(store: EmbeddedStore) -> EmbeddedStore:
    # As stored data (``STORED``): the input rules refuse some of these values today (a
    # 500-character tag, ``/`` in an id), but data written before them must stay safe to query.
    orgs = [
        Organization.model_validate(
            {"id": f"org-{i}", "name": name, "kind": "company", "region": name[:100]}
            | {"tags": [name]},
            context=STORED,
        )
        for i, name in enumerate(HOSTILE)
    ]
    orgs.append(Organization(id="k", name="Cluster", kind="cluster"))
    store.upsert(orgs, [Relationship(source="org-0", target="k", type="MEMBER_OF")])
    return store


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_values_are_literal(seeded: EmbeddedStore, value: str) -> None:
    before = seeded.export()
    index = HOSTILE.index(value)
    found = {o.id for o in seeded.list_organizations(FilterSpec(search=value)).items}
    assert found == {f"org-{i}" for i, name in enumerate(HOSTILE) if value.lower() in name.lower()}
    assert f"org-{index}" in found
    assert f"org-{index}" in set(seeded.subgraph(FilterSpec(tags=[value])).graph)
    assert set(seeded.subgraph(FilterSpec(regions=[value[:100]])).graph) >= {f"org-{index}"}
    for spec in (
        FilterSpec(types=[value]),
        FilterSpec(clusters=[value]),
        FilterSpec(sectors=[value]),
        FilterSpec(countries=[value]),
    ):
        assert len(seeded.subgraph(spec).graph) == 0
    assert seeded.export() == before


def test_hostile_organization_ids_round_trip(store: EmbeddedStore) -> None:
    ids = [value[:200] for value in HOSTILE]
    orgs = [{"id": i, "name": "n", "kind": "institution"} for i in ids]
    store.upsert([Organization.model_validate(o, context=STORED) for o in orgs], [])
    assert {o.id for o in store.list_organizations(FilterSpec(), limit=100).items} == set(ids)
    store.delete_organization(ids[2])
    assert store.counts().nodes == len(ids) - 1
    assert store.get_organization(ids[0]).id == ids[0]


def test_overlong_search_is_refused() -> None:
    with pytest.raises(ValueError, match="at most 500 characters"):
        FilterSpec(search="a" * 501)
