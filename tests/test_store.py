"""The embedded LadybugDB store, on a real database in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from factories import org, rel

from app.errors import ConfigurationError, NotFoundError, StoreError
from app.store.embedded import EmbeddedStore
from app.store.queries import FILTER_CLAUSES, FILTER_CONSTRAINTS, Dialect, load_queries, query
from app.vocabulary import Kind, RelType

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}


ORGS = [
    org("a", sectors="C29|M72", lat=45.0, lon=7.0, employees=10),
    org("b", type="startup"),
    org("u", "institution", type="university"),
    org("k", "cluster"),
]
RELS = [
    rel("a", "b", "SUPPLIES", weight=2.5, since="2019"),
    rel("u", "a", "COLLABORATES_WITH", evidence="joint project"),
    rel("a", "k", "MEMBER_OF"),
    rel("b", "k", "MEMBER_OF"),
    rel("u", "b", "FUNDS", since="2020-01-15", until="2022"),
    rel("b", "u", "SPUN_OUT_OF"),
    rel("u", "a", "INVESTS_IN"),
]


@pytest.fixture
def loaded(store: EmbeddedStore) -> EmbeddedStore:
    store.upsert(ORGS, RELS)
    return store


def test_counts_and_lookup(loaded: EmbeddedStore) -> None:
    counts = loaded.counts()
    assert (counts.nodes, counts.relationships) == (4, 7)
    assert counts.by_kind == {"company": 2, "institution": 1, "cluster": 1}
    assert counts.by_type == {t.value: 1 for t in RelType} | {"MEMBER_OF": 2}
    stored = loaded.get_organization("a")
    assert stored.model_dump(exclude={"updated_at"}) == ORGS[0].model_dump(exclude={"updated_at"})
    assert stored.updated_at is not None
    assert loaded.organization_kinds(["a", "k", "nope"]) == {"a": Kind.COMPANY, "k": Kind.CLUSTER}


def test_data_survives_close_and_reopen(tmp_db: Path) -> None:
    with EmbeddedStore(tmp_db, **SMALL) as store:
        store.upsert(ORGS, RELS)
        before = store.export()
    with EmbeddedStore(tmp_db, **SMALL) as store:
        assert store.export() == before


def test_same_upsert_twice_writes_nothing(loaded: EmbeddedStore) -> None:
    before = loaded.export()
    summary = loaded.upsert(ORGS, RELS)
    assert not summary.changed
    assert (summary.organizations_unchanged, summary.relationships_unchanged) == (4, 7)
    assert loaded.export() == before  # timestamps included: nothing was rewritten


def test_changes_update_only_the_changed_rows(loaded: EmbeddedStore) -> None:
    before = {o["id"]: o for o in loaded.export().organizations}
    summary = loaded.upsert([org("b", type="sme")], [rel("a", "b", "SUPPLIES", weight=4.0)])
    assert (summary.organizations_updated, summary.relationships_updated) == (1, 1)
    after = loaded.export()
    assert loaded.get_organization("b").type == "sme"
    assert {o["id"]: o for o in after.organizations}["a"] == before["a"]
    supplies = [r for r in after.relationships if r["type"] == "SUPPLIES"]
    assert [(r["weight"], r["since"]) for r in supplies] == [(4.0, None)]


def test_many_changes_update_in_place(loaded: EmbeddedStore) -> None:
    """Changed relationships are updated where they are, whatever their number: no write
    empties a relationship table to copy it back (issue 13: a kill mid-rewrite lost tables)."""
    changed = [rel("a", "k", "MEMBER_OF", weight=3.0), rel("b", "k", "MEMBER_OF", weight=5.0)]
    with loaded.write_session() as view:
        statements = _recorded(view)
        summary = view.upsert([], changed)
    assert summary.relationships_updated == 2
    assert not [s for s in statements if "DELETE" in s.upper() or s.startswith("COPY")]
    assert sum("SET r.weight" in s for s in statements) == 1  # one batch for both rows
    relationships = loaded.export().relationships
    members = {r["source"]: r["weight"] for r in relationships if r["type"] == "MEMBER_OF"}
    assert members == {"a": 3.0, "b": 5.0}
    assert len(relationships) == len(RELS)
    assert not [n for n in load_queries("embedded") if "delete_relationships" in n]


def test_a_failing_write_leaves_the_store_as_it_was(
    loaded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = loaded.export()

    def fail(*args: object, **kwargs: object) -> None:
        raise StoreError("disk full (simulated)")

    monkeypatch.setattr(EmbeddedStore, "_insert_relationships", fail)
    new_orgs = [org("c"), org("b", name="Renamed")]
    with pytest.raises(StoreError, match="simulated"):
        loaded.upsert(new_orgs, [rel("c", "a", "SUPPLIES")])
    monkeypatch.undo()
    assert loaded.export() == before  # the new and the updated organization were rolled back
    assert loaded.upsert([org("c")], []).organizations_created == 1  # and the store still works


def test_kind_cannot_change(loaded: EmbeddedStore) -> None:
    with pytest.raises(StoreError, match="stored as a company"):
        loaded.upsert([org("a", "institution")], [])


def test_delete_removes_the_organization_and_its_relationships(loaded: EmbeddedStore) -> None:
    loaded.delete_organization("u")
    assert loaded.counts().relationships == 3
    with pytest.raises(NotFoundError):
        loaded.get_organization("u")
    with pytest.raises(NotFoundError):
        loaded.delete_organization("u")


def test_whole_graph_to_networkx(loaded: EmbeddedStore) -> None:
    graph = loaded.to_networkx()
    assert sorted(graph) == ["a", "b", "u"]
    assert graph.nodes["a"]["clusters"] == ["k"]
    assert graph.nodes["a"]["sectors"] == ["C29", "M72"]
    assert graph.nodes["u"]["clusters"] == []
    assert graph.edges["a", "b", "SUPPLIES"] == {
        "type": "SUPPLIES", "weight": 2.5, "since": "2019", "until": None, "evidence": None,
    }  # fmt: skip
    assert graph.number_of_edges() == 5  # MEMBER_OF became the clusters attribute
    full = loaded.to_networkx(include_clusters=True)
    assert full.nodes["k"]["kind"] == "cluster"
    assert full.has_edge("a", "k", "MEMBER_OF")


def test_read_only_store_reads(tmp_db: Path) -> None:
    with EmbeddedStore(tmp_db, **SMALL) as store:
        store.upsert(ORGS, RELS)
    with EmbeddedStore(tmp_db, read_only=True, **SMALL) as store:
        assert store.counts().nodes == 4
        with pytest.raises(StoreError):
            store.upsert([org("z")], [])


def test_every_named_query_has_filled_slots_only_from_the_vocabulary() -> None:
    names = load_queries("embedded")
    assert {"copy_nodes", "update_nodes", "scan_relationships", "create_company"} <= set(names)
    statement = query("embedded", "copy_relationships", rel_type=RelType.SUPPLIES,
                      from_label=Kind.COMPANY, to_label=Kind.COMPANY)  # fmt: skip
    assert statement == "COPY SUPPLIES FROM $rows (from='Company', to='Company')"
    with pytest.raises(ValueError, match="is not a valid Kind"):
        query("embedded", "copy_nodes", label="Company) DETACH DELETE n //")  # type: ignore[arg-type]
    with pytest.raises(ConfigurationError, match="needs a value for %LABEL%"):
        query("embedded", "copy_nodes")
    with pytest.raises(ConfigurationError, match="no Cypher statement"):
        query("embedded", "drop_everything")


@pytest.mark.parametrize("dialect", ["embedded", "neo4j"])
def test_the_filter_predicate_holds_the_clauses_in_use_only(dialect: Dialect) -> None:
    """``%FILTER(x)%``: the clauses of ``where`` on ``x``, in FILTER_CONSTRAINTS order."""
    statements = load_queries(dialect)
    assert list(FILTER_CLAUSES) == list(FILTER_CONSTRAINTS)
    for name in FILTER_CLAUSES.values():
        assert "%NODE%" in statements[name] and "$has_" not in statements[name]
    none = query(dialect, "filter_outgoing_in_clusters")
    assert "WHERE (true)" in none and "%" not in none
    text = query(dialect, "filter_outgoing_in_clusters", where=frozenset({"search", "countries"}))
    country, search = text.index(".country IN $countries"), text.index("CONTAINS $search")
    assert country < search and "%" not in text and "$kinds" not in text
    with pytest.raises(ValueError, match=r"unknown FilterSpec constraints: \['has_kinds'\]"):
        query(dialect, "filter_outgoing", where=frozenset({"kinds", "has_kinds"}))


def test_relationships_to_unknown_organizations_are_refused(loaded: EmbeddedStore) -> None:
    before = loaded.export()
    with pytest.raises(StoreError, match="unknown organizations: \\['ghost'\\]"):
        loaded.upsert([org("c")], [rel("c", "ghost", "SUPPLIES")])
    assert loaded.export() == before


def test_a_failed_checkpoint_after_commit_is_not_a_failed_write(
    loaded: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run = EmbeddedStore._run

    def run(self: EmbeddedStore, statement: str, parameters: dict | None = None) -> object:
        result = real_run(self, statement, parameters)
        if statement == "COMMIT":
            raise StoreError(
                "LadybugDB: Transaction committed successfully, but the post-commit checkpoint "
                "failed (simulated)"
            )
        return result

    monkeypatch.setattr(EmbeddedStore, "_run", run)
    summary = loaded.upsert([org("c")], [])
    monkeypatch.undo()
    assert summary.organizations_created == 1
    assert loaded.get_organization("c").name == "C"


def test_many_small_writes_on_one_store(store: EmbeddedStore) -> None:
    # LadybugDB keeps a prepared statement per Arrow table given to COPY on a connection
    # (about 14 MiB of buffer pool each): the store renews its connection after writes.
    for i in range(30):
        store.upsert([org(f"o{i:02d}")], [rel(f"o{i:02d}", "o00", "SUPPLIES")] if i else [])
    assert store.counts().nodes == 30
    assert store.counts().relationships == 29


def _recorded(view: EmbeddedStore) -> list[str]:
    """The statements ``view`` (a write session) sends from now on."""
    statements: list[str] = []
    run = view._run

    def record(statement: str, parameters: dict[str, object] | None = None) -> object:
        statements.append(statement)
        return run(statement, parameters)

    view._run = record  # type: ignore[method-assign]
    return statements


def test_copy_only_in_transactions_that_only_insert(store: EmbeddedStore) -> None:
    """COPY is the fast path of a first import; a transaction that also updates inserts with
    LOAD FROM ... CREATE (LadybugDB 0.22 may recover a transaction killed while it commits
    without its COPYed rows but with its other writes: tools/repro/lbug_kill_during_write.py)."""
    with store.write_session() as view:
        first = _recorded(view)
        view.upsert(ORGS[:2], [RELS[0]])
    assert [s.split()[0] for s in first] == ["MATCH", "MATCH", "COPY", "COPY"]
    with store.write_session() as view:
        mixed = _recorded(view)
        view.upsert([org("a", name="Renamed"), org("c")], [rel("c", "a", "SUPPLIES")])
    assert not [s for s in mixed if s.startswith("COPY")]
    assert store.get_organization("c").name == "C"
    assert store.get_organization("a").name == "Renamed"
    assert [(r["source"], r["target"]) for r in store.export().relationships] == [
        ("a", "b"),
        ("c", "a"),
    ]


def test_one_copy_per_node_table_and_transaction(store: EmbeddedStore) -> None:
    """Two inserts into one node table in one transaction, rolled back, leave no key behind
    (a second COPY would: tools/repro/lbug_copy_rollback.py)."""
    with pytest.raises(RuntimeError, match="roll back"), store.write_session() as view:
        statements = _recorded(view)
        view.upsert([org("a")], [])
        view.upsert([org("b")], [])
        raise RuntimeError("roll back")
    assert sum(s.startswith("COPY") for s in statements) == 1
    assert store.upsert([org("a"), org("b")], []).organizations_created == 2


_EXIT_WITHOUT_CHECKPOINT = """
import os, sys
from pathlib import Path
from app.domain import Organization
from app.store.embedded import EmbeddedStore

