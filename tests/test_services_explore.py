"""The exploration and editing services on a real embedded store: writes, reads, and the kind
rule's one wording (PUT, import and the store's write plan quote the same sentence)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pydantic import ValidationError

from app.domain import Organization
from app.errors import ConflictError, NotFoundError, StoreError
from app.filters import FilterSpec
from app.ingest.readers import read_csv
from app.ingest.validate import validate_tables
from app.rules import kind_change_problem
from app.services import editing, explore
from app.store.embedded import EmbeddedStore
from app.vocabulary import Kind

WriteCsv = Callable[[str, str], Path]
ACME = {"name": "Acme", "kind": "company"}


def put(store: EmbeddedStore, org_id: str, values: dict[str, object]) -> tuple[Organization, bool]:
    org, created, _change = editing.put_organization(
        store, org_id, values, author="tester", source="test"
    )
    return org, created


def delete(store: EmbeddedStore, org_id: str) -> None:
    editing.delete_organizations(store, [org_id], author="tester", source="test")


def test_put_creates_then_replaces(store: EmbeddedStore) -> None:
    created, is_new = put(store, "acme", ACME)
    assert is_new and created == explore.get_organization(store, "acme")
    replaced, is_new = put(store, "acme", {**ACME, "name": "Acme 2"})
    assert not is_new and replaced.name == "Acme 2"
    assert explore.stats(store).nodes == 1
    page = explore.list_organizations(store, FilterSpec(), offset=0, limit=10)
    assert explore.page_answer(page).items == [replaced]


def test_put_checks_values_and_writes_nothing_when_they_are_bad(store: EmbeddedStore) -> None:
    with pytest.raises(ValidationError):
        put(store, "acme", {**ACME, "country": "XX"})
    with pytest.raises(ValidationError):  # a new id must follow today's id rule
        put(store, "a/b", ACME)
    assert explore.stats(store).nodes == 0


def test_put_keeps_a_stored_id_valid(store: EmbeddedStore) -> None:
    base = Organization.model_validate({"id": "plain", **ACME})
    store.upsert([base.model_copy(update={"id": "a/b"})], [])
    org, is_new = put(store, "a/b", {**ACME, "name": "Slash Co"})
    assert not is_new and org.id == "a/b" and org.name == "Slash Co"


def test_delete(store: EmbeddedStore) -> None:
    put(store, "acme", ACME)
    delete(store, "acme")
    with pytest.raises(NotFoundError):
        explore.get_organization(store, "acme")
    with pytest.raises(NotFoundError):
        delete(store, "acme")


def test_kind_change_message_has_one_source(store: EmbeddedStore, write_csv: WriteCsv) -> None:
    put(store, "acme", ACME)
    expected = kind_change_problem("acme", Kind.COMPANY, Kind.CLUSTER)
    assert expected is not None and kind_change_problem("acme", "company", "company") is None
    with pytest.raises(ConflictError) as refused:
        put(store, "acme", {**ACME, "kind": "cluster"})
    with pytest.raises(StoreError) as upsert:
        store.upsert([Organization.model_validate({"id": "acme", **ACME, "kind": "cluster"})], [])
    orgs = write_csv("orgs.csv", "id,name,kind\nacme,Acme,cluster\n")
    checked = validate_tables([read_csv(orgs)], stored_kinds=store.organization_kinds())
    assert [p.message for p in checked.problems] == [expected]
    assert str(refused.value) == str(upsert.value) == expected
    assert explore.get_organization(store, "acme").kind == Kind.COMPANY
