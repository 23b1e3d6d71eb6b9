"""Every Neo4j-dialect statement plans without scanning every node or joining unrelated rows.

Each statement of ``load_queries("neo4j")`` (shared + ``cypher/neo4j/`` overrides; DDL and the
``organization_filter_*`` clauses of ``%FILTER(x)%`` aside) is rendered with every filling of
its vocabulary slots, the filter statements with the clauses the store keeps for each kind of
FilterSpec (nothing constrained, each field alone, clusters with the other fields), and planned
with
``EXPLAIN`` on the real test server, with the bundled sample loaded so that the planner has
representative statistics. No plan may hold an ``AllNodesScan``, a ``CartesianProduct`` or
a scan of all relationships, anywhere in its tree. Another test runs the store's operations
and checks that every statement they send is one of those planned here. The last one plans
everything again on an empty database, whose statistics make a scan look free: a plan made
then is cached and may serve the first requests after an import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from factories import org, rel
from neo4j_server import Neo4jServer, fresh_store
from test_cypher_lint import _fillings

from app.changes import Change
from app.errors import NotFoundError
from app.filters import FilterSpec
from app.people import User
from app.services.sample import load_sample
from app.store import neo4j as neo4j_module
from app.store import (
    neo4j_history,
    neo4j_records,
    neo4j_sessions,
    neo4j_suggestions,
    neo4j_tx,
    neo4j_views,
)
from app.store.filtering import filter_parameters
from app.store.neo4j import SCHEMA_STATEMENTS, Neo4jStore
from app.store.neo4j_tx import filter_statement, rows
from app.store.queries import FILTER_CLAUSES, load_queries, query
from app.suggestions import Dismissal
from app.views import ViewRecord
from app.vocabulary import Kind, RelType

#: Plan operators that touch the whole graph or multiply unrelated rows.
FORBIDDEN = {
    "AllNodesScan",
    "CartesianProduct",
    "DirectedAllRelationshipsScan",
    "UndirectedAllRelationshipsScan",
}
#: Included into other statements (the clauses of ``%FILTER(x)%``), never sent alone.
FRAGMENTS = set(FILTER_CLAUSES.values())

#: One FilterSpec per shape of filter the store sends: nothing constrained, each field alone,
#: every non-cluster field together, clusters alone and with the others.
FILTER_SPECS = {
    "nothing": FilterSpec(),
    "kinds": FilterSpec(kinds=["company"]),
    "types": FilterSpec(types=["startup"]),
    "sectors": FilterSpec(sectors=["C29"]),
    "regions": FilterSpec(regions=["Valmora"]),
    "countries": FilterSpec(countries=["IT"]),
    "tags": FilterSpec(tags=["software"]),
    "rel_types": FilterSpec(rel_types=["SUPPLIES"]),
    "min_employees": FilterSpec(min_employees=10),
    "max_employees": FilterSpec(max_employees=500),
    "founded_from": FilterSpec(founded_from=2000),
    "founded_to": FilterSpec(founded_to=2020),
    "search": FilterSpec(search="tess"),
    "stale_since": FilterSpec(stale_since="2025-01-01"),
    "all but clusters": FilterSpec(
        kinds=["company"],
        types=["sme"],
        sectors=["C"],
        regions=["valmora"],
        countries=["IT"],
        tags=["software"],
        min_employees=1,
        max_employees=10_000,
        founded_from=1900,
        founded_to=2030,
        search="a",
        stale_since="2025-01-01T00:00:00Z",
        rel_types=["SUPPLIES"],
    ),
    "clusters": FilterSpec(clusters=["cl-valmora-digital"]),
    "clusters and kinds": FilterSpec(clusters=["cl-valmora-digital"], kinds=["institution"]),
    "clusters and others": FilterSpec(
        clusters=["cl-valmora-digital", "cl-valmora-mobility"],
        kinds=["company"],
        countries=["IT"],
        min_employees=5,
        search="o",
        stale_since="2025-01-01",
        sectors=["J"],
        rel_types=["SUPPLIES"],
    ),
}
CENTER, OTHER, CLUSTER = "co-voltaris-motors", "in-university-of-valmora", "cl-valmora-digital"
PARAMETER = re.compile(r"\$(\w+)")
#: The fields of a change set's chunk row (create_change_chunks), beside an organization's.
CHUNK = {"key": "1/0", "change_set": 1, "seq": 0, "entities": [CENTER], "changes": "[]"}


def _operators(plan: dict[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every operator of a plan tree, as its path from the root (``@neo4j`` suffixes off)."""
    here = (*path, plan["operatorType"].split("@", 1)[0])
    yield here
    for child in plan.get("children", ()):
        yield from _operators(child, here)


def _explain(store: Neo4jStore, statement: str, parameters: dict[str, Any]) -> list[str]:
    """The forbidden operators of the statement's plan, each with its path."""
    with store._driver.session(database=store.database) as session:
        plan = session.run(f"EXPLAIN {statement}", parameters).consume().plan
    assert plan, statement
    return [" > ".join(path) for path in _operators(plan) if path[-1] in FORBIDDEN]