def org(org_id, name):
    return Organization.model_validate({"id": org_id, "name": name, "kind": "company"})

store = EmbeddedStore(Path(sys.argv[1]), buffer_pool_bytes=128 * 1024**2)
store.upsert([org("a", "A"), org("b", "B")], [])
store.upsert([org("a", "Renamed"), org("c", "C")], [])
os._exit(0)  # no close: both transactions stay in the write-ahead log
"""


def test_a_torn_log_tail_is_dropped_on_open(tmp_db: Path) -> None:
    """A process killed while it commits can leave the write-ahead log ending in a torn record;
    LadybugDB 0.22 then refuses to open the database ("the WAL file is corrupted",
    tools/repro/lbug_kill_during_write.py). The store opens it with every transaction before
    the torn one (here: the last 20 bytes of the second transaction's record cut off)."""
    import subprocess
    import sys

    subprocess.run([sys.executable, "-c", _EXIT_WITHOUT_CHECKPOINT, str(tmp_db)], check=True)
    wal = tmp_db.with_name(tmp_db.name + ".wal")
    with wal.open("r+b") as log:
        log.truncate(wal.stat().st_size - 20)
    with EmbeddedStore(tmp_db, **SMALL) as store:
        assert [(o["id"], o["name"]) for o in store.export().organizations] == [
            ("a", "A"),
            ("b", "B"),
        ]
        store.upsert([org("c")], [])  # and it writes again
    with EmbeddedStore(tmp_db, **SMALL) as store:
        assert [o["id"] for o in store.export().organizations] == ["a", "b", "c"]
