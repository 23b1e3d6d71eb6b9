"""Edits that lose nothing, history and undo, on both backends.

An import touches only the fields its file gives; every write is one change set whose
before/after values equal an independent diff of two exports (plain Python over the exported
records); reverting change sets restores the earlier export exactly; a revert that would
undo a later change is refused, naming it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from csvdata import ORG_HEADER, REL_HEADER
from neo4j_server import Neo4jServer, fresh_store

from app.errors import ConflictError, ImportValidationError, NotFoundError
from app.services import editing, history
from app.services.importing import import_files
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.vocabulary import VERIFICATION_PROPERTIES

Export = tuple[dict[str, dict[str, Any]], dict[tuple[str, str, str], dict[str, Any]]]


@pytest.fixture(params=["embedded", "neo4j"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """An empty store of each backend, with the tiny ecosystem imported (change set 1)."""
    if request.param == "embedded":
        with EmbeddedStore(
            tmp_path / "eco.lbug", buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3
        ) as opened:
            yield opened
        return
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    with fresh_store(server) as opened:
        yield opened


@pytest.fixture
def loaded(db: GraphStore, tiny_ecosystem: tuple[Path, Path]) -> GraphStore:
    report = import_files(db, list(tiny_ecosystem), author="tester")
    assert report.change_id == 1
    return db


def _empty(value: Any) -> Any:
    return None if value == [] or value == "" else value


def exported(store: GraphStore) -> Export:
    """Every record's fields, without the store's timestamps, empty lists as None."""
    data = store.export()
    orgs = {
        row["id"]: {k: _empty(v) for k, v in row.items() if k not in ("id", "updated_at")}
        for row in data.organizations
    }
    rels = {
        (row["source"], row["type"], row["target"]): {
            k: _empty(v)
            for k, v in row.items()
            if k not in ("source", "type", "target", "updated_at")
        }
        for row in data.relationships
    }
    return orgs, rels


def content(record: dict[str, Any]) -> dict[str, Any]:
    """An exported organization without its verification (which an edit stamps anew)."""
    return {k: v for k, v in record.items() if k not in VERIFICATION_PROPERTIES}


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def independent_diff(old: Export, new: Export) -> set[tuple[str, str, Any, Any]]:
    """(entity, field, before, after) of every field that differs between two exports."""
    found = set()
    for records_old, records_new, name in ((old[0], new[0], str), (old[1], new[1], " ".join)):
        for key in records_old.keys() | records_new.keys():
            before, after = records_old.get(key, {}), records_new.get(key, {})
            for field in before.keys() | after.keys():
                b, a = before.get(field), after.get(field)
                if b != a:
                    found.add((name(key), field, _freeze(b), _freeze(a)))
    return found


def recorded(store: GraphStore, change_id: int) -> set[tuple[str, str, Any, Any]]:
    return {
        (c.entity, c.field, _freeze(c.before), _freeze(c.after))
        for c in store.change_set(change_id).changes
    }


def test_an_import_of_a_few_columns_changes_only_those(loaded: GraphStore, write_csv: Any) -> None:
    before = exported(loaded)
    names = write_csv("names.csv", "id,name,kind\nacme,Acme Robotics SpA,company\n")
    report = import_files(loaded, [names], author="tester")
    after = exported(loaded)
    assert report.summary.organizations_updated == 1
    assert content(after[0]["acme"]) == {**content(before[0]["acme"]), "name": "Acme Robotics SpA"}
    assert after[0]["acme"]["verified_by"] == "tester"  # an edit verifies the record
    assert {k: v for k, v in after[0].items() if k != "acme"} == {
        k: v for k, v in before[0].items() if k != "acme"
    }
    assert after[1] == before[1]
    changes = recorded(loaded, report.change_id or 0)
    assert {c for c in changes if c[1] not in VERIFICATION_PROPERTIES} == {
        ("acme", "name", "Acme Robotics", "Acme Robotics SpA")
    }
    # verified anew: the time changes unless it is still the second of the first import
    assert {c[1] for c in changes} - {"name"} <= {"verified_at"}
    assert after[0]["acme"]["verified_at"] >= before[0]["acme"]["verified_at"]


def test_blank_cells_keep_values_unless_clear_empty(loaded: GraphStore, write_csv: Any) -> None:
    before = exported(loaded)
    blanks = write_csv("blanks.csv", "id,name,city,tags\nbolt,,,\n")
    assert import_files(loaded, [blanks]).change_id is None  # nothing changed
    assert exported(loaded) == before
    clear = write_csv("clear.csv", "id,city,tags\nbolt,,\n")
    report = import_files(loaded, [clear], mode="clear_empty")
    bolt = content(exported(loaded)[0]["bolt"])
    assert bolt == {**content(before[0]["bolt"]), "city": None, "tags": None}
    assert report.summary.organizations_updated == 1
    with pytest.raises(ImportValidationError, match="name"):
        import_files(loaded, [blanks], mode="clear_empty")  # a name cannot be cleared


def test_replace_replaces_whole_records(loaded: GraphStore, write_csv: Any) -> None:
    whole = write_csv("whole.csv", "id,name,kind\nacme,Acme,company\n")
    import_files(loaded, [whole], mode="replace")
    acme = exported(loaded)[0]["acme"]
    assert (acme["name"], acme["city"], acme["sectors"], acme["employees"]) == (
        "Acme",
        None,
        None,
        None,
    )


def test_relationship_rows_update_only_the_fields_they_give(
    loaded: GraphStore, write_csv: Any
) -> None:
    before = exported(loaded)
    key = next(k for k in before[1] if k[1] == "SUPPLIES")
    rels = write_csv("rels.csv", f"source,target,type,since\n{key[0]},{key[2]},{key[1]},2021\n")
    orgs = write_csv("none.csv", f"{ORG_HEADER}\n")
    import_files(loaded, [orgs, rels])
    assert exported(loaded)[1][key] == {**before[1][key], "since": "2021"}


def test_a_dry_run_lists_the_changes_and_writes_nothing(loaded: GraphStore, write_csv: Any) -> None:
    before, version = exported(loaded), loaded.version()
    edit = write_csv("edit.csv", "id,city,employees\nacme,Genoa,130\nnew,,\n")
    with pytest.raises(ImportValidationError):  # "new" has no name or kind
        import_files(loaded, [edit], dry_run=True)
    edit = write_csv("edit.csv", "id,city,employees\nacme,Genoa,130\n")
    report = import_files(loaded, [edit], dry_run=True)
    assert {
        (c.entity, c.field, c.before, c.after)
        for c in report.changes
        if c.field not in VERIFICATION_PROPERTIES
    } == {
        ("acme", "city", "Turin", "Genoa"),
        ("acme", "employees", 120, 130),
    }
    # the import would verify acme anew, by its author
    assert {c.field for c in report.changes} - {"city", "employees"} <= {*VERIFICATION_PROPERTIES}
    assert report.change_id is None and report.dry_run
    assert exported(loaded) == before and loaded.version() == version
    assert loaded.change_sets()[0][0].id == 1


def test_change_sets_equal_the_independent_diff_of_two_exports(
    loaded: GraphStore, write_csv: Any
) -> None:
    first = exported(loaded)
    assert recorded(loaded, 1) == independent_diff(({}, {}), first)
    orgs = write_csv(
        "orgs.csv",
        f"{ORG_HEADER}\n"
        "acme,Acme Robotics,company,sme,C28,robotics,Genoa,Liguria,IT,44.4,8.9,130,2004,,\n"
        "zeta,Zeta Labs,company,startup,J62,ai,Turin,Piedmont,IT,,,4,2023,,New\n",
    )
    rels = write_csv("rels.csv", f"{REL_HEADER}\nzeta,acme,SUPPLIES,2,2024,,met at a fair\n")
    report = import_files(loaded, [orgs, rels], author="analyst")
    assert report.change_id == 2
    second = exported(loaded)
    assert recorded(loaded, 2) == independent_diff(first, second)
    change_set = loaded.change_set(2)
    assert (change_set.author, change_set.source) == ("analyst", "orgs.csv, rels.csv")
    deleted = editing.delete_organizations(loaded, ["bolt"], author="analyst", source="test")
    assert deleted.ties  # bolt's ties went with it, and are listed
    assert recorded(loaded, deleted.change_id or 0) == independent_diff(second, exported(loaded))


def test_reverting_change_sets_restores_the_earlier_export(
    loaded: GraphStore, write_csv: Any
) -> None:
    first = exported(loaded)
    edit = write_csv(
        "edit.csv", "id,name,kind,city\nacme,Acme Two,company,Genoa\nzeta,Zeta,company,\n"
    )
    import_files(loaded, [edit])  # change 2: an update and a creation
    editing.delete_organizations(loaded, ["polito"], author="x", source="test")  # change 3
    key = next(k for k in first[1] if k[1] == "SUPPLIES")
    editing.delete_relationship(loaded, key, author="x", source="test")  # change 4
    for change_id in (4, 3, 2):
        assert history.revert(loaded, change_id, author="x") is not None
    assert exported(loaded) == first
    latest = loaded.change_sets(limit=1)[0][0]
    assert latest.source == "revert of change 2"


def test_a_revert_that_would_undo_a_later_change_is_refused(
    loaded: GraphStore, write_csv: Any
) -> None:
    import_files(loaded, [write_csv("a.csv", "id,city\nacme,Genoa\n")])  # 2
    import_files(loaded, [write_csv("b.csv", "id,city\nacme,Milan\n")])  # 3
    with pytest.raises(ConflictError, match="change 3: acme city"):
        history.revert(loaded, 2, author="x")
    assert history.revert(loaded, 3, author="x") == 4
    assert exported(loaded)[0]["acme"]["city"] == "Genoa"
    import_files(loaded, [write_csv("c.csv", "id,name,kind\nnew,New,company\n")])  # 5
    editing.put_relationship(
        loaded, ("new", "SUPPLIES", "acme"), {}, author="x", source="test"
    )  # 6
    with pytest.raises(ConflictError, match="new SUPPLIES acme was made after change 5"):
        history.revert(loaded, 5, author="x")
    with pytest.raises(NotFoundError):
        history.revert(loaded, 99, author="x")


def test_history_of_an_organization_includes_its_ties(loaded: GraphStore) -> None:
    editing.put_relationship(
        loaded, ("bolt", "SUPPLIES", "acme"), {"weight": 3}, author="x", source="test"
    )
    page = history.history(loaded, entity="bolt")
    found, more = page.change_sets, page.more
    assert [c.id for c in found] == [2, 1] and not more
    assert {c.entity for c in found[0].changes} == {"bolt SUPPLIES acme"}
    assert all("bolt" in c.entity.split(" ") for s in found for c in s.changes)
    assert history.history(loaded, since="2999-01-01").change_sets == []
    cut = history.history(loaded, changes_shown=3)  # the import's many changes: the first 3
    assert [len(s.changes) for s in cut.change_sets] == [1, 3]
    assert cut.trimmed == {1: len(loaded.change_set(1).changes)}


def test_history_survives_an_export_and_an_import(
    loaded: GraphStore, write_csv: Any, tmp_path: Path
) -> None:
    from app.services.export import export_data, write_export

    import_files(loaded, [write_csv("a.csv", "id,city\nacme,Genoa\n")], author="ana")
    editing.delete_relationship(loaded, ("bolt", "SUPPLIES", "acme"), author="bo", source="t")
    selection = export_data(loaded)
    written = write_export(selection.data, "csv", tmp_path / "out", history=loaded)
    assert [p.name for p in written] == ["organizations.csv", "relationships.csv", "history.jsonl"]
    assert len((tmp_path / "out" / "history.jsonl").read_text().splitlines()) == 3
    with EmbeddedStore(
        tmp_path / "copy.lbug", buffer_pool_bytes=128 * 1024**2, max_db_size_bytes=8 * 1024**3
    ) as copy:
        report = import_files(copy, written[:2])
        assert report.notes == ["restored 3 change sets from history.jsonl"]
        assert report.change_id is None
        assert exported(copy) == exported(loaded)
        assert copy.change_sets(limit=10)[0] == loaded.change_sets(limit=10)[0]
        again = import_files(copy, written[:2])  # not empty now: the file is left alone
        assert again.notes == ["history.jsonl was not restored: the database is not empty"]
        assert history.revert(copy, 3, author="x") == 4  # the restored history works