@pytest.fixture(scope="module")
def store(neo4j_server: Neo4jServer) -> Iterator[Neo4jStore]:
    """The sample on the test server, planned afresh (no plan cached from other data)."""
    with fresh_store(neo4j_server) as opened:
        assert isinstance(opened, Neo4jStore)
        load_sample(opened)
        with opened._driver.session(database=opened.database) as session:
            session.run("CALL db.clearQueryCaches()").consume()
        yield opened


@pytest.fixture(scope="module")
def parameters(store: Neo4jStore) -> dict[str, Any]:
    """A representative value for every parameter a statement takes."""
    located = store._read(lambda tx: neo4j_tx.locate(tx, [CENTER, OTHER, CLUSTER]))
    element_ids = [element_id for _, element_id in located.values()]
    row = dict(rows_of_organization(CENTER, store))
    return {
        "id": CENTER,
        "ids": [CENTER, OTHER, CLUSTER],
        "element_id": element_ids[0],
        "element_ids": element_ids,
        "frontier": element_ids[:2],
        "kinds": ["company", "institution"],
        "has_rel_types": True,
        "rel_types": ["SUPPLIES", "FUNDS"],
        "rows": [{**row, "source": CENTER, "target": OTHER, **CHUNK}],
        "keys": [{"source": CENTER, "target": OTHER}],
        # change sets and people
        "after": 0,
        "limit": 21,
        "since": "2026-01-01T00:00:00Z",
        "entity": CENTER,
        "at": "2026-01-01T00:00:00Z",
        "author": "planner",
        "source": "plans",
        "name": "planner",
        "role": "editor",
        "clusters": [CLUSTER],
        "token_digest": "0" * 64,
        "created_at": "2026-01-01T00:00:00Z",
        # dismissed suggestions
        "key": f'["{CENTER}", "{OTHER}"]',
        "target": OTHER,
        "method": "ra",
        "score": 0.5,
        "by": "planner",
        # saved views
        "owner": "planner",
        "shared": True,
        "filters": "{}",
        "display": "{}",
        "updated_at": "2026-01-01T00:00:00Z",
    }


def rows_of_organization(org_id: str, store: Neo4jStore) -> dict[str, Any]:
    found = store._read(lambda tx: rows(tx, query("neo4j", "get_organization"), {"id": org_id}))
    return {**found[0], "weight": 1.0, "since": None, "until": None, "evidence": None}


