"""Writes survive ``kill -9``: a store reopened after its writer was killed holds the state
before the write or the state after it, never anything else (issue 13).

A writer process (``_WRITER``: it imports EcoMap, loads the rows, then waits for a database
path on stdin) upserts a generated ecosystem and records a change set in the same write
session, as the service does (a first import COPYs both: :mod:`app.store.embedded_history`);
the test kills it with SIGKILL at a random moment of its write, calibrated on an
uninterrupted run of the same write (from the start of the write transaction until the store
is closed, its commit and checkpoint included), then reopens the store and compares its
counts and a hash of its sorted export and change sets with both states.
First imports (COPY into empty tables) and update imports (half the names, a third of the
weights changed, a few new organizations and relationships) are killed on the embedded store,
each kill on a fresh copy of the database directory; the rows are generated once per module.
On the Neo4j test server, the EcoMap client is killed mid-import: the server must hold the
state before or after (the import is one transaction).

Before the fix (``MATCH ... DELETE`` of a relationship type, then ``COPY`` back, for more than
2,000 changes of one type), 2 of 20 kills of a 50k-organization update import reopened with
relationship tables empty (issue 13); with this file's update import and 20 kills, one
reopened with 6,855 of its 17,279 relationships. The cause lies in LadybugDB 0.22
(``tools/repro/lbug_kill_during_write.py``): a transaction killed while it commits may come
back without its COPYed rows but with its other writes, and a torn log tail makes the next
open fail; the store COPYs only in transactions that write nothing else and drops a torn
log tail on open.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from neo4j_server import Neo4jServer, fresh_store, settings

from app.domain import Organization, Relationship
from app.errors import StoreError
from app.ingest.readers import read_csv
from app.ingest.validate import validate_tables
from app.services.generate import generate_ecosystem, write_ecosystem_csv
from app.store.base import GraphStore
from app.store.embedded import EmbeddedStore

#: Organizations of the generated ecosystem: a first import or an update import of it takes
#: about a second on one core (about 8,000 relationships per 1,000 organizations).
ORGS = 3000
#: Kills per kind of write on the embedded store (at least 25 in all) and on Neo4j.
KILLS = 13
NEO4J_KILLS = 2
#: Organizations of the ecosystem written to Neo4j (slower: a write takes about 2 s).
NEO4J_ORGS = 300
SMALL = {"buffer_pool_bytes": 256 * 1024**2, "max_db_size_bytes": 8 * 1024**3}

_WRITER = """
import json, pickle, sys
from pathlib import Path

from app.changes import Change

rows, target = sys.argv[1], json.loads(sys.argv[2])
organizations, relationships = pickle.loads(Path(rows).read_bytes())
changes = [Change(entity=o.id, field="name", after=o.name) for o in organizations]
if target["backend"] == "embedded":
    from app.store.embedded import EmbeddedStore
else:
    from app.store import open_store
    from app.settings import Settings
print("ready", flush=True)
where = sys.stdin.readline().strip()
if target["backend"] == "embedded":
    store = EmbeddedStore(Path(where), **target["options"])
else:
    store = open_store(Settings())  # the server named by the environment
print("writing", flush=True)
with store:
    with store.write_session() as view:  # the write and its change set, as the service does
        view.upsert(organizations, relationships)
        view.append_change_set("test_crash", rows, changes)
