"""Sessions, the version token, timeouts, and several processes on one database.

A read session sees one committed state; a write session is one transaction; ``version()``
changes with every committed write, by any process. The session and version tests run on
both backends (``backend_store``: the embedded store and the real Neo4j test server), except
where the backends differ by design: an embedded read session keeps a snapshot, while Neo4j
reads at read committed and its read session raises ``StoreError`` when a write committed
during it. Read-only CLI commands run beside a process that holds the embedded database for
writing, and a write command says which process holds it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WriteCsv
from csvdata import ORG_HEADER
from factories import rel
from neo4j_server import Neo4jServer, fresh_store, settings
from typer.testing import CliRunner

from app.cli import app as cli
from app.domain import Organization
from app.errors import QueryTimeoutError, StoreBusyError, StoreError
from app.filters import FilterSpec
from app.services.sample import load_sample
from app.store import open_store
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore
from app.store.neo4j import Neo4jStore
from app.store.neo4j_tx import rows

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}
#: Cross join of two ranges: far longer than any timeout below, on either backend.
SLOW_STATEMENT = "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN sum(x * y) AS s"


def _org(org_id: str, name: str = "Org") -> Organization:
    return Organization(id=org_id, name=name, kind="company")


@pytest.fixture(params=["embedded", "neo4j"])
def backend_store(request: pytest.FixtureRequest, tmp_db: Path) -> Iterator[GraphStore]:
    """An empty store on each backend."""
    if request.param == "embedded":
        with EmbeddedStore(tmp_db, **SMALL) as store:
            yield store
        return
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    with fresh_store(server) as store:
        yield store


def test_read_session_keeps_its_snapshot(store: EmbeddedStore) -> None:
    store.upsert([_org("a")], [])
    with store.read_session() as reader:
        assert reader.counts().nodes == 1
        store.upsert([_org("b")], [])  # committed meanwhile
        assert reader.counts().nodes == 1
        assert [o.id for o in reader.list_organizations(FilterSpec()).items] == ["a"]
    assert store.counts().nodes == 2


def test_neo4j_read_session_refuses_a_state_that_changed_under_it(
    neo4j_server: Neo4jServer,
) -> None:
    """Read committed: the session cannot keep a snapshot, so it says when it saw two."""
    with fresh_store(neo4j_server) as store:
        store.upsert([_org("a")], [])
        with store.read_session() as reader:  # nothing written meanwhile: it ends quietly
            assert reader.counts().nodes == 1
            assert reader.version() == store.version()
        with (
            pytest.raises(StoreError, match="changed while it was being read"),
            store.read_session() as reader,
        ):
            assert reader.counts().nodes == 1
            store.upsert([_org("b")], [])  # committed meanwhile
        with store.read_session() as reader:
            assert reader.counts().nodes == 2


def test_write_session_is_one_transaction(backend_store: GraphStore) -> None:
    store = backend_store
    before = store.version()
    with pytest.raises(RuntimeError), store.write_session() as writer:
        writer.upsert([_org("a")], [])
        writer.upsert([_org("b")], [])
        assert writer.counts().nodes == 2  # its own writes
        assert store.counts().nodes == 0  # others do not see them yet
        raise RuntimeError("abandon")
    assert store.counts().nodes == 0 and store.version() == before
    with store.write_session() as writer:
        writer.upsert([_org("a")], [])
        writer.delete_organization("a")
        writer.upsert([_org("b")], [])
    assert [o["id"] for o in store.export().organizations] == ["b"]
    assert store.version() != before


def test_version_changes_with_every_committed_write(backend_store: GraphStore) -> None:
    store = backend_store
    seen = {store.version()}
    store.upsert([_org("a")], [])
    seen.add(store.version())
    store.upsert([_org("a")], [])  # no change: the same version
    assert store.version() in seen and len(seen) == 2
    store.upsert([_org("a", "Renamed")], [])
    store.delete_organization("a")
    seen |= {store.version()}
    assert len(seen) == 3
    with store.read_session() as reader:
        assert reader.version() == store.version()


def test_a_failed_write_changes_no_version(backend_store: GraphStore) -> None:
    store = backend_store
    store.upsert([_org("a")], [])
    before = store.version()
    with pytest.raises(StoreError, match="stored as a company"):
        store.upsert([_org("b"), Organization(id="a", name="A", kind="institution")], [])
    with pytest.raises(StoreError, match="unknown organizations"):
        store.upsert([_org("c")], [rel("c", "ghost", "SUPPLIES")])
    assert store.version() == before
    assert [o["id"] for o in store.export().organizations] == ["a"]


def test_a_read_session_cannot_write(backend_store: GraphStore) -> None:
    with backend_store.read_session() as reader, pytest.raises(StoreError, match="read session"):
        reader.upsert([_org("a")], [])


def test_a_write_by_another_process_changes_the_version(neo4j_server: Neo4jServer) -> None:
    """Two stores, each on a driver of its own (as two processes): the version token is in
    the database, so either sees the other's writes."""
    with fresh_store(neo4j_server) as first, open_store(settings(neo4j_server)) as second:
        assert isinstance(first, Neo4jStore) and isinstance(second, Neo4jStore)
        assert first._driver is not second._driver
        before = first.version()
        assert second.version() == before
        second.upsert([_org("a")], [])
        after = first.version()
        assert after != before and after == second.version()
        assert first.get_organization("a").name == "Org"
        second.upsert([_org("a")], [])  # no change: no new version
        assert first.version() == after
        first.delete_organization("a")
        assert second.version() not in (before, after)


