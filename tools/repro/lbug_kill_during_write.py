"""LadybugDB 0.22 and SIGKILL during a write transaction (found for EcoMap issue 13).

A base state is built, then a child process runs one write transaction and is killed at a
random moment; the database is reopened and its state compared with the states before and
after the transaction. Two defects show up when the kill lands while COMMIT runs
(``--in-commit``: the delay starts when the child announces its COMMIT):

1. ``mix`` (a COPY of new nodes, then LOAD FROM ... SET updates of nodes and relationships,
   one transaction): most kills reopen with the updates but without the COPYed rows, a state
   that never existed (7 of 10 kills here). ``copy`` alone, ``update`` alone and
   ``mix-create`` (the new nodes by LOAD FROM ... CREATE instead of COPY) reopen before or
   after. This is how an EcoMap update import that deleted a relationship type and COPYed it
   back reopened with relationship tables empty.
2. Any workload: a kill can leave the log ending in a torn record, and the next open fails
   with "Checksum verification failed, the WAL file is corrupted" (or "Reading past the end
   of the file"), although that transaction never committed. Opening with
   ``throw_on_wal_replay_failure=False`` (``--recover``) then finds the state before or after.

Run: python tools/repro/lbug_kill_during_write.py [KILLS] [WORKLOAD] [--in-commit] [--recover]
(WORKLOAD: copy, update, mix, create or mix-create; one line per kill, then the tally; exit 1
when any reopen failed or found a state other than before or after.)
EcoMap's workarounds: COPY only in a transaction that writes nothing else, LOAD FROM ...
CREATE otherwise (app/store/embedded.py); a torn log tail is dropped on open
(app/store/lbug.py ``open_database``).
"""

import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import ladybug
import pyarrow as pa

N = 200_000  # nodes in the base state; the transaction touches as many again


def _open(path: Path, **options: object) -> ladybug.Connection:
    db = ladybug.Database(str(path), buffer_pool_size=512 * 1024**2, **options)
    return ladybug.Connection(db)


def build(path: Path) -> None:
    conn = _open(path)
    conn.execute("CREATE NODE TABLE T(id INT64, v INT64, s STRING, PRIMARY KEY(id))")
    conn.execute("CREATE REL TABLE R(FROM T TO T, w INT64)")
    ids = list(range(N))
    conn.execute("COPY T FROM $rows", {"rows": pa.table({"id": ids, "v": [0] * N, "s": ["a"] * N})})
    ends = {"from": ids, "to": [(i * 7 + 1) % N for i in ids], "w": [0] * N}
    conn.execute("COPY R FROM $rows", {"rows": pa.table(ends)})


def write(path: Path, workload: str) -> None:
    """One transaction: COPY N new nodes, or update every node and relationship, or both."""
    conn = _open(path)
    conn.execute("BEGIN TRANSACTION")
    ids = list(range(N, 2 * N))
    new = pa.table({"id": ids, "v": [1] * N, "s": ["b"] * N})
    if workload in ("copy", "mix"):
        conn.execute("COPY T FROM $rows", {"rows": new})
    if workload in ("create", "mix-create"):
        conn.execute("LOAD FROM $rows CREATE (:T {id: id, v: v, s: s})", {"rows": new})
    if workload in ("update", "mix", "mix-create"):
        rows = pa.table({"i": list(range(N)), "x": [1] * N})
        conn.execute("LOAD FROM $rows MATCH (t:T {id: i}) SET t.v = x, t.s = 'b'", {"rows": rows})
        conn.execute("LOAD FROM $rows MATCH (t:T {id: i})-[r:R]->() SET r.w = x", {"rows": rows})
    print("commit", flush=True)
    conn.execute("COMMIT")
    print("committed", flush=True)


def state(path: Path, *, recover: bool = False) -> str:
    try:
        conn = _open(path)
    except RuntimeError as exc:
        if not recover:
            return f"unopenable ({str(exc)[:70]})"
        conn = _open(path, throw_on_wal_replay_failure=False)
    nodes, v = conn.execute("MATCH (t:T) RETURN count(*), sum(t.v)").get_all()[0]
    rels, w = conn.execute("MATCH ()-[r:R]->() RETURN count(*), sum(r.w)").get_all()[0]
    return f"nodes {nodes} sum(v) {v} rels {rels} sum(w) {w}"


def main(kills: int, workload: str, *, in_commit: bool, recover: bool) -> int:
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        base, work = Path(tmp) / "base", Path(tmp) / "work"
        base.mkdir()
        build(base / "db")
        before = state(base / "db")
        shutil.copytree(base, work)
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, __file__, "write", str(work / "db"), workload],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        child.stdout.readline()
        committing = time.monotonic()
        child.communicate()
        ended = time.monotonic()
        duration = ended - committing if in_commit else ended - started
        after = state(work / "db")
        print(
            f"before: {before}\nafter:  {after}\nwrite: {ended - started:.1f} s, "
            f"commit {ended - committing:.1f} s"
        )
        seen: Counter[str] = Counter()
        for kill in range(kills):
            shutil.rmtree(work)
            shutil.copytree(base, work)
            delay = rng.uniform(0, duration)
            child = subprocess.Popen(
                [sys.executable, __file__, "write", str(work / "db"), workload],
                stdout=subprocess.PIPE,
                text=True,
            )
            if in_commit:
                assert child.stdout is not None
                child.stdout.readline()
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
            out = child.communicate()[0].split()
            found = state(work / "db", recover=recover)
            verdict = "before" if found == before else "after" if found == after else found
            seen[verdict.split(" (")[0]] += 1
            print(f"kill {kill} at {delay:.2f} s (child printed {out}): {verdict}", flush=True)
        print(dict(seen))
        return 0 if set(seen) <= {"before", "after"} else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["write"]:
        write(Path(sys.argv[2]), sys.argv[3])
        sys.exit(0)
    options = [a for a in sys.argv[1:] if a.startswith("--")]
    words = [a for a in sys.argv[1:] if not a.startswith("--")]
    sys.exit(
        main(
            int(words[0]) if words else 10,
            words[1] if len(words) > 1 else "mix",
            in_commit="--in-commit" in options,
            recover="--recover" in options,
        )
    )