print("done", flush=True)
"""


@dataclass
class Rows:
    """A pickled (organizations, relationships) pair for the writer."""

    path: Path
    organizations: list[Organization]
    relationships: list[Relationship]


def _rows(path: Path, organizations: list[Organization], rels: list[Relationship]) -> Rows:
    path.write_bytes(pickle.dumps((organizations, rels)))
    return Rows(path, organizations, rels)


def digest(store: GraphStore) -> tuple[int, int, str]:
    """Counts and a hash of the sorted export and of the change sets, ``updated_at`` and
    ``at`` aside (each run stamps its own)."""
    counts, data = store.counts(), store.export()
    sha = hashlib.sha256()
    for row in [*data.organizations, *data.relationships]:
        sha.update(json.dumps({k: v for k, v in row.items() if k != "updated_at"}).encode())
    for change_set in store.change_sets(limit=100)[0]:
        sha.update(change_set.model_dump_json(exclude={"at"}).encode())
    return counts.nodes, counts.relationships, sha.hexdigest()[:16]


def embedded_digest(path: Path) -> tuple[int, int, str]:
    """The store's digest, or (-1, -1, why) when it cannot be opened."""
    try:
        with EmbeddedStore(path, **SMALL) as store:
            return digest(store)
    except StoreError as exc:
        return -1, -1, f"unopenable: {str(exc)[-80:]}"


class Writer:
    """A writer process, started ahead (imports and rows loaded), told where to write."""

    def __init__(
        self, rows: Rows, target: dict[str, Any], env: dict[str, str] | None = None
    ) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(rows.path), json.dumps(target)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, **(env or {})},
        )

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def start(self, where: str) -> float:
        """Send the database; return the time the write began."""
        assert self._line() == "ready", "the writer failed to start"
        assert self.process.stdin is not None
        self.process.stdin.write(where + "\n")
        self.process.stdin.flush()
        assert self._line() == "writing", "the writer failed before writing"
        return time.monotonic()

    def finish(self) -> float:
        """Wait for the write to end (the store closed); return when it did."""
        line = self._line()
        ended = time.monotonic()
        assert self.process.wait(timeout=120) == 0 and line == "done", line
        return ended

    def kill_after(self, began: float, delay: float) -> None:
        time.sleep(max(0.0, began + delay - time.monotonic()))
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=60)


@dataclass
class Case:
    """One kind of write: the rows, the state before (a database directory) and the
    digests of the states before and after it."""

    name: str
    rows: Rows
    before_dir: Path
    before: tuple[int, int, str]
    after: tuple[int, int, str]
    duration: float


