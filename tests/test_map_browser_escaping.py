"""A map whose organization name is an HTML injection: in chromium it shows as text and
runs nothing (its own module: Playwright's sync API runs one browser session at a time)."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import open_page
from factories import org, rel
from test_map_browser import screen_position

from app.filters import FilterSpec
from app.services.maps import MapOptions, build_map
from app.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser

HOSTILE = "<img src=x onerror=alert(1)>"


def test_hostile_name_shows_as_text_and_runs_nothing(store: EmbeddedStore, tmp_path: Path) -> None:
    store.upsert(
        [org("evil", name=HOSTILE), org("good", name="Good & Co")],
        [rel("evil", "good", "COLLABORATES_WITH")],
    )
    path = tmp_path / "hostile.html"
    path.write_text(build_map(store, FilterSpec(), MapOptions(title=HOSTILE)).html, "utf-8")
    with open_page(path) as opened:
        dialogs: list[str] = []
        opened.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        opened.page.wait_for_selector("#ecomap-network[data-ready=true]", state="attached")
        assert opened.page.inner_text("h1") == HOSTILE
        opened.page.fill("#ecomap-search", "<img")
        opened.page.press("#ecomap-search", "Enter")
        assert opened.page.get_attribute("#ecomap-network", "data-focus") == "evil"
        opened.page.evaluate("window.ecomap.network.fit()")  # a still view to point at
        opened.page.wait_for_timeout(200)
        x, y = screen_position(opened, "evil")
        opened.page.mouse.move(x, y)
        tooltip = opened.page.wait_for_selector("div.vis-tooltip", state="visible")
        assert tooltip is not None and HOSTILE in tooltip.inner_text()
        assert opened.page.evaluate("document.querySelectorAll('img').length") == 0
        assert dialogs == [] and opened.console_errors == [] and opened.external_requests == []
