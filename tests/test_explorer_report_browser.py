"""End to end: the explorer's "Download report" (``ecomap serve`` on 127.0.0.1, headless
chromium) saves the report of the current filters, which opens offline with its map drawn."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import nonblank_fraction, open_page, serving
from test_report import Page

pytestmark = pytest.mark.browser

FASHION = "cl-valmora-fashion"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = tmp_path_factory.mktemp("serve-report") / "eco.lbug"
    ecomap = [sys.executable, "-m", "app.cli", "--db", str(db)]
    subprocess.run([*ecomap, "demo", "--json"], check=True, capture_output=True)
    with serving(db) as url:
        yield url


def test_download_report_of_the_filters(server: str, tmp_path: Path) -> None:
    with urllib.request.urlopen(f"{server}/api/organizations?cluster={FASHION}&limit=1000") as r:
        members = json.load(r)["total"]
    saved = tmp_path / "report.html"
    with open_page(server + "/", timeout_ms=30_000) as session:
        page = session.page
        page.select_option("select[name=clusters]", FASHION)
        page.select_option("select[name=color_by]", "type")
        with page.expect_download(timeout=60_000) as download_info:
            page.click("#download-report")
        download = download_info.value
        assert download.suggested_filename == "ecomap-ecosystem-report.html"
        download.save_as(saved)
        page.wait_for_selector("#download-report[data-state=done]", state="attached")
        assert not page.is_disabled("#download-report")
        status = page.inner_text("#status")
        assert status.startswith("Report of ") and status.endswith(
            "saved as ecomap-ecosystem-report.html."
        )
        assert session.console_errors == [] and session.external_requests == []
    report = Page(saved.read_text(encoding="utf-8"))
    assert report.headings["h1"] == "EcoMap ecosystem report"
    scope = " ".join("".join(report.texts).split())
    assert "cluster: Valmora Fashion & Textile District" in scope
    # the selection's organizations, all of them in the network figures
    assert f"of {members:,} organizations can reach each other" in report.text("figures")
    with open_page(saved) as opened:
        opened.page.locator("iframe").scroll_into_view_if_needed()
        frame = opened.page.frame_locator("iframe")
        frame.locator("#ecomap-network[data-ready=true]").wait_for(state="attached")
        assert nonblank_fraction(opened.screenshot_png(selector="iframe")) > 0.02
        legend = frame.locator("body").inner_text()
        assert "colour: type" in legend.lower()  # coloured as the explorer's form said
        assert opened.console_errors == [] and opened.external_requests == []


def test_a_failed_report_says_why(server: str) -> None:
    with open_page(server + "/", timeout_ms=30_000) as session:
        page = session.page
        page.evaluate(
            """() => { const form = document.getElementById('filters');
                       form.elements.color_by.add(new Option('mood', 'mood'));
                       form.elements.color_by.value = 'mood'; }"""
        )
        page.click("#download-report")
        page.wait_for_selector("#download-report[data-state=failed]", state="attached")
        assert page.inner_text("#status").startswith("No report: ")
        assert "color_by" in page.inner_text("#status")
