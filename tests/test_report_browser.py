"""The demo's report in headless chromium: no console error, no outside request, and the map
embedded in it is drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser import nonblank_fraction, open_page

from app.filters import FilterSpec
from app.services.maps import MapOptions, build_map
from app.services.report import report_html
from app.store.embedded import EmbeddedStore

pytestmark = pytest.mark.browser


def test_report_opens_offline_with_its_map_drawn(
    sample_store: EmbeddedStore, tmp_path: Path
) -> None:
    page_html = build_map(sample_store, FilterSpec(), MapOptions(color_by="cluster")).html
    path = tmp_path / "report.html"
    path.write_text(report_html(sample_store, FilterSpec(), map_html=page_html), "utf-8")
    with open_page(path) as session:
        frame = session.page.frame_locator("iframe")
        session.page.locator("iframe").scroll_into_view_if_needed()
        frame.locator("#ecomap-network[data-ready=true]").wait_for(state="attached")
        png = session.screenshot_png(selector="iframe")
        assert nonblank_fraction(png) > 0.02
        assert "University of Valmora" in session.page.inner_text("body")
        assert session.console_errors == [] and session.external_requests == []
