"""Maps for print: ``ecomap map -o FILE.svg|FILE.png``. The SVG is valid XML with the title,
the selection, a legend of every colour category and a scale, and one circle per drawn node;
any name makes valid XML; a geographic map gets a scale bar in kilometres; the PNG (headless
chromium) has the requested size and is drawn."""

from __future__ import annotations

import io
import json
import math
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from browser import nonblank_fraction
from factories import org, rel
from test_cli import cli, ok
from test_cli_report import leftovers, make_sample_db
from typer.testing import CliRunner

from app.filters import FilterSpec
from app.render.network_map import MapDocument, MapLegend
from app.render.print_map import EARTH_RADIUS_KM, PrintPage, mercator_scale, svg_map
from app.render.style import Category
from app.services.map_export import draw_print_map
from app.services.maps import MapOptions, fetch_map_graph, map_document
from app.store.embedded import EmbeddedStore

SVG = "{http://www.w3.org/2000/svg}"
FASHION = "cl-valmora-fashion"


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_sample_db(tmp_path_factory)


def parse(text: str) -> ET.Element:
    return ET.fromstring(text.encode("utf-8"))


def texts(root: ET.Element) -> list[str]:
    return ["".join(e.itertext()) for e in root.iter(f"{SVG}text")]


def node_ids(root: ET.Element) -> set[str]:
    return {c.get("data-id", "") for c in root.iter(f"{SVG}circle") if c.get("class") == "node"}


