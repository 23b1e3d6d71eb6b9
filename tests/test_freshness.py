"""Freshness, on both backends: an edit verifies a record, a confirm verifies it and is a change
set that revert undoes, ``stale_since`` selects the records never verified or verified before
a moment, an export imported back keeps the verification, an embedded database made before
the verification columns existed gains them, and the report counts stale records.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import ladybug
import pytest
import test_history
from fastapi.testclient import TestClient
from test_history import content as without_verification
from test_history import exported, independent_diff, recorded
from typer.testing import CliRunner

from app.api import create_app
from app.cli import app as cli_app
from app.domain import Organization
from app.filters import FilterSpec
from app.services import editing, history
from app.services.export import export_data, write_export
from app.services.freshness import stale_cutoff
from app.services.importing import import_files
from app.services.report import report_data
from app.settings import Settings
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.lbug import q
from app.vocabulary import VERIFICATION_PROPERTIES, Kind

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
#: The fixtures of test_history: an empty store of each backend, and one holding the tiny
#: ecosystem imported by "tester".
db = test_history.db
loaded = test_history.loaded

#: Organizations written straight to the store (no service stamps them): id -> verified_at.
VERIFIED: dict[str, str | None] = {
    "a": None,
    "b": "2020-01-01T00:00:00Z",
    "c": "2025-06-01",
    "d": "2026-01-01T08:00:00Z",
    "k": None,
}


def _stored_directly(store: GraphStore) -> None:
    orgs = [
        Organization(
            id=org_id,
            name=org_id.upper(),
            kind=Kind.CLUSTER if org_id == "k" else Kind.COMPANY,
            verified_at=verified_at,
            verified_by=verified_at and "ada",
        )
        for org_id, verified_at in VERIFIED.items()
    ]
    store.upsert(orgs, [])


def _stale(moment: str, *, clusters: bool) -> set[str]:
    """The oracle: never verified, or verified before ``moment`` (ISO text compares)."""
    return {
        org_id
        for org_id, at in VERIFIED.items()
        if (clusters or org_id != "k") and (at is None or at < moment)
    }


def test_an_edit_verifies_the_record_and_an_unchanged_write_keeps_it(loaded: GraphStore) -> None:
    acme = loaded.get_organization("acme")
    assert acme.verified_by == "tester" and acme.verified_at  # the import made it
    values = acme.model_dump(exclude={"id", "updated_at"})
    values |= {"city": "Genoa", "verified_by": "someone else", "verified_at": "2001-01-01"}
    edited, _, change_id = editing.put_organization(
        loaded, "acme", values, author="eddie", source="test"
    )
    assert edited.verified_by == "eddie"  # the body's verification is not taken
    assert edited.verified_at is not None and edited.verified_at >= (acme.verified_at or "")
    assert {c.field for c in loaded.change_set(change_id or 0).changes} >= {"city", "verified_by"}
    values["city"] = "Genoa"
    same, _, nothing = editing.put_organization(loaded, "acme", values, author="zed", source="t")
    assert nothing is None and same.verified_by == "eddie"


def test_a_confirm_is_a_change_set_that_revert_undoes(loaded: GraphStore, write_csv: Any) -> None:
    old = write_csv("old.csv", "id,verified_at,verified_by\nacme,2020-01-01,old hand\n")
    import_files(loaded, [old], author="importer")  # the file says when: it is kept
    acme = loaded.get_organization("acme")
    assert (acme.verified_at, acme.verified_by) == ("2020-01-01", "old hand")
    before = exported(loaded)
    confirmed = editing.confirm_organizations(loaded, ["acme"], author="vera", source="test")
    assert confirmed.organizations[0].verified_by == "vera"
    after = exported(loaded)
    assert without_verification(after[0]["acme"]) == without_verification(before[0]["acme"])
    assert recorded(loaded, confirmed.change_id or 0) == independent_diff(before, after)
    assert {c.field for c in loaded.change_set(confirmed.change_id or 0).changes} == set(
        VERIFICATION_PROPERTIES
    )
    history.revert(loaded, confirmed.change_id or 0, author="vera")
    assert exported(loaded) == before
    with pytest.raises(Exception, match="no organization"):
        editing.confirm_organizations(loaded, ["acme", "nope"], author="vera", source="test")


def test_reverting_an_edit_keeps_a_later_confirm(loaded: GraphStore) -> None:
    acme = loaded.get_organization("acme")
    values = acme.model_dump(exclude={"id", "updated_at"}) | {"city": "Genoa"}
    _, _, edit = editing.put_organization(loaded, "acme", values, author="eddie", source="t")
    confirmed = editing.confirm_organizations(loaded, ["acme"], author="vera", source="t")
    history.revert(loaded, edit or 0, author="eddie")  # a later confirm is no conflict
    now = loaded.get_organization("acme")
    assert now.city == "Turin"
    assert now.verified_by == "vera"
    assert now.verified_at == confirmed.organizations[0].verified_at


@pytest.mark.parametrize(
    "moment", ["2025-06-01", "2025-06-01T12:00:00Z", "2030-01-01", "1999-01-01"]
)
def test_stale_since_selects_the_same_organizations_on_both_backends(
    db: GraphStore,
    moment: str,
) -> None:
    _stored_directly(db)
    spec = FilterSpec(stale_since=moment)
    assert set(db.subgraph(spec).graph) == _stale(moment, clusters=False)
    listed = db.list_organizations(spec)
    assert {org.id for org in listed.items} == _stale(moment, clusters=True)
    combined = FilterSpec(stale_since=moment, kinds=["company"], search="b")
    assert {o.id for o in db.list_organizations(combined).items} == _stale(
        moment, clusters=False
    ) & {"b"}


def test_stale_since_is_checked_and_normalised() -> None:
    assert FilterSpec(stale_since="2025-06-01T14:00:00+02:00").stale_since == "2025-06-01T12:00:00Z"
    with pytest.raises(ValueError, match="ISO date"):
        FilterSpec(stale_since="last year")


def test_an_export_imported_back_keeps_the_verification(loaded: GraphStore, tmp_path: Path) -> None:
    editing.confirm_organizations(loaded, ["bolt"], author="vera", source="test")
    folder = tmp_path / "export"
    write_export(export_data(loaded).data, "csv", folder)
    header = (folder / "organizations.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith(",source,verified_at,verified_by")
    with EmbeddedStore(tmp_path / "copy.lbug", **SMALL) as copy:
        import_files(copy, [folder / "organizations.csv", folder / "relationships.csv"], author="x")
        assert exported(copy)[0] == exported(loaded)[0]
        assert copy.get_organization("bolt").verified_by == "vera"


def test_an_old_embedded_database_gains_the_verification_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.lbug"
    database = ladybug.Database(str(path), buffer_pool_size=SMALL["buffer_pool_bytes"])
    connection = ladybug.Connection(database)
    for kind in ("company", "institution", "cluster"):  # the tables as an earlier version made
        statement = q(f"create_{kind}").replace(",\n  verified_at STRING, verified_by STRING", "")
        assert "verified" not in statement
        connection.execute(statement)
    connection.execute(
        "CREATE (:Company {id: 'old', name: 'Old Co', kind: 'company', updated_at: '2020'})"
    )
    connection.close()
    database.close()
    with EmbeddedStore(path, **SMALL) as store:
        old = store.get_organization("old")
        assert (old.name, old.verified_at, old.verified_by) == ("Old Co", None, None)
        assert {
            o.id for o in store.list_organizations(FilterSpec(stale_since="2000-01-01")).items
        } == {"old"}
        store.upsert([Organization(id="new", name="New", kind="company", verified_by="x")], [])
        editing.confirm_organizations(store, ["old"], author="ana", source="test")
        assert store.get_organization("old").verified_by == "ana"
        assert store.get_organization("new").verified_by == "x"
    with EmbeddedStore(path, **SMALL) as again:  # opening it again changes nothing
        assert again.get_organization("old").verified_by == "ana"


def test_the_report_counts_stale_records(db: GraphStore) -> None:
    _stored_directly(db)
    figures = report_data(db, FilterSpec())["freshness"]
    cutoff = stale_cutoff()
    never = sum(1 for at in VERIFIED.values() if at is None)
    before = sum(1 for at in VERIFIED.values() if at is not None and at < cutoff)
    assert figures == {
        "records": len(VERIFIED),
        "never_verified": never,
        "verified_before": before,
        "stale": never + before,
        "since": cutoff,
    }
    dated = report_data(db, FilterSpec(stale_since="2025-07-01"))["freshness"]
    assert (dated["records"], dated["never_verified"], dated["verified_before"]) == (4, 2, 2)


def test_confirm_through_the_api_and_the_cli(
    store: EmbeddedStore, tiny_ecosystem: tuple[Path, Path], runner: CliRunner
) -> None:
    import_files(store, list(tiny_ecosystem))
    with TestClient(create_app(Settings(api_key=None), store=store)) as client:
        headers = {"X-EcoMap-CSRF": "1"}
        refused = client.post("/api/organizations/acme/confirm", headers=headers)
        assert refused.status_code == 428, refused.text
        etag = client.get("/api/organizations/acme").headers["ETag"]
        answer = client.post(
            "/api/organizations/acme/confirm", headers=headers | {"If-Match": etag}
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["verified_by"] == "anonymous"
        assert answer.headers["ETag"] != etag or "X-EcoMap-Change" not in answer.headers
        missing = client.post(
            "/api/organizations/nope/confirm", headers=headers | {"If-Match": "*"}
        )
        assert missing.status_code == 404
        stale = client.get("/api/organizations", params={"stale_since": "2000-01-01"})
        assert stale.status_code == 200 and stale.json()["items"] == []
    db_path = store.path
    store.close()
    result = runner.invoke(
        cli_app,
        ["--db", str(db_path), "confirm", "bolt", "cogs", "--json"],
        env={"ECOMAP_AUTHOR": "ana"},
    )
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert [row["id"] for row in answer["confirmed"]] == ["bolt", "cogs"]
    assert {row["verified_by"] for row in answer["confirmed"]} == {"ana"}
    assert isinstance(answer["change_id"], int)
    listed = runner.invoke(
        cli_app, ["--db", str(db_path), "orgs", "--stale-since", "2999-01-01", "--json"]
    )
    assert listed.exit_code == 0, listed.output
