"""Edits that never overwrite an unseen change: ``ETag`` on reads, ``If-Match`` on writes
(428 without it, 409 with the current record when it is stale), and two clients racing from
the same version: exactly one wins, on both backends."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from api_answers import refused
from backends import BACKENDS, tiny_store
from fastapi.testclient import TestClient

from app.api import create_app
from app.domain import Organization
from app.services import versions
from app.settings import Settings
from app.store.base import GraphStore

CSRF = {"X-EcoMap-CSRF": "1"}
SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}


@pytest.fixture(params=BACKENDS)
def tiny(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    with tiny_store(request, request.param, tmp_path) as store:
        yield store


@pytest.fixture
def client(tiny: GraphStore) -> Iterator[TestClient]:
    """No key, no person: a local server, where writes are open (the versions still hold)."""
    app = create_app(Settings(api_key=None), store=tiny)
    with TestClient(app, raise_server_exceptions=False, headers=CSRF) as test_client:
        yield test_client


def acme(**changes: Any) -> dict[str, Any]:
    return {"name": "Acme Robotics", "kind": "company", "city": "Turin", **changes}


def test_the_etag_is_the_stored_records_version(client: TestClient, tiny: GraphStore) -> None:
    got = client.get("/api/organizations/acme")
    stored = tiny.get_organization("acme")
    assert got.headers["ETag"] == f'"{versions.record_version(stored)}"'
    assert len(got.headers["ETag"]) == 18
    assert client.get("/api/organizations/acme").headers["ETag"] == got.headers["ETag"]
    assert client.get("/api/organizations/bolt").headers["ETag"] != got.headers["ETag"]


def test_put_and_delete_need_if_match(client: TestClient) -> None:
    before = client.get("/api/organizations/acme")
    missing = client.put("/api/organizations/acme", json=acme(city="Milan"))
    refused(missing, 428, "precondition_required")
    refused(client.delete("/api/organizations/acme"), 428, "precondition_required")
    assert client.get("/api/organizations/acme").json() == before.json()
    put = client.put(
        "/api/organizations/acme",
        json=acme(city="Milan"),
        headers={"If-Match": before.headers["ETag"]},
    )
    assert put.status_code == 200, put.text
    assert put.headers["ETag"] == client.get("/api/organizations/acme").headers["ETag"]
    assert put.headers["ETag"] != before.headers["ETag"]
    deleted = client.delete("/api/organizations/acme", headers={"If-Match": put.headers["ETag"]})
    assert deleted.status_code == 200 and deleted.json()["organizations"] == ["acme"]
    refused(client.delete("/api/organizations/acme"), 404, "not_found")


def test_a_stale_if_match_is_409_with_the_current_record(client: TestClient) -> None:
    first = client.get("/api/organizations/acme").headers["ETag"]
    mine = client.put(
        "/api/organizations/acme", json=acme(city="Milan"), headers={"If-Match": first}
    )
    assert mine.status_code == 200
    stale = client.put(
        "/api/organizations/acme", json=acme(city="Lyon"), headers={"If-Match": first}
    )
    body = refused(stale, 409, "version_conflict")
    current = client.get("/api/organizations/acme")
    assert body["current"] == current.json() and body["current"]["city"] == "Milan"
    assert f'"{body["version"]}"' == stale.headers["ETag"] == current.headers["ETag"]
    refused(
        client.delete("/api/organizations/acme", headers={"If-Match": first}),
        409,
        "version_conflict",
    )
    weak = client.delete(
        "/api/organizations/acme", headers={"If-Match": f"W/{mine.headers['ETag']}"}
    )
    refused(weak, 409, "version_conflict")  # If-Match compares strongly
    listed = client.put(
        "/api/organizations/acme",
        json=acme(city="Lyon"),
        headers={"If-Match": f'"0000000000000000", {current.headers["ETag"]}'},
    )
    assert listed.status_code == 200 and listed.json()["city"] == "Lyon"
    anyway = client.put(
        "/api/organizations/acme", json=acme(city="Nice"), headers={"If-Match": "*"}
    )
    assert anyway.status_code == 200  # '*': whatever the version, knowingly


def test_creating_needs_no_version(client: TestClient) -> None:
    body = {"name": "New Co", "kind": "company"}
    created = client.put("/api/organizations/newco", json=body)
    assert created.status_code == 201 and created.headers["ETag"]
    again = client.put("/api/organizations/newco", json=body, headers={"If-None-Match": "*"})
    body_409 = refused(again, 409, "version_conflict")  # someone created it meanwhile
    assert body_409["current"]["name"] == "New Co"
    only_new = client.put("/api/organizations/other", json=body, headers={"If-None-Match": "*"})
    assert only_new.status_code == 201
    gone = client.put(
        "/api/organizations/ghost", json=body, headers={"If-Match": '"0123456789abcdef"'}
    )
    assert refused(gone, 409, "version_conflict")["current"] is None  # deleted meanwhile
    assert client.get("/api/organizations/ghost").status_code == 404


def test_two_clients_racing_from_one_version_one_wins(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each PUT pauses between its version check and its write: were the check outside the
    write's transaction, both would pass it during the pause and both would write."""
    check = versions.check_organization_version

    def slow_check(*args: Any, **kwargs: Any) -> None:
        check(*args, **kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(versions, "check_organization_version", slow_check)
    etag = client.get("/api/organizations/acme").headers["ETag"]
    answers: dict[str, Any] = {}
    start = threading.Barrier(2)

    def edit(city: str) -> None:
        start.wait()
        answers[city] = client.put(
            "/api/organizations/acme", json=acme(city=city), headers={"If-Match": etag}
        )

    threads = [threading.Thread(target=edit, args=(city,)) for city in ("Milan", "Lyon")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(a.status_code for a in answers.values())
    assert statuses == [200, 409], {c: a.text for c, a in answers.items()}
    winner = next(c for c, a in answers.items() if a.status_code == 200)
    loser = next(a for a in answers.values() if a.status_code == 409)
    assert loser.json()["current"]["city"] == winner
    assert client.get("/api/organizations/acme").json()["city"] == winner


def test_relationships_have_versions_too(client: TestClient) -> None:
    path = "/api/relationships/cogs/SUPPLIES/acme"
    got = client.get(path)
    assert got.status_code == 200 and got.json()["weight"] == 3.5
    etag = got.headers["ETag"]
    reverse = client.get("/api/relationships/polito/COLLABORATES_WITH/acme")
    assert reverse.json()["source"] == "acme"  # a symmetric tie, named either way
    refused(client.put(path, json={"weight": 4}), 428, "precondition_required")
    refused(client.delete(path), 428, "precondition_required")
    changed = client.put(path, json={"weight": 4}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.headers["ETag"] != etag
    stale = client.put(path, json={"weight": 5}, headers={"If-Match": etag})
    body = refused(stale, 409, "version_conflict")
    assert body["current"]["weight"] == 4 and body["current"] == client.get(path).json()
    refused(client.delete(path, headers={"If-Match": etag}), 409, "version_conflict")
    gone = client.delete(path, headers={"If-Match": changed.headers["ETag"]})
    assert gone.status_code == 200
    refused(client.get(path), 404, "not_found")
    made = client.put(path, json={"weight": 1})  # creating needs no version
    assert made.status_code == 201 and made.headers["ETag"]


def test_require_version_rules() -> None:
    org = Organization(id="a", name="Alpha", kind="company")
    tag = f'"{versions.record_version(org)}"'
    versions.require_version(None, entity="a", if_match=None)  # creates
    versions.require_version(None, entity="a", if_match=tag, creates=False)  # a 404 follows
    versions.require_version(org, entity="a", if_match=tag)
    versions.require_version(org, entity="a", if_match=f'"x", {tag}')
