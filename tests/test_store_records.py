"""Records by identity and deletes, on both backends: ``organizations_by_id``,
``relationships_by_key``, ``relationships_of``, ``delete`` and ``delete_organization``.

Each test starts from a small ecosystem of every kind and every relationship type, in a store
whose batches hold three ids or keys, so that every lookup runs in several batches.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import BACKENDS, backend_store
from factories import org, rel

from app.errors import NotFoundError
from app.store.base import GraphStore

ORGS = [
    org("a"),
    org("b"),
    org("c"),
    org("i", "institution"),
    org("j", "institution"),
    org("k", "cluster"),
]
RELS = [
    rel("a", "b", "SUPPLIES", weight=2.5, since="2020", evidence="register"),
    rel("b", "a", "COLLABORATES_WITH"),  # stored as a -> b
    rel("a", "k", "MEMBER_OF"),
    rel("i", "k", "MEMBER_OF"),
    rel("i", "a", "FUNDS"),
    rel("c", "a", "INVESTS_IN"),
    rel("b", "i", "SPUN_OUT_OF"),
    rel("j", "i", "COLLABORATES_WITH"),  # stored as i -> j
    rel("b", "c", "SUPPLIES"),
]
KEYS = sorted(r.key for r in RELS)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    with backend_store(request, request.param, tmp_path, batch_size=3) as opened:
        opened.upsert(ORGS, RELS)
        yield opened


def _keys(store: GraphStore) -> list[tuple[str, str, str]]:
    return [(r["source"], r["type"], r["target"]) for r in store.export().relationships]


def test_organizations_by_id_leaves_absent_ids_out(store: GraphStore) -> None:
    found = store.organizations_by_id(["k", "nope", "a", "i", "a", "c", "b"])
    assert list(found) == ["k", "a", "i", "c", "b"]
    assert found["a"] == store.get_organization("a")
    assert found["k"].kind == "cluster"
    assert store.organizations_by_id([]) == {}
    assert store.organizations_by_id(iter(["zz"])) == {}


def test_relationships_by_key_normalises_symmetric_keys(store: GraphStore) -> None:
    wanted = [
        ("b", "COLLABORATES_WITH", "a"),  # reversed: found as stored
        ("a", "SUPPLIES", "b"),
        ("b", "SUPPLIES", "a"),  # not stored
        ("a", "SUPPLIES", "nope"),  # an end is absent
        ("k", "SUPPLIES", "a"),  # a cluster never supplies
        ("a", "LIKES", "b"),  # no such type
        ("j", "COLLABORATES_WITH", "i"),
    ]
    found = store.relationships_by_key(wanted)
    assert list(found) == [
        ("a", "COLLABORATES_WITH", "b"),
        ("a", "SUPPLIES", "b"),
        ("i", "COLLABORATES_WITH", "j"),
    ]
    supplies = found[("a", "SUPPLIES", "b")]
    assert (supplies.weight, supplies.since, supplies.evidence) == (2.5, "2020", "register")
    assert supplies.updated_at
    assert store.relationships_by_key([]) == {}


def test_every_key_is_found_in_batches(store: GraphStore) -> None:
    found = store.relationships_by_key(reversed(KEYS))
    assert sorted(found) == KEYS
    assert all(key == r.key for key, r in found.items())


def test_many_keys_and_their_deletes(store: GraphStore) -> None:
    """More keys than the embedded store looks up one by one, in several batches."""
    chain = [org(f"z{n:02d}") for n in range(30)]
    ties = [rel(f"z{n:02d}", f"z{n + 1:02d}", "SUPPLIES", weight=n + 1) for n in range(29)]
    store.upsert(chain, ties)
    keys = [t.key for t in ties]
    found = store.relationships_by_key([*reversed(keys), ("z01", "SUPPLIES", "z00")])
    assert sorted(found) == keys
    assert [found[k].weight for k in keys] == [float(n + 1) for n in range(29)]
    store.delete([o.id for o in chain[:10]], keys[10:])
    assert _keys(store) == KEYS
    assert sorted(store.organization_kinds()) == sorted([o.id for o in ORGS + chain[10:]])


def test_relationships_of_both_directions_and_memberships(store: GraphStore) -> None:
    of_a = store.relationships_of(["a"])
    assert [r.key for r in of_a] == [
        ("a", "COLLABORATES_WITH", "b"),
        ("a", "MEMBER_OF", "k"),
        ("a", "SUPPLIES", "b"),
        ("c", "INVESTS_IN", "a"),
        ("i", "FUNDS", "a"),
    ]
    assert of_a[2].weight == 2.5
    # the cluster: its members; a tie between two of the ids comes once
    assert [r.key for r in store.relationships_of(["k", "i", "nope"])] == [
        ("a", "MEMBER_OF", "k"),
        ("b", "SPUN_OUT_OF", "i"),
        ("i", "COLLABORATES_WITH", "j"),
        ("i", "FUNDS", "a"),
        ("i", "MEMBER_OF", "k"),
    ]
    assert store.relationships_of([]) == []


def test_relationships_of_many_ids(store: GraphStore) -> None:
    """More ids than the embedded store reads one by one, in several batches."""
    ids = [f"absent-{n}" for n in range(40)] + [o.id for o in ORGS]
    assert [r.key for r in store.relationships_of(ids)] == KEYS


def test_delete_an_organization_with_its_ties(store: GraphStore) -> None:
    version = store.version()
    store.delete(["a"])
    assert store.version() != version
    assert "a" not in store.organization_kinds()
    assert _keys(store) == [k for k in KEYS if "a" not in (k[0], k[2])]
    assert store.counts().nodes == len(ORGS) - 1


def test_delete_relationships_only(store: GraphStore) -> None:
    store.delete(rel_keys=[("b", "COLLABORATES_WITH", "a"), ("i", "MEMBER_OF", "k")])
    assert _keys(store) == [
        k for k in KEYS if k not in {("a", "COLLABORATES_WITH", "b"), ("i", "MEMBER_OF", "k")}
    ]
    assert store.counts().nodes == len(ORGS)


def test_delete_ties_then_organizations_in_one_call(store: GraphStore) -> None:
    store.delete(["k", "j"], [("a", "SUPPLIES", "b"), ("a", "MEMBER_OF", "k")])
    assert sorted(store.organization_kinds()) == ["a", "b", "c", "i"]
    assert _keys(store) == [
        ("a", "COLLABORATES_WITH", "b"),
        ("b", "SPUN_OUT_OF", "i"),
        ("b", "SUPPLIES", "c"),
        ("c", "INVESTS_IN", "a"),
        ("i", "FUNDS", "a"),
    ]


@pytest.mark.parametrize(
    ("org_ids", "rel_keys", "message"),
    [
        (["a", "nope"], [], "no organization with id 'nope'"),
        (["a"], [("a", "FUNDS", "b")], "no relationship 'a FUNDS b'"),
        ([], [("a", "SUPPLIES", "b"), ("b", "SUPPLIES", "a")], "'b SUPPLIES a'"),
        ([], [("a", "LIKES", "b")], "'a LIKES b'"),
        ([], [("k", "SUPPLIES", "a")], "'k SUPPLIES a'"),
    ],
)
def test_delete_of_anything_absent_deletes_nothing(
    store: GraphStore,
    org_ids: list[str],
    rel_keys: list[tuple[str, str, str]],
    message: str,
) -> None:
    before, version = store.export(), store.version()
    with pytest.raises(NotFoundError, match=message):
        store.delete(org_ids, rel_keys)
    assert store.export() == before
    assert store.version() == version


def test_delete_organization_is_delete_of_one(store: GraphStore) -> None:
    store.delete_organization("k")
    assert [k for k in _keys(store) if k[1] == "MEMBER_OF"] == []
    with pytest.raises(NotFoundError, match="no organization with id 'k'"):
        store.delete_organization("k")


def test_delete_in_a_write_session_rolls_back_with_it(store: GraphStore) -> None:
    before = store.export()
    with pytest.raises(RuntimeError), store.write_session() as view:
        view.delete(["a", "b"])
        assert view.organizations_by_id(["a", "b", "c"]).keys() == {"c"}
        raise RuntimeError("abandon")
    assert store.export() == before
    store.delete([], [])  # nothing to delete: no write at all
    assert store.export() == before


def test_reads_by_identity_do_not_fill_the_buffer_pool(tmp_path: Path) -> None:
    """A thousand reads in read sessions (each an API request) on a 128 MiB buffer pool:
    LadybugDB 0.22 kept pages of every LOAD FROM run read-only, and failed at the 162nd."""
    from app.domain import Organization, Relationship
    from app.store.embedded import EmbeddedStore

    with EmbeddedStore(
        tmp_path / "eco.lbug", buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3
    ) as store:
        acme = Organization(id="acme", name="Acme", kind="company")
        bolt = Organization(id="bolt", name="Bolt", kind="company")
        tie = Relationship(source="bolt", target="acme", type="SUPPLIES")
        store.upsert([acme, bolt], [tie])
        for _ in range(1000):
            assert store.organizations_by_id(["acme"]) == {"acme": store.get_organization("acme")}
            assert list(store.relationships_by_key([tie.key])) == [tie.key]
        assert len(store.relationships_of(["acme", *(f"x{i}" for i in range(20))])) == 1
