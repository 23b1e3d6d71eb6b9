"""LadybugDB 0.22: ``ORDER BY ... SKIP n LIMIT m`` with ``n`` far past the last row kills the
process with a segmentation fault (10 rows: SKIP 10000 answers, SKIP 12000 crashes; 180 rows:
SKIP 20000 crashes). Without ORDER BY, or without LIMIT, or with SKIP below the row count, it
answers.

Run: python tools/repro/lbug_skip_past_end.py  (exit 1 and "affected" on an affected version).
EcoMap's workaround (app/store/paging.py): a listing counts its matches first, in the same
read transaction, and sends SKIP only below that count (GET /api/organizations?offset=100000
and ``ecomap orgs --offset 100000`` used to end the server or the CLI, exit 139).
"""

import subprocess
import sys
import tempfile
from pathlib import Path

import ladybug
import pyarrow as pa

QUERY = "MATCH (t:T) RETURN t.id AS id ORDER BY id SKIP $offset LIMIT $limit"


def run(offset: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = ladybug.Database(str(Path(tmp) / "r.lbug"), buffer_pool_size=64 * 1024**2)
        conn = ladybug.Connection(db)
        conn.execute("CREATE NODE TABLE T(id STRING, PRIMARY KEY(id))")
        conn.execute("COPY T FROM $rows", {"rows": pa.table({"id": [f"t{i}" for i in range(10)]})})
        rows = conn.execute(QUERY, {"offset": offset, "limit": 101}).get_all()
        print(f"SKIP {offset} on 10 rows: {len(rows)} rows", flush=True)


def main() -> int:
    for offset in (5, 10_000, 20_000):
        child = subprocess.run([sys.executable, __file__, str(offset)], check=False)
        if child.returncode != 0:
            print(f"affected: SKIP {offset} on 10 rows ended the process ({child.returncode})")
            return 1
    print("not affected")
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1:
        run(int(sys.argv[1]))
        sys.exit(0)
    sys.exit(main())
