"""Change sets and people, on both backends: ``append_change_set``, ``change_sets``,
``change_set``, ``add_user``, ``users``, ``remove_user`` and ``user_by_token``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from backends import BACKENDS, SMALL, backend_store
from factories import org, rel

from app.changes import Change, ChangeSet, organization_changes, relationship_changes
from app.errors import ConflictError, NotFoundError
from app.filters import FilterSpec
from app.people import User, token_digest
from app.services.facets import facets
from app.services.sample import load_sample
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.history import CHUNK_CHANGES

ORGS = [org("a"), org("b"), org("i", "institution"), org("k", "cluster")]
RELS = [
    rel("a", "b", "SUPPLIES"),
    rel("b", "a", "COLLABORATES_WITH"),
    rel("a", "k", "MEMBER_OF"),
    rel("i", "b", "FUNDS"),
]


def created() -> list[Change]:
    """The changes of creating ORGS and RELS."""
    return [c for o in ORGS for c in organization_changes(None, o)] + [
        c for r in RELS for c in relationship_changes(None, r)
    ]


def renamed(org_id: str, name: str) -> list[Change]:
    return [Change(entity=org_id, field="name", before=org_id.upper(), after=name)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    with backend_store(request, request.param, tmp_path) as opened:
        yield opened


@pytest.fixture
def history(store: GraphStore) -> GraphStore:
    """Three change sets: the creation of ORGS and RELS (1), a rename of a (2), a rename of
    b with a new weight of "a SUPPLIES b" (3)."""
    with store.write_session() as view:
        view.upsert(ORGS, RELS)
        assert view.append_change_set("ann", "orgs.csv", created()) == 1
    assert store.append_change_set("bob", "PATCH /api/organizations/a", renamed("a", "A2")) == 2
    third = [*renamed("b", "B2"), Change(entity="a SUPPLIES b", field="weight", before=1, after=3)]
    assert store.append_change_set("cy", "revert of 1", third) == 3
    return store


def _ids(page: tuple[list[ChangeSet], bool]) -> tuple[list[int], bool]:
    sets, more = page
    return [s.id for s in sets], more


def test_ids_count_up_newest_first(history: GraphStore) -> None:
    sets, more = history.change_sets()
    assert ([s.id for s in sets], more) == ([3, 2, 1], False)
    assert [(s.author, s.source) for s in sets] == [
        ("cy", "revert of 1"),
        ("bob", "PATCH /api/organizations/a"),
        ("ann", "orgs.csv"),
    ]
    assert sets[2].changes == created()
    assert all(s.at.endswith("Z") and s.at[:2] == "20" for s in sets)


def test_limit_and_more(history: GraphStore) -> None:
    assert _ids(history.change_sets(limit=2)) == ([3, 2], True)
    assert _ids(history.change_sets(limit=3)) == ([3, 2, 1], False)
    assert _ids(history.change_sets(limit=0)) == ([], True)
    with pytest.raises(ValueError, match="limit"):
        history.change_sets(limit=-1)


def test_since(history: GraphStore) -> None:
    at = history.change_set(1).at
    assert _ids(history.change_sets(since=at)) == ([3, 2, 1], False)
    assert _ids(history.change_sets(since=at[:10])) == ([3, 2, 1], False)  # a date: midnight
    assert _ids(history.change_sets(since="2999-01-01")) == ([], False)
    assert _ids(history.change_sets(since="2999-01-01T00:00:00+02:00")) == ([], False)
    with pytest.raises(ValueError, match="ISO 8601"):
        history.change_sets(since="yesterday")


def test_entity_of_an_organization_matches_its_relationships(history: GraphStore) -> None:
    sets, more = history.change_sets(entity="b")
    assert ([s.id for s in sets], more) == ([3, 1], False)
    entities = [[c.entity for c in s.changes] for s in sets]
    assert entities[0] == ["b", "a SUPPLIES b"]
    assert set(entities[1]) == {"b", "a SUPPLIES b", "a COLLABORATES_WITH b", "i FUNDS b"}
    assert [c for c in sets[1].changes if c.entity == "b"] == organization_changes(None, ORGS[1])
    assert _ids(history.change_sets(entity="k")) == ([1], False)
    assert {c.entity for c in history.change_sets(entity="k")[0][0].changes} == {
        "k",
        "a MEMBER_OF k",
    }
    assert _ids(history.change_sets(entity="nope")) == ([], False)


def test_entity_of_a_relationship(history: GraphStore) -> None:
    sets, _ = history.change_sets(entity="a SUPPLIES b")
    assert [s.id for s in sets] == [3, 1]
    assert [c.field for c in sets[0].changes] == ["weight"]
    reversed_key = history.change_sets(entity="b COLLABORATES_WITH a")[0]
    assert [s.id for s in reversed_key] == [1]
    assert {c.entity for c in reversed_key[0].changes} == {"a COLLABORATES_WITH b"}


def test_entity_with_limit_since_and_after(history: GraphStore) -> None:
    assert _ids(history.change_sets(entity="a", limit=1)) == ([3], True)
    assert _ids(history.change_sets(entity="a", after=1)) == ([2, 3], False)
    assert _ids(history.change_sets(entity="a", after=1, limit=1)) == ([2], True)
    assert _ids(history.change_sets(entity="a", since="2999-01-01")) == ([], False)


def test_after_is_oldest_first(history: GraphStore) -> None:
    assert _ids(history.change_sets(after=1)) == ([2, 3], False)
    assert _ids(history.change_sets(after=0, limit=2)) == ([1, 2], True)
    assert _ids(history.change_sets(after=3)) == ([], False)


def test_change_set_whole(history: GraphStore) -> None:
    third = history.change_set(3)
    assert (third.id, third.author, third.source) == (3, "cy", "revert of 1")
    assert [(c.entity, c.field, c.before, c.after) for c in third.changes] == [
        ("b", "name", "B", "B2"),
        ("a SUPPLIES b", "weight", 1, 3),
    ]
    assert third == history.change_sets(limit=1)[0][0]
    with pytest.raises(NotFoundError, match="no change set with id 4"):
        history.change_set(4)


def test_append_changes_the_version(history: GraphStore) -> None:
    version = history.version()
    assert history.append_change_set("dee", "api", []) == 4
    assert history.version() != version
    assert history.change_set(4).changes == []


def test_a_rolled_back_write_session_leaves_no_change_set(store: GraphStore) -> None:
    with pytest.raises(RuntimeError), store.write_session() as view:
        view.upsert(ORGS, RELS)
        assert view.append_change_set("ann", "orgs.csv", created()) == 1
        assert _ids(view.change_sets()) == ([1], False)
        raise RuntimeError("abandon")
    assert store.change_sets() == ([], False)
    assert store.counts().nodes == 0
    with store.write_session() as view:  # the id is not used up
        assert view.append_change_set("ann", "orgs.csv", created()) == 1


def test_the_change_set_of_an_update_import(history: GraphStore) -> None:
    """A write session that updates rows (no bulk load) and records them."""
    moved = ORGS[0].model_copy(update={"city": "Turin"})
    with history.write_session() as view:
        view.upsert([moved], [])
        assert (
            view.append_change_set("ann", "update.csv", organization_changes(ORGS[0], moved)) == 4
        )
    assert history.get_organization("a").city == "Turin"
    assert [c.after for c in history.change_set(4).changes] == ["Turin"]


def test_a_big_change_set_round_trips(store: GraphStore) -> None:
    """50,000 changes: many chunks; an entity's sets are found by the chunks' entity lists."""
    changes = [
        Change(
            entity=f"o{n % 5000} SUPPLIES o{n % 5000 + 1}", field="weight", before=n, after=n + 1
        )
        for n in range(50_000)
    ]
    assert len(changes) > 2 * CHUNK_CHANGES  # three chunks
    assert store.append_change_set("bulk", "big.csv", changes) == 1
    assert store.change_set(1).changes == changes
    sets, _ = store.change_sets(entity="o4999")
    assert [c.entity for c in sets[0].changes] == [
        "o4998 SUPPLIES o4999",
        "o4999 SUPPLIES o5000",
    ] * 10
    sets, _ = store.change_sets(entity="o4998 SUPPLIES o4999")  # a relationship: by its source
    assert [c.entity for c in sets[0].changes] == ["o4998 SUPPLIES o4999"] * 10


def test_a_first_imports_change_set_is_copied_beside_it(tmp_path: Path) -> None:
    """Embedded: the change set of a write session that COPYed is COPYed too, so that the
    session writes nothing but COPYs (tests/test_crash.py kills such writes); the change set
    of any other write session is created."""
    with EmbeddedStore(tmp_path / "copied.lbug", **SMALL) as store:
        with store.write_session() as view:
            view.upsert(ORGS, RELS)
            view.append_change_set("ann", "orgs.csv", created())
            assert {"ChangeSet", "ChangeChunk"} <= view._copied
        with store.write_session() as view:
            view.upsert([ORGS[0].model_copy(update={"city": "Turin"})], [])
            view.append_change_set("ann", "update.csv", renamed("a", "A2"))
            assert not view._copied
        assert _ids(store.change_sets()) == ([2, 1], False)
        assert store.change_set(1).changes == created()


# -- people -------------------------------------------------------------------------------


def person(name: str, role: str = "editor", **extra: object) -> User:
    return User.model_validate(
        {
            "name": name,
            "role": role,
            "token_digest": token_digest(f"token of {name}"),
            "created_at": "2026-03-01T09:00:00Z",
            **extra,
        }
    )


def test_users(store: GraphStore) -> None:
    assert store.users() == []
    version = store.version()
    store.add_user(person("zoe", "admin"))
    assert store.version() != version
    store.add_user(person("ada", clusters=["k", "m"]))
    store.add_user(person("Max", "viewer"))
    assert [u.name for u in store.users()] == ["Max", "ada", "zoe"]
    assert store.users()[1] == person("ada", clusters=["k", "m"])
    assert store.user_by_token(token_digest("token of zoe")) == person("zoe", "admin")
    assert store.user_by_token(token_digest("nobody's")) is None
    with pytest.raises(ConflictError, match="'ada'"):
        store.add_user(person("ada", "admin"))
    store.remove_user("ada")
    assert [u.name for u in store.users()] == ["Max", "zoe"]
    assert store.user_by_token(token_digest("token of ada")) is None
    with pytest.raises(NotFoundError, match="no user named 'ada'"):
        store.remove_user("ada")


def test_users_in_a_write_session(store: GraphStore) -> None:
    with pytest.raises(RuntimeError), store.write_session() as view:
        view.add_user(person("ada"))
        assert [u.name for u in view.users()] == ["ada"]
        raise RuntimeError("abandon")
    assert store.users() == []


# -- nothing else sees them -----------------------------------------------------------------

READS = {
    "everything": FilterSpec(),
    "kinds and clusters": FilterSpec(kinds=["company"], clusters=["cl-valmora-digital"]),
    "search and sectors": FilterSpec(search="a", sectors=["C"]),
    "bounds": FilterSpec(min_employees=10, founded_from=1990, countries=["IT"]),
}


def _reads(store: GraphStore) -> dict[str, Any]:
    """What the organization reads answer, whole."""
    answers: dict[str, Any] = {
        "counts": store.counts(),
        "export": store.export(),
        "kinds": store.organization_kinds(),
        "facets": facets(store),
        "ego": sorted(store.ego_network("co-voltaris-motors", hops=2).graph.nodes),
    }
    for label, spec in READS.items():
        graph = store.subgraph(spec, include_clusters=True).graph
        answers[label] = (
            store.list_organizations(spec, limit=1000),
            list(graph.nodes(data=True)),
            list(graph.edges(keys=True, data=True)),
        )
    return answers


def test_organization_reads_do_not_see_change_sets_or_people(store: GraphStore) -> None:
    load_sample(store)
    before = _reads(store)
    data = before["export"]
    changes = [
        Change(entity=o["id"], field="name", before=None, after=o["name"])
        for o in data.organizations
    ]
    store.append_change_set("ann", "sample", changes)
    store.append_change_set("bob", "api", changes[:3])
    store.add_user(person("ada", clusters=["cl-valmora-digital"]))
    assert _reads(store) == before
