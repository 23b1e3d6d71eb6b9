"""What only a fake driver can show about the Neo4j store: how it uses the driver.

Errors a real server rarely produces on demand (connection refused, bad credentials, a
transient failure) become EcoMap's errors; plain reads go through ``session.execute_read``
(which the driver retries) and plain writes through ``session.execute_write``, with the
configured database, the driver's shared bookmark manager and the statement timeout;
``close()`` closes only a driver the store owns; ``open_store`` checks its settings and never
shows the password. Everything the store *does* (statements' results, upsert diffs, walks,
kind changes, idempotence) is checked on the real Neo4j server by tests/test_backend_parity.py,
its plans by tests/test_neo4j_plans.py.

The fake has the real driver's signatures (checked below): ``driver.session(**config)`` as a
context manager, ``session.execute_read/execute_write(transaction_function, *args,
**kwargs)``, which call the function with a transaction, and ``tx.run(query, parameters=None,
**kwparameters)`` returning a result whose ``.data()`` gives the records as dicts.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import neo4j
import pytest
from factories import org
from neo4j.exceptions import AuthError, Neo4jError, ServiceUnavailable

from app.errors import ConfigurationError, QueryTimeoutError, StoreError
from app.settings import Settings
from app.store import open_store
from app.store.base import GraphStore
from app.store.neo4j import SCHEMA_STATEMENTS, Neo4jStore
from app.store.queries import query
from app.vocabulary import Kind

Row = dict[str, Any]
DB = "ecosystem"


def q(name: str, **slots: Any) -> str:
    return query("neo4j", name, **slots)


def server_error(code: str, message: str) -> Neo4jError:
    """The error the driver raises for a server failure ``code`` (its class from the code)."""
    return Neo4jError._hydrate_neo4j(code=code, message=message)


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
    timeout: float | None
    statement: str


class FakeTransaction:
    def __init__(self, driver: FakeDriver, access: str, database: str, number: int,
                 timeout: float | None) -> None:  # fmt: skip
        self._driver, self._access, self._database = driver, access, database
        self._number, self._timeout = number, timeout

    def run(self, query: str, parameters: Row | None = None, **kwparameters: Any) -> FakeResult:
        call = Call(self._access, self._database, self._number, self._timeout, query)
        self._driver.calls.append(call)
        if self._driver.error is not None:
            raise self._driver.error
        return FakeResult(self._driver.responses.get(query, []))


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
        timeout = getattr(function, "timeout", None)  # set by neo4j.unit_of_work
        number, database = self._driver.transactions, self._config["database"]
        return function(FakeTransaction(self._driver, access, database, number, timeout),
                        *args, **kwargs)  # fmt: skip

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
    responses: dict[str, list[Row]] = field(default_factory=dict)
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


def test_the_fake_has_the_drivers_signatures() -> None:
    def names(function: Callable[..., Any]) -> list[tuple[str, Any]]:
        return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]

    pairs = [
        (FakeDriver.session, neo4j.Driver.session),
        (FakeDriver.close, neo4j.Driver.close),
        (FakeDriver.verify_connectivity, neo4j.Driver.verify_connectivity),
        (FakeSession.execute_read, neo4j.Session.execute_read),
        (FakeSession.execute_write, neo4j.Session.execute_write),
        (FakeTransaction.run, neo4j.ManagedTransaction.run),
        (FakeResult.data, neo4j.Result.data),
    ]
    for fake, real in pairs:
        assert names(fake) == names(real), real.__qualname__
    assert hasattr(neo4j.Driver, "execute_query_bookmark_manager")
    assert getattr(neo4j.unit_of_work(timeout=2.5)(lambda tx: None), "timeout", None) == 2.5


@pytest.fixture
def driver() -> FakeDriver:
    return FakeDriver()


@pytest.fixture
def store(driver: FakeDriver) -> Neo4jStore:
    return Neo4jStore(driver, database=DB, query_timeout_s=7.5)


# -- sessions ----------------------------------------------------------------------------------


def test_plain_reads_and_writes_are_managed_transactions_on_the_database(
    store: Neo4jStore, driver: FakeDriver
) -> None:
    """Each plain call: one session on the configured database with the shared bookmark
    manager, one managed transaction (retried by the driver) under the statement timeout."""
    assert isinstance(store, GraphStore)
    store.counts()
    store.export()
    store.upsert([], [])
    assert (
        driver.configs
        == [{"database": DB, "bookmark_manager": driver.execute_query_bookmark_manager}] * 3
    )
    assert all(session.closed for session in driver.sessions)
    per_transaction = {c.transaction: (c.access, c.database, c.timeout) for c in driver.calls}
    assert per_transaction == {1: ("read", DB, 7.5), 2: ("read", DB, 7.5), 3: ("write", DB, 7.5)}
    # the write locks the version node first and, having changed nothing, does not bump it
    assert next(c.statement for c in driver.calls if c.transaction == 3) == q("lock_store")
    assert q("bump_version") not in [c.statement for c in driver.calls]


@pytest.mark.parametrize(
    ("error", "expected", "message"),
    [
        (ServiceUnavailable("connection refused"), StoreError,
         "Neo4j is unreachable: connection refused"),
        (server_error("Neo.ClientError.Security.Unauthorized", "bad credentials"), StoreError,
         "Neo4j refused the credentials: "),
        (server_error("Neo.ClientError.Statement.SyntaxError", "Invalid input 'RETRUN'"),
         StoreError,
         "Neo4j (Neo.ClientError.Statement.SyntaxError) on 'ecosystem': Invalid input 'RETRUN'"),
        (server_error("Neo.TransientError.Transaction.DeadlockDetected", "deadlock"), StoreError,
         "Neo4j (Neo.TransientError.Transaction.DeadlockDetected) on 'ecosystem': deadlock"),
        (server_error("Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
                      "The transaction has not completed within the timeout"),
         QueryTimeoutError, "the query took longer than the 7.5 s timeout"),
    ],
)  # fmt: skip
def test_driver_errors_become_store_errors(
    store: Neo4jStore,
    driver: FakeDriver,
    error: Exception,
    expected: type[StoreError],
    message: str,
) -> None:
    driver.error = error
    for operation in (store.counts, lambda: store.upsert([org("a")], [])):
        with pytest.raises(expected) as raised:
            operation()
        assert type(raised.value) is expected
        assert str(raised.value).startswith(message)
        assert raised.value.__cause__ is error
    assert isinstance(server_error("Neo.ClientError.Security.Unauthorized", "x"), AuthError)


def test_close_closes_only_an_owned_driver(driver: FakeDriver) -> None:
    with Neo4jStore(driver, database=DB) as borrowed:
        pass
    assert not driver.closed
    with pytest.raises(StoreError, match="closed"):
        borrowed.counts()
    with pytest.raises(StoreError, match="closed"):
        borrowed.upsert([], [])
    with Neo4jStore(driver, database=DB, owns_driver=True):
        pass
    assert driver.closed


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
        batch_size=10, max_nodes=99, query_timeout_s=12,
    )  # fmt: skip
    with open_store(settings) as opened:
        assert isinstance(opened, Neo4jStore)
        assert (opened.database, opened.batch_size, opened.max_nodes) == (DB, 10, 99)
        assert opened.query_timeout_s == 12
        schema = [q("create_id_constraint", label=kind) for kind in Kind]
        schema += [q(name) for name in SCHEMA_STATEMENTS]
        assert [c.statement for c in fake.calls] == schema
        assert q("create_state_constraint") in schema
        assert {c.access for c in fake.calls} == {"write"}
        assert len({c.transaction for c in fake.calls}) == len(fake.calls)  # one each
    assert fake.closed
    fake.calls.clear()
    open_store(settings, read_only=True).close()
    assert fake.calls == []  # a read-only store creates nothing
