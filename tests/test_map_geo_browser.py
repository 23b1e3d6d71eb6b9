"""The geographic map in headless chromium: the base map is drawn under the network, with
nothing fetched; distant partners do not squash the region; data without coordinates falls
back to the force layout with a visible note."""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from browser import PageSession, nonblank_fraction, open_page
from factories import org, rel

from app.filters import FilterSpec
from app.services.maps import MapOptions, build_map
from app.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser

#: basemap.js's colours (STYLE): land fill and the frame around the map.
LAND = (0xF4, 0xF1, 0xE8)
FOREIGN = (
    "co-nordhaven-retail",
    "co-albamar-capital",
    "in-national-agency-for-industrial-innovation",
)


def share_of(png: bytes, colour: tuple[int, int, int], tolerance: int = 3) -> float:
    """Share of the pixels within ``tolerance`` of ``colour`` on every channel."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgb = np.asarray(image.convert("RGB"), dtype=int)
    near = (np.abs(rgb - np.array(colour)) <= tolerance).all(axis=-1)
    return float(near.mean())


def write(path: Path, html: str) -> Path:
    path.write_text(html, encoding="utf-8")
    return path


# First, before the module's page below is open (one Playwright at a time).
def test_without_coordinates_the_map_falls_back_to_force(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    names = [f"co-{i}" for i in range(6)]
    located = {"co-0": {"lat": 45.0, "lon": 10.0}}
    store.upsert(
        [org(name, **located.get(name, {})) for name in names],
        [rel(a, b, "COLLABORATES_WITH") for a, b in pairwise(names)],
    )
    result = build_map(store, FilterSpec(), MapOptions(layout="geo"))
    assert result.layout == "force"
    with open_page(write(tmp_path / "fallback.html", result.html)) as session:
        session.page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
        assert session.console_errors == [] and session.external_requests == []
        note = session.page.locator(".ecomap-note").first
        assert note.is_visible()
        assert "Only 1 of 6 organizations (17%) have coordinates" in note.inner_text()
        assert "force layout instead" in note.inner_text()
        assert session.page.evaluate("window.ecomap.basemap") is None
        assert session.page.is_visible("#ecomap-relayout")
        png = session.screenshot_png(selector="#ecomap-network")
        assert nonblank_fraction(png) > 0.005
        assert share_of(png, LAND) == 0.0


@pytest.fixture(scope="module")
def geo_page(
    sample_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[PageSession]:
    options = MapOptions(title="Valmora", color_by="cluster", layout="geo")
    html = build_map(sample_store, FilterSpec(), options).html
    path = write(tmp_path_factory.mktemp("geo") / "geo.html", html)
    with open_page(path) as opened:
        opened.page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
        yield opened


def test_base_map_is_drawn_under_the_network_offline(
    geo_page: PageSession, sample_store: EmbeddedStore
) -> None:
    assert geo_page.console_errors == []
    assert geo_page.external_requests == []
    png = geo_page.screenshot_png(selector="#ecomap-network")
    assert share_of(png, LAND) > 0.15  # the land of northern Italy fills the frame
    assert nonblank_fraction(png) > 0.3  # land, and the network on it
    organizations = len(sample_store.subgraph(FilterSpec()).graph)
    assert geo_page.page.evaluate("window.ecomap.nodes.length") == organizations
    assert geo_page.page.evaluate("window.ecomap.basemap !== null")
    legend = geo_page.page.inner_text("#ecomap-legend")
    assert "Natural Earth" in legend and "drawn at the map's edge" in legend
    # the exported PNG carries the base map too
    url = geo_page.page.evaluate("window.ecomap.png()")
    exported = base64.b64decode(url.split(",", 1)[1])
    assert share_of(exported, LAND) > 0.1


def test_distant_partners_do_not_squash_the_region(geo_page: PageSession) -> None:
    geo_page.page.click("#ecomap-fit")
    geo_page.page.wait_for_timeout(400)
    box, frame, home, foreign = geo_page.page.evaluate(
        """(foreign) => {
            const net = window.ecomap.network;
            const at = (p) => net.canvasToDOM(p);
            const map = JSON.parse(document.getElementById('ecomap-data').textContent).basemap;
            const f = map.frame;
            const corners = [at({x: f[0], y: f[1]}), at({x: f[2], y: f[3]})];
            const far = new Set(map.markers.flatMap((m) => m.ids));
            const positions = net.getPositions();
            const inside = (p) => p.x >= f[0] && p.x <= f[2] && p.y >= f[1] && p.y <= f[3];
            const home = Object.keys(positions)
                .filter((id) => !far.has(id) && inside(positions[id]))
                .map((id) => at(positions[id]));
            const el = document.getElementById('ecomap-network').getBoundingClientRect();
            return [[el.width, el.height], corners, home, foreign.map((id) => at(positions[id]))];
        }""",
        list(FOREIGN),
    )
    width, height = box
    (fx0, fy0), (fx1, fy1) = ((c["x"], c["y"]) for c in frame)
    # the frame, where the region is drawn to scale, fills most of the view
    assert (fx1 - fx0) > 0.6 * width or (fy1 - fy0) > 0.6 * height
    xs = [p["x"] for p in home]
    ys = [p["y"] for p in home]
    assert max(max(xs) - min(xs), (max(ys) - min(ys)) * width / height) > 0.5 * width
    # foreign partners are outside the frame, still in view
    for p in foreign:
        outside = p["x"] < fx0 or p["x"] > fx1 or p["y"] < fy0 or p["y"] > fy1
        assert outside and 0 <= p["x"] <= width and 0 <= p["y"] <= height