def test_svg_of_a_selection(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "fashion.svg"
    result = ok(
        cli(
            runner,
            sample_db,
            "map",
            "--cluster",
            FASHION,
            "--color-by",
            "type",
            "--title",
            "Fashion district",
            "-o",
            out,
            "--json",
        )
    )
    summary = json.loads(result.stdout)
    assert (summary["width"], summary["height"]) == (3508, 2480)
    text = out.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<svg')
    root = parse(text)
    assert root.get("width") == "3508" and root.get("height") == "2480"
    assert (root.get("data-width-mm"), root.get("data-height-mm")) == ("297", "210")
    words = texts(root)
    assert words[0] == "Fashion district" and root.findtext(f"{SVG}title") == "Fashion district"
    assert words[1] == "Selection: cluster: Valmora Fashion & Textile District"
    members = ok(cli(runner, sample_db, "orgs", "--cluster", FASHION, "--json"))
    rows = json.loads(members.stdout)["items"]
    ids = {row["id"] for row in rows}
    assert node_ids(root) == ids and summary["drawn_nodes"] == len(ids)
    legend = root.find(f".//{SVG}g[@id='legend']")
    assert legend is not None
    entries = texts(legend)
    assert "Colour: type" in entries and "Size: partners (degree)" in entries
    assert "Ties" in entries and "Scale" in entries
    assert any(e.startswith("No distance scale") for e in entries)
    # every type of the selection is a colour of the legend, with its count
    types = Counter(row["type"] for row in rows if row.get("type"))
    for value, count in types.items():
        assert f"{value} ({count:,})" in entries, (value, entries)
    assert leftovers(tmp_path) == []


def test_geographic_map_has_a_scale_bar(sample_store: EmbeddedStore) -> None:
    options = MapOptions(layout="geo", title="Where")
    fetched = fetch_map_graph(sample_store, FilterSpec(), options)
    printed = draw_print_map(fetched, options)
    root = parse(printed.svg)
    bar = root.find(f".//{SVG}g[@class='scale-bar']")
    assert bar is not None
    km = float(bar.get("data-km", "0"))
    assert km > 0 and math.log10(km) % 1 in (
        0.0,
        pytest.approx(math.log10(2) % 1),
        pytest.approx(math.log10(5) % 1),
    )
    assert f"{km:,g} km" in texts(root)
    assert any(t.startswith("Web Mercator, true at latitude 4") for t in texts(root))


def test_mercator_scale_reads_the_layout() -> None:
    # x = 1000 units per radian of longitude: a kilometre is 1000 / (R cos(lat)) units
    points = [(45.0, lon, 1000 * math.radians(lon)) for lon in (8.0, 9.0, 10.5)]
    scale = mercator_scale(points)
    assert scale is not None and scale.latitude == 45.0
    expected = 1000 / (EARTH_RADIUS_KM * math.cos(math.radians(45)))
    assert scale.units_per_km == pytest.approx(expected)
    assert mercator_scale([(45.0, 9.0, 0.0), (46.0, 9.0, 10.0)]) is None  # one longitude
    assert mercator_scale([(45.0, 8.0, 5.0), (45.0, 9.0, -40.0), (45.0, 10.0, 30.0)]) is None


EVIL = "<b>Evil & Co</b> \"quoted\" 'single'"


def test_names_are_escaped(store: EmbeddedStore) -> None:
    store.upsert(
        [org("evil", name=EVIL), org("a", name="Alpha"), org("b", name="Beta")],
        [rel("evil", "a", "COLLABORATES_WITH"), rel("a", "b", "SUPPLIES")],
    )
    options = MapOptions(title=EVIL, labels=3)
    fetched = fetch_map_graph(store, FilterSpec(), options)
    doc, _, _ = map_document(fetched.graph, options)
    svg = svg_map(doc, subtitle=EVIL, footer=EVIL)
    root = parse(svg)
    assert node_ids(root) == {"evil", "a", "b"}
    assert "<b>" not in svg and "&lt;b&gt;Evil &amp; Co&lt;/b&gt;" in svg
    assert root.findtext(f"{SVG}title") == EVIL
    assert texts(root).count(EVIL) >= 3  # title, subtitle, footer (and its label)


def test_characters_xml_cannot_hold_are_replaced() -> None:
    """Whatever a document holds (a name from another source, a custom title), the SVG is
    valid XML: control characters, lone surrogates and non-characters become U+FFFD."""
    legend = MapLegend("kind", [Category("company", "co\x0bmpany", "#0072B2", 1)], "degree")
    node = {
        "id": "a\x00",
        "name": "A\x1b[2J\ud800",
        "kind": "company",
        "x": 0,
        "y": 0,
        "size": 10,
        "color": "red;fill:url(x)",
        "label": "A\ufffe",
        "tip": [],
    }
    root = parse(svg_map(MapDocument("T\x01", [node], [], legend), subtitle="\x08"))
    assert node_ids(root) == {"a\ufffd"}
    assert root.findtext(f"{SVG}title") == "T\ufffd"
    circle = next(c for c in root.iter(f"{SVG}circle") if c.get("class") == "node")
    assert circle.get("fill") == "#7a8a9a"  # not a colour: the neutral grey
    assert "co\ufffdmpany (1)" in texts(root)


def test_a_large_selection_prints_its_groups(tmp_path: Path) -> None:
    G = nx.MultiDiGraph()
    for i in range(60):
        G.add_node(f"o{i}", name=f"Org {i}", kind="company", clusters=[])
    for i in range(59):
        G.add_edge(f"o{i}", f"o{i + 1}", key="COLLABORATES_WITH", type="COLLABORATES_WITH")
    from app.services.maps import MapGraph

    options = MapOptions(max_nodes=10, title="Groups")
    printed = draw_print_map(MapGraph(G), options, page=PrintPage(1200, 800, 96))
    root = parse(printed.svg)
    assert printed.aggregated == "community" and len(node_ids(root)) == printed.drawn_nodes < 60
    assert root.get("viewBox") == "0 0 1200.0 800.0"
    assert any("each circle is a community" in t for t in texts(root))


def test_page_bounds() -> None:
    with pytest.raises(ValueError):
        PrintPage(50, 800, 300)
    with pytest.raises(ValueError):
        PrintPage(1000, 800, 10)


@pytest.mark.browser
def test_png_has_the_requested_size_and_is_drawn(
    runner: CliRunner, sample_db: Path, tmp_path: Path
) -> None:
    from PIL import Image

    out = tmp_path / "map.PNG"
    result = ok(
        cli(
            runner,
            sample_db,
            "map",
            "--color-by",
            "cluster",
            "-o",
            out,
            "--width",
            "1600",
            "--height",
            "1000",
            "--dpi",
            "150",
        )
    )
    assert result.stdout.strip() == str(out)
    assert "rasterising with chromium" in result.stderr
    data = out.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (1600, 1000)
        # the title's corner holds ink: the page is drawn, not only its background
        corner = image.convert("L").crop((0, 0, 600, 120))
        assert corner.getextrema()[0] < 100
    assert nonblank_fraction(data) > 0.03
    assert leftovers(tmp_path) == []


def test_png_without_chromium_exits_2(runner: CliRunner, sample_db: Path, tmp_path: Path) -> None:
    from app.cli import app

    out = tmp_path / "map.png"
    args = ["--db", str(sample_db), "map", "-o", str(out)]
    result = runner.invoke(app, args, env={"ECOMAP_CHROMIUM": str(tmp_path / "nothing")})
    assert result.exit_code == 2
    assert "apt-get install chromium" in " ".join(result.stderr.split())
    assert list(tmp_path.iterdir()) == []