def _updated(organizations: list[Organization], relationships: list[Relationship]) -> tuple[
    list[Organization], list[Relationship]
]:  # fmt: skip
    """Half the names and a third of the weights changed, 1 % new organizations, each with
    a relationship to a stored one (an update that also inserts)."""
    orgs = [
        o.model_copy(update={"name": f"{o.name} (renamed)"}) if i % 2 == 0 else o
        for i, o in enumerate(organizations)
    ]
    rels = [
        r.model_copy(update={"weight": round((r.weight or 1.0) + 1.25, 2)}) if i % 3 == 0 else r
        for i, r in enumerate(relationships)
    ]
    fresh = [
        o.model_copy(update={"id": f"new-{o.id}", "name": f"{o.name} (new)"})
        for o in organizations[: len(organizations) // 100]
        if o.kind != "cluster"
    ]
    ties = [
        Relationship.model_validate(
            {"source": o.id, "target": organizations[i].id, "type": "COLLABORATES_WITH"}
        )
        for i, o in enumerate(fresh)
    ]
    return orgs + fresh, rels + ties


def _calibrate(writer: Writer, folder: Path) -> float:
    began = writer.start(str(folder / "eco.lbug"))
    return writer.finish() - began


def _generated(root: Path, orgs: int) -> tuple[Rows, Rows]:
    """The rows of a first import and of an update import of a generated ecosystem."""
    orgs_csv, rels_csv = write_ecosystem_csv(generate_ecosystem(orgs, seed=1), root / "csv")
    validated = validate_tables([read_csv(orgs_csv), read_csv(rels_csv)], stored_kinds={})
    assert not validated.problems
    first = _rows(root / "first.pickle", validated.organizations, validated.relationships)
    update = _rows(root / "update.pickle", *_updated(first.organizations, first.relationships))
    return first, update


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """The generated rows, the empty and the imported store, and each write's calibration."""
    root = tmp_path_factory.mktemp("crash")
    first, update = _generated(root, ORGS)
    target = {"backend": "embedded", "options": SMALL}
    empty = root / "empty"
    with EmbeddedStore(empty / "eco.lbug", **SMALL):
        pass  # the schema, nothing else
    imported = root / "imported"
    shutil.copytree(empty, imported)
    first_duration = _calibrate(Writer(first, target), imported)
    updated = root / "updated"
    shutil.copytree(imported, updated)
    update_duration = _calibrate(Writer(update, target), updated)
    states = {name: embedded_digest(root / name / "eco.lbug") for name in ("empty", "imported")}
    states["updated"] = embedded_digest(updated / "eco.lbug")
    assert len(set(states.values())) == 3
    return {
        "first": Case("first", first, empty, states["empty"], states["imported"], first_duration),
        "update": Case(
            "update", update, imported, states["imported"], states["updated"], update_duration
        ),
    }


@pytest.mark.parametrize("name", ["first", "update"])
def test_killed_embedded_writes_leave_the_state_before_or_after(
    cases: dict[str, Case], name: str, tmp_path: Path
) -> None:
    case = cases[name]
    rng = random.Random(f"{name}-1")
    target = {"backend": "embedded", "options": SMALL}
    found: list[str] = []
    writer = Writer(case.rows, target)
    for kill in range(KILLS):
        work = tmp_path / f"kill-{kill}"
        shutil.copytree(case.before_dir, work)
        began = writer.start(str(work / "eco.lbug"))
        delay = rng.uniform(0, case.duration)
        writer.kill_after(began, delay)
        if kill + 1 < KILLS:
            writer = Writer(case.rows, target)  # starts while this kill is checked
        state = embedded_digest(work / "eco.lbug")
        verdict = "before" if state == case.before else "after" if state == case.after else None
        found.append(f"{delay:.2f}/{case.duration:.2f} s: {verdict or state}")
        shutil.rmtree(work)
    print(f"{name} import, {KILLS} kills:", *found, sep="\n  ")
    bad = [f for f in found if not f.endswith(("before", "after"))]
    assert not bad, f"{len(bad)} of {KILLS} kills left another state:\n" + "\n".join(bad)


@pytest.fixture(scope="module")
def neo4j(neo4j_server: Neo4jServer) -> Iterator[Neo4jServer]:
    with fresh_store(neo4j_server):
        yield neo4j_server


def _neo4j_digest(server: Neo4jServer) -> tuple[int, int, str]:
    from app.store import open_store

    with open_store(settings(server)) as store:
        return digest(store)


def _neo4j_reset(server: Neo4jServer, rows: Rows | None) -> None:
    from app.store import open_store

    with fresh_store(server):
        pass  # emptied
    if rows is not None:
        with open_store(settings(server)) as store:
            store.upsert(rows.organizations, rows.relationships)


def test_killed_neo4j_imports_leave_the_state_before_or_after(
    neo4j: Neo4jServer, tmp_path: Path
) -> None:
    """The EcoMap client killed mid-import: the server rolls the one transaction back."""
    target, env = {"backend": "neo4j"}, neo4j.env()
    rng = random.Random("neo4j-1")
    found: list[str] = []
    first, update = _generated(tmp_path, NEO4J_ORGS)
    for name, rows, base in (("first", first, None), ("update", update, first)):
        _neo4j_reset(neo4j, base)
        before = _neo4j_digest(neo4j)
        writer = Writer(rows, target, env)
        began = writer.start("-")
        duration = writer.finish() - began
        after = _neo4j_digest(neo4j)
        assert before != after
        for _ in range(NEO4J_KILLS):
            _neo4j_reset(neo4j, base)
            writer = Writer(rows, target, env)
            began = writer.start("-")
            delay = rng.uniform(0, duration)
            writer.kill_after(began, delay)
            state = _neo4j_digest(neo4j)
            verdict = "before" if state == before else "after" if state == after else state
            found.append(f"{name}: {delay:.2f}/{duration:.2f} s: {verdict}")
    print("Neo4j kills:", *found, sep="\n  ")
    assert all(f.endswith(("before", "after")) for f in found), found
