"""Build the bundled, fictional sample ecosystem of EcoMap (``app/sample``).

The region of Valmora, its cities, organizations and ties are all invented. The script writes
``organizations.csv`` and ``relationships.csv`` in the canonical CSV format (DESIGN.md section 3)
and a ``README.md`` that documents the deliberate structure the analyses should find: brokers
between clusters, firms without a research partner, an isolated start-up, a cluster that is two
communities in practice, and missing links between firms that share many partners.

It uses only the standard library, ``app.vocabulary`` and a seeded ``random.Random``, so two
runs write byte-identical files::

    python tools/build_sample.py            # writes app/sample/
    python tools/build_sample.py --out DIR  # writes DIR/

The work is done by the ``sample`` package next to this script (``tools/sample``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

TOOLS = Path(__file__).resolve().parent
ROOT = TOOLS.parent
DEFAULT_OUT = ROOT / "app" / "sample"
# Run from anywhere, with or without the project installed: find ``sample`` and ``app``.
for _path in (str(ROOT), str(TOOLS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from sample import build, write_sample  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help="output directory (default: app/sample)"
    )
    args = parser.parse_args(argv)
    builder = build()
    for path in write_sample(args.out, builder):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