def test_statements_are_bounded_in_time(tmp_db: Path) -> None:
    with EmbeddedStore(tmp_db, query_timeout_s=0.05, **SMALL) as store:
        with pytest.raises(QueryTimeoutError, match="ECOMAP_QUERY_TIMEOUT_S"):
            store._run(SLOW_STATEMENT)
        assert store.counts().nodes == 0  # the store still answers


def test_neo4j_statements_are_bounded_in_time(neo4j_server: Neo4jServer) -> None:
    """The server stops the transaction (``Neo.ClientError.Transaction.
    TransactionTimedOutClientConfiguration``); the driver does not retry it, so the error
    comes at once, not after the 30 s the driver spends retrying transient errors."""
    with fresh_store(neo4j_server, query_timeout_s=0.1) as store:
        assert isinstance(store, Neo4jStore)
        for run in (store._read, store._write):
            started = time.monotonic()
            with pytest.raises(QueryTimeoutError, match="ECOMAP_QUERY_TIMEOUT_S") as raised:
                run(lambda tx: rows(tx, SLOW_STATEMENT))
            assert time.monotonic() - started < 15
            code = getattr(raised.value.__cause__, "code", "")
            assert code == "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration"
        with pytest.raises(QueryTimeoutError), store.read_session() as reader:
            assert isinstance(reader, Neo4jStore)
            reader._read(lambda tx: rows(tx, SLOW_STATEMENT))
        assert store.counts().nodes == 0  # the store still answers


# -- several processes -----------------------------------------------------------------------

_HOLDER = textwrap.dedent(
    """
    import sys
    from app.store.embedded import EmbeddedStore
    with EmbeddedStore(sys.argv[1], buffer_pool_bytes=128 * 1024**2):
        print("open", flush=True)
        sys.stdin.read()
    """
)


@pytest.fixture
def held(tmp_db: Path) -> Iterator[tuple[Path, int]]:
    """A sample database held open for writing by another process (as ``ecomap serve``)."""
    with EmbeddedStore(tmp_db, **SMALL) as store:
        load_sample(store)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(tmp_db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
    try:
        yield tmp_db, holder.pid
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=30)


def test_reads_work_beside_a_process_that_holds_the_database(
    held: tuple[Path, int], runner: CliRunner
) -> None:
    path, _ = held
    with EmbeddedStore(path, read_only=True, **SMALL) as reader:
        assert reader.counts().nodes > 100
    result = runner.invoke(cli, ["--db", str(path), "stats", "--json"])
    assert result.exit_code == 0, result.stderr
    assert '"nodes"' in result.stdout


def test_a_write_beside_the_holder_names_it(
    held: tuple[Path, int], runner: CliRunner, write_csv: WriteCsv
) -> None:
    path, pid = held
    with pytest.raises(StoreBusyError, match=f"process {pid}"):
        EmbeddedStore(path, **SMALL)
    orgs = write_csv("orgs.csv", f"{ORG_HEADER}\nx-1,X,company,,,,,,,,,,,,\n")
    result = runner.invoke(cli, ["--db", str(path), "import", str(orgs)])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and f"process {pid}" in lines[0] and "POST /api/import" in lines[0]
    assert "Traceback" not in result.stderr


def test_cli_reads_do_not_create_a_database(tmp_db: Path, runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--db", str(tmp_db), "stats"])
    assert result.exit_code == 1 and "no database" in result.stderr
    assert not tmp_db.exists() and not os.listdir(tmp_db.parent)
