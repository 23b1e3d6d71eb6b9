"""LadybugDB 0.22: two COPYs into one node table inside one transaction, rolled back, leave
the first COPY's primary keys in the index: the table is empty, yet copying the same key
again fails with "duplicated primary key". One COPY per table and transaction is fine.

Run: python tools/repro/lbug_copy_rollback.py  (prints the failure on an affected version).
EcoMap's workaround (app/store/embedded.py): at most one COPY per node table in a
transaction; later new rows of that table go through ``LOAD FROM ... CREATE``.
"""

import sys
import tempfile
from pathlib import Path

import ladybug
import pyarrow as pa


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        db = ladybug.Database(str(Path(tmp) / "r.lbug"))
        conn = ladybug.Connection(db)
        conn.execute("CREATE NODE TABLE T(id STRING, PRIMARY KEY(id))")
        conn.execute("BEGIN TRANSACTION")
        conn.execute("COPY T FROM $rows", {"rows": pa.table({"id": ["a"]})})
        conn.execute("COPY T FROM $rows", {"rows": pa.table({"id": ["b"]})})
        conn.execute("ROLLBACK")
        print("rows after rollback:", conn.execute("MATCH (t:T) RETURN count(*)").get_all())
        try:
            conn.execute("COPY T FROM $rows", {"rows": pa.table({"id": ["a"]})})
        except RuntimeError as exc:
            print("affected:", exc)
            return 1
        print("not affected")
        return 0


if __name__ == "__main__":
    sys.exit(main())
