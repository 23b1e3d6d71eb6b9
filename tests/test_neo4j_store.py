"""The Neo4j store against a recording fake of the driver: the exact Cypher and parameters.

No Neo4j server is needed. The fake implements only what the store uses, with the signatures
of the real driver (checked below): ``driver.session(**config)`` as a context manager,
``session.execute_read/execute_write(transaction_function, *args, **kwargs)``, which call the
function with a transaction, and ``tx.run(query, parameters=None, **kwparameters)`` returning a
result whose ``.data()`` gives the records as dicts. Statements are pinned as rendered from
``cypher/neo4j/`` by ``query("neo4j", ...)``. A simulation of the walk statements over the
sample ecosystem checks ego networks and shortest paths against the embedded store.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j
import pytest
from factories import org, rel
from neo4j.exceptions import AuthError, ClientError, ServiceUnavailable, TransientError

from app.domain import FilterSpec, Organization
from app.errors import ConfigurationError, NotFoundError, StoreError
from app.settings import Settings
from app.store import neo4j as neo4j_store
from app.store import open_store
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.filtering import NO_MATCH, filter_parameters
from app.store.neo4j import Neo4jStore
from app.store.queries import query
from app.vocabulary import ORGANIZATION_PROPERTIES, Kind, RelType

Row = dict[str, Any]
Responder = list[Row] | Callable[[Row], list[Row]]
DB = "ecosystem"
NOW = "2026-01-02T03:04:05Z"


def q(name: str, **slots: Any) -> str:
    return query("neo4j", name, **slots)


# -- the fake driver ---------------------------------------------------------------------------


class FakeResult:
    def __init__(self, records: list[Row]) -> None:
        self._records = records

    def data(self, *keys: str) -> list[Row]:
        return [{k: r[k] for k in keys} if keys else dict(r) for r in self._records]


@dataclass(frozen=True)
class Call:
    access: str
    database: str
    transaction: int
    statement: str
    parameters: Row


class FakeTransaction:
    def __init__(self, driver: FakeDriver, access: str, database: str, number: int) -> None:
        self._driver, self._access, self._database, self._number = driver, access, database, number

    def run(self, query: str, parameters: Row | None = None, **kwparameters: Any) -> FakeResult:
        params = {**(parameters or {}), **kwparameters}
        self._driver.calls.append(Call(self._access, self._database, self._number, query, params))
        if self._driver.error is not None:
            raise self._driver.error
        return FakeResult(self._driver.respond(query, params))


class FakeSession:
    def __init__(self, driver: FakeDriver, config: Row) -> None:
        self._driver, self._config, self.closed = driver, config, False

    def __enter__(self) -> FakeSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.closed = True

    def _execute(self, access: str, function: Callable[..., Any], args: Any, kwargs: Any) -> Any:
        self._driver.transactions += 1
        tx = FakeTransaction(
            self._driver, access, self._config["database"], self._driver.transactions
        )
        return function(tx, *args, **kwargs)

    def execute_read(
        self, transaction_function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        return self._execute("read", transaction_function, args, kwargs)

    def execute_write(
        self, transaction_function: Callable[..., Any], *args: Any, **kwargs: Any
    ) -> Any:
        return self._execute("write", transaction_function, args, kwargs)


@dataclass
class FakeDriver:
    responses: dict[str, Responder] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    sessions: list[FakeSession] = field(default_factory=list)
    configs: list[Row] = field(default_factory=list)
    transactions: int = 0
    error: Exception | None = None
    closed: bool = False
    connectivity_error: Exception | None = None
    execute_query_bookmark_manager: object = field(default_factory=object)

    def session(self, **config: Any) -> FakeSession:
        self.configs.append(config)
        self.sessions.append(FakeSession(self, config))
        return self.sessions[-1]

    def close(self) -> None:
        self.closed = True

    def verify_connectivity(self, **config: Any) -> None:
        if self.connectivity_error is not None:
            raise self.connectivity_error

    def respond(self, statement: str, parameters: Row) -> list[Row]:
        handler = self.responses.get(statement, [])
        return handler(parameters) if callable(handler) else handler

    def sent(self) -> list[tuple[str, str, Row]]:
        return [(c.access, c.statement, c.parameters) for c in self.calls]


def test_the_fake_has_the_drivers_signatures() -> None:
    def names(function: Callable[..., Any]) -> list[tuple[str, Any]]:
        return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]

    pairs = [
        (FakeDriver.session, neo4j.Driver.session),
        (FakeDriver.close, neo4j.Driver.close),
        (FakeSession.execute_read, neo4j.Session.execute_read),
        (FakeSession.execute_write, neo4j.Session.execute_write),
        (FakeTransaction.run, neo4j.ManagedTransaction.run),
        (FakeResult.data, neo4j.Result.data),
    ]
    for fake, real in pairs:
        assert names(fake) == names(real), real.__qualname__
    assert hasattr(neo4j.Driver, "execute_query_bookmark_manager")


@pytest.fixture
def driver() -> FakeDriver:
    return FakeDriver()


@pytest.fixture
def store(driver: FakeDriver) -> Neo4jStore:
    return Neo4jStore(driver, database=DB, batch_size=2, max_nodes=50)


def stored_row(organization: Organization, updated_at: str = "2025-01-01T00:00:00Z") -> Row:
    row = organization.model_dump(mode="json")
    row["updated_at"] = updated_at
    return {name: row[name] for name in ORGANIZATION_PROPERTIES}


def located(*entries: tuple[str, str]) -> Callable[[Row], list[Row]]:
    """``locate_organizations``: (id, kind) pairs stored, element ids ``e:<id>``."""
    table = dict(entries)
    return lambda p: [
        {"id": i, "kind": table[i], "element_id": f"e:{i}"} for i in p["ids"] if i in table
    ]


# -- schema, sessions, errors ------------------------------------------------------------------


def test_setup_schema_creates_one_constraint_per_label(
    store: Neo4jStore, driver: FakeDriver
) -> None:
    store.setup_schema()
    assert q("create_id_constraint", label=Kind.COMPANY) == (
        "CREATE CONSTRAINT ecomap_Company_id IF NOT EXISTS FOR (n:Company) REQUIRE n.id IS UNIQUE"
    )
    assert driver.sent() == [("write", q("create_id_constraint", label=kind), {}) for kind in Kind]
    assert [c.transaction for c in driver.calls] == [1, 2, 3]  # schema changes, one per tx
    assert isinstance(store, GraphStore)


def test_every_session_names_the_database_and_shares_bookmarks(
    store: Neo4jStore, driver: FakeDriver
) -> None:
    store.counts()
    store.upsert([], [])
    assert (
        driver.configs
        == [{"database": DB, "bookmark_manager": driver.execute_query_bookmark_manager}] * 2
    )
    assert all(session.closed for session in driver.sessions)
    assert {c.database for c in driver.calls} == {DB}
    assert [c.access for c in driver.calls] == ["read", "read", "write"]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (ServiceUnavailable("connection refused"), "Neo4j is unreachable: connection refused"),
        (AuthError("unauthorized"), "Neo4j refused the credentials: unauthorized"),
        (ClientError("syntax"), "Neo4j (ClientError) on 'ecosystem': syntax"),
        (TransientError("deadlock"), "Neo4j (TransientError) on 'ecosystem': deadlock"),
    ],
)
def test_driver_errors_become_store_errors(
    store: Neo4jStore, driver: FakeDriver, error: Exception, message: str
) -> None:
    driver.error = error
    with pytest.raises(StoreError) as raised:
        store.counts()
    assert str(raised.value) == message
    assert raised.value.__cause__ is error
    with pytest.raises(StoreError):
        store.upsert([org("a")], [])


def test_close_closes_only_an_owned_driver(driver: FakeDriver) -> None:
    with Neo4jStore(driver, database=DB) as borrowed:
        pass
    assert not driver.closed
    with pytest.raises(StoreError, match="closed"):
        borrowed.counts()
    with Neo4jStore(driver, database=DB, owns_driver=True):
        pass
    assert driver.closed


# -- reads ---------------------------------------------------------------------------------------


def test_counts_keep_only_the_ecomap_vocabulary(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("count_nodes_by_label")] = [
        {"label": "Company", "count": 5}, {"label": "Cluster", "count": 1},
        {"label": "Person", "count": 7},
    ]  # fmt: skip
    driver.responses[q("count_relationships_by_type")] = [
        {"type": "SUPPLIES", "count": 3}, {"type": "KNOWS", "count": 9},
    ]  # fmt: skip
    counts = store.counts()
    assert q("count_nodes_by_label") == (
        "MATCH (n:Company|Institution|Cluster) UNWIND labels(n) AS label\n"
        "RETURN label, count(*) AS count"
    )
    assert counts.by_kind == {"company": 5, "institution": 0, "cluster": 1}
    assert counts.by_type == {t.value: 0 for t in RelType} | {"SUPPLIES": 3}
    assert (counts.nodes, counts.relationships) == (6, 3)
    assert driver.sent() == [
        ("read", q("count_nodes_by_label"), {}),
        ("read", q("count_relationships_by_type"), {}),
    ]
    assert len({c.transaction for c in driver.calls}) == 1


def test_get_organization_seeks_by_id_then_reads_by_element_id(
    store: Neo4jStore, driver: FakeDriver
) -> None:
    acme = org("acme", sectors="C28", employees=10)
    driver.responses[q("locate_organizations")] = located(("acme", "company"))
    driver.responses[q("organizations_by_element_id")] = [stored_row(acme)]
    assert store.get_organization("acme").model_dump(exclude={"updated_at"}) == acme.model_dump(
        exclude={"updated_at"}
    )
    assert driver.sent() == [
        ("read", q("locate_organizations"), {"ids": ["acme"]}),
        ("read", q("organizations_by_element_id"), {"element_ids": ["e:acme"]}),
    ]
    assert "MATCH (n:Company) WHERE n.id IN $ids" in q("locate_organizations")
    driver.calls.clear()
    with pytest.raises(NotFoundError, match="'nope'"):
        store.get_organization("nope")
    assert driver.sent() == [("read", q("locate_organizations"), {"ids": ["nope"]})]


def test_organization_kinds(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("organization_kinds")] = [
        {"id": "a", "kind": "company"}, {"id": "k", "kind": "cluster"},
    ]  # fmt: skip
    driver.responses[q("locate_organizations")] = located(("a", "company"), ("k", "cluster"))
    assert store.organization_kinds() == {"a": Kind.COMPANY, "k": Kind.CLUSTER}
    assert store.organization_kinds(["k", "nope", "a"]) == {"k": Kind.CLUSTER, "a": Kind.COMPANY}
    assert driver.sent() == [
        ("read", q("organization_kinds"), {}),
        ("read", q("locate_organizations"), {"ids": ["k", "nope", "a"]}),
    ]


def test_export_sorts_like_the_embedded_store(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("all_organizations")] = [
        stored_row(org("b")), stored_row(org("a")), stored_row(org("k", "cluster")),
    ]  # fmt: skip
    rels = [
        {"source": "b", "type": "MEMBER_OF", "target": "k", "weight": 1.0, "since": None,
         "until": None, "evidence": None, "updated_at": NOW},
        {"source": "a", "type": "SUPPLIES", "target": "b", "weight": 2.0, "since": "2019",
         "until": None, "evidence": None, "updated_at": NOW},
        {"source": "a", "type": "MEMBER_OF", "target": "k", "weight": 1.0, "since": None,
         "until": None, "evidence": None, "updated_at": NOW},
    ]  # fmt: skip
    driver.responses[q("all_relationships")] = rels
    data = store.export()
    assert [o["id"] for o in data.organizations] == ["a", "b", "k"]
    assert [(r["source"], r["type"]) for r in data.relationships] == [
        ("a", "MEMBER_OF"), ("a", "SUPPLIES"), ("b", "MEMBER_OF"),
    ]  # fmt: skip
    assert {c.access for c in driver.calls} == {"read"}


def test_subgraph_sends_the_filter_parameters(store: Neo4jStore, driver: FakeDriver) -> None:
    spec = FilterSpec(sectors=["C29"], regions=["North"], rel_types=["SUPPLIES"], limit=2)
    driver.responses[q("stored_sectors")] = [{"sector": "C29.1"}, {"sector": "J62"}]
    driver.responses[q("filter_organizations")] = [stored_row(org(i)) for i in "abc"]
    driver.responses[q("filter_relationships")] = [
        {"source": "a", "type": "SUPPLIES", "target": "b", "weight": 1.0, "since": None,
         "until": None, "evidence": None},
        {"source": "b", "type": "SUPPLIES", "target": "c", "weight": 1.0, "since": None,
         "until": None, "evidence": None},
    ]  # fmt: skip
    result = store.subgraph(spec)
    parameters = filter_parameters(spec, stored_sectors=["C29.1", "J62"])
    assert parameters["sectors"] == ["C29.1"] and parameters["rel_types"] == ["SUPPLIES"]
    assert driver.sent() == [
        ("read", q("stored_sectors"), {}),
        ("read", q("filter_organizations"), {**parameters, "offset": 0, "limit": 3}),
        ("read", q("filter_relationships"), parameters),
        ("read", q("filter_memberships"), parameters),
    ]
    assert len({c.transaction for c in driver.calls}) == 1
    assert result.truncated and result.limit == 2
    assert sorted(result.graph) == ["a", "b"] and list(result.graph.edges) == [
        ("a", "b", "SUPPLIES")
    ]
    assert "type(r) IN $rel_types" in q("filter_relationships")
    assert "toLower(n.name) CONTAINS $search" in q("filter_organizations")


def test_to_networkx_is_the_unfiltered_subgraph(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("filter_organizations")] = [stored_row(org(i)) for i in "ab"]
    driver.responses[q("filter_memberships")] = [{"source": "a", "target": "k"}]
    graph = store.to_networkx()
    assert sorted(graph) == ["a", "b"] and graph.nodes["a"]["clusters"] == ["k"]
    parameters = filter_parameters(FilterSpec(), include_clusters=True)
    store.to_networkx(include_clusters=True)
    assert driver.calls[-3].parameters == {**parameters, "offset": 0, "limit": 51}


def test_list_organizations_pages(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("filter_organizations")] = [stored_row(org(i)) for i in "cde"]
    page = store.list_organizations(FilterSpec(kinds=["company"]), offset=2, limit=2)
    parameters = filter_parameters(FilterSpec(kinds=["company"]), include_clusters=True)
    assert driver.sent() == [
        ("read", q("filter_organizations"), {**parameters, "offset": 2, "limit": 3}),
    ]
    assert [o.id for o in page.items] == ["c", "d"] and page.has_more


# -- writes ----------------------------------------------------------------------------------------


def test_delete_detaches_in_one_write_transaction(store: Neo4jStore, driver: FakeDriver) -> None:
    driver.responses[q("locate_organizations")] = located(("u", "institution"))
    store.delete_organization("u")
    assert q("delete_by_element_id") == (
        "MATCH (n) WHERE elementId(n) = $element_id DETACH DELETE n"
    )
    assert driver.sent() == [
        ("write", q("locate_organizations"), {"ids": ["u"]}),
        ("write", q("delete_by_element_id"), {"element_id": "e:u"}),
    ]
    assert len({c.transaction for c in driver.calls}) == 1
    driver.calls.clear()
    with pytest.raises(NotFoundError):
        store.delete_organization("gone")
    assert [c.statement for c in driver.calls] == [q("locate_organizations")]


A = org("a", sectors="C29|M72", lat=45.0, lon=7.0, employees=10)
B = org("b", type="startup")
U = org("u", "institution", type="university")
K = org("k", "cluster")
STORED_SUPPLY = {
    "source": "a", "type": "SUPPLIES", "target": "b", "weight": 2.5, "since": "2019",
    "until": None, "evidence": None, "updated_at": "2025-01-01T00:00:00Z",
}  # fmt: skip


@pytest.fixture
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(neo4j_store, "_now", lambda: NOW)


def test_upsert_writes_new_and_changed_rows_in_batches_in_one_transaction(
    store: Neo4jStore, driver: FakeDriver, frozen_clock: None
) -> None:
    driver.responses[q("scan_organizations")] = [stored_row(A), stored_row(org("b"))]
    driver.responses[q("scan_relationships")] = [STORED_SUPPLY]
    seen: list[tuple[int, int]] = []
    summary = store.upsert(
        [A, B, U, K],
        [
            rel("a", "b", "SUPPLIES", weight=2.5, since="2019"),  # unchanged
            rel("u", "a", "COLLABORATES_WITH", evidence="joint project"),  # stored as a -> u
            rel("a", "k", "MEMBER_OF"),
            rel("b", "k", "MEMBER_OF"),
            rel("u", "k", "MEMBER_OF", weight=2.0),
        ],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (summary.organizations_created, summary.organizations_updated) == (2, 1)
    assert summary.organizations_unchanged == 1
    assert (summary.relationships_created, summary.relationships_unchanged) == (4, 1)

    def org_params(o: Organization) -> Row:
        return stored_row(o, updated_at=NOW)

    def rel_params(source: str, target: str, weight: float = 1.0, **extra: Any) -> Row:
        row = {"source": source, "target": target, "weight": weight, "since": None,
               "until": None, "evidence": None, "updated_at": NOW}  # fmt: skip
        return row | extra

    def merge(rel_type: RelType, source: Kind, target: Kind) -> str:
        return q("merge_relationships", rel_type=rel_type, from_label=source, to_label=target)

    assert driver.sent() == [
        ("write", q("scan_organizations"), {}),
        ("write", q("scan_relationships"), {}),
        ("write", q("merge_organizations", label=Kind.COMPANY), {"rows": [org_params(B)]}),
        ("write", q("merge_organizations", label=Kind.INSTITUTION), {"rows": [org_params(U)]}),
        ("write", q("merge_organizations", label=Kind.CLUSTER), {"rows": [org_params(K)]}),
        ("write", merge(RelType.COLLABORATES_WITH, Kind.COMPANY, Kind.INSTITUTION),
         {"rows": [rel_params("a", "u", evidence="joint project")]}),
        ("write", merge(RelType.MEMBER_OF, Kind.COMPANY, Kind.CLUSTER),
         {"rows": [rel_params("a", "k"), rel_params("b", "k")]}),  # batch_size=2
        ("write", merge(RelType.MEMBER_OF, Kind.INSTITUTION, Kind.CLUSTER),
         {"rows": [rel_params("u", "k", weight=2.0)]}),
    ]  # fmt: skip
    assert len({c.transaction for c in driver.calls}) == 1
    assert seen == [(1, 9), (2, 9), (3, 9), (4, 9), (5, 9), (7, 9), (8, 9), (9, 9)]
    assert org_params(A)["sectors"] == ["C29", "M72"] and org_params(B)["employees"] is None


def test_merge_statements_set_every_property(frozen_clock: None) -> None:
    statement = q(
        "merge_relationships", rel_type=RelType.FUNDS, from_label=Kind.INSTITUTION,
        to_label=Kind.COMPANY,
    )  # fmt: skip
    assert statement == (
        "UNWIND $rows AS row\n"
        "MATCH (a:Institution) WHERE a.id = row.source\n"
        "MATCH (b:Company) WHERE b.id = row.target\n"
        "MERGE (a)-[r:FUNDS]->(b)\n"
        "SET r.weight = row.weight, r.since = row.since, r.until = row.until, "
        "r.evidence = row.evidence,\n    r.updated_at = row.updated_at"
    )
    nodes = q("merge_organizations", label=Kind.CLUSTER)
    assert nodes.startswith("UNWIND $rows AS row\nMERGE (n:Cluster {id: row.id})\nSET ")
    for name in ORGANIZATION_PROPERTIES[1:]:
        assert f"n.{name} = row.{name}" in nodes


def test_same_data_again_writes_nothing(
    store: Neo4jStore, driver: FakeDriver, frozen_clock: None
) -> None:
    driver.responses[q("scan_organizations")] = [stored_row(A), stored_row(B)]
    driver.responses[q("scan_relationships")] = [STORED_SUPPLY]
    summary = store.upsert([A, B], [rel("a", "b", "SUPPLIES", weight=2.5, since="2019")])
    assert not summary.changed
    assert [c.statement for c in driver.calls] == [
        q("scan_organizations"), q("scan_relationships"),
    ]  # fmt: skip


def test_organizations_only_do_not_scan_relationships(
    store: Neo4jStore, driver: FakeDriver, frozen_clock: None
) -> None:
    store.upsert([A], [])
    assert [c.statement for c in driver.calls] == [
        q("scan_organizations"), q("merge_organizations", label=Kind.COMPANY),
    ]  # fmt: skip


def test_kind_change_and_unknown_endpoint_are_refused(
    store: Neo4jStore, driver: FakeDriver
) -> None:
    driver.responses[q("scan_organizations")] = [stored_row(A)]
    with pytest.raises(StoreError, match="stored as a company"):
        store.upsert([org("a", "institution")], [])
    with pytest.raises(StoreError, match="no organization with id 'ghost'"):
        store.upsert([], [rel("a", "ghost", "SUPPLIES")])
    assert not [c for c in driver.calls if "MERGE" in c.statement]


# -- walks: the statements, and a simulation of them over the sample ---------------------------


def test_ego_network_statements(store: Neo4jStore, driver: FakeDriver) -> None:
    """c -- a -- b -- d, a -[MEMBER_OF]-> k; ego of a, 2 hops, SUPPLIES and FUNDS only."""
    driver.responses[q("locate_organizations")] = located(("a", "company"))
    neighbours = {"e:a": ["b", "c"], "e:b": ["a", "d"], "e:c": ["a"]}
    driver.responses[q("walk_step")] = lambda p: [
        {"element_id": f"e:{n}", "id": n} for f in p["frontier"] for n in neighbours.get(f, [])
    ]
    store.ego_network("a", hops=2, rel_types=[RelType.SUPPLIES, RelType.FUNDS])
    walk = {"kinds": ["company", "institution"], "has_rel_types": True,
            "rel_types": ["SUPPLIES", "FUNDS"]}  # fmt: skip
    members = {"element_ids": ["e:a", "e:b", "e:c", "e:d"]}
    assert driver.sent() == [
        ("read", q("locate_organizations"), {"ids": ["a"]}),
        ("read", q("walk_step"), {"frontier": ["e:a"], **walk}),
        ("read", q("walk_step"), {"frontier": ["e:b", "e:c"], **walk}),
        ("read", q("organizations_by_element_id"), members),
        ("read", q("relationships_among_elements"), members),
        ("read", q("memberships_by_element_id"), members),
    ]
    assert len({c.transaction for c in driver.calls}) == 1
    driver.calls.clear()
    store.ego_network("a", include_clusters=True)
    assert driver.calls[1].parameters == {
        "frontier": ["e:a"], "kinds": ["company", "institution", "cluster"],
        "has_rel_types": False, "rel_types": [NO_MATCH],
    }  # fmt: skip
    with pytest.raises(ValueError, match="hops must be 1, 2 or 3"):
        store.ego_network("a", hops=4)


def test_walk_step_is_one_expansion_per_frontier_node() -> None:
    assert q("walk_step") == (
        "UNWIND $frontier AS from_id\n"
        "MATCH (a)-[r]-(b)\n"
        "WHERE elementId(a) = from_id AND b.kind IN $kinds\n"
        "  AND ($has_rel_types = false OR type(r) IN $rel_types)\n"
        "RETURN DISTINCT elementId(b) AS element_id, b.id AS id"
    )


def test_shortest_paths_statements(store: Neo4jStore, driver: FakeDriver) -> None:
    """s -- x -- t and s -- y -- t, plus s -- z (a dead end) and t -- w."""
    driver.responses[q("locate_organizations")] = located(("s", "company"), ("t", "company"))
    edges = [("s", "x"), ("x", "t"), ("s", "y"), ("y", "t"), ("s", "z"), ("t", "w")]
    neighbours: dict[str, list[str]] = {}
    for u, v in edges:
        neighbours.setdefault(f"e:{u}", []).append(v)
        neighbours.setdefault(f"e:{v}", []).append(u)
    driver.responses[q("walk_step")] = lambda p: [
        {"element_id": f"e:{n}", "id": n} for f in p["frontier"] for n in neighbours.get(f, [])
    ]
    driver.responses[q("relationships_among_elements")] = [
        {"source": u, "type": "SUPPLIES", "target": v} for u, v in edges
    ]
    result = store.shortest_paths("s", "t", max_length=6)
    walk = {"kinds": ["company", "institution"], "has_rel_types": False, "rel_types": [NO_MATCH]}
    assert driver.sent() == [
        ("read", q("locate_organizations"), {"ids": ["s", "t"]}),
        ("read", q("walk_step"), {"frontier": ["e:s"], **walk}),
        ("read", q("walk_step"), {"frontier": ["e:x", "e:y", "e:z"], **walk}),  # t: stop
        ("read", q("walk_step"), {"frontier": ["e:t"], **walk}),  # back from t: w pruned
        ("read", q("walk_step"), {"frontier": ["e:x", "e:y"], **walk}),
        ("read", q("relationships_among_elements"),
         {"element_ids": ["e:s", "e:t", "e:x", "e:y"]}),
    ]  # fmt: skip
    assert [p.nodes for p in result.paths] == [["s", "x", "t"], ["s", "y", "t"]]
    assert result.length == 2
    with pytest.raises(ValueError, match="max_length must be an integer from 1 to 10"):
        store.shortest_paths("s", "t", max_length=11)
    assert store.shortest_paths("s", "s", max_length=11).length == 0


class SimulatedNeo4j:
    """Answers the walk and lookup statements from the rows of a real (embedded) store."""

    def __init__(self, organizations: list[Row], relationships: list[Row]) -> None:
        self.orgs = {o["id"]: o for o in organizations}
        self.rels = relationships

    def install(self, driver: FakeDriver) -> None:
        driver.responses.update({
            q("locate_organizations"): lambda p: [
                {"id": i, "kind": self.orgs[i]["kind"], "element_id": f"e:{i}"}
                for i in dict.fromkeys(p["ids"]) if i in self.orgs
            ],
            q("walk_step"): self.walk_step,
            q("organizations_by_element_id"): lambda p: [
                self.orgs[e[2:]] for e in p["element_ids"]
            ],
            q("relationships_among_elements"): lambda p: [
                r for r in self.rels
                if f"e:{r['source']}" in p["element_ids"] and f"e:{r['target']}" in p["element_ids"]
            ],
            q("memberships_by_element_id"): lambda p: [
                {"source": r["source"], "target": r["target"]} for r in self.rels
                if r["type"] == "MEMBER_OF" and f"e:{r['source']}" in p["element_ids"]
            ],
        })  # fmt: skip

    def walk_step(self, p: Row) -> list[Row]:
        frontier = {e[2:] for e in p["frontier"]}
        found: dict[str, Row] = {}
        for r in self.rels:
            if p["has_rel_types"] and r["type"] not in p["rel_types"]:
                continue
            for a, b in ((r["source"], r["target"]), (r["target"], r["source"])):
                if a in frontier and self.orgs[b]["kind"] in p["kinds"]:
                    found[b] = {"element_id": f"e:{b}", "id": b}
        return list(found.values())


@pytest.fixture
def simulated(sample_store: EmbeddedStore) -> Neo4jStore:
    data = sample_store.export()
    driver = FakeDriver()
    SimulatedNeo4j(data.organizations, data.relationships).install(driver)
    return Neo4jStore(driver, database=DB)


EGO_CASES = [
    ("co-voltaris-motors", 1, (), False),
    ("co-voltaris-motors", 2, (), False),
    ("in-university-of-valmora", 3, (), False),
    ("co-orbitella-labs", 2, (), True),
    ("cl-valmora-digital", 1, (), False),
    ("co-voltaris-motors", 2, (RelType.SUPPLIES, RelType.INVESTS_IN), False),
]


@pytest.mark.parametrize(("center", "hops", "types", "clusters"), EGO_CASES)
def test_simulated_ego_networks_equal_the_embedded_ones(
    sample_store: EmbeddedStore,
    simulated: Neo4jStore,
    center: str,
    hops: int,
    types: tuple[RelType, ...],
    clusters: bool,
) -> None:
    options = {"hops": hops, "rel_types": types, "include_clusters": clusters}
    expected = sample_store.ego_network(center, **options)
    got = simulated.ego_network(center, **options)
    assert dict(got.graph.nodes(data=True)) == dict(expected.graph.nodes(data=True))
    assert set(got.graph.edges(keys=True)) == set(expected.graph.edges(keys=True))
    assert got.truncated == expected.truncated


def test_simulated_ego_network_cap_keeps_the_nearest(
    sample_store: EmbeddedStore, simulated: Neo4jStore
) -> None:
    sample_store.max_nodes, simulated.max_nodes = 7, 7
    try:
        expected = sample_store.ego_network("in-university-of-valmora", hops=3)
        got = simulated.ego_network("in-university-of-valmora", hops=3)
    finally:
        sample_store.max_nodes = 250_000
    assert got.truncated and expected.truncated
    assert dict(got.graph.nodes(data="distance")) == dict(expected.graph.nodes(data="distance"))


PATH_CASES = [
    ("co-brunida-castings", "co-albardo-cloud", (), False, 6),
    ("co-voltaris-motors", "co-novena-eco-fashion", (), False, 6),
    ("in-university-of-valmora", "co-voltaris-motors", (), False, 6),
    ("co-orbitella-labs", "co-voltaris-motors", (), False, 6),
    ("co-orbitella-labs", "co-voltaris-motors", (), True, 6),
    ("co-brunida-castings", "co-albardo-cloud", (RelType.SUPPLIES,), False, 10),
    ("co-brunida-castings", "co-albardo-cloud", (), False, 1),
]


@pytest.mark.parametrize(("source", "target", "types", "clusters", "max_length"), PATH_CASES)
def test_simulated_shortest_paths_equal_the_embedded_ones(
    sample_store: EmbeddedStore,
    simulated: Neo4jStore,
    source: str,
    target: str,
    types: tuple[RelType, ...],
    clusters: bool,
    max_length: int,
) -> None:
    options = {"rel_types": types, "include_clusters": clusters, "max_length": max_length}
    expected = sample_store.shortest_paths(source, target, limit=1000, **options)
    got = simulated.shortest_paths(source, target, limit=1000, **options)
    assert got == expected
    cut = simulated.shortest_paths(source, target, limit=2, **options)
    assert cut == sample_store.shortest_paths(source, target, limit=2, **options)


# -- open_store ----------------------------------------------------------------------------------


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)


def neo4j_settings(**values: Any) -> Settings:
    return Settings(backend="neo4j", **values)


def test_open_store_needs_uri_and_password(clean_env: None) -> None:
    with pytest.raises(ConfigurationError, match="needs NEO4J_URI"):
        open_store(neo4j_settings())
    with pytest.raises(ConfigurationError, match="needs NEO4J_PASSWORD"):
        open_store(neo4j_settings(NEO4J_URI="neo4j://db.example:7687"))
    with pytest.raises(ConfigurationError, match=r"'foo://db\.example' is not usable"):
        open_store(neo4j_settings(NEO4J_URI="foo://db.example", NEO4J_PASSWORD="s3cret"))


def test_open_store_reports_an_unreachable_server_without_the_password(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeDriver(connectivity_error=ServiceUnavailable("Couldn't connect to db.example:7687"))
    built: list[tuple[str, Any]] = []

    def factory(uri: str, *, auth: Any = None, **config: Any) -> FakeDriver:
        built.append((uri, auth))
        return fake

    monkeypatch.setattr(neo4j.GraphDatabase, "driver", factory)
    settings = neo4j_settings(NEO4J_URI="neo4j://db.example:7687", NEO4J_PASSWORD="s3cret-pw")
    with pytest.raises(StoreError) as raised:
        open_store(settings)
    assert "neo4j://db.example:7687" in str(raised.value)
    assert "s3cret-pw" not in str(raised.value)
    assert built == [("neo4j://db.example:7687", ("neo4j", "s3cret-pw"))]
    assert fake.closed


def test_open_store_builds_an_owning_store_and_creates_the_schema(
    clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeDriver()
    monkeypatch.setattr(neo4j.GraphDatabase, "driver", lambda uri, **config: fake)
    settings = neo4j_settings(
        NEO4J_URI="bolt://localhost:7687", NEO4J_PASSWORD="pw", NEO4J_DATABASE=DB,
        batch_size=10, max_nodes=99,
    )  # fmt: skip
    with open_store(settings) as opened:
        assert isinstance(opened, Neo4jStore)
        assert (opened.database, opened.batch_size, opened.max_nodes) == (DB, 10, 99)
        assert [c.statement for c in fake.calls] == [
            q("create_id_constraint", label=kind) for kind in Kind
        ]
    assert fake.closed
    fake.calls.clear()
    open_store(settings, read_only=True).close()
    assert fake.calls == []  # a read-only store creates nothing
