"""Sessions, the version token and several processes on one embedded database.

A read session sees one committed state; a write session is one transaction; ``version()``
changes with every committed write. Read-only CLI commands run beside a process that holds
the database for writing, and a write command says which process holds it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import WriteCsv
from csvdata import ORG_HEADER
from typer.testing import CliRunner

from app.cli import app as cli
from app.domain import FilterSpec, Organization
from app.errors import QueryTimeoutError, StoreBusyError, StoreError
from app.services.sample import load_sample
from app.store.embedded import EmbeddedStore

SMALL = {"buffer_pool_bytes": 128 * 1024**2, "max_db_size_bytes": 8 * 1024**3}


def _org(org_id: str, name: str = "Org") -> Organization:
    return Organization(id=org_id, name=name, kind="company")


def test_read_session_keeps_its_snapshot(store: EmbeddedStore) -> None:
    store.upsert([_org("a")], [])
    with store.read_session() as reader:
        assert reader.counts().nodes == 1
        store.upsert([_org("b")], [])  # committed meanwhile
        assert reader.counts().nodes == 1
        assert [o.id for o in reader.list_organizations(FilterSpec()).items] == ["a"]
    assert store.counts().nodes == 2


def test_write_session_is_one_transaction(store: EmbeddedStore) -> None:
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


def test_version_changes_with_every_committed_write(store: EmbeddedStore) -> None:
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


def test_a_read_session_cannot_write(store: EmbeddedStore) -> None:
    with store.read_session() as reader, pytest.raises(StoreError, match="read session"):
        reader.upsert([_org("a")], [])


def test_statements_are_bounded_in_time(tmp_db: Path) -> None:
    with EmbeddedStore(tmp_db, query_timeout_s=0.05, **SMALL) as store:
        with pytest.raises(QueryTimeoutError, match="ECOMAP_QUERY_TIMEOUT_S"):
            store._run("UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y RETURN sum(x * y)")
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
