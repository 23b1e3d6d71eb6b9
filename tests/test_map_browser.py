"""The map page in headless chromium: it draws offline, and search, highlighting, toggles,
PNG export and escaping work when driven like a user would."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import PageSession, nonblank_fraction, open_page

from app.filters import FilterSpec
from app.services.maps import MapOptions, build_map
from app.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser

BROKER = "in-university-of-valmora"


@pytest.fixture(scope="module")
def sample_map(sample_store: EmbeddedStore, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("map") / "map.html"
    options = MapOptions(title="Valmora", color_by="cluster")
    path.write_text(build_map(sample_store, FilterSpec(), options).html, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def session(sample_map: Path) -> Iterator[PageSession]:
    with open_page(sample_map) as opened:
        opened.page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
        yield opened


def screen_position(session: PageSession, node_id: str) -> tuple[float, float]:
    """Where a node is drawn on the page, in CSS pixels."""
    x, y = session.page.evaluate(
        """(id) => {
            const net = window.ecomap.network;
            const at = net.canvasToDOM(net.getPositions([id])[id]);
            const box = document.getElementById('ecomap-network').getBoundingClientRect();
            return [box.left + at.x, box.top + at.y];
        }""",
        node_id,
    )
    return float(x), float(y)


def test_map_draws_offline_without_errors(
    session: PageSession, sample_store: EmbeddedStore
) -> None:
    assert session.console_errors == []
    assert session.external_requests == []
    png = session.screenshot_png(selector="#ecomap-network")
    assert nonblank_fraction(png) > 0.02
    assert session.page.is_visible("#ecomap-legend")
    legend = session.page.inner_text("#ecomap-legend")
    assert "Valmora Fashion" in legend or "fashion" in legend.lower()
    organizations = len(sample_store.subgraph(FilterSpec()).graph)
    assert session.page.evaluate("window.ecomap.nodes.length") == organizations


def test_search_focuses_and_highlights(session: PageSession) -> None:
    session.page.fill("#ecomap-search", "university of valm")
    session.page.press("#ecomap-search", "Enter")
    focus = session.page.get_attribute("#ecomap-network", "data-focus")
    assert focus == BROKER
    assert session.page.evaluate("window.ecomap.network.getSelectedNodes()") == [BROKER]
    assert "University of Valmora" in session.page.inner_text("#ecomap-status")
    session.page.evaluate("window.ecomap.clear()")


def test_clicking_a_node_dims_everything_but_its_neighbours(session: PageSession) -> None:
    session.page.evaluate("window.ecomap.network.fit()")
    session.page.wait_for_timeout(100)
    x, y = screen_position(session, BROKER)
    session.page.mouse.click(x, y)
    assert session.page.get_attribute("#ecomap-network", "data-focus") == BROKER
    colours = session.page.evaluate(
        """(id) => {
            const near = new Set(window.ecomap.network.getConnectedNodes(id).concat([id]));
            const dim = (n) => String(n.color.background).startsWith('rgba(200');
            const all = window.ecomap.nodes.get();
            return {
                nearDimmed: all.filter((n) => near.has(n.id) && dim(n)).length,
                farDimmed: all.filter((n) => !near.has(n.id) && dim(n)).length,
                far: all.filter((n) => !near.has(n.id)).length,
            };
        }""",
        BROKER,
    )
    assert colours["nearDimmed"] == 0
    assert colours["far"] > 0 and colours["farDimmed"] == colours["far"]
    # clicking empty space restores every colour
    box = session.page.locator("#ecomap-network").bounding_box()
    assert box is not None
    session.page.mouse.click(box["x"] + 5, box["y"] + box["height"] - 5)
    assert session.page.get_attribute("#ecomap-network", "data-focus") is None


def test_toggles_hide_kinds_and_relationship_types(session: PageSession) -> None:
    page = session.page
    page.uncheck("input[data-toggle=kind][value=company]")
    hidden = page.evaluate(
        "window.ecomap.nodes.get().filter((n) => n.kind === 'company' && n.hidden).length"
    )
    companies = page.evaluate("window.ecomap.nodes.get({filter: (n) => n.kind === 'company'})")
    assert hidden == len(companies) > 0
    page.check("input[data-toggle=kind][value=company]")
    assert page.evaluate("window.ecomap.nodes.get().filter((n) => n.hidden).length") == 0
    page.uncheck("input[data-toggle=type][value=SUPPLIES]")
    visibility = page.evaluate(
        """window.ecomap.edges.get().map((e) => [e.types, e.hidden === true])"""
    )
    only_supplies = [hidden for types, hidden in visibility if types == ["SUPPLIES"]]
    mixed = [hidden for types, hidden in visibility if "SUPPLIES" in types and len(types) > 1]
    assert only_supplies and all(only_supplies)
    assert not any(mixed)  # still shown through their other ties
    assert not any(hidden for types, hidden in visibility if "SUPPLIES" not in types)
    page.check("input[data-toggle=type][value=SUPPLIES]")


def test_png_export_of_the_current_view(session: PageSession) -> None:
    url = session.page.evaluate("window.ecomap.png()")
    assert url.startswith("data:image/png;base64,")
    assert nonblank_fraction(base64.b64decode(url.split(",", 1)[1])) > 0.02
    with session.page.expect_download() as download:
        session.page.click("#ecomap-png")
    assert download.value.suggested_filename.endswith(".png")


def test_relayout_runs_and_freezes_again(session: PageSession) -> None:
    session.page.click("#ecomap-relayout")
    session.page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
    physics = session.page.evaluate("window.ecomap.network.physics.options.enabled")
    assert physics is False
