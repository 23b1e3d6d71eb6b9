"""Change sets and records by identity on both backends, at the size of a large import.

A generated ecosystem (50,000 organizations and about 290,000 relationships by default, seed
1) is imported into an empty store of each backend in one write session, together with its
change set (every field of every new record: about a million changes), as the import service
records one. Then, on that store:
- the history: an organization's sets (``change_sets(entity=...)``, median of 5), a
  relationship's, the big set whole (``change_set``) and the first page of the listing
  (``change_sets()``, whose newest set is the big one, returned whole);
- records by identity: every organization by id, every relationship by key, the
  relationships of 1 % of the organizations and of one;
- a delete of one organization with its relationships.

Neo4j is the real test server (``tools/neo4j/serve``, Neo4j 5.26 Community, started here
unless ``NEO4J_URI`` names one: then its database is wiped first), with a 4 GiB heap and
3 GiB per transaction (the import and its change set are one transaction).

Usage::

    python bench/bench_history.py --orgs 50000 --out bench/results-history.md
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

from bench_import import ensure_data  # noqa: E402
from neo4j_server import Neo4jServer, start  # noqa: E402
from timing import median_seconds, seconds  # noqa: E402


@contextmanager
def _store(backend: str, folder: Path, server: Neo4jServer | None) -> Iterator[Any]:
    from app.settings import Settings
    from app.store import open_store
    from app.store.queries import query

    if backend == "embedded":
        settings = Settings(db=folder / "history.lbug", buffer_pool_mb=2048)
    else:
        assert server is not None
        env = {k: v for k, v in server.env().items() if k != "ECOMAP_BACKEND"}
        settings = Settings.model_validate({**env, "backend": "neo4j", "batch_size": 10_000})
    with open_store(settings) as store:
        if backend == "neo4j":  # an empty database, like the embedded one
            store._write(lambda tx: tx.run(query("neo4j", "delete_all")).consume())
        yield store


def _rows(n_orgs: int) -> tuple[list[Any], list[Any], list[Any]]:
    """The validated rows of the generated ecosystem and the changes of importing them."""
    from app.changes import organization_changes, relationship_changes
    from app.ingest.readers import read_csv
    from app.ingest.validate import validate_tables

    orgs_csv, rels_csv = ensure_data(n_orgs)
    valid = validate_tables([read_csv(orgs_csv), read_csv(rels_csv)], stored_kinds={})
    changes = [c for o in valid.organizations for c in organization_changes(None, o)]
    changes += [c for r in valid.relationships for c in relationship_changes(None, r)]
    return valid.organizations, valid.relationships, changes


def _measure(store: Any, orgs: list[Any], rels: list[Any], changes: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with store.write_session() as view:
        out["import (upsert)"] = seconds(lambda: view.upsert(orgs, rels))
        out["append the change set"] = seconds(
            lambda: view.append_change_set("bench", "generated.csv", changes)
        )
    degrees: dict[str, int] = {}
    for r in rels:
        for end in (r.source, r.target):
            degrees[end] = degrees.get(end, 0) + 1
    center = sorted(degrees, key=lambda i: (degrees[i], i))[len(degrees) // 2]
    found: list[Any] = []
    out["change_sets(entity=organization)"] = median_seconds(
        lambda: found.append(store.change_sets(entity=center)), 5
    )
    out["  (changes it returns)"] = len(found[-1][0][0].changes)
    key = next(r.key for r in rels if center in (r.source, r.target))
    out["change_sets(entity=relationship)"] = median_seconds(
        lambda: store.change_sets(entity=" ".join(key)), 5
    )
    out["change_set(1), whole"] = seconds(lambda: found.append(store.change_set(1)))
    out["  (changes in it)"] = len(found[-1].changes)
    out["change_sets() (first page)"] = seconds(lambda: store.change_sets())
    ids = [o.id for o in orgs]
    out["organizations_by_id(every id)"] = seconds(lambda: store.organizations_by_id(ids))
    keys = [r.key for r in rels]
    out["relationships_by_key(every key)"] = seconds(lambda: store.relationships_by_key(keys))
    some = ids[::100]
    out["relationships_of(1 % of ids)"] = seconds(lambda: store.relationships_of(some))
    out["relationships_of(one id)"] = median_seconds(lambda: store.relationships_of([center]), 5)
    out["delete(one organization)"] = seconds(lambda: store.delete([center]))
    return out


def run(n_orgs: int, progress: Callable[[str], None]) -> tuple[dict[str, int], list[Any]]:
    os.environ.setdefault("NEO4J_HEAP_SIZE", "4g")
    os.environ.setdefault("NEO4J_TX_MAX_MB", "3072")
    orgs, rels, changes = _rows(n_orgs)
    sizes = {"organizations": len(orgs), "relationships": len(rels), "changes": len(changes)}
    progress(f"{sizes}")
    measured: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        server = start(Path(tmp) / "neo4j")
        try:
            for backend in ("embedded", "neo4j"):
                progress(f"on {backend}")
                with _store(backend, Path(tmp), server) as store:
                    measured[backend] = _measure(store, orgs, rels, changes)
        finally:
            server.stop()
    steps = list(measured["embedded"])
    return sizes, [(step, measured["embedded"][step], measured["neo4j"][step]) for step in steps]


def _cell(value: Any) -> str:
    return f"{value:.3f} s" if isinstance(value, float) else f"{value:,}"


def render(sizes: dict[str, int], rows: list[Any]) -> str:
    lines = [
        "# Change sets and records by identity",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, Python "
        f"{platform.python_version()}, by `python bench/bench_history.py --orgs "
        f"{sizes['organizations']}`: a generated ecosystem of {sizes['organizations']:,} "
        f"organizations and {sizes['relationships']:,} relationships imported with its change "
        f"set of {sizes['changes']:,} changes in one write session, on LadybugDB (embedded) and "
        "on the Neo4j 5.26 Community test server (loopback).",
        "",
        "| step | LadybugDB | Neo4j |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {step} | {_cell(a)} | {_cell(b)} |" for step, a, b in rows]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=50_000)
    parser.add_argument("--out", type=Path, default=HERE / "results-history.md")
    args = parser.parse_args()
    sizes, rows = run(args.orgs, lambda message: print(message, file=sys.stderr, flush=True))
    text = render(sizes, rows)
    args.out.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
