"""Import benchmark: generated ecosystems of 10k and 100k organizations into LadybugDB.

Each measurement runs in a fresh child process (so peak memory is the import's own) and is
reported with its ratio to a baseline measured in the same run: one plain ``csv.reader`` pass
over the same files, the least any import must do.

Usage::

    python bench/bench_import.py --out bench/results.md [--sizes 10000 100000]
"""

from __future__ import annotations

import argparse
import csv
import json
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child_baseline(orgs: Path, rels: Path) -> dict[str, float]:
    start = time.perf_counter()
    rows = 0
    for path in (orgs, rels):
        with path.open(encoding="utf-8", newline="") as handle:
            rows += sum(1 for _ in csv.reader(handle)) - 1
    return {"seconds": time.perf_counter() - start, "rows": rows, "peak_mib": _peak_mib()}


def child_import(orgs: Path, rels: Path, db: Path) -> dict[str, float]:
    from app.services.importing import import_files
    from app.settings import Settings
    from app.store import open_store

    with open_store(Settings(db=db)) as store:
        start = time.perf_counter()
        report = import_files(store, [orgs, rels])
        seconds = time.perf_counter() - start
    summary = report.summary
    return {
        "seconds": seconds,
        "rows": report.rows_read,
        "written": summary.organizations_created + summary.relationships_created
        + summary.organizations_updated + summary.relationships_updated,
        "peak_mib": _peak_mib(),
    }  # fmt: skip


def run_child(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout)


def ensure_data(n_orgs: int) -> tuple[Path, Path]:
    from app.services.generate import generate_ecosystem, write_ecosystem_csv

    folder = DATA / f"gen-{n_orgs}"
    orgs, rels = folder / "organizations.csv", folder / "relationships.csv"
    if not (orgs.exists() and rels.exists()):
        write_ecosystem_csv(generate_ecosystem(n_orgs, seed=1), folder)
    return orgs, rels


def bench(sizes: list[int]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for n_orgs in sizes:
        orgs, rels = ensure_data(n_orgs)
        baseline = run_child("baseline", str(orgs), str(rels))
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.lbug"
            first = run_child("import", str(orgs), str(rels), str(db))
            again = run_child("import", str(orgs), str(rels), str(db))
        for phase, result in (
            ("import into an empty store", first),
            ("re-import (no change)", again),
        ):
            rows.append(
                {
                    "orgs": n_orgs,
                    "rows": int(result["rows"]),
                    "phase": phase,
                    "seconds": result["seconds"],
                    "rows_per_s": result["rows"] / result["seconds"],
                    "peak_mib": result["peak_mib"],
                    "written": int(result["written"]),
                    "ratio": result["seconds"] / baseline["seconds"],
                    "baseline_s": baseline["seconds"],
                }
            )
            print(json.dumps(rows[-1]), file=sys.stderr)
    return rows


def render(rows: list[dict[str, object]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "## Import (`make bench`, bench/bench_import.py)",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d} on {platform.machine()}, "
        f"Python {platform.python_version()}, {_cpus()} cores. Generated ecosystems "
        "(`ecomap generate --seed 1`), full validation, LadybugDB embedded store; each run in a "
        "fresh process. Baseline: one `csv.reader` pass over the same files, same run.",
        "",
        "| orgs | rows | phase | seconds | rows/s | peak MiB | rows written | vs baseline |",
        "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        lines.append(
            f"| {r['orgs']:,} | {r['rows']:,} | {r['phase']} | {r['seconds']:.1f} | "
            f"{r['rows_per_s']:,.0f} | {r['peak_mib']:,.0f} | {r['written']:,} | "
            f"{r['ratio']:.0f} (baseline {r['baseline_s']:.2f} s) |"
        )
    lines += [
        "",
        "Targets (issue 2): 100k organizations fully validated in at most 30 s with peak "
        "memory under 2 GiB; re-import in at most 30 s.",
        "",
    ]
    return "\n".join(lines)


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *paths = args.child
        runner = child_baseline if kind == "baseline" else child_import
        print(json.dumps(runner(*map(Path, paths))))
        return
    results = bench(args.sizes)
    args.out.write_text(render(results), encoding="utf-8")
    print(args.out)


if __name__ == "__main__":
    main()