def _variants(
    store: Neo4jStore, name: str, raw: str, fixed: dict[str, Any]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(label, statement, parameters) for each way the store may send statement ``name``."""
    for slots in _fillings(raw):
        shown = ",".join(str(value) for value in slots.values() if value)
        if "%FILTER(" not in raw:
            text = query("neo4j", name, **slots)
            wanted = set(PARAMETER.findall(text))
            unknown = wanted - fixed.keys()
            assert not unknown, f"{name}: no representative value for {sorted(unknown)}"
            yield shown, text, {key: fixed[key] for key in wanted}
            continue
        anchored = name.endswith("_in_clusters")
        base = name.removesuffix("_in_clusters")
        for label, spec in FILTER_SPECS.items():
            if bool(spec.clusters) != anchored:
                continue  # the store picks the anchored statement exactly when clusters are named
            for include_clusters in (False, True):
                values = store._read(
                    lambda tx, spec=spec, include=include_clusters: Neo4jStore._filter_parameters(
                        tx, spec, include
                    )
                )
                values |= {"offset": 0, "limit": 101}
                yield (
                    f"{label}, clusters={include_clusters}",
                    filter_statement(base, values, anchored=anchored),
                    values,
                )


def _statements() -> list[str]:
    return sorted(
        name
        for name, text in load_queries("neo4j").items()
        if name not in FRAGMENTS
        and not text.lstrip().upper().startswith(("CREATE CONSTRAINT", "CREATE INDEX"))
    )


@pytest.mark.parametrize("name", _statements())
def test_no_statement_scans_everything(
    store: Neo4jStore, parameters: dict[str, Any], name: str
) -> None:
    raw = load_queries("neo4j")[name]
    failures = {}
    for label, text, values in _variants(store, name, raw, parameters):
        found = _explain(store, text, values)
        if found:
            failures[label or name] = found
    assert not failures, f"{name} plans:\n" + "\n".join(
        f"  [{label}] {path}" for label, paths in failures.items() for path in paths
    )


def test_the_filter_statements_leave_out_unused_clauses() -> None:
    """Nothing constrained: no filter clause at all; one field: only its clause."""
    everything = filter_parameters(FilterSpec(), include_clusters=True)
    text = filter_statement("filter_organizations", everything, anchored=False)
    assert "WHERE (true)" in text and "n.kind IN" not in text  # kinds: the labels
    assert set(PARAMETER.findall(text)) == {"kinds", "offset", "limit"}
    one = filter_parameters(FilterSpec(countries=["IT"]))
    text = filter_statement("filter_outgoing", one, anchored=False)
    assert "WHERE ((n.country IN $countries))" in text
    assert set(PARAMETER.findall(text)) == {"kinds", "countries"} == one.keys()
    anchored = filter_parameters(FilterSpec(clusters=["k"], kinds=["company"]))
    text = filter_statement("filter_organizations", anchored, anchored=True)
    assert "MATCH (anchor:Cluster) WHERE anchor.id IN $clusters" in text
    assert "WHERE ((n.kind IN $kinds))" in text and "EXISTS" not in text  # clusters: the anchor


def test_every_statement_the_store_sends_is_planned_here(
    store: Neo4jStore, parameters: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Run every operation; each statement text sent must be one this module plans."""
    sent: set[str] = set()

    def recording(tx: Any, statement: str, values: dict[str, Any] | None = None) -> Any:
        sent.add(statement)
        return rows(tx, statement, values)

    modules = (neo4j_module, neo4j_sessions, neo4j_tx, neo4j_records, neo4j_history)
    for module in (*modules, neo4j_suggestions, neo4j_views):
        monkeypatch.setattr(module, "rows", recording)
    store.version()
    store.counts()
    store.export()
    store.organization_kinds()
    store.organization_kinds([CENTER, "nope"])
    store.get_organization(CENTER)
    for spec in FILTER_SPECS.values():
        for include in (False, True):
            store.subgraph(spec, include_clusters=include)
        store.list_organizations(spec, limit=5)
    store.ego_network(CENTER, hops=2, rel_types=[RelType.SUPPLIES])
    store.ego_network(CLUSTER, include_clusters=True)
    store.shortest_paths(CENTER, OTHER)
    with store.read_session() as reader:
        reader.counts()
    extra = [org("zz-plan-a"), org("zz-plan-b", "institution"), org("zz-plan-k", "cluster")]
    ties = [
        rel("zz-plan-a", CENTER, "SUPPLIES"),
        rel("zz-plan-b", "zz-plan-a", "FUNDS"),
        rel("zz-plan-a", "zz-plan-k", "MEMBER_OF"),
        rel("zz-plan-b", "zz-plan-k", "COLLABORATES_WITH"),
    ]
    store.upsert(extra, ties)
    store.upsert(extra, [rel("zz-plan-a", CENTER, "SUPPLIES", weight=2.0)])
    store.organizations_by_id([CENTER, "zz-plan-a", "nope"])
    keys = [(t.source, t.type.value, t.target) for t in ties]
    store.relationships_by_key([*keys, ("zz-plan-k", "COLLABORATES_WITH", "zz-plan-b")])
    store.relationships_of([CENTER, "zz-plan-k"])
    store.delete(rel_keys=keys[:2])
    with pytest.raises(NotFoundError):
        store.delete(["zz-plan-a", "nope"])
    store.delete(["zz-plan-a"])
    for org_id in ("zz-plan-b", "zz-plan-k"):
        store.delete_organization(org_id)
    with store.write_session() as view:
        view.upsert([org("zz-plan-c")], [])
        view.append_change_set("planner", "plans", [Change(entity="zz-plan-c", field="kind")])
    store.append_change_set("planner", "plans", [Change(entity=f"{CENTER} SUPPLIES x", field="w")])
    for entity in (None, CENTER, "zz-plan-c"):
        store.change_sets(entity=entity, since="2026-01-01", limit=1)
        store.change_sets(entity=entity, after=1)
    store.change_set(1)
    store.add_user(User(name="planner", role="viewer", token_digest="0" * 64, created_at="now"))
    store.users()
    store.user_by_token("0" * 64)
    store.remove_user("planner")
    dismissed = Dismissal(source=OTHER, target=CENTER, method="ra", score=1, by="planner", at="now")
    store.dismiss_link(dismissed)
    store.dismissed_links()
    store.restore_link(CENTER, OTHER)
    view = ViewRecord(
        name="plan", owner="planner", shared=True, filters="{}", display="{}",
        created_at="now", updated_at="now",
    )  # fmt: skip
    store.save_view(view)
    store.saved_views()
    store.saved_view("plan")
    store.delete_view("plan")
    store.delete_organization("zz-plan-c")
    store.setup_schema()

    planned = set()
    for name in _statements():
        raw = load_queries("neo4j")[name]
        planned |= {text for _, text, _ in _variants(store, name, raw, parameters)}
    schema = {query("neo4j", "create_id_constraint", label=kind) for kind in Kind}
    schema |= {query("neo4j", name) for name in SCHEMA_STATEMENTS}
    unplanned = sent - planned - schema
    assert not unplanned, "sent but not planned by this module:\n" + "\n\n".join(unplanned)


def test_no_statement_scans_everything_on_an_empty_database(
    store: Neo4jStore, parameters: dict[str, Any]
) -> None:
    """Last in this module: it empties the database."""
    store._write(lambda tx: rows(tx, query("neo4j", "delete_all")))
    with store._driver.session(database=store.database) as session:
        session.run("CALL db.clearQueryCaches()").consume()
    failures = [
        f"{name} [{label}] {path}"
        for name in _statements()
        for label, text, values in _variants(store, name, load_queries("neo4j")[name], parameters)
        for path in _explain(store, text, values)
    ]
    assert not failures, "on an empty database:\n" + "\n".join(failures)
